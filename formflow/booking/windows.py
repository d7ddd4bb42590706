"""A booking's own window (gate.json `bookings[].window`): which of the slots its booking system
would offer this citizen may be offered now.

The booking system's rules (`booking.slots`: same day or next day, the clinic's horizon and lead
time, the type's bookable period) come first; then the booking's window, in this order, each
refusal with its reason and words that say why:

1. `lead_time` — the slot starts less than `lead_minutes` after now (real elapsed time);
2. `not_today` — `today_only`, and the slot is on another Swedish date than now;
3. `beyond_hours` — `within_hours`, and the slot starts more than that many hours after now
   (real elapsed time: across the night summer time starts, 24 hours end at 11:00 the next day
   for a 10:00 now);
4. `beyond_working_days` — `within_working_days` N, and the slot's Swedish date is after the N-th
   working day after today (region.yaml `working_days`: weekends and Swedish holidays do not count;
   today is not counted, a slot today is within);
5. the date rules, in the order written, each only when its `when` holds:
   `too_early` (`not_before D`: the slot's date is before D), `too_late` (`before D`: on or after D),
   `too_close` (`not_within N days of D`: fewer than N days from D, on either side), and
   `date_unknown` when a rule's date or condition cannot be computed from this walk (refusing is
   the safe side: offering a dose too early is a clinical error).

Dates are Swedish calendar dates; a rule's date is computed once per decision, from the answers,
derived values and verified facts the walk ended with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from formflow.booking.timeutil import local_date, to_local, to_utc
from formflow.booking.working_days import WorkingDays

LEAD_TIME = "lead_time"
NOT_TODAY = "not_today"
BEYOND_HOURS = "beyond_hours"
BEYOND_WORKING_DAYS = "beyond_working_days"
TOO_EARLY = "too_early"
TOO_LATE = "too_late"
TOO_CLOSE = "too_close"
DATE_UNKNOWN = "date_unknown"


@dataclass(frozen=True)
class Refusal:
    reason: str  # one of the module's reasons (or booking.slots'), for counting
    detail: str  # why, in words for staff: the limit and where the author wrote it


@dataclass(frozen=True)
class DateLimit:
    """A date rule as it stands for this walk: its date, or None when it cannot be computed."""

    rule: str
    day: date | None
    days_apart: int | None
    line: int


@dataclass(frozen=True)
class Limits:
    """A booking's window for one citizen at one moment: every bound computed once."""

    now: datetime  # UTC
    lead_minutes: int | None
    today_only: bool
    within_hours: int | None
    last_working_day: date | None
    within_working_days: int | None
    dates: tuple[DateLimit, ...]


def limits(window: dict, working_days: dict | None, env, now: datetime) -> Limits:
    """The window of a gate.json booking, computed for the walk's environment `env` at `now`."""
    from formflow.simulate.expressions import compile_expr
    from formflow.simulate.values import RuntimeFault

    def value(tree):
        try:
            return compile_expr(tree)(env)
        except RuntimeFault:
            return None

    dates = []
    for rule in window["dates"]:
        applies = value(rule["when"]) if "when" in rule else True
        if applies is False:
            continue
        day = value(rule["date"]) if applies is True else None
        dates.append(DateLimit(rule["rule"], day if isinstance(day, date) else None, rule["days_apart"],
                               rule["at"]["line"]))
    n = window["within_working_days"]
    calendar = WorkingDays.from_json(working_days) if working_days else WorkingDays()
    last = calendar.last_day(local_date(now), n) if n else None
    return Limits(to_utc(now), window["lead_minutes"], window["today_only"], window["within_hours"], last, n,
                  tuple(dates))


def window_refusal(start: datetime, lim: Limits) -> Refusal | None:
    """Why a slot starting at `start` (UTC) is outside the window, or None when it is inside."""
    day = local_date(start)
    if lim.lead_minutes and start < lim.now + timedelta(minutes=lim.lead_minutes):
        earliest = to_local(lim.now + timedelta(minutes=lim.lead_minutes))
        return Refusal(LEAD_TIME, f"starts less than {lim.lead_minutes} minutes from now (from {earliest:%H:%M})")
    if lim.today_only and day != local_date(lim.now):
        return Refusal(NOT_TODAY, f"not today ({local_date(lim.now).isoformat()})")
    if lim.within_hours and start > lim.now + timedelta(hours=lim.within_hours):
        latest = to_local(lim.now + timedelta(hours=lim.within_hours))
        return Refusal(BEYOND_HOURS, f"starts more than {lim.within_hours} hours from now "
                                     f"(until {latest:%Y-%m-%d %H:%M})")
    if lim.last_working_day is not None and day > lim.last_working_day:
        return Refusal(BEYOND_WORKING_DAYS, f"after {lim.last_working_day.isoformat()}, the last of "
                                            f"{lim.within_working_days} working days")
    for d in lim.dates:
        why = _date_refusal(day, d)
        if why is not None:
            return why
    return None


def _date_refusal(day: date, d: DateLimit) -> Refusal | None:
    where = f"(window at line {d.line})"
    if d.day is None:
        return Refusal(DATE_UNKNOWN, f"the date of `{d.rule}` cannot be computed from this walk {where}")
    if d.rule == "not_before" and day < d.day:
        return Refusal(TOO_EARLY, f"before {d.day.isoformat()} {where}")
    if d.rule == "before" and day >= d.day:
        return Refusal(TOO_LATE, f"not before {d.day.isoformat()} {where}")
    if d.rule == "not_within" and abs((day - d.day).days) < d.days_apart:
        return Refusal(TOO_CLOSE, f"less than {d.days_apart} days from {d.day.isoformat()} {where}")
    return None


def not_analysed(flow, line_of) -> list[str]:
    """What `formflow prove` says it does not prove about a flow's booking windows and fallbacks.

    Which slots a window lets through depends on the times a booking system has free when the
    citizen books, which no flow says; the analyser proves routes, not slots. Windows are checked
    by `formflow check` (FF741-FF743, FF204 for a date rule reading an answer the route may not
    have), and their verdicts by `gate evaluate` and scenarios."""
    notes = []
    for o in flow.outcomes:
        b = o.booking
        if b is None or (b.window is None and b.fallback is None):
            continue
        what = " and ".join(x for x, present in (("the booking window", b.window is not None),
                                                  (f"the fallback to '{b.fallback.outcome}'" if b.fallback else "",
                                                   b.fallback is not None)) if present)
        notes.append(f"{what} of '{o.id}' (line {line_of(o.span)}): which slots are offered depends on the "
                     "times free when the citizen books; `formflow gate evaluate --slots` and scenarios check it")
    return notes
