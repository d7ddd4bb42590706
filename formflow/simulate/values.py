"""Runtime values and the arithmetic the language defines on them.

Values are plain Python objects so that a walk-through is fast: yes/no is `bool`, a single choice
its option code (`str`), a multiple choice a `frozenset` of codes, whole numbers `int`, numbers
`Decimal` (exact, as the reference promises: `0.1 + 0.2 == 0.3`), text `str`, dates
`datetime.date`, durations `(amount, unit)`, an attachment its file name.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal

# 34 significant digits: far beyond the 15 digits a literal may have, so that a chain of
# divisions in a derived value (BMI: weight / (height/100)^2) rounds only where round() says.
DECIMAL = Context(prec=34)


class RuntimeFault(Exception):
    """Evaluating the compiled form failed on a route: a bug in the form or in formflow.

    The checker rules these out (an answer read where it may be missing, a type mix-up); the
    simulator still reports them as diagnostics rather than crashing, and `explore` hunts for them.
    """


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months, clamped to the end of the month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise RuntimeFault("a date went outside the years 1–9999")
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_duration(day: dt.date, amount: int, unit: str, sign: int = 1) -> dt.date:
    amount *= sign
    try:
        if unit == "days":
            return day + dt.timedelta(days=amount)
        if unit == "weeks":
            return day + dt.timedelta(weeks=amount)
    except OverflowError as exc:
        raise RuntimeFault("a date went outside the years 1–9999") from exc
    if unit == "months":
        return add_months(day, amount)
    if unit == "years":
        return add_months(day, 12 * amount)
    raise RuntimeFault(f"unknown duration unit {unit!r}")


def years_between(start: dt.date, end: dt.date) -> int:
    """Completed years from `start` to `end` (negative when `end` is earlier). As for ages (Lag
    (1930:173) 1 §), a year from 29 February is complete on 28 February when the year has no 29th:
    the same date `add_months(start, 12)` gives."""
    if end < start:
        return -years_between(end, start)
    anniversary = (start.month, start.day)
    if anniversary == (2, 29) and not calendar.isleap(end.year):
        anniversary = (2, 28)
    years = end.year - start.year
    if (end.month, end.day) < anniversary:
        years -= 1
    return years


def round_half_up(value, digits: int):
    """round() of the language: halves away from zero, an int when `digits` is 0."""
    exact = value if isinstance(value, Decimal) else Decimal(value)
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=DECIMAL)
    return int(rounded) if digits == 0 else rounded


def divide(a, b) -> Decimal:
    if b == 0:
        raise RuntimeFault("division by zero")
    return DECIMAL.divide(Decimal(a), Decimal(b))


def number(text: str):
    """A number literal from the compiled form: exact decimal text."""
    return int(text) if text.lstrip("-").isdigit() else Decimal(text)


def show(value) -> str:
    """A value as the transcript and diagnostics print it (Swedish-neutral, unambiguous)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(value)) + "]"
    if isinstance(value, tuple):
        return f"{value[0]} {value[1]}"
    if isinstance(value, Decimal):
        return format(value, "f")  # as computed: round(x, 1) of 40 prints 40.0
    return str(value)


def to_json(value):
    """A value as JSON data: numbers as exact decimal strings, like the compiled form."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, (int, Decimal, dt.date)):
        return show(value)
    if isinstance(value, tuple):
        return {"amount": value[0], "unit": value[1]}
    return value
