"""Swedish time (Europe/Stockholm) and UTC: one rule for clocks that jump.

Instants are stored in UTC (aware datetimes with tzinfo UTC) and compared as instants; Swedish
wall-clock time is for reading and writing only. Two kinds of local times need a rule:

- **Nonexistent** — when summer time starts (last Sunday in March) clocks go from 02:00 to 03:00,
  so 02:00–02:59 does not exist that day. Such a time is an error (FF513 in a file,
  `NonexistentTime` in code), never shifted silently to 03:xx.
- **Ambiguous** — when summer time ends (last Sunday in October) 02:00–02:59 happens twice, first
  at +02:00 (summer time), then at +01:00. Such a time must carry its offset (`+02:00`/`+01:00` in a
  file, `fold=0`/`fold=1` in code); without it, it is an error (FF513, `AmbiguousTime`), never a
  silent pick of one of the two.

Files go through `formflow.inputs.yamlnode.as_datetime_local`, which applies exactly this rule,
and `read_instant` converts its result to UTC. Durations and deadlines are real elapsed time
(UTC arithmetic): a 60-minute slot from 01:30 on the spring-forward night ends at 03:30 local.
Calendar rules (the next day, a horizon of N days) are counted in Swedish calendar dates.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from formflow.inputs.yamlnode import STOCKHOLM, Result, YNode, as_datetime_local
from formflow.source import Source

UTC = timezone.utc
CONTRACT_FORMAT = "%Y%m%d%H%M%S"


class LocalTimeError(ValueError):
    """A Swedish wall-clock time that does not name exactly one instant."""


class NonexistentTime(LocalTimeError):
    pass


class AmbiguousTime(LocalTimeError):
    pass


def require_aware(moment: datetime) -> datetime:
    """Refuse a naive datetime: its instant would depend on the machine's time zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no instant; give it a time zone (UTC or Europe/Stockholm)")
    return moment


def to_utc(moment: datetime) -> datetime:
    return require_aware(moment).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """The instant in Swedish time."""
    return require_aware(moment).astimezone(STOCKHOLM)


def local_date(moment: datetime) -> date:
    """The Swedish calendar date of an instant."""
    return to_local(moment).date()


def is_nonexistent(wall: datetime) -> bool:
    """Whether a naive Swedish wall-clock time falls in the spring-forward gap."""
    first = wall.replace(tzinfo=STOCKHOLM, fold=0)
    return first.astimezone(UTC).astimezone(STOCKHOLM).replace(tzinfo=None) != wall.replace(fold=0)


def is_ambiguous(wall: datetime) -> bool:
    """Whether a naive Swedish wall-clock time occurs twice (the autumn fold)."""
    early = wall.replace(tzinfo=STOCKHOLM, fold=0).utcoffset()
    late = wall.replace(tzinfo=STOCKHOLM, fold=1).utcoffset()
    return not is_nonexistent(wall) and early != late


def from_local(wall: datetime, *, fold: int | None = None) -> datetime:
    """A naive Swedish wall-clock time as a UTC instant, by the rule in the module docstring.

    `fold` must be given (0: the first, summer-time occurrence; 1: the second) exactly when the
    time is ambiguous.
    """
    if wall.tzinfo is not None:
        raise ValueError("from_local takes a naive wall-clock time; use to_utc for an aware one")
    if is_nonexistent(wall):
        raise NonexistentTime(f"{wall:%Y-%m-%d %H:%M} does not exist in Sweden (summer time starts)")
    if is_ambiguous(wall) and fold is None:
        raise AmbiguousTime(f"{wall:%Y-%m-%d %H:%M} occurs twice in Sweden (summer time ends); give fold=0 or 1")
    return wall.replace(tzinfo=STOCKHOLM, fold=fold or 0).astimezone(UTC)


def read_instant(node: YNode, source: Source, *, field: str = "") -> Result:
    """A date-time in a file (Swedish time, or with an offset) as a UTC instant; FF513 otherwise."""
    moment, d = as_datetime_local(node, source, field=field)
    return (None, d) if d else (to_utc(moment), None)


def contract_time(moment: datetime) -> str:
    """Swedish wall-clock time as `YYYYMMDDhhmmss`, the time format of crm:scheduling.

    The format has no offset, so a time in the repeated autumn hour cannot be told apart from its
    twin; `contract.make_booking` refuses those (see `is_ambiguous_instant`).
    """
    return to_local(moment).strftime(CONTRACT_FORMAT)


def is_ambiguous_instant(moment: datetime) -> bool:
    """Whether the Swedish wall-clock time of an instant occurs twice that day."""
    return is_ambiguous(to_local(moment).replace(tzinfo=None))
