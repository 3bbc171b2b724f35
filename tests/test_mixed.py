"""A repository with Python and Java: one ranking, the language on each candidate, and the
boundary between the two where it can be seen."""

from __future__ import annotations

from conftest import make_repo, scan_json

PY = ("import jpype\n\n\ndef score(values):\n    jpype.startJVM()\n    scorer = jpype.JClass('acme.Scorer')()\n"
      "    return [scorer.score(v) for v in values]\n\n\ndef checksum(data: bytes) -> int:\n    total = 0\n"
      "    for b in data:\n        for k in range(8):\n            total = (total * 31 + (b >> k)) & 0xFFFF\n"
      "    return total\n")
JAVA = ("package acme;\n\npublic class Scorer {\n    public long score(long[] values) {\n        long total = 0;\n"
        "        for (long v : values) {\n            total += v * v;\n        }\n        return total;\n    }\n}\n")


def test_one_ranking_for_both_languages(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"tools/score.py": PY, "src/main/java/acme/Scorer.java": JAVA}}])
    report = scan_json(repo)
    languages = {c["language"] for c in report["candidates"]}
    assert languages == {"python", "java"} and report["summary"]["languages"] == ["java", "python"]
    ranks = [c["rank"] for c in report["candidates"]]
    assert ranks == sorted(ranks)
    bridge = [(c["id"], f["line"]) for c in report["candidates"] for f in c["findings"] if f["rule"] == "XL001"]
    assert ("py:tools/score.py::score", 4) in bridge
