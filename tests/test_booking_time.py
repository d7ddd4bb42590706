"""Booking-time rules: Swedish time and summer time, which slots are offered, cancellation, and the
MakeBooking contract. Every personnummer is one of Skatteverket's test personnummer."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from conftest import ROOT
from formflow.booking import cancel, contract, slots as slots_module, timeutil
from formflow.booking.slots import (BEFORE_EARLIEST, BEYOND_HORIZON, BOOKED, OUTSIDE_PERIOD, PAST, PROTECTED, Slot,
                                    load_slots, offered, refusal)
from formflow.booking.timeutil import AmbiguousTime, NonexistentTime, from_local, to_local
from formflow.diagnostics.render import render_text
from formflow.inputs.personnummer import parse_personnummer
from formflow.inputs.yamlnode import parse
from formflow.region.load import load_region_file, load_region_text
from formflow.source import Source
from formflow.testdata import is_test_number

UTC = timezone.utc
HALLAND = load_region_file(ROOT / "regions" / "halland").region  # PMO: same day, horizon 42 days
SKANE = load_region_file(ROOT / "regions" / "skane").region      # PASiS (next day, 24 h) and PMO


def z(text: str) -> datetime:
    """A UTC instant: z('2021-03-29T07:00')."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str, fold: int | None = None) -> datetime:
    """A Swedish wall-clock time as a UTC instant (by timeutil's rule)."""
    return from_local(datetime.fromisoformat(text), fold=fold)


def load(text: str, region=HALLAND):
    source = Source.from_text("slots.yaml", text)
    node, diags = parse(source)
    assert diags == []
    return load_slots(node, source, region)


def loaded(text: str, region=HALLAND) -> tuple[Slot, ...]:
    result, diags = load(text, region)
    assert diags == [], [render_text(d) for d in diags]
    return result


def slot_text(start: str, clinic: str = "vc_hyltebruk", kind: str = "visit", extra: str = "") -> str:
    return f"slots:\n  - clinic: {clinic}\n    appointment_type: {kind}\n    start: {start}\n{extra}"


def one_problem(text: str, code: str, region=HALLAND):
    _, diags = load(text, region)
    assert [d.code for d in diags] == [code], [(d.code, d.message) for d in diags]
    return diags[0]


# ---------------------------------------------------------------------------------------- Swedish time

def test_a_nine_oclock_slot_the_day_after_summer_time_starts_is_0700z():
    assert local("2021-03-29T09:00") == z("2021-03-29T07:00")
    assert local("2021-03-26T09:00") == z("2021-03-26T08:00")  # still winter time
    assert loaded(slot_text("2021-03-29T09:00"))[0].start == z("2021-03-29T07:00")


def test_a_time_in_the_spring_gap_does_not_exist():
    with pytest.raises(NonexistentTime):
        local("2021-03-28T02:30")
    assert local("2021-03-28T01:59") == z("2021-03-28T00:59")
    assert local("2021-03-28T03:00") == z("2021-03-28T01:00")  # one minute of real time after 01:59


def test_a_time_in_the_autumn_fold_needs_to_say_which():
    with pytest.raises(AmbiguousTime):
        local("2021-10-31T02:30")
    assert local("2021-10-31T02:30", fold=0) == z("2021-10-31T00:30")  # summer time, +02:00
    assert local("2021-10-31T02:30", fold=1) == z("2021-10-31T01:30")  # winter time, +01:00
    assert timeutil.is_ambiguous(datetime(2021, 10, 31, 2, 0))
    assert not timeutil.is_ambiguous(datetime(2021, 10, 31, 3, 0))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        timeutil.to_utc(datetime(2021, 3, 29, 9, 0))
    with pytest.raises(ValueError):
        cancel.may_cancel(datetime(2021, 3, 29, 9, 0), z("2021-03-27T09:00"), SKANE.booking_system("pasis"))


def test_contract_time_is_swedish_wall_clock():
    assert timeutil.contract_time(z("2021-03-29T07:00")) == "20210329090000"
    assert timeutil.contract_time(z("2021-01-15T07:00")) == "20210115080000"


# ---------------------------------------------------------------------------------------- the fixture

def test_slots_across_the_spring_gap():
    fixture = ("slots:\n"
               "  - {clinic: vc_hyltebruk, appointment_type: visit, start: 2021-03-28T01:30, duration_minutes: 60}\n"
               "  - {clinic: vc_hyltebruk, appointment_type: visit, start: 2021-03-28T03:30, end: 2021-03-28T04:00}\n")
    first, second = loaded(fixture)
    assert first.start == z("2021-03-28T00:30") and first.end == z("2021-03-28T01:30")
    assert first.local_end.strftime("%H:%M") == "03:30"  # 60 real minutes across the skipped hour
    assert second.start == first.end


def test_a_slot_in_the_spring_gap_is_an_error_at_its_place():
    text = slot_text("2021-03-28T02:30")
    d = one_problem(text, "FF513")
    assert d.message == "this local time for 'start' does not exist in Sweden"
    assert d.position() == (4, 12)


def test_slots_on_the_fall_back_day():
    d = one_problem(slot_text("2021-10-31T02:30"), "FF513")
    assert "occurs twice" in d.message and "+02:00" in d.help
    fixture = ("slots:\n"
               "  - {clinic: vc_hyltebruk, appointment_type: visit, start: 2021-10-31T02:30+01:00, id: second}\n"
               "  - {clinic: vc_hyltebruk, appointment_type: visit, start: 2021-10-31T02:30+02:00, id: first}\n")
    second, first = loaded(fixture)
    assert (first.start, second.start) == (z("2021-10-31T00:30"), z("2021-10-31T01:30"))
    now = local("2021-10-30T12:00")
    # stored apart in UTC, but MakeBooking's local YYYYMMDDhhmmss could not tell them apart: not offered
    assert offered([second, first], HALLAND, now) == ()
    assert {refusal(s, HALLAND, now) for s in (first, second)} == {"ambiguous_local_time"}


def test_the_end_defaults_to_the_appointment_types_duration():
    (s,) = loaded(slot_text("2021-03-29T09:00", kind="covid_vaccination"))
    assert s.end - s.start == timedelta(minutes=5)


@pytest.mark.parametrize("extra, words", [
    ("    end: 2021-03-29T08:59\n", "ends before or when it starts"),
    ("    end: 2021-03-29T09:00\n", "ends before or when it starts"),
    ("    end: 2021-03-29T09:30\n    duration_minutes: 30\n", "not both"),
    ("    duration_minutes: 0\n", "1 to 1440"),
])
def test_invalid_slot_ends(extra, words):
    d = one_problem(slot_text("2021-03-29T09:00", extra=extra), "FF709")
    assert words in d.message


def test_unknown_clinic_suggests_the_nearest():
    d = one_problem(slot_text("2021-03-29T09:00", clinic="vc_hyltbruk"), "FF703")
    assert d.help == "did you mean 'vc_hyltebruk'?"
    assert d.position() == (2, 13)


def test_a_clinic_must_offer_the_type():
    d = one_problem(slot_text("2021-03-29T09:00", clinic="vc_oskarstrom", kind="influenza_vaccination"), "FF709")
    assert d.message == "clinic 'vc_oskarstrom' does not offer appointment type 'influenza_vaccination'"


def test_slot_ids_are_unique():
    fixture = ("slots:\n  - {clinic: vc_laholm, appointment_type: visit, start: 2021-03-29T09:00, id: a}\n"
               "  - {clinic: vc_laholm, appointment_type: visit, start: 2021-03-29T10:00, id: a}\n")
    d = one_problem(fixture, "FF704")
    assert d.position()[0] == 3 and d.secondary[0].message == "first time"


def test_the_slots_example_of_region_md_loads():
    text = (ROOT / "dsl" / "REGION.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith("# Free times"))
    first, second, third = loaded(example)
    assert first.start == z("2021-03-29T07:00") and second.id == "laholm-1000" and third.booked


# ---------------------------------------------------------------------------------------- offered slots

def pasis_slot(start: datetime) -> Slot:
    return Slot("sus_anestesi_lund", "follow_up", start, start + timedelta(minutes=30))


def pmo_slot(start: datetime, kind: str = "health_check", **kw) -> Slot:
    return Slot("vc_tabelund", kind, start, start + timedelta(minutes=45), **kw)


def reason(s: Slot, now: datetime, region=SKANE, **kw) -> str | None:
    return refusal(s, region, now, unlocked={"follow_up", "covid_vaccination"}, **kw)


def test_pasis_books_from_the_next_day_at_2359_and_at_midnight():
    at_2359 = local("2021-03-29T23:59")
    late_today = pasis_slot(local("2021-03-29T23:59") + timedelta(seconds=30))
    tomorrow = pasis_slot(local("2021-03-30T08:00"))
    day_after = pasis_slot(local("2021-03-31T08:00"))
    assert reason(late_today, at_2359) == BEFORE_EARLIEST
    assert reason(tomorrow, at_2359) is None
    midnight = local("2021-03-30T00:00")
    assert reason(tomorrow, midnight) == BEFORE_EARLIEST  # the 30th is now today
    assert reason(day_after, midnight) is None


def test_pasis_next_day_on_the_night_summer_time_starts():
    # At 23:30 on 27 March the next day is 28 March, a day of 23 hours; its 03:00 is 01:00Z.
    now = local("2021-03-27T23:30")
    assert reason(pasis_slot(local("2021-03-28T03:00")), now) is None
    assert reason(pasis_slot(local("2021-03-27T23:45")), now) == BEFORE_EARLIEST


def test_pmo_books_later_today_but_not_the_past():
    now = local("2021-03-29T10:00")
    assert reason(pmo_slot(local("2021-03-29T10:30")), now) is None
    assert reason(pmo_slot(local("2021-03-29T10:00")), now) == PAST  # starting this very moment
    assert reason(pmo_slot(local("2021-03-29T09:00")), now) == PAST
    assert reason(pmo_slot(local("2021-03-29T10:00") + timedelta(seconds=1)), now) is None


def test_the_horizon_is_counted_in_swedish_calendar_days():
    # Halland's PMO offers 42 days ahead; 42 days after 20 March (across the start of summer time)
    # is 1 May, so 23:59 on 1 May is offered and 00:00 on 2 May is not.
    now = local("2021-03-20T12:00")
    last = Slot("vc_laholm", "visit", local("2021-05-01T23:59"), local("2021-05-02T00:29"))
    beyond = Slot("vc_laholm", "visit", local("2021-05-02T00:00"), local("2021-05-02T00:30"))
    assert refusal(last, HALLAND, now) is None
    assert refusal(beyond, HALLAND, now) == BEYOND_HORIZON
    assert refusal(last, HALLAND, now, horizon_days=41) == BEYOND_HORIZON  # the caller's override
    assert slots_module.last_day(HALLAND.booking_system("pmo"), now) == date(2021, 5, 1)


def test_protected_types_need_a_gate():
    now = local("2021-03-29T08:00")
    covid = Slot("vc_hyltebruk", "covid_vaccination", local("2021-03-29T09:00"), local("2021-03-29T09:05"))
    visit = Slot("vc_hyltebruk", "visit", local("2021-03-29T09:00"), local("2021-03-29T09:30"))
    assert refusal(covid, HALLAND, now) == PROTECTED
    assert offered([covid, visit], HALLAND, now) == (visit,)
    assert offered([covid, visit], HALLAND, now, unlocked=["covid_vaccination"]) == (covid, visit)


def test_booked_slots_are_not_offered():
    now = local("2021-03-29T08:00")
    assert reason(pmo_slot(local("2021-03-29T09:00"), booked=True), now) == BOOKED


def test_the_bookable_period_of_a_type():
    region, diags = load_region_text("r.yaml", (ROOT / "regions/halland/region.yaml").read_text(encoding="utf-8")
                                     .replace("    time_type_id: COVID19\n", "    time_type_id: COVID19\n"
                                              "    bookable_from: 2021-04-01\n    bookable_until: 2021-04-30\n"))
    assert diags == []
    now = local("2021-03-29T08:00")
    early = Slot("vc_hyltebruk", "covid_vaccination", local("2021-03-31T23:55"), local("2021-04-01T00:00"))
    first = Slot("vc_hyltebruk", "covid_vaccination", local("2021-04-01T08:00"), local("2021-04-01T08:05"))
    assert refusal(early, region, now, unlocked={"covid_vaccination"}) == OUTSIDE_PERIOD
    assert refusal(first, region, now, unlocked={"covid_vaccination"}) is None


def test_offered_slots_are_sorted_by_instant():
    now = local("2021-03-29T08:00")
    a, b = pmo_slot(local("2021-03-30T10:00")), pmo_slot(local("2021-03-29T09:00"))
    assert offered([a, b], SKANE, now) == (b, a)


# ---------------------------------------------------------------------------------------- cancellation

PASIS = SKANE.booking_system("pasis")
PMO = SKANE.booking_system("pmo")


def test_exactly_24_hours_before_may_still_cancel_one_second_later_may_not():
    start = local("2021-04-12T09:00")
    assert cancel.may_cancel(start, start - timedelta(hours=24), PASIS).allowed
    assert not cancel.may_cancel(start, start - timedelta(hours=24) + timedelta(seconds=1), PASIS).allowed
    assert cancel.may_rebook(start, start - timedelta(hours=24), PASIS).allowed
    assert not cancel.may_rebook(start, start - timedelta(hours=23, minutes=59, seconds=59), PASIS).allowed


def test_24_hours_across_the_night_summer_time_starts_are_real_hours():
    start = local("2021-03-28T12:00")  # Sunday, summer time since 03:00
    decision = cancel.may_cancel(start, local("2021-03-27T11:00"), PASIS)
    assert decision.allowed and to_local(decision.deadline).strftime("%Y-%m-%d %H:%M") == "2021-03-27 11:00"
    assert not cancel.may_cancel(start, local("2021-03-27T11:00") + timedelta(seconds=1), PASIS).allowed
    assert not cancel.may_cancel(start, local("2021-03-27T12:00"), PASIS).allowed  # "same time yesterday": 23 h


def test_24_hours_across_the_night_summer_time_ends_are_real_hours():
    start = local("2021-10-31T12:00")  # Sunday, winter time since 03:00 summer time
    deadline = cancel.deadline(start, 24)
    assert to_local(deadline).strftime("%Y-%m-%d %H:%M") == "2021-10-30 13:00"
    assert cancel.may_cancel(start, local("2021-10-30T12:30"), PASIS).allowed  # 24 h 30 min before
    assert not cancel.may_cancel(start, local("2021-10-30T13:00:01"), PASIS).allowed


def test_zero_hours_means_until_the_appointment_starts():
    start = local("2021-03-29T09:00")
    assert cancel.may_cancel(start, start, PMO).allowed
    assert not cancel.may_cancel(start, start + timedelta(seconds=1), PMO).allowed


# ---------------------------------------------------------------------------------------- MakeBooking

SUBJECT = "19410321-9202"  # a Skatteverket test personnummer


def person(text: str = SUBJECT):
    number, problem = parse_personnummer(text, date(2021, 3, 1))
    assert problem is None and is_test_number(number.digits12)
    return number


def test_make_booking_maps_every_field():
    clinic, kind = SKANE.clinic("sus_anestesi_lund"), SKANE.appointment_type("preoperative_assessment")
    start = local("2021-03-29T09:00")
    booking = contract.make_booking(SKANE, clinic, kind, person(), start, start + timedelta(minutes=45),
                                    reason="  Inför operation av knät.  ", booking_id="OK-1234")
    assert booking.problems == ()
    assert booking.payload == {
        "healthcare_facility_med": "SE2321000255-E20001",
        "requestedTimeslot": {
            "startTimeInclusive": "20210329090000",
            "endTimeExclusive": "20210329094500",
            "healthcare_facility": "SE2321000255-E20001",
            "bookingId": "OK-1234",
            "subject_of_care": "194103219202",
            "reason": "Inför operation av knät.",
            "healthcare_facility_name": "Anestesimottagningen, Skånes universitetssjukhus Lund",
            "timeTypeName": "Anestesibedömning inför operation",
            "timeTypeID": "ANEBED45",
        },
    }


def test_make_booking_without_reason_or_invitation_leaves_them_out():
    clinic, kind = SKANE.clinic("vc_tabelund"), SKANE.appointment_type("health_check")
    start = local("2021-01-15T08:00")
    payload = contract.make_booking(SKANE, clinic, kind, person("19850303-2388"), start,
                                    start + timedelta(minutes=45)).payload
    slot = payload["requestedTimeslot"]
    assert "bookingId" not in slot and "reason" not in slot
    assert (slot["startTimeInclusive"], slot["subject_of_care"]) == ("20210115080000", "198503032388")


def test_make_booking_refuses_what_the_contract_cannot_say():
    clinic, kind = SKANE.clinic("vc_tabelund"), SKANE.appointment_type("health_check")
    fold = local("2021-10-31T02:30", fold=1)
    booking = contract.make_booking(SKANE, clinic, kind, person(), fold, fold + timedelta(minutes=45),
                                    booking_id="X1")
    assert booking.payload is None
    assert any("occurs twice" in p for p in booking.problems)
    assert any("no open invitations" in p for p in booking.problems)
    wrong = contract.make_booking(SKANE, clinic, SKANE.appointment_type("follow_up"), person(),
                                  local("2021-03-29T09:00"), local("2021-03-29T09:30"))
    assert wrong.problems == ("clinic 'vc_tabelund' does not offer appointment type 'follow_up'",)
    backwards = contract.make_booking(SKANE, clinic, kind, person(), local("2021-03-29T09:00"),
                                      local("2021-03-29T08:00"))
    assert backwards.problems == ("the booking ends before or when it starts",)


def test_make_booking_never_shows_the_personnummer_in_its_repr():
    clinic, kind = SKANE.clinic("vc_tabelund"), SKANE.appointment_type("health_check")
    start = local("2021-03-29T09:00")
    booking = contract.make_booking(SKANE, clinic, kind, person(), start, start + timedelta(minutes=45))
    assert "194103219202" not in repr(booking) and "9202" not in repr(booking)
