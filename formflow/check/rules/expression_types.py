"""Type errors found while typing expressions: FF301, FF303, FF306, FF307, FF207, FF210, FF211, FF202."""

from __future__ import annotations


def check(ctx):
    for p in ctx.semantics.problems:
        yield ctx.diag(p.code, p.message, p.span, p.label, help=p.help)
