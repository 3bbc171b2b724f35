"""The scaffold's one-line error. It is a ScanError, so the CLI prints it as one line on stderr
and exits 1, as it does for a scan that cannot start."""

from analyzer.errors import ScanError


class ScaffoldError(ScanError):
    """Bad input for the scaffold (candidate, source, output folder), said in one line."""
