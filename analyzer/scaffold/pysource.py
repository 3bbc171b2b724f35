"""Declarations of Python entry points, read with `ast` from the scanned repository's files.

Input: the repository root, a file's repo-relative path and the qualified names the scan
reported. Output: `Declaration`s with exact parameters (kinds, annotations and defaults as
written), docstrings and lines, and `ClassShape`s for the classes to mirror. The files are
parsed, never imported or run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from analyzer.model.scaffold import Declaration, DeclaredParam
from analyzer.scaffold.errors import ScaffoldError, read_source

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class ClassShape:
    """A class to mirror as a #[pyclass]: the state its constructor sets, for the struct."""
    qualname: str
    fields: tuple[tuple[str, str | None], ...]   # (attribute, annotation) set on self in __init__
    docstring: str
    lines: tuple[int, int]
    methods: tuple[str, ...] = ()       # public methods, in source order: the native class needs them all
    dunders: tuple[str, ...] = ()       # special methods other than __init__, left to write by hand


@dataclass(frozen=True, slots=True)
class PythonFile:
    path: str
    module: str                 # dotted module name ("pkg.codec")
    import_root: str            # folder to put on sys.path to import it ("" = the repository root)
    tree: ast.Module


def load(root: Path, path: str) -> PythonFile:
    source = read_source(root, path)
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise ScaffoldError(f"{path}:{exc.lineno}: cannot parse it ({exc.msg}); scan again after fixing it") from None
    module, import_root = _module_name(root, path)
    return PythonFile(path, module, import_root, tree)


def _module_name(root: Path, path: str) -> tuple[str, str]:
    """Climb while the folder is a package: pkg/sub/mod.py -> ("pkg.sub.mod", "")."""
    parts = Path(path).with_suffix("").parts
    top = len(parts) - 1
    while top > 0 and (root.joinpath(*parts[:top]) / "__init__.py").is_file():
        top -= 1
    names = [p for p in parts[top:] if p != "__init__"]
    return ".".join(names), "/".join(parts[:top])


def declare(file: PythonFile, unit_id: str, qualname: str) -> Declaration:
    chain = _find(file.tree, qualname.split("."))
    if chain is None:
        raise ScaffoldError(f"{file.path}: no definition of {qualname} (the repository changed since the scan? "
                            "scan again)")
    node, owner = chain[-1], chain[-2] if len(chain) > 1 else None
    if isinstance(node, ast.ClassDef):
        return _class_declaration(file, unit_id, qualname, node)
    role = _role(node, owner)
    params = _params(node.args, drop_first=role in ("method", "constructor", "classmethod", "property"))
    return Declaration(unit_id, "python", node.name, qualname, role, params,
                       ast.unparse(node.returns) if node.returns else None, ast.get_docstring(node) or "",
                       file.path, (_first_line(node), node.end_lineno or node.lineno),
                       qualname.rpartition(".")[0] if isinstance(owner, ast.ClassDef) else "",
                       _modifiers(node), _self_reads(node),
                       file.module)


def _find(scope: ast.AST, names: list[str]) -> list[ast.AST] | None:
    for node in getattr(scope, "body", ()):
        if isinstance(node, (ast.ClassDef, *FunctionNode.__args__)) and node.name == names[0]:
            if len(names) == 1:
                return [node]
            rest = _find(node, names[1:])
            if rest is not None:
                return [node, *rest]
    return None


def _first_line(node: ast.AST) -> int:
    return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])


def _class_declaration(file: PythonFile, unit_id: str, qualname: str, node: ast.ClassDef) -> Declaration:
    """A class called as a function: its parameters are its constructor's."""
    init = next((n for n in node.body if isinstance(n, FunctionNode.__args__) and n.name == "__init__"), None)
    params = _params(init.args, drop_first=True) if init is not None else ()
    return Declaration(unit_id, "python", node.name, qualname, "class", params, None,
                       ast.get_docstring(node) or "", file.path, (_first_line(node), node.end_lineno or node.lineno),
                       "", (), (), file.module)


def _role(node: FunctionNode, owner: ast.AST | None) -> str:
    if not isinstance(owner, ast.ClassDef):
        return "function"
    decorators = {ast.unparse(d).rpartition(".")[2] for d in node.decorator_list}
    for marker in ("staticmethod", "classmethod", "property"):
        if marker in decorators:
            return marker
    return "constructor" if node.name == "__init__" else "method"


def _params(args: ast.arguments, drop_first: bool) -> tuple[DeclaredParam, ...]:
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    found = [DeclaredParam(a.arg, _text(a.annotation), "positional_only" if i < len(args.posonlyargs)
                           else "positional", _text(d)) for i, (a, d) in enumerate(zip(positional, defaults))]
    if args.vararg:
        found.append(DeclaredParam(args.vararg.arg, _text(args.vararg.annotation), "var_positional"))
    found += [DeclaredParam(a.arg, _text(a.annotation), "keyword_only", _text(d))
              for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg:
        found.append(DeclaredParam(args.kwarg.arg, _text(args.kwarg.annotation), "var_keyword"))
    return tuple(found[1:] if drop_first and positional else found)


def _text(node: ast.AST | None) -> str | None:
    return ast.unparse(node) if node is not None else None


def _modifiers(node: FunctionNode) -> tuple[str, ...]:
    found = ["async"] if isinstance(node, ast.AsyncFunctionDef) else []
    own = list(_own_nodes(node))
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own):
        found.append("generator")
    if any(_is_self_attr(t) for n in own if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign))
           for t in (n.targets if isinstance(n, ast.Assign) else [n.target])):
        found.append("mutates_self")
    return tuple(found)


def _own_nodes(node: ast.AST):
    """Nodes of a function's own body, not of functions or classes nested in it."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(child, (*FunctionNode.__args__, ast.ClassDef, ast.Lambda)):
            yield from _own_nodes(child)


def _is_self_attr(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"


def _self_reads(node: FunctionNode) -> tuple[str, ...]:
    return tuple(sorted({n.attr for n in _own_nodes(node) if _is_self_attr(n) and isinstance(n.ctx, ast.Load)}))


def class_shape(file: PythonFile, qualname: str) -> ClassShape:
    chain = _find(file.tree, qualname.split("."))
    node = chain[-1] if chain else None
    if not isinstance(node, ast.ClassDef):
        raise ScaffoldError(f"{file.path}: no class {qualname} (the repository changed since the scan? scan again)")
    defs = [n for n in node.body if isinstance(n, FunctionNode.__args__)]
    init = next((n for n in defs if n.name == "__init__"), None)
    dunders = tuple(n.name for n in defs if n.name.startswith("__") and n.name.endswith("__") and n.name != "__init__")
    return ClassShape(qualname, _fields(init) if init is not None else (), ast.get_docstring(node) or "",
                      (_first_line(node), node.end_lineno or node.lineno),
                      tuple(n.name for n in defs if not n.name.startswith("_")), dunders)


def _fields(init: FunctionNode) -> tuple[tuple[str, str | None], ...]:
    """Attributes __init__ sets on self, typed by their annotation or by the parameter they copy."""
    annotated = {a.arg: _text(a.annotation) for a in [*init.args.args, *init.args.kwonlyargs]}
    fields: dict[str, str | None] = {}
    for n in _own_nodes(init):
        if isinstance(n, ast.AnnAssign) and _is_self_attr(n.target):
            fields[n.target.attr] = _text(n.annotation)
        elif isinstance(n, ast.Assign):
            for target in (t for t in n.targets if _is_self_attr(t)):
                copied = n.value.id if isinstance(n.value, ast.Name) else None
                fields.setdefault(target.attr, annotated.get(copied) if copied else None)
    return tuple(fields.items())
