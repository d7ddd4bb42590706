"""Which citizens and which days the analyser reasons about: the universe of its proofs.

A proof holds for every citizen and every day in this universe, and the limits are written down
here (and in the reference) rather than implied:

- `today` runs from the latest date written in the flow (a flow is not used before the dates it
  names; never before 2000-01-01) to 2099-12-31;
- the subject of care is born on or after 1890-01-01 (Skatteverket's test personnummer start there)
  and not after `today`;
- a guardian acts as proxy only for a child under 13 (the 1177 ombud function, FF515);
- the region is one of the county codes;
- dates that are computed with in calendar months or years (ages, `add_months`, `± n months`) lie
  in the years 1600–2399, where the leap years are written out below.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_TODAY = dt.date(2000, 1, 1)
LATEST_TODAY = dt.date(2099, 12, 31)
EARLIEST_BIRTH = dt.date(1890, 1, 1)
PROXY_AGE = 13
FIRST_YEAR, LAST_YEAR = 1600, 2399  # the years of the calendar encoding
NOT_LEAP_CENTURIES = (1700, 1800, 1900, 2100, 2200, 2300)  # divisible by 4, yet not leap years
DATE_MIN, DATE_MAX = dt.date.min.toordinal(), dt.date.max.toordinal()  # what a date answer can be


def today_window(latest_literal: dt.date | None) -> tuple[dt.date, dt.date]:
    """The days the flow is analysed on: from its latest written date (or 2000) to the end of 2099."""
    start = max(EARLIEST_TODAY, latest_literal or EARLIEST_TODAY)
    end = LATEST_TODAY if start <= LATEST_TODAY else dt.date(min(start.year + 100, 9999), 12, 31)
    return start, end


def describe(window: tuple[dt.date, dt.date]) -> str:
    """One line for reports: what 'every route' ranges over."""
    start, end = window
    return (f"every citizen born {EARLIEST_BIRTH.isoformat()} or later, every answer the form accepts, "
            f"every day from {start.isoformat()} to {end.isoformat()}")
