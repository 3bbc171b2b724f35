"""Mechanical fixes: which ones exist (`codemods`), and the fixes proposed for the candidates
whose verdict is fix-in-place-first, with a patch where the rewrite is mechanical (`propose`)."""

from analyzer.fixes.codemods import FIXES
from analyzer.fixes.propose import Source, propose

__all__ = ["FIXES", "Source", "propose"]
