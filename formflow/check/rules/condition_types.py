"""FF302: an if-condition must be yes/no."""

from __future__ import annotations

from formflow.check.types import article


def check(ctx):
    for expr, t in ctx.semantics.conditions:
        if t.kind not in ("bool", "unknown"):
            help = "compare it with a value, e.g. `temp >= 38`"
            if t.kind == "choice":
                help = "test a choice with `is`, e.g. `pain is severe`"
            elif t.kind == "choices":
                help = "test a multiple choice with `has`, e.g. `symptoms has cough`"
            yield ctx.diag("FF302", f"a condition must be yes/no, and this is {article(t)}", expr.span, article(t), help=help)
