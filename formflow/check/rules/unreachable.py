"""FF404: statements after an `end` in the same block can never run."""

from __future__ import annotations


def check(ctx):
    for stmt in ctx.semantics.unreachable:
        yield ctx.diag("FF404", "this can never be reached", stmt.span, "after an `end` in the same block",
                       help="move it above the `end`, or remove it")
