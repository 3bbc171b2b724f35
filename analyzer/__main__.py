"""The way in: `python -m analyzer` and the `rustscout` command both start here.

`python -m` puts the current folder first on sys.path, and rustscout is usually run inside
the repository it scans: its `yaml.py` or `networkx.py` would be imported in place of ours,
and run. The folder is taken off the path before anything else is imported, unless rustscout
itself was loaded from it (a checkout of rustscout, run from its top). Ctrl-C is one line and
exit 130 at any moment, even while the command's modules are still being imported."""

import os
import sys

INTERRUPTED = 130   # 128 + SIGINT, as shells report it


def _without_working_folder(path: list[str]) -> list[str]:
    here = os.getcwd()
    ours = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return [p for p in path if os.path.abspath(p or os.curdir) != here or ours == here]


def run() -> None:
    sys.path[:] = _without_working_folder(sys.path)
    try:
        from analyzer.cli import main
        code = main()
    except KeyboardInterrupt:
        sys.stderr.write("rustscout: interrupted\n")
        code = INTERRUPTED
    sys.exit(code)


if __name__ == "__main__":
    run()
