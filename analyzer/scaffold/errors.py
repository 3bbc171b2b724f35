"""The scaffold's one-line error. It is a ScanError, so the CLI prints it as one line on stderr
and exits 1, as it does for a scan that cannot start; and reading a candidate's source file,
whose failures are such errors."""

from pathlib import Path

from analyzer.errors import ScanError


class ScaffoldError(ScanError):
    """Bad input for the scaffold (candidate, source, output folder), said in one line."""


def read_source(root: Path, path: str) -> str:
    """The text of a scanned file, read again to mirror its declarations."""
    try:
        return (root / path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScaffoldError(f"{path}: not found under {root} (is PATH the repository that was scanned?)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScaffoldError(f"{path}: cannot read it ({exc.__class__.__name__})") from None
