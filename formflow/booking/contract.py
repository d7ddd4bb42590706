"""The MakeBooking request of the crm:scheduling service contract, as a dict.

What a booking sends to the clinic's booking system (RIV-TA `urn:riv:crm:scheduling:MakeBooking:1`,
field names as in the contract's schema):

    {"healthcare_facility_med": <HSA-id of the unit with medical responsibility>,
     "requestedTimeslot": {
         "startTimeInclusive": "20210329090000",   # Swedish wall-clock time, YYYYMMDDhhmmss
         "endTimeExclusive":   "20210329090500",
         "healthcare_facility": <the clinic's HSA-id>,
         "bookingId": <only for an open invitation (öppen kallelse)>,
         "subject_of_care": <12-digit personnummer or samordningsnummer, no hyphen>,
         "reason": <the citizen's reason, only when given>,
         "healthcare_facility_name": <the clinic's name>,
         "timeTypeName": <the appointment type's local name>,
         "timeTypeID": <the booking system's id of the type>}}

Decisions:

- The contract's times have no offset. A start or end in the repeated autumn hour (02:00–02:59 on
  the last Sunday in October) cannot be written unambiguously, so it is refused rather than sent
  as a time that may mean the other 02:30.
- A booking id is an open invitation's; it is refused when the clinic's booking system has no open
  invitations (`open_invitations` in region.yaml).
- The subject of care is the child when a guardian books as ombud: pass the subject's number.
- The payload holds a personnummer and the citizen's words: `Booking.payload` is left out of the
  repr, and problems never quote either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from formflow.booking.timeutil import contract_time, is_ambiguous_instant, to_utc
from formflow.inputs.personnummer import PersonalNumber
from formflow.region.model import AppointmentType, Clinic, Region

MAX_REASON = 1000


@dataclass(frozen=True)
class Booking:
    """The MakeBooking payload, or None and why it cannot be made."""

    payload: dict | None = field(repr=False)
    problems: tuple[str, ...] = ()


def make_booking(region: Region, clinic: Clinic, appointment_type: AppointmentType, subject: PersonalNumber,
                 start: datetime, end: datetime, *, reason: str | None = None, booking_id: str | None = None,
                 medical_facility: str | None = None) -> Booking:
    """Map one booking onto MakeBooking; `start`/`end` are aware instants."""
    problems = _problems(region, clinic, appointment_type, start, end, reason, booking_id)
    if problems:
        return Booking(None, tuple(problems))
    slot = {"startTimeInclusive": contract_time(start), "endTimeExclusive": contract_time(end),
            "healthcare_facility": clinic.hsa_id}
    if booking_id:
        slot["bookingId"] = booking_id
    slot["subject_of_care"] = subject.digits12
    if reason and reason.strip():
        slot["reason"] = reason.strip()
    slot.update({"healthcare_facility_name": clinic.name, "timeTypeName": appointment_type.local_name,
                 "timeTypeID": appointment_type.time_type_id})
    return Booking({"healthcare_facility_med": medical_facility or clinic.hsa_id, "requestedTimeslot": slot})


def _problems(region: Region, clinic: Clinic, kind: AppointmentType, start: datetime, end: datetime,
              reason: str | None, booking_id: str | None) -> list[str]:
    out = []
    if to_utc(end) <= to_utc(start):
        out.append("the booking ends before or when it starts")
    for name, moment in (("start", start), ("end", end)):
        if is_ambiguous_instant(moment):
            out.append(f"the {name} falls in the hour that occurs twice when summer time ends; "
                       "YYYYMMDDhhmmss cannot say which one")
    if not region.offers(clinic, kind.id):
        out.append(f"clinic '{clinic.id}' does not offer appointment type '{kind.id}'")
    if booking_id is not None and not region.rules_for(clinic).open_invitations:
        out.append(f"booking system '{clinic.booking_system}' has no open invitations, so no booking id")
    if booking_id is not None and not booking_id.strip():
        out.append("the booking id is empty")
    if reason is not None and len(reason) > MAX_REASON:
        out.append(f"the reason is longer than {MAX_REASON} characters")
    return out
