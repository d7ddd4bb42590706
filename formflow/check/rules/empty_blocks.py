"""FF402: if-branches and pages with nothing in them."""

from __future__ import annotations

from formflow.check.symbols import walk_statements
from formflow.syntax import ast


def check(ctx):
    for stmt in walk_statements(ctx.flow.body):
        if isinstance(stmt, ast.If):
            for branch in stmt.branches:
                if not branch.body:
                    what = "else-block" if branch.condition is None else "if-block"
                    yield ctx.diag("FF402", f"this {what} is empty", branch.span, "nothing inside",
                                   help="add the follow-up questions or an `end`, or remove the block")
        elif isinstance(stmt, ast.Page) and not stmt.body:
            yield ctx.diag("FF402", f"page '{stmt.id.name}' is empty", stmt.span, "nothing inside",
                           help="add its questions, or remove the page")
