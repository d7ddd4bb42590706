"""The citizen of a walk-through, and the verified facts a flow reads as `citizen.*`.

A citizen file (YAML or JSON) holds what the e-ID login and the region's systems would know:

    personnummer: 19850101-2382     # required: the logged-in person (or a samordningsnummer)
    proxy_for: 20180201-2383        # optional: the child a guardian acts for as ombud
    region: "13"                    # required: two-digit county code of the subject of care
    invitations: [covid-fas2]       # optional: invitation codes of the subject of care
    now: 2024-05-31T09:00           # required: Europe/Stockholm date-time of the run
    name: Test Testsson             # optional: a display name (never printed in diagnostics)
    booking: {...}                  # optional: booking and invitation state (inputs/booking_state.py)

(Both numbers are Skatteverket test personnummer, as every number in fixtures and docs must be.)

Decisions callers rely on:

- `now` is required: age, birth-date checks and booking windows must not depend on the machine's
  clock. Personnummer centuries are inferred relative to `now`'s Swedish date.
- An optional key written without a value (`proxy_for:`) is the same as leaving it out.
- When `proxy_for` is set, the facts are the child's (the subject of care): age, birth date and
  year, and `region` and `invitations` as written in the file are read as the child's.
- The 1177 ombud function is for children under 13, so a `proxy_for` aged 13 or more on the
  Swedish date of `now` is an error (FF515), as is acting as proxy for oneself.
- Invitation codes are normalised (surrounding space removed, casefolded) in the file and in
  `Facts.has_invitation`, so `Covid-Fas2` and `covid-fas2` are one code.
- Age is in completed years on `today` (the Swedish date of `now`). **29 February**: someone born
  on 29 February is a year older on 28 February in a year that is not a leap year (they turn 18
  on 28 February), as Swedish statute time-counting has it (Lag (1930:173) om beräkning av
  lagstadgad tid, 1 §: a period whose day is missing from the final month ends on its last day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from formflow.diagnostics.model import Diagnostic, make
from formflow.inputs.booking_state import BookingState, load_booking_state
from formflow.inputs.personnummer import PersonalNumber, as_personnummer
from formflow.inputs.secrets import masked
from formflow.inputs.yamlnode import (STOCKHOLM, Result, YMap, YNode, as_datetime_local, as_list, as_map,
                                      as_text, check_keys, head, load)
from formflow.source import Source

PROXY_AGE_LIMIT = 13
# Län codes since 1998 (SCB): 01 Stockholm ... 25 Norrbotten; the gaps are merged former counties.
COUNTY_CODES = frozenset({"01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14",
                          "17", "18", "19", "20", "21", "22", "23", "24", "25"})
REQUIRED = ("personnummer", "region", "now")
OPTIONAL = ("proxy_for", "invitations", "name", "booking")


@dataclass(frozen=True, slots=True)
class Citizen:
    person: PersonalNumber
    proxy_for: PersonalNumber | None
    region: str
    invitations: tuple[str, ...]
    now: datetime
    name: str | None = None
    booking: BookingState = BookingState()  # what the booking and invitation systems know (gates)

    @property
    def subject(self) -> PersonalNumber:
        """The subject of care: the child when a guardian acts as proxy."""
        return self.proxy_for or self.person

    def facts(self) -> "Facts":
        return Facts(self.subject.birth_date, self.region, self.proxy_for is not None,
                     frozenset(self.invitations), local_date(self.now))

    def __repr__(self) -> str:  # personal data stays out of logs and test output
        return f"Citizen(region={self.region!r}, is_proxy={self.proxy_for is not None})"


@dataclass(frozen=True, slots=True)
class Facts:
    """What `citizen.*` reads in a flow: the verified facts of the subject of care."""

    birth_date: date
    region: str
    is_proxy: bool
    invitations: frozenset[str]
    today: date

    @property
    def age(self) -> int:
        return age_on(self.birth_date, self.today)

    @property
    def birth_year(self) -> int:
        return self.birth_date.year

    def has_invitation(self, code: str) -> bool:
        return normalise_code(code) in self.invitations

    def __repr__(self) -> str:
        return f"Facts(region={self.region!r}, is_proxy={self.is_proxy}, today={self.today})"


def local_date(moment: datetime) -> date:
    """The Swedish calendar date of an instant."""
    return moment.astimezone(STOCKHOLM).date()


def age_on(birth: date, day: date) -> int:
    """Completed years on `day`. Swedish statute time-counting (Lag (1930:173) om beräkning av
    lagstadgad tid, 1 §) ends a period whose day is missing from the final month on that month's
    last day: someone born on 29 February is a year older on 28 February in other years."""
    birthday = (birth.month, birth.day)
    if birthday == (2, 29) and not _is_leap(day.year):
        birthday = (2, 28)
    return day.year - birth.year - ((day.month, day.day) < birthday)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def normalise_code(code: str) -> str:
    return code.strip().casefold()


# ---------------------------------------------------------------------------------------- loading

def load_citizen_file(path: str | Path) -> tuple[Citizen | None, list[Diagnostic]]:
    source, node, diags = load(path)
    if node is None:
        return None, masked(diags, source)
    return load_citizen(node, source)


def load_citizen(node: YNode, source: Source) -> tuple[Citizen | None, list[Diagnostic]]:
    """A Citizen from a parsed citizen file, or None and every problem found (invitation codes and
    booking ids masked in them: `inputs.secrets`)."""
    citizen, diags = _load_citizen(node, source)
    return citizen, masked(diags, source)


def _load_citizen(node: YNode, source: Source) -> tuple[Citizen | None, list[Diagnostic]]:
    ymap, d = as_map(node, source, field="the citizen")
    if d:
        return None, [d]
    diags = check_keys(ymap, source, REQUIRED, OPTIONAL)
    now = _required(ymap, "now", lambda n: as_datetime_local(n, source, field="'now'"), diags)
    region = _required(ymap, "region", lambda n: as_region_code(n, source, field="'region'"), diags)
    invitations = _optional(ymap, "invitations", lambda n: _invitations(n, source, diags), diags)
    name = _optional(ymap, "name", lambda n: as_text(n, source, field="'name'"), diags)
    booking = _optional(ymap, "booking", lambda n: _booking_state(n, source, diags), diags)
    if now is None:
        return None, sorted(diags, key=Diagnostic.sort_key)
    today = local_date(now)
    person = _required(ymap, "personnummer", lambda n: as_personnummer(n, source, today), diags)
    proxy = _optional(ymap, "proxy_for", lambda n: as_personnummer(n, source, today), diags)
    if person is not None and proxy is not None:
        diags += _check_proxy(ymap, source, person, proxy, today)
    if diags:
        return None, sorted(diags, key=Diagnostic.sort_key)
    return Citizen(person, proxy, region, invitations or (), now, name, booking or BookingState()), []


def _booking_state(node: YNode, source: Source, diags: list[Diagnostic]) -> Result:
    state, problems = load_booking_state(node, source)
    diags.extend(problems)
    return state, None


def _required(ymap: YMap, key: str, convert, diags: list[Diagnostic]):
    """Convert a required key's value; its absence is already reported by check_keys."""
    node = ymap.get(key)
    return None if node is None else _collect(convert(node), diags)


def _optional(ymap: YMap, key: str, convert, diags: list[Diagnostic]):
    node = ymap.get(key)
    if node is None or getattr(node, "is_null", False):
        return None
    return _collect(convert(node), diags)


def _collect(result: Result, diags: list[Diagnostic]):
    value, d = result
    if d is not None:
        diags.append(d)
    return value


def as_region_code(node: YNode, source: Source, *, field: str = "") -> Result:
    """A two-digit Swedish county code, as a text ("06", not 6)."""
    text, d = as_text(node, source, field=field)
    if d:
        return None, d
    if text in COUNTY_CODES:
        return text, None
    hint = ("write the county code with two digits, e.g. \"06\"" if re.fullmatch(r"[0-9]", text) else
            "use the two-digit county code (länskod), e.g. \"13\" for Halland")
    return None, make("FF516", "not a Swedish county code", source, node.span, "not a county code", help=hint)


def _invitations(node: YNode, source: Source, diags: list[Diagnostic]) -> Result:
    """A list of invitation codes, normalised, without duplicates, sorted (deterministic)."""
    seq, d = as_list(node, source, field="'invitations'")
    if d:
        return None, d
    codes = set()
    for item in seq.items:
        text, d = as_text(item, source, field="an invitation code")
        if d:
            diags.append(d)
        elif not normalise_code(text):
            diags.append(make("FF510", "an invitation code cannot be empty", source, head(item), "empty",
                              help="write the code of the invitation, or remove the item"))
        else:
            codes.add(normalise_code(text))
    return tuple(sorted(codes)), None


def _check_proxy(ymap: YMap, source: Source, person: PersonalNumber, child: PersonalNumber,
                 today: date) -> list[Diagnostic]:
    where = ymap.get("proxy_for")
    if child.digits12 == person.digits12:
        return [make("FF515", "a person cannot act as proxy for themselves", source, where.span, "the same person",
                     help="remove proxy_for, or give the child's personnummer")]
    if age_on(child.birth_date, today) >= PROXY_AGE_LIMIT:
        return [make("FF515", f"the child is {PROXY_AGE_LIMIT} or older on the date of 'now'", source, where.span,
                     f"not under {PROXY_AGE_LIMIT}",
                     help="a guardian can act as ombud in 1177 for children under 13; from 13 the child "
                          "logs in with their own e-ID (remove proxy_for and use the child's personnummer)")]
    return []
