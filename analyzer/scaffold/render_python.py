"""The Python half of a Python scaffold: the shim, the differential test and the benchmark.

Input: a `PyPort`, the `Case` and `Names`. Output: file texts (Python 3.9+, no dependency but
pytest and Hypothesis for the test). Fixed parts are templates in `pytemplates`; this module
writes the parts that follow the entry points.
"""

from __future__ import annotations

import ast
from string import Template

from analyzer.scaffold import pytemplates, pyvalues
from analyzer.scaffold.case import Case
from analyzer.scaffold.names import Names
from analyzer.scaffold.pyplan import PyClass, PyEntry, PyPort
from analyzer.scaffold.pysignature import RustParam


def shim(port: PyPort, case: Case, names: Names, warning: list[str]) -> str:
    tops = [*port.functions, *(c.constructor for c in port.classes)]
    table = [f'    "{e.export}": ("{e.module}", "{e.attr}"),' for e in sorted(tops, key=lambda e: e.export)]
    needs = "".join(f'\n    "{c.constructor.export}": ({"".join(repr(m.export) + ", " for m in c.methods)}),'
                    for c in port.classes)
    picks = [f'{e.attr} = pick("{e.export}")' for e in sorted(tops, key=lambda e: e.attr)]
    return Template(pytemplates.SHIM).substitute(
        id=case.id, ext=names.ext, env=names.env, warning=_comment_block(warning),
        entry_points="\n".join(table), needs=needs + ("\n" if needs else ""), picks="\n".join(picks),
        all=", ".join(f'"{e.attr}"' for e in sorted(tops, key=lambda e: e.attr)))


def _comment_block(warning: list[str]) -> str:
    return "".join(f"# {w}".rstrip() + "\n" for w in warning) + ("\n" if warning else "")


def differential_test(port: PyPort, case: Case, names: Names) -> str:
    tests = [_function_test(e) for e in port.functions]
    tests += [_method_test(c, m) for c in port.classes for m in c.methods]
    tests += [_constructor_test(c) for c in port.classes if not c.methods]
    return Template(pytemplates.DIFFERENTIAL_TEST).substitute(
        id=case.id, ext=names.ext, env=names.env, shim=names.shim, tests="\n\n\n".join(tests))


def _strategies(entry: PyEntry, params: tuple[RustParam, ...], prefix: str = "") -> list[str]:
    out = []
    for p in params:
        if p.kind in ("var_positional", "var_keyword"):
            continue
        text = pyvalues.strategy(p.type)
        if text is None:
            why = p.note.removeprefix("TODO: ").split(": it crosses")[0]
            text = f"todo({entry.export!r}, {p.name!r}, {why!r})"
        out.append(f"{prefix}{p.name}={text.replace(pyvalues.I64, 'I64')}")
    return out


def _call_args(params: tuple[RustParam, ...], prefix: str = "") -> tuple[str, str]:
    args = [f"{prefix}{p.name}" for p in params if p.kind in ("positional_only", "positional")]
    kwargs = [f'"{p.name}": {prefix}{p.name}' for p in params if p.kind == "keyword_only"]
    return f"[{', '.join(args)}]", "{" + ", ".join(kwargs) + "}"


def _given(strategies: list[str]) -> list[str]:
    """Hypothesis decorators; none for a call without arguments (settings alone is an error)."""
    if not strategies:
        return []
    return ["@EXAMPLES", "@given(" + ",\n       ".join(strategies) + ")"]


def _function_test(e: PyEntry) -> str:
    args, kwargs = _call_args(e.params)
    names = ", ".join(p.name for p in e.params if p.kind not in ("var_positional", "var_keyword"))
    return "\n".join([f'@needs("{e.export}")', *_given(_strategies(e, e.params)),
                      f"def test_{e.attr}({names}):",
                      f'    assert_same(shim.pure("{e.export}"), shim.native.{e.attr}, {args}, {kwargs})'])


def _method_test(c: PyClass, m: PyEntry) -> str:
    ctor = c.constructor
    strategies = _strategies(ctor, ctor.params, "init_") + _strategies(m, m.params)
    names = [f"init_{p.name}" for p in ctor.params if p.kind not in ("var_positional", "var_keyword")]
    names += [p.name for p in m.params if p.kind not in ("var_positional", "var_keyword")]
    init_args, init_kwargs = _call_args(ctor.params, "init_")
    args, kwargs = _call_args(m.params)
    access = {"property": "lambda obj: (lambda: obj.{0})", "staticmethod": "lambda obj: type(obj).{0}",
              "classmethod": "lambda obj: type(obj).{0}"}.get(m.decl.role, "lambda obj: obj.{0}")
    return "\n".join([
        f'@needs("{ctor.export}", "{m.export}")', *_given(strategies),
        f"def test_{ctor.attr.lower()}_{m.decl.name.strip('_')}({', '.join(names)}):",
        f'    objects = construct_both(shim.pure("{ctor.export}"), shim.native.{ctor.attr}, {init_args}, {init_kwargs})',
        "    if objects is None:", "        return", f"    member = {access.format(m.decl.name)}",
        f"    assert_same(member(objects[0]), member(objects[1]), {args}, {kwargs})"])


def _constructor_test(c: PyClass) -> str:
    ctor = c.constructor
    names = ", ".join(f"init_{p.name}" for p in ctor.params if p.kind not in ("var_positional", "var_keyword"))
    init_args, init_kwargs = _call_args(ctor.params, "init_")
    return "\n".join([f'@needs("{ctor.export}")', *_given(_strategies(ctor, ctor.params, "init_")),
                      f"def test_{ctor.attr.lower()}_constructor({names}):",
                      f'    construct_both(shim.pure("{ctor.export}"), shim.native.{ctor.attr}, {init_args}, '
                      f"{init_kwargs})"])


def benchmark(port: PyPort, case: Case, names: Names) -> str:
    inputs = [_inputs(e.attr, e) for e in port.functions]
    inputs += [_inputs(c.constructor.attr.lower() + "_init", c.constructor) for c in port.classes]
    inputs += [_inputs(f"{c.constructor.attr.lower()}_{m.decl.name.strip('_')}", m)
               for c in port.classes for m in c.methods]
    cases = [f'    "{e.export}": (inputs_{e.attr}, lambda: (shim.pure("{e.export}"), shim.native.{e.attr}), '
             f'("{e.export}",)),' for e in port.functions]
    cases += [_method_case(c, m) for c in port.classes for m in c.methods]
    estimate = f"{case.native_gain:g}" if case.native_gain is not None else "None"
    return Template(pytemplates.BENCHMARK).substitute(
        id=case.id, ext=names.ext, shim=names.shim, estimate=estimate, inputs="\n\n\n".join(inputs),
        cases="\n".join(cases))


def _inputs(name: str, e: PyEntry) -> str:
    """Generated inputs; a parameter with a literal default takes it, as most callers do."""
    defaults = {p.name: p.default for p in e.decl.params}
    values = [(p, _literal_default(defaults.get(p.name)) or pyvalues.sample(p.type))
              for p in e.params if p.kind not in ("var_positional", "var_keyword")]
    head = [f"def inputs_{name}():", f'    """{e.decl.signature}: generated inputs; use production-like ones."""']
    missing = [p.name for p, v in values if v is None]
    if missing:
        return "\n".join(head + [f'    raise NotImplementedError("write production-like inputs for '
                                 f'{", ".join(missing)} of {e.export}")'])
    args = [v for p, v in values if p.kind != "keyword_only"]
    kwargs = [f'"{p.name}": {v}' for p, v in values if p.kind == "keyword_only"]
    return "\n".join(head + [f"    return [{', '.join(args)}], {{{', '.join(kwargs)}}}"])


def _literal_default(text: str | None) -> str | None:
    try:
        ast.literal_eval(text or "")
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return text


def _method_case(c: PyClass, m: PyEntry) -> str:
    ctor = c.constructor.attr
    fn = f"{ctor.lower()}_{m.decl.name.strip('_')}"
    get = f"lambda obj: (lambda: obj.{m.decl.name})" if m.decl.role == "property" else f"lambda obj: obj.{m.decl.name}"
    return (f'    "{m.export}": (inputs_{fn}, lambda: method_pair(shim.pure("{c.constructor.export}"), '
            f"shim.native.{ctor}, inputs_{ctor.lower()}_init, {get}), "
            f'("{c.constructor.export}", "{m.export}")),')
