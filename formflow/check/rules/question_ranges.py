"""FF305 a bound of the wrong kind, FF306 an invalid date bound, FF401 min greater than max."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from formflow.check.semantics import valid_date

APPROX_DAYS = {"days": 1, "weeks": 7, "months": 30.44, "years": 365.25}


def check(ctx):
    for sym in ctx.symbols.all:
        if sym.kind != "question" or sym.node.type.name not in ("integer", "decimal", "date"):
            continue
        q = sym.node
        bounds = {a.key: a for a in q.attrs if a.key in ("min", "max")}
        ok = True
        for attr in bounds.values():
            problem = _kind_problem(ctx, q.type.name, attr)
            if problem is not None:
                ok = False
                yield problem
        if ok and len(bounds) == 2 and _greater(bounds["min"].value, bounds["max"].value):
            yield ctx.diag("FF401", f"the range of '{q.id.name}' is empty: min is greater than max", bounds["min"].span,
                           "min", help="swap min and max, or correct one of them",
                           secondary=((bounds["max"].span, "max"),))


def _kind_problem(ctx, qtype, attr):
    bound = attr.value
    if qtype == "date":
        if bound.kind == "number":
            return ctx.diag("FF305", "a date question is bounded by dates", bound.span, "a number",
                            help="write a date (2021-01-01) or `today`, `today - 12 months`")
        if bound.kind == "date" and not valid_date(bound.raw):
            return ctx.diag("FF306", f"{bound.raw} is not a date", bound.span, "no such day",
                            help="dates are written YYYY-MM-DD and must exist")
        return None
    if bound.kind != "number":
        return ctx.diag("FF305", f"a{'n' if qtype == 'integer' else ''} {qtype} question is bounded by numbers",
                        bound.span, "not a number", help="write a number, e.g. min 0 max 120")
    if qtype == "integer" and "." in bound.raw:
        return ctx.diag("FF305", "an integer question is bounded by whole numbers", bound.span, "not a whole number",
                        help="round the bound, or make the question `decimal`")
    return None


def _greater(low, high) -> bool:
    if low.kind == "number" and high.kind == "number":
        return Decimal(low.raw) > Decimal(high.raw)
    if low.kind == "date" and high.kind == "date":
        return dt.date.fromisoformat(low.raw) > dt.date.fromisoformat(high.raw)
    if low.kind == "today" and high.kind == "today":
        return low.amount * APPROX_DAYS.get(low.unit, 0) > high.amount * APPROX_DAYS.get(high.unit, 0)
    return False
