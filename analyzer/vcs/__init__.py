"""git, as rustscout needs it; the only package that talks to git (through gitpython).

- `repo`: opening a work tree, listing its files, and what every git call shares: the
  safe configuration, streaming output, C-quoted paths, hunk headers.
- `log`: the history, in one streamed `git log --raw` plus a line-count window.
- `revisions`: commits read from git's objects without touching the work tree: trees,
  blobs, the diff between two commits, and the commits between them (for `rustscout pr`).
"""

from analyzer.vcs.log import read_history
from analyzer.vcs.repo import SAFE, SOURCE_PATHSPECS, RepoInfo, open_repo, tracked_files
from analyzer.vcs.revisions import RevisionReader, commits_between, diff, merge_base, resolve, tree

__all__ = ["SAFE", "SOURCE_PATHSPECS", "RepoInfo", "RevisionReader", "commits_between", "diff", "merge_base",
           "open_repo", "read_history", "resolve", "tracked_files", "tree"]
