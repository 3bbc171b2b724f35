"""The one error a reader raises: what is wrong with a file, in one line, without its path
(the caller pairs it with the path in a FileError, as the rest of the scan does)."""

from analyzer.errors import ScanError


class EvidenceError(ScanError):
    """A profile or coverage file that cannot be used; the message is one line."""
