"""Dates for the solver: day numbers, and calendar arithmetic on them, exactly as the simulator does it.

A date is an integer: its proleptic Gregorian ordinal (`date.toordinal()`, 2024-01-01 is 738886),
so `date + 3 days`, `date - date` and comparisons are plain linear arithmetic. Calendar months and
years are not: `add_months`, `today - 3 months`, ages and birth years need the year, month and day
of a date. Those are introduced only for the dates that need them (`parts`), as fresh integers tied
to the day number by

    day number = days before the year + days before the month + day,   1 <= day <= month length

with the leap years of 1600–2399 written out (every fourth year but 1700, 1800, 1900, 2100, 2200,
2300) and each year split as 1600 + 4·q + r, so the solver sees no division at all. Divisions by
4, 100 and 400 made a month query take seconds; this form takes milliseconds.

The rules are those of `formflow.simulate.values` and `formflow.inputs.citizen`:
`add_months` clamps to the end of the month (31 January + 1 month = 28/29 February), an age is
in completed years with a 29 February birthday falling on 28 February in other years (Swedish
statute time-counting, Lag (1930:173) 1 §), and `years_between` counts completed years the same way.
"""

from __future__ import annotations

import datetime as dt

import z3

from formflow.analysis.universe import FIRST_YEAR, LAST_YEAR, NOT_LEAP_CENTURIES

assert FIRST_YEAR % 4 == 0  # so that `rest == 0` is "divisible by 4"

CUMULATIVE = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)  # days before each month, not leap
LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _century_offset() -> int:
    """(y-1)//100 - (y-1)//400 at the first year; it grows by one after each non-leap century."""
    y1 = FIRST_YEAR - 1
    return y1 // 100 - y1 // 400


class Calendar:
    """Calendar parts of day numbers, created on demand; `side` holds their defining constraints."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.side: list = []
        self._parts: dict[int, tuple] = {}
        self._years: dict[int, tuple] = {}
        self._shifts: dict[tuple, tuple] = {}
        self._count = 0

    # ------------------------------------------------------------ building blocks
    def _fresh(self, name: str):
        self._count += 1
        return z3.Int(f"{name}~{self._count}", self.ctx)

    def leap(self, year, rest):
        """Leap year, for years in FIRST_YEAR..LAST_YEAR (`rest`: the year's remainder modulo 4)."""
        return z3.And(rest == 0, *[year != c for c in NOT_LEAP_CENTURIES])

    def days_before_year(self, year, fours, rest):
        """Days before 1 January of `year` = FIRST_YEAR + 4 * fours + rest (0 <= rest < 4)."""
        y1 = FIRST_YEAR - 1
        leap_days = y1 // 4 + fours + z3.If(rest >= 1, 1, 0)  # (year - 1) // 4, without a division
        centuries = _century_offset() + z3.Sum([z3.If(year > c, 1, 0) for c in NOT_LEAP_CENTURIES])
        return 365 * (year - 1) + leap_days - centuries

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
        _, fours, rest = self._years[year.get_id()]
        return self.days_before_year(year, fours, rest) + self.days_before_month(month, leap) + day

    def _year(self, name: str):
        """A fresh year in the encoded range, with its leap flag: year = FIRST_YEAR + 4 * fours + rest."""
        year, fours, rest = self._fresh(name), self._fresh(name + "/4"), self._fresh(name + "%4")
        leap = z3.Bool(f"{name}~leap~{self._count}", self.ctx)
        self.side += [year >= FIRST_YEAR, year <= LAST_YEAR, rest >= 0, rest <= 3, fours >= 0,
                      year == FIRST_YEAR + 4 * fours + rest, leap == self.leap(year, rest)]
        self._years[year.get_id()] = (year, fours, rest)
        return year, leap

    # ------------------------------------------------------------ what expressions use
    def parts(self, day):
        """(year, month, day of month, leap) of a day number, shared by every use of the same term."""
        key = day.get_id()
        found = self._parts.get(key)
        if found is not None:
            return found
        year, leap = self._year("y")
        month, mday = self._fresh("m"), self._fresh("d")
        self.side += [month >= 1, month <= 12, mday >= 1, mday <= self.month_length(month, leap),
                      day == self.ordinal(year, month, mday, leap)]
        self._parts[key] = found = (year, month, mday, leap)
        return found

    def year(self, day):
        return self.parts(day)[0]

    def add_months(self, day, months):
        """`add_months(day, months)`: same day of the month, clamped to the month's last day. The
        same shift of the same day is one term: a flow with a hundred `min today - 12 months` has
        one such date, not a hundred copies that the solver would have to find equal."""
        key = (day.get_id(), months.get_id() if isinstance(months, z3.ExprRef) else ("n", months))
        found = self._shifts.get(key)
        if found is None:
            found = self._shifts[key] = (self._add_months(day, months), day, months)  # the terms kept alive
        return found[0]

    def _add_months(self, day, months):
        year, month, mday, _ = self.parts(day)
        new_year, new_leap = self._year("ny")
        new_month = self._fresh("nm")
        self.side += [new_month >= 1, new_month <= 12,
                      12 * new_year + new_month == 12 * year + month + months]
        length = self.month_length(new_month, new_leap)
        return self.ordinal(new_year, new_month, z3.If(mday <= length, mday, length), new_leap)

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
