"""FF208 derived values never read, FF209 outcomes never reached by `end` or `trigger`."""

from __future__ import annotations


def check(ctx):
    used = ctx.semantics.used
    for sym in ctx.symbols.by_id.values():
        if sym.id in used:
            continue
        if sym.kind == "let":
            yield ctx.diag("FF208", f"the derived value '{sym.id}' is never used", sym.node.id.span, "never read",
                           help="use it in a condition, or remove it")
        elif sym.kind == "outcome":
            yield ctx.diag("FF209", f"no route ends in outcome '{sym.id}'", sym.node.id.span, "never reached",
                           help=f"add `end {sym.id}` where it applies, or remove the outcome")
