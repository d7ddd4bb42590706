"""FF305 a bound of the wrong kind, FF306 an invalid date bound, FF401 min greater than max."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from formflow.check.semantics import valid_date



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
        return _offset_greater(low, high)
    return False


def _offset_greater(low, high) -> bool:
    """today + a > today + b: exact within calendar units (months, years) and within day units
    (days, weeks); across the two only when it holds for every month length."""
    months = {"months": 1, "years": 12}
    days = {"days": 1, "weeks": 7, "": 0}  # plain `today` has no unit
    if low.unit in months and high.unit in months:
        return low.amount * months[low.unit] > high.amount * months[high.unit]
    if low.unit in days and high.unit in days:
        return low.amount * days[low.unit] > high.amount * days[high.unit]
    return _day_range(low)[0] > _day_range(high)[1]


def _day_range(bound) -> tuple[int, int]:
    """The fewest and most days `today + amount unit` can be away from today."""
    short, long_ = {"": (0, 0), "days": (1, 1), "weeks": (7, 7), "months": (28, 31), "years": (365, 366)}[bound.unit]
    a, b = bound.amount * short, bound.amount * long_
    return min(a, b), max(a, b)
