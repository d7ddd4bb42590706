"""Whether an existing booking may still be cancelled or rebooked by the citizen.

The rule (PASiS, seed 002: "fram till 24 timmar innan den bokade tiden infaller"): a booking may be
cancelled while `now` is no later than `cancel_until_hours` hours before the appointment starts.
**Exactly 24 hours before is still allowed**; one second later is not.

Hours are **real elapsed time**, computed on UTC instants, not wall-clock arithmetic. Across the
night summer time starts, 24 hours before Sunday 2021-03-28 12:00 is Saturday 11:00 Swedish time
(the night had 23 hours); across the night it ends, 24 hours before Sunday 2021-10-31 12:00 is
Saturday 13:00 (the night had 25 hours). Wall-clock arithmetic ("the same time yesterday")
would give the citizen an hour more or less than the 24 hours the rule promises the clinic.

A limit of 0 hours means until the appointment starts. `deadline` is the last instant (UTC)
at which cancelling is allowed; `to_local(deadline)` is what a citizen is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from formflow.booking.timeutil import to_utc
from formflow.region.model import BookingSystemRules


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    deadline: datetime  # UTC: the last instant the change is allowed


def deadline(start: datetime, hours: int) -> datetime:
    """The last instant (UTC) `hours` of real elapsed time before `start`."""
    return to_utc(start) - timedelta(hours=hours)


def _decide(start: datetime, now: datetime, hours: int) -> Decision:
    last = deadline(start, hours)
    return Decision(to_utc(now) <= last, last)


def may_cancel(start: datetime, now: datetime, rules: BookingSystemRules) -> Decision:
    """May a booking starting at `start` be cancelled at `now` (both aware instants)?"""
    return _decide(start, now, rules.cancel_until_hours)


def may_rebook(start: datetime, now: datetime, rules: BookingSystemRules) -> Decision:
    """May a booking starting at `start` be moved at `now`? (The new time must itself be offered:
    see `formflow.booking.slots`.)"""
    return _decide(start, now, rules.rebook_until_hours)
