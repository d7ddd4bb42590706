"""FF405: some route reaches the end of the flow without `end`."""

from __future__ import annotations


def check(ctx):
    if ctx.semantics.can_fall_through:
        close = ctx.flow.span.end - 1
        from formflow.source import Span

        yield ctx.diag("FF405", f"a route can reach the end of flow '{ctx.flow.id.name}' without an outcome",
                       Span(close, close + 1), "the flow ends here",
                       help="finish the flow with `end <outcome>`; with triggers, the most urgent outcome wins")
