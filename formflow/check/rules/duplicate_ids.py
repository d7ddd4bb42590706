"""FF201: two declarations with one id (flow-wide), or two options with one code in a question."""

from __future__ import annotations

from formflow.syntax import ast

KIND_WORDS = {"question": "a question", "let": "a derived value", "page": "a page", "outcome": "an outcome"}


def check(ctx):
    first = {}
    for sym in ctx.symbols.all:
        earlier = first.setdefault(sym.id, sym)
        if earlier is not sym:
            yield ctx.diag("FF201", f"'{sym.id}' is already {KIND_WORDS[earlier.kind]}", _id_span(sym.node),
                           "defined again here", help="give each question, value, page and outcome its own id",
                           secondary=((_id_span(earlier.node), "first defined here"),))
    for sym in ctx.symbols.all:
        if sym.kind == "question" and sym.node.options:
            yield from _options(ctx, sym.node)


def _options(ctx, question: ast.Question):
    codes = {}
    for option in question.options:
        earlier = codes.setdefault(option.code.name, option)
        if earlier is not option:
            yield ctx.diag("FF201", f"option '{option.code.name}' appears twice in question '{question.id.name}'",
                           option.code.span, "defined again here", help="give each option its own code",
                           secondary=((earlier.code.span, "first defined here"),))


def _id_span(node):
    return node.id.span
