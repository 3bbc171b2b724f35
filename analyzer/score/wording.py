"""How the score's figures are written in reasons and factor summaries: one home each."""

from __future__ import annotations


def percent(share: float, precise_below: float = 0.1) -> str:
    """A share as a percentage: one decimal under `precise_below`, none above. Reasons use
    0.01 (a one-line reason reads "5%"); factor summaries use 0.1 ("5.3%")."""
    return f"{share * 100:.1f}%" if share < precise_below else f"{share * 100:.0f}%"


def times(value: float) -> str:
    """A speedup: "20x", "1.5x" under ten, "0.08x" under one (a port would be slower)."""
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x" if value >= 0.95 else f"{value:.2g}x"


def operations(count: float) -> str:
    """A count of interpreter operations, rounded as an estimate should be: "420", "12k", "3.4M"."""
    for limit, unit in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if count >= limit:
            value = count / limit
            return f"{value:.1f}{unit}" if value < 10 else f"{value:.0f}{unit}"
    return f"{count:.0f}"
