"""Plumbing that knows no domain: work beside the caller (background), the SQLite cache (and
opening our SQLite files: sqlite),
the clock and progress, dates, where shipped data lives (resources), and replacing a
file atomically (files)."""
