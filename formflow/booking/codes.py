"""The code a citizen typed, held against every invitation category of a gate's code routes.

Why per gate and not per route: the citizen types one code into one field. It is a *guess* only
when it matches no registered code of the gate's categories; then it counts against every
category whose route was tried (so the person who has no code at all locks like anyone else).
A code that matches the person's own code is never a guess, even where its route's condition
does not hold or the code is used or expired: those are refused with their own reason.
Locked categories are not compared at all, so a locked person learns nothing from a guess.
The rules and the record are `booking.lockout`; the comparison is `booking.evidence.same_code`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from formflow.booking import lockout as L
from formflow.booking.evidence import normalise_code, same_code
from formflow.booking.timeutil import to_local

LOCKED, NEEDS_CODE, UNREGISTERED, VALID, USED, EXPIRED, WRONG, OTHERS = (
    "locked", "needs_code", "unregistered", "valid", "used", "expired", "wrong", "others")


@dataclass(frozen=True)
class CodeStatus:
    """What the typed code is for one invitation category, after this evaluation."""

    invitation: str
    kind: str
    attempts_left: int | None = None  # known when the category was locked or a wrong code counted
    locked_until: datetime | None = None  # UTC
    valid_until: date | None = None

    def reason(self) -> str:
        """In words for staff (English, like every reason of a decision)."""
        inv = f"invitation '{self.invitation}'"
        if self.kind == LOCKED:
            return (f"locked until {_local(self.locked_until)} after too many wrong codes for {inv}: "
                    "the citizen can try again then, or call to book")
        if self.kind == NEEDS_CODE:
            return f"needs the code from {inv} (letter or SMS)"
        if self.kind == UNREGISTERED:
            return f"no code for {inv} is registered for this personnummer"
        if self.kind == USED:
            return f"the code for {inv} has already been used for a booking"
        if self.kind == EXPIRED:
            return f"the code for {inv} expired after {self.valid_until.isoformat()}"
        if self.kind == OTHERS:
            return f"the code typed is the citizen's code of another invitation, not of {inv} (no guess)"
        if self.attempts_left == 0:
            return f"wrong code for {inv}; locked until {_local(self.locked_until)}"
        left = self.attempts_left
        return f"wrong code for {inv}, {left} attempt{'s' if left != 1 else ''} left"


def _local(moment: datetime | None) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment is not None else "?"


@dataclass(frozen=True)
class Round:
    """The statuses of every code category of a gate before counting, and who is guessing."""

    statuses: dict  # invitation -> CodeStatus
    typed: str | None  # the normalised code, None when nothing (or only separators) was typed
    person: str
    guess: bool  # a code was typed and it matches no registered code of an open category


def assess(invitations: list[str], booking_state, typed: str | None, state: L.GateState, policy_for,
           person: str, now: datetime, today: date) -> Round:
    """Each category's status for the typed code (nothing is counted here)."""
    entered = normalise_code(typed) if typed is not None else ""
    out, matched = {}, False
    for inv in invitations:
        policy = policy_for(inv)
        record = state.of(person, inv)
        until = L.locked_until(record, now, policy)
        issued = booking_state.code_for(inv)
        if until is not None:
            out[inv] = CodeStatus(inv, LOCKED, 0, until)
        elif not entered:
            out[inv] = CodeStatus(inv, NEEDS_CODE if issued is not None else UNREGISTERED)
        elif issued is not None and same_code(entered, issued.code):
            matched = True
            if state.is_used(person, state.code_digest(inv, entered)):
                out[inv] = CodeStatus(inv, USED)
            elif issued.valid_until is not None and today > issued.valid_until:
                out[inv] = CodeStatus(inv, EXPIRED, valid_until=issued.valid_until)
            else:
                out[inv] = CodeStatus(inv, VALID)
        else:
            out[inv] = CodeStatus(inv, WRONG)
    return Round(out, entered or None, person, bool(entered) and not matched)


def count(rnd: Round, tried: list[str], state: L.GateState, policy_for, now: datetime) -> tuple[Round, L.GateState]:
    """A guess counts against every tried category that is open; the statuses say what is left."""
    if not rnd.guess:  # the person's own code of some category: elsewhere it is simply not that code
        others = {inv: CodeStatus(inv, OTHERS) if s.kind == WRONG else s for inv, s in rnd.statuses.items()}
        return Round(others, rnd.typed, rnd.person, rnd.guess), state
    statuses = dict(rnd.statuses)
    for inv in dict.fromkeys(tried):
        if statuses[inv].kind != WRONG:
            continue
        policy = policy_for(inv)
        record = L.record_failure(state.of(rnd.person, inv), now, policy)
        state = state.with_attempts(rnd.person, inv, record)
        statuses[inv] = CodeStatus(inv, WRONG, L.attempts_left(record, now, policy),
                                   L.locked_until(record, now, policy))
    return Round(statuses, rnd.typed, rnd.person, rnd.guess), state


def for_citizen(statuses: list[CodeStatus]) -> CodeStatus | None:
    """The one status the citizen is told about, of the tried categories: their own code refused
    (used, expired) first, then a lock, then a wrong code with the fewest attempts left."""
    for kinds in ((USED, EXPIRED), (LOCKED,)):
        hit = next((s for s in statuses if s.kind in kinds), None)
        if hit is not None:
            return hit
    wrong = [s for s in statuses if s.kind == WRONG and s.attempts_left is not None]
    if not wrong:
        return None
    least = min(wrong, key=lambda s: s.attempts_left)
    return least
