"""What a Python test calls through the modules it imports, read without a full parse.

`import pkg.codec as codec` and then `codec.decode(b)`: the import names the module, not the
function, so a test that reaches `decode` only through its module's attribute counted for the
module and left `decode` "untested" (with a plan asking for tests that exist). A regular
expression lists each `name.attr(` whose first name an import bound; the graph resolves the
targets like any call. Tests are never ranked: only their references count.
"""

from __future__ import annotations

import re
from sys import intern
from typing import Sequence

from analyzer.model import CallSite, Import

_CALL = re.compile(rb"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.([A-Za-z_]\w*)\s*\(")


def calls(data: bytes, imports: Sequence[Import]) -> tuple[CallSite, ...]:
    """Each distinct call through an imported name, at its first line."""
    bound = {imp.alias: _base(imp) for imp in imports if imp.name != "*"}
    first: dict[str, int] = {}
    for match in _CALL.finditer(data):
        head, _, rest = match.group(1).decode().partition(".")
        if head in bound:
            target = ".".join(p for p in (bound[head], rest, match.group(2).decode()) if p)
            first.setdefault(target, match.start())
    return tuple(CallSite(intern(t), data.count(b"\n", 0, at) + 1, 0) for t, at in sorted(first.items(), key=lambda i: i[1]))


def _base(imp: Import) -> str:
    """What an import binds its alias to: `import pkg.codec` binds pkg, `import pkg.codec as c`
    binds pkg.codec, `from pkg import codec` binds pkg.codec."""
    if imp.name:
        return f"{imp.module}.{imp.name}"
    return imp.alias if imp.alias == imp.module.split(".")[0] else imp.module
