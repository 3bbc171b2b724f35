"""History stage: git history in, HistoryFacts out.

- `read`: the history up to `as_of`, from the cache or from git, as bytes that cross processes;
- `facts`: pure maths over Change rows (churn, age, authors, fixes, change coupling), and
  `before`, the history of a pull request's base derived from its head's.
"""

from analyzer.history.facts import before, summarize
from analyzer.history.read import Bounds, bounds, loaded, payload

__all__ = ["Bounds", "before", "bounds", "loaded", "payload", "summarize"]
