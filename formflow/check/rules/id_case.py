"""FF217: two ids that differ only in upper and lower case.

`question Q1` and `question q1` are different ids to formflow, but not to a reader, nor to the
systems that receive them: a case-insensitive database column, a form runtime that normalises
keys, a file system (an outcome id can name a file). Flow-wide ids (questions, derived values,
pages, outcomes) are compared with each other, option codes within their question. Exact
duplicates are FF201's.
"""

from __future__ import annotations

from formflow.check.rules.duplicate_ids import KIND_WORDS


def check(ctx):
    seen: dict[str, object] = {}
    for sym in ctx.symbols.all:
        earlier = seen.setdefault(sym.id.casefold(), sym)
        if earlier.id != sym.id:
            yield ctx.diag("FF217", f"'{sym.id}' differs from {KIND_WORDS[earlier.kind]} '{earlier.id}' only in case",
                           sym.node.id.span, "same id in other case", help=f"use one spelling: '{earlier.id}', or another id",
                           secondary=((earlier.node.id.span, "first defined here"),))
    for sym in ctx.symbols.all:
        if sym.kind == "question" and sym.node.options:
            yield from _options(ctx, sym.node)


def _options(ctx, question):
    codes: dict[str, object] = {}
    for option in question.options:
        earlier = codes.setdefault(option.code.name.casefold(), option)
        if earlier.code.name != option.code.name:
            yield ctx.diag("FF217", f"option '{option.code.name}' differs from option '{earlier.code.name}' only in case",
                           option.code.span, "same code in other case", help="give each option its own code",
                           secondary=((earlier.code.span, "first defined here"),))
