"""Which Swedish calendar days are working days, for windows such as "within three working days".

A region says once, in region.yaml (`working_days:`, dsl/REGION.md), which days its clinics count:
the weekdays they work and the holidays they close on. The holidays come from the maintained
`holidays` package (a country code and its categories: `public` for Sweden's public holidays —
Easter, Första maj, Kristi himmelsfärd, Midsommardagen, ... — and `de_facto` for the eves that are
not public holidays but on which clinics close: Midsommarafton, Julafton, Nyårsafton), so Easter
and Midsummer move with the year without anyone typing dates. Dates the region closes on for its
own reasons are listed as `closed`.

The package is imported only when a day is looked up (it takes ~80 ms to import).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SWEDISH_WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
CATEGORIES = ("public", "de_facto", "bank", "optional")
MAX_WORKING_DAYS = 60  # the longest "within N working days" a window may say (about three months)
DEFAULT_COUNTRY, DEFAULT_CATEGORIES = "SE", ("public", "de_facto")


@dataclass(frozen=True, slots=True)
class WorkingDays:
    """A region's working days: `weekdays` it works, minus the holidays of `country` in
    `categories`, minus its own `closed` dates."""

    country: str = DEFAULT_COUNTRY
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    weekdays: tuple[str, ...] = WEEKDAYS[:5]
    closed: tuple[date, ...] = ()

    def closed_because(self, day: date) -> str | None:
        """Why `day` is not a working day (a weekday name, a holiday's Swedish name, 'closed'), or None."""
        if WEEKDAYS[day.weekday()] not in self.weekdays:
            return SWEDISH_WEEKDAYS[day.weekday()]
        name = _holidays(self.country, self.categories, day.year).get(day)
        if name is not None:
            return name
        return "stängt" if day in self.closed else None

    def is_working(self, day: date) -> bool:
        return self.closed_because(day) is None

    def last_day(self, today: date, n: int) -> date:
        """The n-th working day after `today` (today itself is not counted): the last day of a
        window of n working days. n must be 1 to MAX_WORKING_DAYS."""
        if not 1 <= n <= MAX_WORKING_DAYS:
            raise ValueError(f"a window of working days is 1 to {MAX_WORKING_DAYS} days")
        day, counted = today, 0
        while counted < n:  # ends: at least one weekday works, and a year has finitely many holidays
            day += timedelta(days=1)
            counted += self.is_working(day)
        return day

    def as_json(self) -> dict:
        return {"holidays": self.country, "categories": list(self.categories), "weekdays": list(self.weekdays),
                "closed": [d.isoformat() for d in self.closed]}

    @classmethod
    def from_json(cls, data: dict) -> "WorkingDays":
        return cls(data["holidays"], tuple(data["categories"]), tuple(data["weekdays"]),
                   tuple(date.fromisoformat(d) for d in data["closed"]))


def holiday_problem(country: str, categories: tuple[str, ...]) -> str | None:
    """Why the `holidays` package has no such holiday set (None: it has it)."""
    import holidays

    try:  # not list_supported_countries(): it imports every country's module (~0.4 s)
        calendar = holidays.country_holidays(country)
    except NotImplementedError:
        return f"the holidays package has no country '{country}'"
    supported = getattr(calendar, "supported_categories", ("public",))
    wrong = [c for c in categories if c not in supported]
    if wrong:
        return f"'{wrong[0]}' is not a holiday category of {country}; it has: {', '.join(sorted(supported))}"
    return None


@lru_cache(maxsize=64)
def _holidays(country: str, categories: tuple[str, ...], year: int) -> dict[date, str]:
    import holidays

    found = holidays.country_holidays(country, years=year, categories=categories,
                                      language="sv" if country == "SE" else None)
    return dict(found.items())
