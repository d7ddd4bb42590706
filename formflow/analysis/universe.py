"""Which citizens and which days the analyser reasons about: the universe of its proofs.

A proof holds for every citizen and every day in this universe. The universe is the same for every
flow — it does not depend on the dates a flow happens to mention, so a "not open yet" branch before
a cohort's first date is analysed like any other — and every limit is written down here, printed
by `formflow prove` and listed in the reference (`ASSUMPTIONS`):

- `today` is any day from 2000-01-01 to 2399-12-31 — the same days for every flow, whatever
  dates it names. No e-service of 1177 ran before 2000, and a flow asking for a birth date
  `min 1900-01-01 max today` should not be warned about the 1890s; nor is a service run four
  centuries from now, where `today + n` would leave the calendar;
- the subject of care is born on or after 1890-01-01 (Skatteverket's test personnummer start
  there) and not after `today`;
- a guardian acts as proxy only for a child under 13 (the 1177 ombud function, FF515);
- the region is one of the county codes;
- date answers are any date the question's bounds allow, 0001-01-01 to 9999-12-31 (what Python's
  dates, and so the simulator, can hold).
"""

from __future__ import annotations

import datetime as dt

EARLIEST_BIRTH = dt.date(1890, 1, 1)
EARLIEST_TODAY = dt.date(2000, 1, 1)
LATEST_TODAY = dt.date(2399, 12, 31)
PROXY_AGE = 13
FIRST_YEAR, LAST_YEAR = 1, 9999  # the years of the calendar: Python's, so the simulator's
DATE_MIN, DATE_MAX = dt.date.min.toordinal(), dt.date.max.toordinal()  # what a date answer can be

assert LATEST_TODAY.year <= LAST_YEAR  # ages and `today ± n months` need today's calendar parts

ASSUMPTIONS = (
    f"today is any day from {EARLIEST_TODAY.isoformat()} to {LATEST_TODAY.isoformat()}, whatever dates the "
    "flow names",
    f"the citizen (the child, when a guardian acts as proxy) is born on or after {EARLIEST_BIRTH.isoformat()} "
    "and not after today",
    f"a guardian acts as proxy only for a child under {PROXY_AGE} (FF515)",
    "an age is in completed years; a 29 February birthday falls on 28 February in other years (Lag (1930:173) 1 §)",
    "the region is one of the 21 county codes; any set of invitations",
    "a date answer is any date its question's bounds allow, 0001-01-01 to 9999-12-31; every other answer is one "
    "the form accepts; date arithmetic that leaves those years is a fault on that route (FF814)",
    "arithmetic is exact, except that the simulator rounds a division by a value to 34 significant digits: "
    "an example that depends on the digits beyond is undecided, with that reason",
)


def today_window() -> tuple[dt.date, dt.date]:
    """The days every flow is analysed on."""
    return EARLIEST_TODAY, LATEST_TODAY


def describe(window: tuple[dt.date, dt.date]) -> str:
    """One line for reports: what 'every route' ranges over."""
    start, end = window
    return (f"every citizen born {EARLIEST_BIRTH.isoformat()} or later, every answer the form accepts, "
            f"every day from {start.isoformat()} to {end.isoformat()}")
