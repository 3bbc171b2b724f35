"""Building one file's coverage from line observations, merging repeats (a file that a report
lists under several classes): a line is run if any observation ran it; a line's branches are
the observation with the most branches, then the most taken."""

from __future__ import annotations

from analyzer.model.runtime import FileCoverage


class LineSet:
    def __init__(self) -> None:
        self.hits: dict[int, bool] = {}
        self.branches: dict[int, tuple[int, int]] = {}

    def line(self, number: int, run: bool) -> None:
        self.hits[number] = self.hits.get(number, False) or run

    def branch(self, number: int, taken: int, total: int) -> None:
        if total > 0 and (total, taken) > tuple(reversed(self.branches.get(number, (0, 0)))):
            self.branches[number] = (min(taken, total), total)

    def build(self, path: str) -> FileCoverage:
        executed = tuple(sorted(number for number, run in self.hits.items() if run))
        missed = tuple(sorted(number for number, run in self.hits.items() if not run))
        branches = tuple((number, taken, total) for number, (taken, total) in sorted(self.branches.items()))
        return FileCoverage(path, executed, missed, branches)
