"""Packaging: what a non-editable install (the GitHub Action's) would ship."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile

from conftest import ROOT


DATA_ONLY = ("analyzer.rules", "analyzer.rules.catalogs", "analyzer.schema", "analyzer.report.html.assets",
             "analyzer.report.html.vendor")


def test_every_package_is_listed_for_installation():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    shipped = [*(ROOT / "analyzer").rglob("*.py"), *(ROOT / "analyzer").rglob("*.json")]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in shipped if "__pycache__" not in p.parts}
    assert on_disk - listed == set()   # a folder left out (or without __init__.py) is missing from a wheel
    assert all((ROOT / name.replace(".", "/") / "__init__.py").exists() for name in listed
               if name not in DATA_ONLY)   # data, not code
    assert config["package-dir"]["analyzer.rules"] == "rules" and "analyzer.rules" in listed


def test_the_wheel_builds_without_warnings_and_ships_the_rules(tmp_path):
    """What `pip install` prints and installs: no setuptools warning (a licence table, a data
    folder not listed as a package), and every rule and catalog inside the wheel."""
    source = tmp_path / "src"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                            str(source)], capture_output=True, text=True)
    assert built.returncode == 0 and "warning" not in (built.stdout + built.stderr).lower(), built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("rustscout-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = {f"analyzer/rules/{p.name}" for p in (ROOT / "rules").glob("*.yaml")}
    catalogs = {f"analyzer/rules/catalogs/{p.name}" for p in (ROOT / "rules" / "catalogs").glob("*.yaml")}
    assert rules and catalogs and rules | catalogs <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


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
