"""FF214 unknown outcome kind, FF215 unknown urgency level, FF415 a trigger that can never win."""

from __future__ import annotations

from formflow.check import types as T
from formflow.check.suggest import did_you_mean


REPEATABLE = ("attach_pdf", "flag", "window")  # several pdfs, flags and window rules (booking_windows: each once)


def check(ctx):
    for decl in ctx.flow.outcomes:
        if decl.kind.name not in T.OUTCOME_KINDS:
            yield ctx.diag("FF214", f"'{decl.kind.name}' is not an outcome kind", decl.kind.span, "unknown kind",
                           help=did_you_mean(decl.kind.name, T.OUTCOME_KINDS) or "kinds: " + ", ".join(T.OUTCOME_KINDS))
        seen = set()
        for attr in decl.attrs:
            if attr.key in seen and attr.key not in REPEATABLE:
                yield ctx.diag("FF414", f"`{attr.key}` is given twice", attr.span, "given again", help="keep one")
            seen.add(attr.key)
            if attr.key == "urgency" and attr.value.name not in ctx.urgency_levels:
                yield ctx.diag("FF215", f"'{attr.value.name}' is not an urgency level", attr.value.span, "unknown level",
                               help=did_you_mean(attr.value.name, ctx.urgency_levels)
                               or "levels, most urgent first: " + ", ".join(ctx.urgency_levels))
    yield from _triggers(ctx)


def _triggers(ctx):
    least = ctx.urgency_levels[-1]
    for stmt, sym in ctx.semantics.outcome_refs:
        if type(stmt).__name__ != "Trigger" or sym is None or sym.kind != "outcome":
            continue
        if urgency_of(sym.node, ctx.urgency_levels) == least:
            yield ctx.diag("FF415", f"triggering '{sym.id}' can never change the outcome", stmt.span,
                           f"'{sym.id}' has the lowest urgency ({least})",
                           help=f"use `end {sym.id}`, or give the outcome a higher urgency")


def urgency_of(decl, levels) -> str:
    for attr in decl.attrs:
        if attr.key == "urgency":
            return attr.value.name
    default = T.DEFAULT_URGENCY.get(decl.kind.name)
    return levels[0] if default else levels[-1]
