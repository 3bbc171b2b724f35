"""How the score's figures are written in reasons and factor summaries: one home each."""

from __future__ import annotations


def percent(share: float, precise_below: float = 0.1) -> str:
    """A share as a percentage: one decimal under `precise_below`, none above. Reasons use
    0.01 (a one-line reason reads "5%"); factor summaries use 0.1 ("5.3%")."""
    return f"{share * 100:.1f}%" if share < precise_below else f"{share * 100:.0f}%"


def times(value: float) -> str:
    """A speedup: "20x", or "1.5x" under ten."""
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x"
