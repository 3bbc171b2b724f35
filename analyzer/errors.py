"""The one exception the user sees as a one-line error: the scan could not start or finish."""


class ScanError(Exception):
    """Raised with a message meant for the user, one line, no traceback."""
