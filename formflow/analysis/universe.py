"""Which citizens and which days the analyser reasons about: the universe of its proofs.

A proof holds for every citizen and every day in this universe. The universe is the same for every
flow — it does not depend on the dates a flow happens to mention, so a "not open yet" branch before
a cohort's first date is analysed like any other — and every limit is written down here, printed
by `formflow prove` and listed in the reference (`ASSUMPTIONS`):

- `today` is any day from 1890-01-01 (no citizen is born earlier) to 2399-12-31 (the last year of
  the calendar encoding);
- the subject of care is born on or after 1890-01-01 (Skatteverket's test personnummer start
  there) and not after `today`;
- a guardian acts as proxy only for a child under 13 (the 1177 ombud function, FF515);
- the region is one of the county codes;
- dates that are computed with in calendar months or years (ages, birth years, `add_months`,
  `± n months`) lie in the years 1600–2399, where the leap years are written out below;
- date answers are any date the question's bounds allow, 0001-01-01 to 9999-12-31 (what Python's
  dates, and so the simulator, can hold).
"""

from __future__ import annotations

import datetime as dt

EARLIEST_BIRTH = dt.date(1890, 1, 1)
EARLIEST_TODAY = EARLIEST_BIRTH  # a day before anyone in the universe is born has no citizen
LATEST_TODAY = dt.date(2399, 12, 31)
PROXY_AGE = 13
FIRST_YEAR, LAST_YEAR = 1600, 2399  # the years of the calendar encoding
NOT_LEAP_CENTURIES = (1700, 1800, 1900, 2100, 2200, 2300)  # divisible by 4, yet not leap years
DATE_MIN, DATE_MAX = dt.date.min.toordinal(), dt.date.max.toordinal()  # what a date answer can be

assert LATEST_TODAY.year <= LAST_YEAR  # ages and `today ± n months` need today's calendar parts

ASSUMPTIONS = (
    f"today is any day from {EARLIEST_TODAY.isoformat()} to {LATEST_TODAY.isoformat()}, whatever dates the "
    "flow names",
    f"the citizen (the child, when a guardian acts as proxy) is born on or after {EARLIEST_BIRTH.isoformat()} "
    "and not after today",
    f"a guardian acts as proxy only for a child under {PROXY_AGE} (FF515)",
    "an age is in completed years; a 29 February birthday falls on 1 March in other years",
    "the region is one of the 21 county codes; any set of invitations",
    f"dates computed with calendar months or years (ages, birth years, add_months, ± months/years) lie in "
    f"{FIRST_YEAR}-{LAST_YEAR}",
    "a date answer is any date its question's bounds allow, 0001-01-01 to 9999-12-31; every other answer is one "
    "the form accepts",
)


def today_window() -> tuple[dt.date, dt.date]:
    """The days every flow is analysed on."""
    return EARLIEST_TODAY, LATEST_TODAY


def describe(window: tuple[dt.date, dt.date]) -> str:
    """One line for reports: what 'every route' ranges over."""
    start, end = window
    return (f"every citizen born {EARLIEST_BIRTH.isoformat()} or later, every answer the form accepts, "
            f"every day from {start.isoformat()} to {end.isoformat()}")
