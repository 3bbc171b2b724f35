"""A Python candidate's scaffold: a maturin/PyO3 project, the shim, the differential test, the
benchmark and the README, from the plan in `pyplan`."""

from __future__ import annotations

from pathlib import Path

from analyzer.scaffold import pyplan, render_pyo3, render_python
from analyzer.scaffold.case import Case
from analyzer.scaffold.names import Names, names_for
from analyzer.scaffold.pyplan import PyPort
from analyzer.scaffold.render_readme import first_cut, public_api_note, readme, warning_lines
from analyzer.scaffold.spec import GeneratedFile, Options, Scaffold

GITIGNORE = "/target/\n*.so\n*.pyd\n.hypothesis/\n__pycache__/\n"


def generate(case: Case, root: Path, options: Options) -> Scaffold:
    names = names_for(case)
    port = pyplan.plan(case, root, options.generation)
    signatures = tuple(e.signature for e in port.entries)
    warning = warning_lines(case, port.hazards)
    texts = {
        "Cargo.toml": render_pyo3.cargo_toml(case, names, options),
        "pyproject.toml": render_pyo3.pyproject_toml(case, names),
        "src/lib.rs": render_pyo3.lib_rs(port, case, names, options, warning),
        f"shim/{names.shim}.py": render_python.shim(port, case, names, warning),
        "tests/test_differential.py": render_python.differential_test(port, case, names),
        "bench/bench_native.py": render_python.benchmark(port, case, names),
        "README.md": readme(case, options, port.hazards, signatures, _files(names), _commands(port, names, options),
                            _public_api_note(port)),
        ".gitignore": GITIGNORE,
    }
    return Scaffold(case.id, signatures[0].binding, tuple(GeneratedFile(p, t) for p, t in sorted(texts.items())),
                    signatures, port.hazards, first_cut(case, port.hazards))


def _files(names: Names) -> list[str]:
    return [
        "- `Cargo.toml`, `pyproject.toml`: the extension crate and its maturin build.",
        "- `src/lib.rs`: one PyO3 entry point per entry point of the boundary; `IMPLEMENTED` lists those "
        "whose body is written.",
        f"- `shim/{names.shim}.py`: the entry points, native where `IMPLEMENTED` says so, pure Python otherwise; "
        f"`{names.env}=1` forces the pure code.",
        "- `tests/test_differential.py`: native against pure on the same Hypothesis inputs.",
        "- `bench/bench_native.py`: times both and prints the speedup next to rustscout's estimate.",
        "- `rustscout-scaffold.json`: the mapped signatures and the cuts, for tools.",
    ]


def _commands(port: PyPort, names: Names, options: Options) -> list[str]:
    roots = " and ".join(f"`{r or '.'}`" for r in port.import_roots)
    path = ":".join(f"$REPO/{r}" if r else "$REPO" for r in port.import_roots)
    return [
        f"The pure code is imported from the scanned repository: put its import root ({roots}, relative to the",
        "repository) on `PYTHONPATH`. REPO below is the repository's folder.", "", "```sh",
        "python -m venv .venv && . .venv/bin/activate",
        "pip install maturin pytest hypothesis",
        f"maturin develop --release                  # builds {names.ext} and installs it into the venv",
        f'export PYTHONPATH="{path}"',
        "pytest                                     # the differential test",
        "python bench/bench_native.py               # measured speedup next to rustscout's estimate",
        f"{names.env}=1 python your_program.py      # force the pure code",
        "```", "",
        "Offline, with Debian's toolchain (`apt-get install cargo rustc librust-pyo3-dev`; PyO3 0.17, so generate",
        "with `--pyo3 0.17`): point cargo at Debian's vendored crates and copy the library next to the shim.", "",
        "```sh", "mkdir -p .cargo && printf '%s\\n' '[source.crates-io]' 'replace-with = \"debian\"' \\",
        "  '[source.debian]' 'directory = \"/usr/share/cargo/registry\"' > .cargo/config.toml",
        "PYO3_PYTHON=python3 cargo build --release --offline",
        f"cp target/release/lib{names.ext}.so shim/{names.ext}$(python3 -c "
        "'import sysconfig; print(sysconfig.get_config_var(\"EXT_SUFFIX\"))')", "```", "",
        "## Porting one entry point", "",
        "1. Write its body in `src/lib.rs` (the Python code is linked above each stub).",
        "2. Add its name to `IMPLEMENTED`; rebuild.",
        "3. `pytest`: its differential test now runs instead of being skipped; make it pass.",
        "4. `python bench/bench_native.py`: keep it only if the gain is worth it.",
        f"5. Switch the call sites to import it from `{names.shim}` (copy the shim next to the code).",
    ]


def _public_api_note(port: PyPort) -> list[str]:
    return public_api_note("its public functions and classes") if port.mirrored_public_api else []
