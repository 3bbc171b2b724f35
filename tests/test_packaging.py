"""Packaging: what a non-editable install (the GitHub Action's) would ship."""

from __future__ import annotations

import tomllib

from conftest import ROOT


def test_every_package_is_listed_for_installation():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    shipped = [*(ROOT / "analyzer").rglob("*.py"), *(ROOT / "analyzer").rglob("*.json")]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in shipped if "__pycache__" not in p.parts}
    assert on_disk - listed == set()   # a folder left out (or without __init__.py) is missing from a wheel
    assert all((ROOT / name.replace(".", "/") / "__init__.py").exists() for name in listed
               if name not in ("analyzer.rules", "analyzer.schema"))   # data folders, not code
    assert config["package-dir"]["analyzer.rules"] == "rules" and "analyzer.rules" in listed
