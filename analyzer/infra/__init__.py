"""Plumbing that knows no domain: work beside the caller (background), the SQLite cache,
the clock and progress, dates, and where shipped data lives (resources)."""
