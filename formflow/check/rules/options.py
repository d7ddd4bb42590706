"""FF406 choice questions need options (others take none), FF407 `exclusive` misuse."""

from __future__ import annotations

from formflow.check.types import CHOICE_TYPES, QUESTION_TYPES, article


def check(ctx):
    for sym in ctx.symbols.all:
        if sym.kind == "question" and sym.node.type.name in QUESTION_TYPES:
            yield from _question(ctx, sym.node)


def _question(ctx, q):
    qtype = q.type.name
    if qtype not in CHOICE_TYPES:
        if q.options is not None:
            yield ctx.diag("FF406", f"{article(qtype)} question has no options", q.options_span, "options not allowed here",
                           help="use `single` or `multiple` for a question with options")
        return
    if q.options is None or len(q.options) < 2:
        span = q.options_span or q.id.span
        yield ctx.diag("FF406", f"the {qtype} choice '{q.id.name}' needs at least two options", span,
                       "no options" if not q.options else "only one option",
                       help="list the answers: `{ option mild \"Lite\"  option severe \"Mycket\" }`")
        if not q.options:
            return
    exclusive = [o for o in q.options if any(a.key == "exclusive" for a in o.attrs)]
    if exclusive and qtype == "single":
        yield ctx.diag("FF407", "`exclusive` has no meaning in a single choice", _attr_span(exclusive[0]),
                       "single choices are exclusive already", help="remove `exclusive`")
    elif len(exclusive) > 1:
        yield ctx.diag("FF407", f"'{q.id.name}' has more than one exclusive option", _attr_span(exclusive[1]),
                       "second exclusive option", help="keep one option such as \"Inget av detta\" exclusive",
                       secondary=((_attr_span(exclusive[0]), "first exclusive option"),))
    for option in q.options:
        seen = set()
        for attr in option.attrs:
            if attr.key in seen:
                yield ctx.diag("FF414", f"`{attr.key}` is given twice", attr.span, "given again", help="keep one")
            seen.add(attr.key)


def _attr_span(option):
    return next(a.span for a in option.attrs if a.key == "exclusive")
