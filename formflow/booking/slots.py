"""Which slots a booking system offers a citizen at a given moment.

A slots fixture (YAML) lists free times as a booking system would return them:

    slots:
      - clinic: vc_hyltebruk
        appointment_type: covid_vaccination
        start: 2021-03-29T09:00          # Swedish time; 07:00Z (summer time began the day before)
        duration_minutes: 5              # or `end: 2021-03-29T09:05`; neither: the type's duration
      - {clinic: vc_laholm, appointment_type: visit, start: 2021-10-31T02:30+01:00, id: b7}

Times follow `timeutil`'s rule (a nonexistent local time is FF513; an ambiguous one needs its
offset). Instants are kept in UTC; a duration is real elapsed time.

A slot is offered at `now` (an aware instant) unless, checked in this order:

1. `booked` — it is already taken;
2. `past` — it starts at or before `now` (a slot starting this very second cannot be reached);
   `lead_time` — it starts less than the clinic's lead time after `now` (`lead_minutes` of the
   clinic, or of its booking system; real elapsed time);
3. `before_earliest_booking` — the booking system books from the next day (`next_day`, PASiS)
   and the slot is on today's Swedish date; with `same_day` (PMO) later today is fine;
4. `beyond_horizon` — its Swedish date is more than `horizon_days` calendar days after today's
   (the clinic's own horizon, else its booking system's, or the caller's override): with a horizon of 42 days, a slot on
   today + 42 at 23:59 is offered and one on today + 43 at 00:00 is not, whatever the clocks did
   in between;
5. `outside_bookable_period` — its Swedish date is outside the appointment type's
   `bookable_from`/`bookable_until`;
6. `ambiguous_local_time` — it starts or ends in the hour that occurs twice when summer time ends
   (02:00–02:59 on the last Sunday of October): MakeBooking writes local `YYYYMMDDhhmmss` with no
   offset, so the booking system could not tell which 02:30 was booked;
7. `protected` — the appointment type is protected and the caller has not unlocked it (a gate
   decides that from verified facts; open booking never offers a protected type).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Iterable

from formflow.booking.timeutil import is_ambiguous_instant, local_date, read_instant, to_local, to_utc
from formflow.check.suggest import did_you_mean
from formflow.diagnostics.model import Diagnostic, Label, make
from formflow.inputs.yamlnode import (YMap, YNode, YScalar, as_bool, as_int, as_list, as_map, as_text, check_keys,
                                      head, load)
from formflow.region.model import NEXT_DAY, BookingSystemRules, Region
from formflow.source import Source, Span

REQUIRED = ("slots",)
OPTIONAL = ("description",)
SLOT_REQUIRED = ("clinic", "appointment_type", "start")
SLOT_OPTIONAL = ("end", "duration_minutes", "id", "booked")
MAX_MINUTES = 24 * 60

BOOKED = "booked"
PAST = "past"
LEAD_TIME = "lead_time"
BEFORE_EARLIEST = "before_earliest_booking"
BEYOND_HORIZON = "beyond_horizon"
OUTSIDE_PERIOD = "outside_bookable_period"
AMBIGUOUS = "ambiguous_local_time"
PROTECTED = "protected"


@dataclass(frozen=True, slots=True)
class Slot:
    """A free time at a clinic; `start` and `end` are UTC instants."""

    clinic: str
    appointment_type: str
    start: datetime
    end: datetime
    id: str | None = None
    booked: bool = False
    span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def local_start(self) -> datetime:
        return to_local(self.start)

    @property
    def local_end(self) -> datetime:
        return to_local(self.end)


@dataclass(frozen=True)
class SlotsFile:
    path: Path
    source: Source | None
    slots: tuple[Slot, ...] | None
    diagnostics: tuple[Diagnostic, ...]


# ---------------------------------------------------------------------------------------- the rules

def earliest_day(rules: BookingSystemRules, now: datetime) -> date:
    """The first Swedish date a new booking may be on: today, or tomorrow for `next_day`."""
    today = local_date(now)
    return today + timedelta(days=1) if rules.earliest_booking == NEXT_DAY else today


def last_day(rules: BookingSystemRules, now: datetime, horizon_days: int | None = None) -> date:
    """The last Swedish date slots are offered on: today + the horizon, in calendar days."""
    days = rules.horizon_days if horizon_days is None else horizon_days
    return local_date(now) + timedelta(days=days)


def refusal(slot: Slot, region: Region, now: datetime, *, horizon_days: int | None = None,
            unlocked: Iterable[str] = ()) -> str | None:
    """Why `slot` is not offered at `now` (one of the module's reasons), or None if it is offered."""
    clinic = region.clinic(slot.clinic)
    kind = region.appointment_type(slot.appointment_type)
    if clinic is None or kind is None:
        raise KeyError("the slot names a clinic or appointment type the region does not have")
    rules, day, now = region.rules_for(clinic), local_date(slot.start), to_utc(now)
    if slot.booked:
        return BOOKED
    if slot.start <= now:
        return PAST
    if slot.start < now + timedelta(minutes=region.lead_minutes(clinic)):
        return LEAD_TIME
    if day < earliest_day(rules, now):
        return BEFORE_EARLIEST
    if day > last_day(rules, now, region.horizon_days(clinic) if horizon_days is None else horizon_days):
        return BEYOND_HORIZON
    if (kind.bookable_from and day < kind.bookable_from) or (kind.bookable_until and day > kind.bookable_until):
        return OUTSIDE_PERIOD
    if is_ambiguous_instant(slot.start) or is_ambiguous_instant(slot.end):
        return AMBIGUOUS
    if kind.protected and kind.id not in set(unlocked):
        return PROTECTED
    return None


def offered(slots: Iterable[Slot], region: Region, now: datetime, *, horizon_days: int | None = None,
            unlocked: Iterable[str] = ()) -> tuple[Slot, ...]:
    """The slots offered at `now`, by start time (then clinic), as a citizen would see them."""
    unlocked = frozenset(unlocked)
    chosen = [s for s in slots if refusal(s, region, now, horizon_days=horizon_days, unlocked=unlocked) is None]
    return tuple(sorted(chosen, key=lambda s: (s.start, s.clinic, s.id or "")))


# ---------------------------------------------------------------------------------------- the fixture

def load_slots_file(path: str | Path, region: Region) -> SlotsFile:
    source, node, diags = load(path)
    if node is None:
        return SlotsFile(Path(path), source, None, tuple(diags))
    slots, diags = load_slots(node, source, region)
    return SlotsFile(Path(path), source, slots, tuple(diags))


def load_slots(node: YNode, source: Source, region: Region) -> tuple[tuple[Slot, ...] | None, list[Diagnostic]]:
    """The slots of a parsed fixture, checked against the region; None and every problem otherwise."""
    ymap, d = as_map(node, source, field="the slots file")
    if d:
        return None, [d]
    diags = check_keys(ymap, source, REQUIRED, OPTIONAL)
    items = _items(ymap, source, diags)
    reader = _SlotReader(source, region, diags)
    slots = [s for s in (reader.slot(item) for item in items) if s is not None]
    reader.unique_ids(items)
    if diags:
        return None, sorted(diags, key=Diagnostic.sort_key)
    return tuple(slots), []


def _items(ymap: YMap, source: Source, diags: list[Diagnostic]) -> tuple[YNode, ...]:
    node = ymap.get("slots")
    if node is None:
        return ()
    seq, d = as_list(node, source, field="'slots'")
    if d:
        diags.append(d)
        return ()
    return seq.items


class _SlotReader:
    def __init__(self, source: Source, region: Region, diags: list[Diagnostic]):
        self.src, self.region, self.diags = source, region, diags

    def take(self, result):
        value, d = result
        if d is not None:
            self.diags.append(d)
        return value

    def slot(self, node: YNode) -> Slot | None:
        m = self.take(as_map(node, self.src, field="a slot"))
        if m is None:
            return None
        self.diags += check_keys(m, self.src, SLOT_REQUIRED, SLOT_OPTIONAL)
        clinic = self.reference(m.get("clinic"), "clinic", [c.id for c in self.region.clinics])
        kind = self.reference(m.get("appointment_type"), "appointment type",
                              [t.id for t in self.region.appointment_types])
        start = self.optional(m, "start", lambda n: read_instant(n, self.src, field="'start'"))
        slot_id = self.optional(m, "id", lambda n: as_text(n, self.src, field="'id'"))
        booked = self.optional(m, "booked", lambda n: as_bool(n, self.src, field="'booked'"))
        if clinic and kind:
            self.offers(m, clinic, kind)
        end = self.end(m, start, kind) if start else None
        if None in (clinic, kind, start, end):
            return None
        return Slot(clinic, kind, start, end, slot_id, bool(booked), span=head(node))

    def optional(self, m: YMap, key: str, convert):
        node = m.get(key)
        if node is None or (isinstance(node, YScalar) and node.is_null and key not in SLOT_REQUIRED):
            return None
        return self.take(convert(node))

    def reference(self, node: YNode | None, what: str, known: list[str]) -> str | None:
        if node is None:
            return None
        name = self.take(as_text(node, self.src, field=f"'{what.replace(' ', '_')}'"))
        if name is None or name in known:
            return name
        hint = did_you_mean(name, known) or f"the region's {what}s are: {', '.join(known)}"
        self.diags.append(make("FF703", f"the region has no {what} with this id", self.src, node.span,
                               f"unknown {what}", help=hint))
        return None

    def offers(self, m: YMap, clinic_id: str, type_id: str) -> None:
        clinic = self.region.clinic(clinic_id)
        if not self.region.offers(clinic, type_id):
            self.diags.append(make("FF709", f"clinic '{clinic_id}' does not offer appointment type '{type_id}'",
                                   self.src, m.get("appointment_type").span, "not offered by this clinic",
                                   help=f"the clinic offers: {', '.join(clinic.appointment_types)}"))

    def end(self, m: YMap, start: datetime, type_id: str | None) -> datetime | None:
        end_node, minutes_node = m.get("end"), m.get("duration_minutes")
        if end_node is not None and minutes_node is not None:
            self.diags.append(make("FF709", "a slot has either 'end' or 'duration_minutes', not both", self.src,
                                   m.key_node("duration_minutes").span, "second way to give the end",
                                   help="keep one of them", secondary=(Label(m.key_node("end").span, "end"),)))
            return None
        if end_node is not None:
            return self.explicit_end(end_node, start)
        if minutes_node is not None:
            return self.duration_end(minutes_node, start)
        kind = self.region.appointment_type(type_id) if type_id else None
        return start + timedelta(minutes=kind.duration_minutes) if kind else None

    def explicit_end(self, node: YNode, start: datetime) -> datetime | None:
        end = self.take(read_instant(node, self.src, field="'end'"))
        if end is not None and end <= start:
            self.diags.append(make("FF709", "the slot ends before or when it starts", self.src, node.span,
                                   "not after the start", help="check the date and time of 'end'"))
            return None
        return end

    def duration_end(self, node: YNode, start: datetime) -> datetime | None:
        minutes = self.take(as_int(node, self.src, field="'duration_minutes'"))
        if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
            self.diags.append(make("FF709", f"'duration_minutes' must be 1 to {MAX_MINUTES}", self.src, node.span,
                                   "out of range", help="give the slot's length in whole minutes"))
            return None
        return None if minutes is None else start + timedelta(minutes=minutes)

    def unique_ids(self, items: tuple[YNode, ...]) -> None:
        seen: dict[str, YNode] = {}
        for item in items:
            node = item.get("id") if isinstance(item, YMap) else None
            if not isinstance(node, YScalar) or node.is_null:
                continue
            if node.text in seen:
                self.diags.append(make("FF704", "two slots have the same id", self.src, node.span, "second time",
                                       help="give each slot its own id",
                                       secondary=(Label(seen[node.text].span, "first time"),)))
            seen.setdefault(node.text, node)
