"""Score stage: the shortlist, each group's measures, its judgement (score, verdict, reason,
factors, plan), and the ranking of candidates.

- `measures`: every metric of a group (code first, then boundary, work and history);
- `shortlist`: the groups worth judging;
- `rank`: judgements, best first, and the candidates they become;
- `factors`, `verdict`, `plan`: what a judgement says.
"""

from analyzer.score.context import Context
from analyzer.score.rank import candidates, judge
from analyzer.score.shortlist import passed_over, shortlist

__all__ = ["Context", "candidates", "judge", "passed_over", "shortlist"]
