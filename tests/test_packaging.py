"""Packaging: what a non-editable install (the GitHub Action's) would ship."""

from __future__ import annotations

import tomllib

from conftest import ROOT


def test_every_package_is_listed_for_installation():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "analyzer").rglob("__init__.py")}
    assert on_disk - listed == set()
    assert config["package-dir"]["analyzer.rules"] == "rules" and "analyzer.rules" in listed
