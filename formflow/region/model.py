"""A region's configuration as frozen, typed data: what booking gates, slots and contracts read.

Loaded from `regions/<region>/region.yaml` by `formflow.region.load` (format: dsl/REGION.md).
Collections are tuples in file order; every entry keeps the span of its id in region.yaml
(`span`, not compared) so that a later stage can point back at the line that defined it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from formflow.booking.lockout import LockoutPolicy
from formflow.booking.working_days import WorkingDays
from formflow.region.entitlement import Entitlement
from formflow.source import Span

SAME_DAY = "same_day"
NEXT_DAY = "next_day"
EARLIEST_BOOKING = (SAME_DAY, NEXT_DAY)
HANDOFF_KINDS = ("web", "phone")
DEFAULT_URGENCY_LEVELS = ("immediate", "within_hours", "same_day", "within_days", "routine", "none")


@dataclass(frozen=True, slots=True)
class Texts:
    """One text in several languages, as (language, text) pairs; Swedish is always there."""

    items: tuple[tuple[str, str], ...]

    def get(self, language: str) -> str:
        """The text in `language`, or the Swedish text when there is no translation."""
        return dict(self.items).get(language) or dict(self.items)["sv"]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.items)


@dataclass(frozen=True, slots=True)
class BookingSystemRules:
    """The web-booking rules of one booking system (PASiS, PMO, ...), in Swedish time.

    `earliest_booking`: `same_day` — a new booking may start later today (PMO); `next_day` — new
    bookings and rebookings from the next local calendar day (PASiS). `cancel_until_hours` and
    `rebook_until_hours`: an existing booking may be cancelled or rebooked until this many hours
    of real elapsed time before it starts (`formflow.booking.cancel`). `horizon_days`: slots are
    offered up to this many local calendar days after today. `open_invitations`: the system can
    book through an open invitation (öppen kallelse) that carries a booking id. `lead_minutes`: a
    new booking starts at least this many minutes after now (0: any later time).
    """

    id: str
    name: str
    earliest_booking: str
    cancel_until_hours: int
    rebook_until_hours: int
    horizon_days: int
    open_invitations: bool = False
    span: Span | None = field(default=None, compare=False, repr=False)
    lead_minutes: int = 0


@dataclass(frozen=True, slots=True)
class Clinic:
    """A care unit that offers web booking: its HSA-id and its booking system's id.

    `horizon_days` and `lead_minutes`, when given, are the clinic's own window and replace its
    booking system's (a small clinic may publish times two weeks ahead where the system allows 28)."""

    id: str
    name: str
    hsa_id: str
    booking_system: str
    appointment_types: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)
    horizon_days: int | None = None
    lead_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class AppointmentType:
    """A local appointment type (tidstyp) mapped to a standardised type with a SNOMED CT code.

    `protected`: may only be offered through a gate (a flow that checks verified facts), never in
    open web booking. `time_type_id` is the booking system's own id of the type (timeTypeID).
    `bookable_from`/`bookable_until`: local calendar days (inclusive) when slots of this type may
    be offered at all, e.g. a vaccination campaign; None is open-ended.
    """

    id: str
    local_name: str
    snomed_code: str
    standard_name: str
    protected: bool
    duration_minutes: int
    time_type_id: str
    bookable_from: date | None = None
    bookable_until: date | None = None
    entitled: Entitlement | None = None  # who may have it (required when protected): region.entitlement
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Terms:
    """A terms text (villkorstext) the citizen acknowledges before booking."""

    id: str
    title: Texts
    text: Texts
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Handoff:
    """A handoff (uthopp): where the citizen is sent outside 1177, a web page or a phone number."""

    id: str
    kind: str
    target: str
    label: Texts
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    clinics: tuple[Clinic, ...] = ()
    booking_systems: tuple[BookingSystemRules, ...] = ()
    appointment_types: tuple[AppointmentType, ...] = ()
    terms: tuple[Terms, ...] = ()
    handoffs: tuple[Handoff, ...] = ()
    urgency_levels: tuple[str, ...] = DEFAULT_URGENCY_LEVELS
    code_lockout: LockoutPolicy = LockoutPolicy()  # wrong invitation codes: limit, window, lock (booking.lockout)
    working_days: WorkingDays = WorkingDays()  # which days count in "within N working days" (booking.working_days)

    def clinic(self, clinic_id: str) -> Clinic | None:
        return next((c for c in self.clinics if c.id == clinic_id), None)

    def booking_system(self, system_id: str) -> BookingSystemRules | None:
        return next((b for b in self.booking_systems if b.id == system_id), None)

    def appointment_type(self, type_id: str) -> AppointmentType | None:
        return next((a for a in self.appointment_types if a.id == type_id), None)

    def rules_for(self, clinic: Clinic) -> BookingSystemRules:
        """The booking rules of a clinic (a loaded region always has them: load checks the reference)."""
        rules = self.booking_system(clinic.booking_system)
        if rules is None:
            raise KeyError(f"clinic '{clinic.id}' names an unknown booking system")
        return rules

    def horizon_days(self, clinic: Clinic) -> int:
        """How many calendar days ahead the clinic's times are offered: its own, or its system's."""
        return clinic.horizon_days if clinic.horizon_days is not None else self.rules_for(clinic).horizon_days

    def lead_minutes(self, clinic: Clinic) -> int:
        """How many minutes after now a new booking may start at the clinic: its own, or its system's."""
        return clinic.lead_minutes if clinic.lead_minutes is not None else self.rules_for(clinic).lead_minutes

    def offers(self, clinic: Clinic, type_id: str) -> bool:
        """Whether a clinic offers an appointment type (a clinic listing no types offers every type)."""
        return not clinic.appointment_types or type_id in clinic.appointment_types
