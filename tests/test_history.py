"""History: one pass over git log, renames followed, maths on Change rows."""

from __future__ import annotations

import subprocess
from pathlib import Path

from analyzer import vcs
from analyzer.history import facts as history
from analyzer.model import Change, CodeUnit, Commit, History
from conftest import make_repo

DAY = 86_400


def read(repo, window_days=365):
    info = vcs.open_repo(repo)
    return info, vcs.read_history(info, None, info.head_timestamp, info.head_timestamp - window_days * DAY)


def test_renames_are_followed_and_lines_counted(tmp_path):
    repo = make_repo(tmp_path, [
        {"files": {"old.py": "a = 1\nb = 2\n"}, "date": "2024-01-01T00:00:00Z", "message": "add"},
        {"rename": {"old.py": "new.py"}, "date": "2024-02-01T00:00:00Z", "author": "ben"},
        {"files": {"new.py": "a = 1\nb = 3\nc = 4\n", "doc.txt": "x"}, "date": "2024-03-01T00:00:00Z",
         "message": "fix bug in b"},
    ])
    info, hist = read(repo)
    assert [c.subject for c in hist.commits] == ["fix bug in b", "change", "add"]
    assert {(c.path, c.added, c.deleted) for c in hist.changes} == {("new.py", 2, 1), ("new.py", 0, 0),
                                                                    ("new.py", 2, 0)}
    facts = history.summarize(hist, [], ["new.py"], info.head_timestamp, 365)
    f = facts.files["new.py"]
    assert (f.revisions, f.authors, f.fix_commits, f.age_days) == (3, 2, 1, 60)


def test_hunks_are_carried_forward_to_head_lines(tmp_path):
    base = "".join(f"line{i}\n" for i in range(1, 21))
    repo = make_repo(tmp_path, [
        {"files": {"m.py": base}, "date": "2024-01-01T00:00:00Z"},
        {"files": {"m.py": base.replace("line15\n", "LINE15\n")}, "date": "2024-01-02T00:00:00Z"},
        {"files": {"m.py": "new0\nnew1\nnew2\n" + base.replace("line15\n", "LINE15\n")},
         "date": "2024-01-03T00:00:00Z"},
    ])
    info, hist = read(repo)
    changes = [c for c in hist.changes if c.path == "m.py"]
    ranges = {sha[:7]: r for sha, r, _ in history.head_ranges(changes)}
    middle = [c.commit[:7] for c in changes][1]
    assert ranges[middle] == [(18, 18)]   # line 15 then, line 18 at HEAD after three lines were added
    unit = CodeUnit("py:m.py::f", "function", "python", "m.py", "f", "f", 17, 19, None)
    facts = history.attribute_units([unit], {"m.py": changes})
    assert facts["py:m.py::f"].revisions_window == 2   # the edit, and the first commit adding all lines


def test_forward_shifts_lines_through_insertions_and_deletions():
    hunks = ((3, 0, 4, 2), (10, 2, 12, 0))   # insert two lines after 3; delete lines 10-11
    assert [history.forward(n, hunks) for n in (1, 3, 4, 9, 10, 12)] == [1, 3, 6, 11, 12, 12]


def test_coupling_needs_repeated_co_changes():
    rows = [Change(f"c{i}", 0, "a", p) for i in range(4) for p in ("a.py", "b.py")]
    rows += [Change("c9", 0, "a", "a.py"), Change("c9", 0, "a", "c.py")]
    partners = history.coupling(rows)
    assert partners["a.py"] == (("b.py", 4, 0.889),)
    assert "c.py" not in partners


def test_shallow_clone_and_plain_folder_say_history_is_missing(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"a.py": "x = 1\n"}, "date": f"2024-01-0{i}T00:00:00Z"}
                                for i in range(1, 4)])
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    info, hist = read(clone)
    assert info.shallow and not hist.available
    assert "shallow clone" in hist.notice and "fetch-depth: 0" in hist.notice
    assert vcs.open_repo(tmp_path / "nowhere") is None


def test_summary_ignores_commits_after_as_of():
    commits = (Commit("b", 10 * DAY, "ana", "late"), Commit("a", 1 * DAY, "ana", "early"))
    changes = (Change("b", 10 * DAY, "ana", "x.py"), Change("a", 1 * DAY, "ana", "x.py"))
    facts = history.summarize(History(True, None, "b", 10 * DAY, commits, changes), [], ["x.py"], 5 * DAY, 365)
    assert facts.files["x.py"].revisions == 1


def _signed_head(repo: Path) -> None:
    """Give HEAD a signature header, as `git commit -S` would (its content is never checked
    here: what matters is that git runs gpg.program to check it)."""
    head, body = subprocess.run(["git", "cat-file", "commit", "HEAD"], cwd=repo, check=True, capture_output=True,
                                text=True).stdout.split("\n\n", 1)
    signed = f"{head}\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAd\n -----END PGP SIGNATURE-----\n\n{body}"
    sha = subprocess.run(["git", "hash-object", "-w", "-t", "commit", "--stdin"], cwd=repo, input=signed, check=True,
                         capture_output=True, text=True).stdout.strip()
    subprocess.run(["git", "update-ref", "HEAD", sha], cwd=repo, check=True)


def test_the_scanned_repository_cannot_run_commands_through_its_config(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"a.py": "x = 1\n"}}, {"files": {"a.py": "x = 2\n"}}])
    _signed_head(repo)
    marker = tmp_path / "pwned"
    program = tmp_path / "evil.sh"
    program.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {marker}\nexit 1\n")
    program.chmod(0o755)
    for key, value in (("core.fsmonitor", str(program)), ("diff.py.textconv", str(program)),
                       ("diff.py.command", str(program)), ("log.showSignature", "true"),
                       ("gpg.program", str(program)), ("core.hooksPath", str(tmp_path))):
        subprocess.run(["git", "config", key, value], cwd=repo, check=True)
    (repo / ".gitattributes").write_text("*.py diff=py\n")
    # the control: plain git in this repository runs the program
    subprocess.run(["git", "log", "-p", "-1"], cwd=repo, capture_output=True)
    assert marker.exists()
    marker.unlink()
    info = vcs.open_repo(repo)
    vcs.tracked_files(repo)
    vcs.read_history(info, None, info.head_timestamp, 0)
    vcs.diff(repo, "HEAD~1", "HEAD")
    vcs.resolve(repo, "HEAD")
    assert not marker.exists(), marker.read_text()


def test_the_line_count_window_skips_folders_of_unranked_code(tmp_path):
    repo = make_repo(tmp_path, [
        {"files": {"src/m.py": "a = 1\n", "tests/test_m.py": "b = 1\n"}, "date": "2024-01-01T00:00:00Z"},
        {"files": {"src/m.py": "a = 2\n", "tests/test_m.py": "b = 2\nc = 3\n"}, "date": "2024-01-02T00:00:00Z"},
    ])
    info = vcs.open_repo(repo)
    hist = vcs.read_history(info, None, info.head_timestamp, 0, window_skips=("tests",))
    counted = sorted((c.path, c.added, c.deleted) for c in hist.changes)
    # both commits still count for the test file; its line counts are unknown (-1), not read
    assert counted == [("src/m.py", 1, 0), ("src/m.py", 1, 1), ("tests/test_m.py", -1, -1), ("tests/test_m.py", -1, -1)]


def test_a_unit_is_touched_by_every_change_whose_ranges_overlap_its_lines():
    """The bisection over sorted ranges finds what trying every range finds, in change order."""
    import random
    rng = random.Random(7)
    for _ in range(200):
        changes = [Change(f"c{i}", 0, "a", "f.py", 1, 1, tuple(sorted(
            (old, rng.randrange(0, 4), new, rng.randrange(0, 6))
            for old, new in ((rng.randrange(1, 80), rng.randrange(1, 80)) for _ in range(rng.randrange(0, 5))))))
            for i in range(rng.randrange(1, 8))]
        units = [CodeUnit(f"f.py::u{j}", "function", "python", "f.py", f"u{j}", f"u{j}", start, start + rng.randrange(0, 15),
                          None) for j, start in enumerate(rng.randrange(1, 80) for _ in range(6))]
        touched = history.head_ranges(changes)
        expected = {u.id: [sha for sha, ranges, _ in touched if any(a <= u.end and b >= u.start for a, b in ranges)]
                    for u in units}
        found = {h.unit_id: list(h.commits) for h in history._file_units(units, changes)}
        assert found == {uid: shas[:history.RECENT] for uid, shas in expected.items() if shas}


def _lose_blob(repo: Path, rev: str) -> None:
    """Delete one file's contents from the clone, as a partial clone or a snapshot lacks them."""
    sha = subprocess.run(["git", "rev-parse", rev], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    (repo / ".git" / "objects" / sha[:2] / sha[2:]).unlink()


RENAMED_WITH_EDITS = [
    {"files": {"old.py": "".join(f"v{i} = {i}\n" for i in range(20))}, "date": "2023-01-01T00:00:00Z", "message": "add"},
    {"rename": {"old.py": "new.py"}, "edit": {"old.py": [{"find": "v3 = 3", "replace": "v3 = 30"}]},
     "date": "2023-02-01T00:00:00Z"},
    {"edit": {"new.py": [{"find": "v5 = 5", "replace": "v5 = 50"}]}, "date": "2024-03-01T00:00:00Z", "message": "fix"},
]


def test_a_clone_missing_old_contents_is_read_without_renames(tmp_path):
    repo = make_repo(tmp_path, RENAMED_WITH_EDITS)
    _lose_blob(repo, "HEAD~2:old.py")   # rename detection needs it; the one-year window does not
    info, hist = read(repo)
    assert hist.available and "renamed files' history is not followed" in hist.notice
    assert "changed lines" not in hist.notice
    # the rename reads as a deletion and an addition; the window's counts are still there
    assert [(c.path, c.added, c.deleted) for c in hist.changes] == [("new.py", 1, 1), ("new.py", -1, -1),
                                                                    ("old.py", -1, -1), ("old.py", -1, -1)]


def test_a_clone_missing_recent_contents_is_read_without_line_counts(tmp_path):
    repo = make_repo(tmp_path, RENAMED_WITH_EDITS)
    _lose_blob(repo, "HEAD~1:new.py")   # the window's diff needs it
    info, hist = read(repo)
    assert hist.available and hist.notice.startswith("git could not read some file contents (")
    assert hist.notice.endswith("renamed files' history is not followed, and changed lines are not counted")
    assert [c.subject for c in hist.commits] == ["fix", "change", "add"]
    assert all(c.added == -1 for c in hist.changes)
