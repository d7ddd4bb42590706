"""FF218: ids that other systems read as something else.

Ids become JSON object keys (answers and values in form.json and `simulate --format json`),
answer codes in a region's systems and, for the flow id, file names. Some names mean something
there: `__proto__`, `constructor` and `prototype` (and the other members of a JavaScript
object) change what a JavaScript runtime does with a plain object; ids starting with `_` are
formflow's own and a runtime's private keys; `meta` is a key runtimes reserve for themselves.
A flow id that is a Windows device name (`CON`, `NUL`, `COM1`...) cannot be a file name there:
`CON.form.json` is the console, not a file.
"""

from __future__ import annotations

_OBJECT_MEMBERS = frozenset({
    "constructor", "prototype", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toString",
    "toLocaleString", "valueOf", "meta",
})
_DEVICES = frozenset({"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)})


def reason(name: str) -> str | None:
    """Why an id is reserved, or None."""
    if name.startswith("_"):
        return "ids starting with _ are reserved"
    if name in _OBJECT_MEMBERS:
        return f"'{name}' is a reserved key in the systems that read form.json"
    return None


def check(ctx):
    flow_id = ctx.flow.id
    if flow_id.name.casefold() in _DEVICES:
        yield ctx.diag("FF218", f"'{flow_id.name}' is a device name on Windows and cannot name a file", flow_id.span,
                       "reserved file name", help=f"choose another flow id, e.g. '{flow_id.name.lower()}_form'")
    elif (why := reason(flow_id.name)) is not None:
        yield _reserved(ctx, flow_id.name, flow_id.span, why)
    for sym in ctx.symbols.all:
        if (why := reason(sym.id)) is not None:
            yield _reserved(ctx, sym.id, sym.node.id.span, why)
        for option in getattr(sym.node, "options", None) or ():
            if (why := reason(option.code.name)) is not None:
                yield _reserved(ctx, option.code.name, option.code.span, why)


def _reserved(ctx, name: str, span, why: str):
    better = name.strip("_") or "answer"
    return ctx.diag("FF218", f"'{name}' cannot be an id: {why}", span, "reserved",
                    help=f"choose another id, e.g. '{better}_1'" if better == name else f"choose another id, e.g. '{better}'")
