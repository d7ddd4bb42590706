"""FF408: a page inside another page."""

from __future__ import annotations

from formflow.check.symbols import walk_statements
from formflow.syntax import ast


def check(ctx):
    for page in walk_statements(ctx.flow.body):
        if isinstance(page, ast.Page):
            for inner in walk_statements(page.body):
                if isinstance(inner, ast.Page):
                    yield ctx.diag("FF408", f"page '{inner.id.name}' is inside page '{page.id.name}'", inner.id.span,
                                   "nested page", help="close the outer page before starting the next one",
                                   secondary=((page.id.span, "outer page"),))
