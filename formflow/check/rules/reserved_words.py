"""FF206: keywords used as ids of questions, values, pages, outcomes or options."""

from __future__ import annotations

from formflow.check.types import KEYWORDS


def check(ctx):
    for sym in ctx.symbols.all:
        if sym.id in KEYWORDS:
            yield ctx.diag("FF206", f"'{sym.id}' is a keyword and cannot be an id", sym.node.id.span, "keyword",
                           help=f"choose another id, e.g. '{sym.id}_answer'")
        options = getattr(sym.node, "options", None) or ()
        for option in options:
            if option.code.name in KEYWORDS:
                yield ctx.diag("FF206", f"'{option.code.name}' is a keyword and cannot be an option code",
                               option.code.span, "keyword", help=f"choose another code, e.g. '{option.code.name}_option'")
