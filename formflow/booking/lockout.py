"""The invitation-code lockout a booking system must run, as pure functions over an explicit record.

Why a record: `formflow gate evaluate` is stateless, but a lockout is not. Everything the booking
system must remember between two attempts — when each wrong code was typed, until when an
invitation category is locked, which codes have been used for a booking — is a `GateState`,
read from and written to a versioned file (`booking.state_file`), so that evaluations can be
chained and the rules tested as a booking system would run them.

The rules (REFERENCE §12b, "Attempts, lockout and single-use codes"):

- A wrong code counts against the personnummer of the subject of care, per invitation category,
  **whether or not a code is registered for that person**: otherwise whoever has no code could
  guess forever. A code is wrong when it matches no registered code of the gate's code routes
  (a used or expired code of the person's own is refused, but is not a guess).
- At most `attempts` wrong codes are counted in any `window_hours`; the one that reaches the limit
  locks the category until `locked_hours` after it, or until the oldest counted attempt leaves the
  window, whichever is later — so the limit holds for every window, however short the lock.
  While locked, no code is compared (even the right one is refused) and nothing is counted.
- A code is single-use: a booking made with it marks it used.

Nothing personal is kept in plain: people are keyed by an HMAC of their personnummer and codes by
an HMAC of the invitation and the normalised code, both with the record's salt. A personnummer
has few enough possible values that the salt does not make the key anonymous: the record is
personal data and is written readable by its owner only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cached_property

DEFAULT_ATTEMPTS = 5
DEFAULT_WINDOW_HOURS = 24
DEFAULT_LOCKED_HOURS = 24


@dataclass(frozen=True)
class LockoutPolicy:
    """The region's lockout (region.yaml `code_lockout:`); the defaults are the safe ones."""

    attempts: int = DEFAULT_ATTEMPTS
    window_hours: int = DEFAULT_WINDOW_HOURS
    locked_hours: int = DEFAULT_LOCKED_HOURS

    @cached_property
    def window(self) -> timedelta:
        return timedelta(hours=self.window_hours)

    @cached_property
    def locked(self) -> timedelta:
        return timedelta(hours=self.locked_hours)

    def as_json(self) -> dict:
        return {"attempts": self.attempts, "window_hours": self.window_hours, "locked_hours": self.locked_hours}


@dataclass(frozen=True)
class Attempts:
    """One person's wrong codes for one invitation category: their times (UTC) and the lock."""

    failed_at: tuple[datetime, ...] = ()
    locked_until: datetime | None = None


@dataclass(frozen=True)
class GateState:
    """What the booking system keeps: attempts per (person key, invitation) and used-code digests."""

    salt: str
    attempts: tuple[tuple[tuple[str, str], Attempts], ...] = ()
    used: frozenset[tuple[str, str]] = frozenset()  # (person key, code digest)

    @classmethod
    def new(cls) -> "GateState":
        import secrets  # here, not at import: region loading imports the policy and must stay quick

        return cls(secrets.token_hex(16))

    def person_key(self, digits12: str) -> str:
        return _mac(self.salt, "person", digits12)

    def code_digest(self, invitation: str, normalised_code: str) -> str:
        return _mac(self.salt, "code", f"{invitation.casefold()}\n{normalised_code}")

    def of(self, person: str, invitation: str) -> Attempts:
        return dict(self.attempts).get((person, invitation.casefold()), Attempts())

    def with_attempts(self, person: str, invitation: str, value: Attempts) -> "GateState":
        table = dict(self.attempts)
        table[(person, invitation.casefold())] = value
        return replace(self, attempts=tuple(sorted(table.items(), key=lambda kv: kv[0])))

    def is_used(self, person: str, digest: str) -> bool:
        return (person, digest) in self.used

    def with_used(self, person: str, digest: str) -> "GateState":
        return replace(self, used=self.used | {(person, digest)})

    def pruned(self, now: datetime, policy: LockoutPolicy) -> "GateState":
        """Without what no longer counts (attempts out of the window, lifted locks): kept data is minimal."""
        kept = {}
        for key, a in self.attempts:
            current = counted(a, now, policy)
            lock = a.locked_until if a.locked_until is not None and a.locked_until > now else None
            if current or lock:
                kept[key] = Attempts(current, lock)
        return replace(self, attempts=tuple(sorted(kept.items(), key=lambda kv: kv[0])))


def _mac(salt: str, kind: str, text: str) -> str:
    import hashlib
    import hmac

    return hmac.new(bytes.fromhex(salt), f"{kind}:{text}".encode("utf-8"), hashlib.sha256).hexdigest()


def counted(a: Attempts, now: datetime, policy: LockoutPolicy) -> tuple[datetime, ...]:
    """The wrong codes that still count at `now`: those of the last `window_hours` — and any written
    with a later time (another server's clock): a record is never loosened by a clock behind it."""
    return tuple(t for t in a.failed_at if now - policy.window < t)


def locked_until(a: Attempts, now: datetime, policy: LockoutPolicy) -> datetime | None:
    """When the category unlocks, if it is locked at `now` (None: it is open)."""
    current = counted(a, now, policy)
    ends = [a.locked_until] if a.locked_until is not None and a.locked_until > now else []
    if len(current) >= policy.attempts:
        ends.append(sorted(current)[-policy.attempts] + policy.window)
    return max(ends) if ends else None


def attempts_left(a: Attempts, now: datetime, policy: LockoutPolicy) -> int:
    if locked_until(a, now, policy) is not None:
        return 0
    return max(0, policy.attempts - len(counted(a, now, policy)))


def record_failure(a: Attempts, now: datetime, policy: LockoutPolicy) -> Attempts:
    """`a` after one more wrong code at `now` (the caller has checked that it is not locked); the
    one that reaches the limit sets the lock."""
    failed = counted(a, now, policy) + (now,)
    lock = a.locked_until if a.locked_until is not None and a.locked_until > now else None
    if len(failed) >= policy.attempts:
        lock = max(now + policy.locked, sorted(failed)[-policy.attempts] + policy.window)
    return Attempts(failed, lock)
