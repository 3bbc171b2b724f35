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


def test_every_data_file_of_a_package_ships_with_it():
    """What the code reads at run time (the HTML report's script, stylesheet and vendored
    library, rules, schemas) must match the package-data globs, or a wheel leaves it out."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    unshipped = []
    for package in config["packages"]:
        folder = ROOT / config.get("package-dir", {}).get(package, package.replace(".", "/"))
        globs = config["package-data"].get(package, [])
        for path in folder.rglob("*"):
            inner = path.relative_to(folder)
            if path.is_dir() or path.suffix in (".py", ".pyc", ".md") or inner.parts[0] == "__pycache__":
                continue
            if len(inner.parts) > 1 and f"{package}.{inner.parts[0]}" in config["packages"]:
                continue   # a subpackage's file: checked with that package
            if not any(inner.match(glob) and len(inner.parts) == len(glob.split("/")) for glob in globs):
                unshipped.append(f"{package}: {inner}")
    assert unshipped == []
