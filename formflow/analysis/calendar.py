"""Dates for the solver: day numbers, and calendar arithmetic on them, exactly as the simulator does it.

A date is an integer: its proleptic Gregorian ordinal (`date.toordinal()`, 2024-01-01 is 738886),
so `date + 3 days`, `date - date` and comparisons are plain linear arithmetic. Calendar months and
years are not: `add_months`, `today - 3 months`, ages and birth years need the year, month and day
of a date. Those are introduced only for the dates that need them (`parts`), as fresh integers tied
to the day number by

    day number = days before the year + days before the month + day,   1 <= day <= month length

for every year the simulator has, 1 to 9999. Each year is written as base + 4·fours + rest
(base divisible by 4, 0 <= rest <= 3) and the centuries that are not leap years (1700, 1800,
1900, 2100, ...) are listed, only those within the years the date can have: `today` and birth
dates lie in 1890–2399, a date answer within its bounds, a computed date near the date it is
computed from (`years`). So the solver sees no division at all: divisions by 4, 100 and 400
made a month query take seconds; this form takes milliseconds. A date answer without bounds,
read in months or years, lists the centuries of all 9999 years and is slower, but exact.

Arithmetic that leaves the years 1-9999 is a fault in the simulator ("a date went outside the
years 1–9999"); here each such operation returns, with its value, the condition that it stays
inside (`Shifted.ok`), which the encoder turns into a fault goal like a division by zero. The
parts of a computed day are defined only while it is inside the calendar, so a day that leaves it
on some route does not make every other route impossible.

The rules are those of `formflow.simulate.values` and `formflow.inputs.citizen`:
`add_months` clamps to the end of the month (31 January + 1 month = 28/29 February), an age is
in completed years with a 29 February birthday falling on 28 February in other years (Swedish
statute time-counting, Lag (1930:173) 1 §), and `years_between` counts completed years the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import z3

from formflow.analysis.universe import DATE_MAX, DATE_MIN, FIRST_YEAR, LAST_YEAR

CUMULATIVE = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)  # days before each month, not leap
LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class Shifted:
    """A day moved by calendar arithmetic: its day number, and when the move stays in the calendar."""

    value: object
    ok: object  # z3 Bool (True when it cannot leave the calendar)


def inside(day):
    """The day number is a date the simulator has (0001-01-01 to 9999-12-31)."""
    return z3.And(day >= DATE_MIN, day <= DATE_MAX)


def _constant(term) -> int | None:
    """A whole number written in the flow (a Python int, or a z3 numeral), else None."""
    if isinstance(term, int):
        return term
    simple = z3.simplify(term)
    return simple.as_long() if z3.is_int_value(simple) else None


def not_leap_centuries(first: int, last: int) -> list[int]:
    """Years from `first` to `last` divisible by 100 but not by 400."""
    return [c for c in range((first + 99) // 100 * 100, last + 1, 100) if c % 400]


class Calendar:
    """Calendar parts of day numbers, created on demand; `side` holds their defining constraints."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.side: list = []
        self._parts: dict[int, tuple] = {}
        self._years: dict[int, tuple] = {}
        self._shifts: dict[tuple, tuple] = {}
        self.years: dict[int, tuple[int, int]] = {}  # id of a day term -> the years it can have
        self._count = 0

    def bound(self, day, first: int, last: int):
        """Record that the day term lies in the years `first`..`last` (within 1-9999); returns it."""
        self.years[day.get_id()] = (max(FIRST_YEAR, first), min(LAST_YEAR, last))
        return day

    def years_of(self, day) -> tuple[int, int]:
        if z3.is_int_value(day):
            year = dt.date.fromordinal(min(max(day.as_long(), DATE_MIN), DATE_MAX)).year
            return year, year
        return self.years.get(day.get_id(), (FIRST_YEAR, LAST_YEAR))

    # ------------------------------------------------------------ building blocks
    def _fresh(self, name: str):
        self._count += 1
        return z3.Int(f"{name}~{self._count}", self.ctx)

    def days_before_year(self, year):
        """Days before 1 January of `year` = base + 4 * fours + rest: (year - 1) // 4 and the
        non-leap centuries before it, without a division."""
        _, base, fours, rest, centuries = self._years[year.get_id()]
        leap_days = (base - 1) // 4 + fours + z3.If(rest >= 1, 1, 0)  # (year - 1) // 4, base % 4 == 0
        before = len(not_leap_centuries(1, base - 1))  # non-leap centuries before the base year
        skipped = before + z3.Sum([z3.If(year > c, 1, 0) for c in centuries]) if centuries else before
        return 365 * (year - 1) + leap_days - skipped

    @staticmethod
    def days_before_month(month, leap):
        chain = z3.IntVal(CUMULATIVE[11], month.ctx)
        for i in range(10, -1, -1):
            chain = z3.If(month == i + 1, CUMULATIVE[i], chain)
        return chain + z3.If(z3.And(month > 2, leap), 1, 0)

    @staticmethod
    def month_length(month, leap):
        chain = z3.IntVal(31, month.ctx)
        for i in range(11, -1, -1):
            length = z3.If(leap, 29, 28) if i == 1 else z3.IntVal(LENGTHS[i], month.ctx)
            chain = z3.If(month == i + 1, length, chain)
        return chain

    def ordinal(self, year, month, day, leap):
        return self.days_before_year(year) + self.days_before_month(month, leap) + day

    def _year(self, name: str, first: int, last: int) -> tuple[object, object, list]:
        """A fresh year in `first`..`last` with its leap flag, and the constraints that define them."""
        base = first - first % 4
        centuries = not_leap_centuries(base, last)
        year, fours, rest = self._fresh(name), self._fresh(name + "/4"), self._fresh(name + "%4")
        leap = z3.Bool(f"{name}~leap~{self._count}", self.ctx)
        defs = [year >= first, year <= last, rest >= 0, rest <= 3, fours >= 0, year == base + 4 * fours + rest,
                leap == z3.And(rest == 0, *[year != c for c in centuries])]
        self._years[year.get_id()] = (year, base, fours, rest, centuries)
        return year, leap, defs

    def _define(self, condition, defs: list) -> None:
        """Side constraints that hold where `condition` does (None: always)."""
        self.side.append(z3.And(defs) if condition is None else z3.Implies(condition, z3.And(defs)))

    # ------------------------------------------------------------ what expressions use
    def parts(self, day):
        """(year, month, day of month, leap) of a day number, shared by every use of the same term.
        A variable (today, a birth date, a date answer) is always a date; a computed day has parts
        only while it is one."""
        key = day.get_id()
        found = self._parts.get(key)
        if found is not None:
            return found
        year, leap, defs = self._year("y", *self.years_of(day))
        month, mday = self._fresh("m"), self._fresh("d")
        defs += [month >= 1, month <= 12, mday >= 1, mday <= self.month_length(month, leap),
                 day == self.ordinal(year, month, mday, leap)]
        self._define(None if z3.is_const(day) else inside(day), defs)
        self._parts[key] = found = (year, month, mday, leap)
        return found

    def year(self, day):
        return self.parts(day)[0]

    def add_months(self, day, months) -> Shifted:
        """`add_months(day, months)`: same day of the month, clamped to the month's last day; it
        leaves the calendar when the new month is before January 1 or after December 9999. The
        same shift of the same day is one term: a flow with a hundred `min today - 12 months` has
        one such date, not a hundred copies that the solver would have to find equal."""
        key = (day.get_id(), months.get_id() if isinstance(months, z3.ExprRef) else ("n", months))
        found = self._shifts.get(key)
        if found is None:
            found = self._shifts[key] = (self._add_months(day, months), day, months)  # the terms kept alive
        return found[0]

    def _add_months(self, day, months) -> Shifted:
        year, month, mday, _ = self.parts(day)
        index = 12 * year + (month - 1) + months  # as simulate.values.add_months
        ok = z3.And(inside(day), index >= 12 * FIRST_YEAR, index <= 12 * LAST_YEAR + 11)
        first, last = self.years_of(day)
        shift = _constant(months)
        if shift is not None:
            first, last = first + (shift - 11) // 12, last + (shift + 11) // 12  # whole years either way
        else:
            first, last = FIRST_YEAR, LAST_YEAR
        new_year, new_leap, defs = self._year("ny", max(first, FIRST_YEAR), min(last, LAST_YEAR))
        new_month = self._fresh("nm")
        defs += [new_month >= 1, new_month <= 12, 12 * new_year + (new_month - 1) == index]
        self._define(ok, defs)
        length = self.month_length(new_month, new_leap)
        moved = self.ordinal(new_year, new_month, z3.If(mday <= length, mday, length), new_leap)
        return Shifted(self.bound(moved, first, last), ok)

    def add_days(self, day, days) -> Shifted:
        moved = day + days
        first, last = self.years_of(day)
        if _constant(days) is not None:
            years = abs(_constant(days)) // 365 + 1
            first, last = first - years, last + years
        else:
            first, last = FIRST_YEAR, LAST_YEAR
        return Shifted(self.bound(moved, first, last), inside(moved))

    def age(self, birth, today):
        """Completed years on `today`; a 29 February birthday is on 28 February in other years."""
        return self._completed(birth, today)

    def years_between(self, start, end):
        """Completed years from `start` to `end`, negative when `end` is earlier."""
        return z3.If(end < start, -self._completed(end, start), self._completed(start, end))

    def _completed(self, start, end):
        sy, sm, sd, _ = self.parts(start)
        ey, em, ed, eleap = self.parts(end)
        mday = z3.If(z3.And(sm == 2, sd == 29, z3.Not(eleap)), 28, sd)  # Lag (1930:173) 1 §
        return ey - sy - z3.If(z3.Or(em < sm, z3.And(em == sm, ed < mday)), 1, 0)


def day_number(day: dt.date) -> int:
    return day.toordinal()


def from_day_number(number: int) -> dt.date:
    return dt.date.fromordinal(number)
