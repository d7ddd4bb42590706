"""FF203 used before asked, FF204 asked only on some routes, FF205 optional question read unguarded."""

from __future__ import annotations

WHAT = {"question": "question", "let": "derived value"}


def check(ctx):
    for read in ctx.semantics.reads:
        what = WHAT.get(read.symbol.kind, read.symbol.kind)
        decl = read.symbol.node.id.span
        name = read.node.name
        if read.status == "before":
            yield ctx.diag("FF203", f"the {what} '{name}' is read before it is {'asked' if what == 'question' else 'computed'}",
                           read.node.span, "read here", help=f"move the condition below '{name}', or '{name}' above it",
                           secondary=((decl, "defined later, here"),))
        elif read.status == "maybe":
            yield ctx.diag("FF204", f"the {what} '{name}' is not {'asked' if what == 'question' else 'computed'} on every route to here",
                           read.node.span, "may have no value here",
                           help=f"read it inside the block that defines it, or guard it: `answered({name}) and ...`"
                           if what == "question" else "compute it before the if-block, or read it inside the same block",
                           secondary=((decl, "defined inside a condition here"),))
        elif read.status == "optional":
            yield ctx.diag("FF205", f"the optional question '{name}' may be unanswered here", read.node.span,
                           "may be empty", help=f"guard it: `answered({name}) and ...`, or remove `optional`",
                           secondary=((decl, "optional question"),))
