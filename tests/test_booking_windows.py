"""Booking windows, working days, fallbacks and choosing a slot (issue 14, REFERENCE 12b).

Every verdict of the window is checked against an oracle written another way (elapsed seconds,
Swedish dates from zoneinfo, working days counted from a list of Sweden's red days typed from the
almanac), over instants around both summer-time changes, Easter and Första maj. Personnummer are
Skatteverket's test numbers.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from formflow import api
from formflow.booking.gate import Choice, evaluate
from formflow.booking.windows import Limits, DateLimit, window_refusal
from formflow.booking.working_days import WorkingDays
from formflow.inputs.citizen import load_citizen
from formflow.inputs.yamlnode import parse
from formflow.source import Source

ROOT = Path(__file__).resolve().parent.parent
JONKOPING = ROOT / "regions" / "jonkoping"
BOOK_CARE = JONKOPING / "flows" / "book_care.flow"
HALLAND = ROOT / "regions" / "halland"
UTC = timezone.utc
SE = ZoneInfo("Europe/Stockholm")

# Sweden's red days and the eves clinics close on, 2024, from the almanac (not from the package).
RED_2024 = {date(2024, 1, 1), date(2024, 1, 6), date(2024, 3, 29), date(2024, 3, 31), date(2024, 4, 1),
            date(2024, 5, 1), date(2024, 5, 9), date(2024, 5, 19), date(2024, 6, 6), date(2024, 6, 21),
            date(2024, 6, 22), date(2024, 11, 2), date(2024, 12, 24), date(2024, 12, 25), date(2024, 12, 26),
            date(2024, 12, 31)}


# ---------------------------------------------------------------------------------------- working days

def test_every_day_of_2024_is_a_working_day_exactly_when_the_almanac_says_so():
    calendar = WorkingDays()
    day = date(2024, 1, 1)
    while day.year == 2024:
        expected = day.weekday() < 5 and day not in RED_2024
        assert calendar.is_working(day) == expected, (day, calendar.closed_because(day))
        day += timedelta(days=1)


def test_holidays_are_named_in_swedish():
    calendar = WorkingDays()
    assert calendar.closed_because(date(2024, 3, 29)) == "Långfredagen"
    assert calendar.closed_because(date(2024, 5, 1)) == "Första maj"
    assert calendar.closed_because(date(2024, 6, 21)) == "Midsommarafton"
    assert calendar.closed_because(date(2024, 3, 30)) == "lördag"
    assert WorkingDays(categories=("public",)).is_working(date(2024, 6, 21))  # only with de_facto is the eve closed


@settings(max_examples=300, deadline=None)
@given(today=st.dates(min_value=date(2021, 1, 1), max_value=date(2026, 12, 31)), n=st.integers(1, 15))
def test_the_last_day_of_n_working_days_has_exactly_n_working_days_before_it(today, n):
    calendar = WorkingDays()
    last = calendar.last_day(today, n)
    days = [today + timedelta(days=i) for i in range(1, (last - today).days + 1)]
    assert sum(calendar.is_working(d) for d in days) == n
    assert calendar.is_working(last)


def test_easter_and_forsta_maj_in_three_working_days():
    calendar = WorkingDays()
    assert calendar.last_day(date(2024, 3, 28), 3) == date(2024, 4, 4)  # Långfredagen .. Annandag påsk skipped
    assert calendar.last_day(date(2024, 4, 30), 3) == date(2024, 5, 6)  # Första maj, the weekend
    assert calendar.last_day(date(2024, 6, 19), 1) == date(2024, 6, 20)
    assert calendar.last_day(date(2024, 6, 20), 1) == date(2024, 6, 24)  # Midsommarafton and -dagen


def test_a_region_may_close_on_its_own_days_and_work_saturdays():
    calendar = WorkingDays(weekdays=("monday", "tuesday", "wednesday", "thursday", "friday", "saturday"),
                           closed=(date(2024, 12, 27),))
    assert calendar.is_working(date(2024, 12, 28)) and not calendar.is_working(date(2024, 12, 27))
    assert WorkingDays.from_json(calendar.as_json()) == calendar


# ---------------------------------------------------------------------------------------- the window

instants = st.datetimes(min_value=datetime(2024, 3, 28), max_value=datetime(2024, 4, 3),
                        timezones=st.just(UTC)) | \
    st.datetimes(min_value=datetime(2024, 10, 25), max_value=datetime(2024, 10, 30), timezones=st.just(UTC))


def _nth_working_day(today, n: int):
    """The n-th working day after `today`, found by stepping one day at a time."""
    day, found = today, 0
    while found < n:
        day += timedelta(days=1)
        found += WorkingDays().is_working(day)
    return day


def _oracle(start: datetime, now: datetime, lead, hours, today_only, last_working, dates) -> str | None:
    """The window's verdict, computed another way: elapsed seconds and Swedish dates from zoneinfo."""
    seconds = (start - now).total_seconds()
    day, today = start.astimezone(SE).date(), now.astimezone(SE).date()
    if lead and seconds < lead * 60:
        return "lead_time"
    if today_only and day != today:
        return "not_today"
    if hours and seconds > hours * 3600:
        return "beyond_hours"
    if last_working and day > _nth_working_day(today, last_working):  # REFERENCE: on or before the N-th
        return "beyond_working_days"
    for rule, when, apart in dates:
        if rule == "not_before" and day < when:
            return "too_early"
        if rule == "before" and day >= when:
            return "too_late"
        if rule == "not_within" and -apart < (day - when).days < apart:
            return "too_close"
    return None


@settings(max_examples=500, deadline=None)
@given(now=instants, ahead=st.integers(-60, 6 * 24 * 60), lead=st.sampled_from([None, 0, 15, 30, 90]),
       hours=st.sampled_from([None, 1, 23, 24, 25, 48]), today_only=st.booleans(),
       working=st.sampled_from([None, 1, 2, 3]),
       rule=st.sampled_from([None, "not_before", "before", "not_within"]), offset=st.integers(-4, 6),
       apart=st.integers(1, 8))
# A Saturday after the last of 2 working days (Thursday 31 October, Friday 1 November 2024): outside.
@example(now=datetime(2024, 10, 30, tzinfo=UTC), ahead=4260, lead=None, hours=None, today_only=False, working=2,
         rule=None, offset=0, apart=1)
def test_every_window_verdict_matches_the_oracle(now, ahead, lead, hours, today_only, working, rule, offset, apart):
    start = now + timedelta(minutes=ahead)
    calendar = WorkingDays()
    today = now.astimezone(SE).date()
    when = today + timedelta(days=offset)
    dates = ((rule, when, apart),) if rule else ()
    lim = Limits(now, lead, today_only, hours, calendar.last_day(today, working) if working else None, working,
                 tuple(DateLimit(r, w, a if r == "not_within" else None, 1) for r, w, a in dates))
    why = window_refusal(start, lim)
    expected = _oracle(start, now, lead, hours, today_only, working, dates)
    assert (why.reason if why else None) == expected, (start.astimezone(SE), now.astimezone(SE), why)


def test_24_hours_across_the_spring_change_end_at_11_the_next_day():
    now = datetime(2024, 3, 30, 10, 0, tzinfo=SE)
    lim = Limits(now.astimezone(UTC), None, False, 24, None, None, ())
    assert window_refusal(datetime(2024, 3, 31, 11, 0, tzinfo=SE).astimezone(UTC), lim) is None
    late = window_refusal(datetime(2024, 3, 31, 11, 1, tzinfo=SE).astimezone(UTC), lim)
    assert late.reason == "beyond_hours" and "until 2024-03-31 11:00" in late.detail


def test_a_date_that_cannot_be_computed_refuses_every_slot():
    lim = Limits(datetime(2024, 3, 1, 9, tzinfo=UTC), None, False, None, None, None,
                 (DateLimit("not_before", None, None, 12),))
    why = window_refusal(datetime(2024, 6, 1, 9, tzinfo=UTC), lim)
    assert why.reason == "date_unknown" and "line 12" in why.detail


# ---------------------------------------------------------------------------------------- the gate

def _citizen(now: str):
    source = Source.from_text("citizen.yaml", f'personnummer: 19730120-9289\nregion: "06"\nnow: {now}\n')
    node, _ = parse(source)
    person, diags = load_citizen(node, source)
    assert person is not None, diags
    return person


@pytest.fixture(scope="module")
def book_care():
    setup, diags = api.load_gate(BOOK_CARE)
    assert setup is not None and setup.config is not None, diags
    return setup


def _slots(setup, text: str):
    from formflow.booking.slots import load_slots

    source = Source.from_text("slots.yaml", "slots:\n" + text)
    node, _ = parse(source)
    slots, diags = load_slots(node, source, setup.region)
    assert slots is not None, [d.message for d in diags]
    return slots


def _decide(setup, now, need, slots, choice=None, lang=None):
    from formflow.simulate.walk import walk

    who = _citizen(now)
    w = walk(setup.program, who.facts(), {"breathing": False, "need": need})
    assert w.complete
    return evaluate(setup.config, setup.program, w, who, region=setup.region, slots=slots, choice=choice,
                    lang=lang)


SAME_DAY = """\
  - {id: t1, clinic: vc_tenhult, appointment_type: same_day_visit, start: 2024-03-01T10:29}
  - {id: t2, clinic: vc_tenhult, appointment_type: same_day_visit, start: 2024-03-01T10:30}
  - {id: b1, clinic: vc_bankeryd, appointment_type: same_day_visit, start: 2024-03-01T10:45}
  - {id: b2, clinic: vc_bankeryd, appointment_type: same_day_visit, start: 2024-03-01T11:00}
  - {id: v1, clinic: vc_tenhult, appointment_type: video_visit, start: 2024-03-01T11:00}
"""


def test_every_refused_slot_says_why(book_care):
    d = _decide(book_care, "2024-03-01T10:00", "acute", _slots(book_care, SAME_DAY))
    assert [s.id for s in d.slots.offered] == ["t2", "b2"] and d.slots.chosen.id == "t2"
    why = {s.id: (r.reason, r.detail) for s, r in d.slots.refused_slots}
    assert why["t1"] == ("lead_time", "starts less than 30 minutes from now (from 10:30)")
    assert why["b1"] == ("lead_time", "starts less than 60 minutes from now (the clinic's lead time)")
    assert d.slots.elsewhere == 1 and d.make_booking["requestedTimeslot"]["startTimeInclusive"] == "20240301103000"


def test_the_citizen_chooses_a_clinic_and_a_slot(book_care):
    slots = _slots(book_care, SAME_DAY)
    d = _decide(book_care, "2024-03-01T10:00", "acute", slots, Choice(clinic="vc_bankeryd"))
    assert [s.id for s in d.slots.offered] == ["b2"] and d.slots.chosen.id == "b2"
    assert d.make_booking["requestedTimeslot"]["healthcare_facility"] == "SE2321000057-E30003"
    by_time = _decide(book_care, "2024-03-01T10:00", "acute", slots, Choice(slot="2024-03-01 11:00"))
    assert by_time.slots.chosen.id == "b2" and not by_time.booking_problems
    refused = _decide(book_care, "2024-03-01T10:00", "acute", slots, Choice(slot="b1"))
    assert refused.slots.chosen is None and refused.make_booking is None
    assert refused.booking_problems == ("the slot chosen (b1) is not offered: starts less than 60 minutes from now "
                                        "(the clinic's lead time)",)
    elsewhere = _decide(book_care, "2024-03-01T10:00", "acute", slots, Choice(clinic="vc_gislaved", slot="t2"))
    assert elsewhere.booking_problems == ("the slot chosen (t2) is at another clinic than 'vc_gislaved'",)
    unknown = _decide(book_care, "2024-03-01T10:00", "acute", slots, Choice(clinic="vc_nowhere"))
    assert "is not one of this booking's clinics" in unknown.booking_problems[0]


def test_nothing_free_is_the_authors_text_and_the_fallback(book_care):
    d = _decide(book_care, "2024-03-01T15:00", "acute", _slots(book_care, SAME_DAY), lang="en")
    assert d.allowed and d.slots.offered == () and d.slots.chosen is None and d.make_booking is None
    assert d.slots.no_free_times == "There are no free times today. Chat with a nurse – you get priority today."
    assert d.slots.fallback["outcome"] == "nurse_chat" and d.slots.fallback["urgency"] == "same_day"
    assert d.slots.fallback["message"].startswith("Chat with a nurse today")


def test_gate_evaluate_shows_choices_refusals_and_the_fallback_in_text_and_json():
    runner = CliRunner()
    scen = JONKOPING / "scenarios"
    answers = scen / "answers.tmp.yaml"
    args = ["gate", "evaluate", str(BOOK_CARE), "--citizen", str(scen / "c.tmp.yaml"), "--answers", str(answers),
            "--slots", str(scen / "slots" / "video_2024-03-30.yaml")]
    try:
        answers.write_text("breathing: nej\nneed: doctor_talk\n", encoding="utf-8")
        (scen / "c.tmp.yaml").write_text('personnummer: 19730120-9289\nregion: "06"\nnow: 2024-03-30T10:00\n',
                                         encoding="utf-8")
        r = runner.invoke(app, args + ["--slot", "v2"])
        assert r.exit_code == 0, r.output
        assert "→ 2024-03-31 11:00–11:15  vc_gislaved  [v2]" in r.output
        assert "✗ 2024-03-31 11:15  vc_gislaved  [v3]: starts more than 24 hours from now (until 2024-03-31 11:00)" \
            in r.output
        out = json.loads(runner.invoke(app, args + ["--format", "json"]).output)
        assert out["slots"]["chosen"]["id"] == "v1" and out["slots"]["fallback"] is None
        assert {s["id"]: s["reason"] for s in out["slots"]["refused_slots"]} == {"v0": "lead_time", "v3": "beyond_hours"}
        (scen / "c.tmp.yaml").write_text('personnummer: 19730120-9289\nregion: "06"\nnow: 2024-04-02T10:00\n',
                                         encoding="utf-8")
        full = json.loads(runner.invoke(app, args + ["--format", "json"]).output)
        assert full["slots"]["offered"] == [] and full["slots"]["fallback"]["outcome"] == "nurse_chat"
        assert "inga lediga videotider" in full["slots"]["no_free_times"]
        assert runner.invoke(app, args[:-2] + ["--clinic", "vc_tenhult"]).exit_code == 2  # a choice needs slots
    finally:
        answers.unlink(missing_ok=True)
        (scen / "c.tmp.yaml").unlink(missing_ok=True)


def test_the_gate_configuration_carries_windows_working_days_and_fallbacks(book_care):
    config = book_care.config
    assert config["working_days"] == {"holidays": "SE", "categories": ["public", "de_facto"],
                                      "weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday"],
                                      "closed": []}
    by_outcome = {b["outcome"]: b for b in config["bookings"]}
    assert by_outcome["visit_today"]["window"] == {"lead_minutes": 30, "within_hours": None,
                                                   "within_working_days": None, "today_only": True, "dates": []}
    assert by_outcome["video_call"]["window"]["within_hours"] == 24
    assert by_outcome["nurse_visit"]["window"]["within_working_days"] == 3
    assert by_outcome["nurse_visit"]["fallback"]["outcome"] == "nurse_chat"
    bankeryd = next(c for c in by_outcome["visit_today"]["clinics"] if c["id"] == "vc_bankeryd")
    assert bankeryd["horizon_days"] == 14 and bankeryd["lead_minutes"] == 60
    assert config["booking_systems"][0]["lead_minutes"] == 15


# ---------------------------------------------------------------------------------------- the checks

def _check(tmp_path, body: str, region_yaml: str | None = None):
    root = tmp_path / "regions" / "jonkoping"
    (root / "flows").mkdir(parents=True)
    (root / "region.yaml").write_text(region_yaml or (JONKOPING / "region.yaml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    path = root / "flows" / "example.flow"
    path.write_text('flow example "Exempel" {\n  languages sv\n' + body + "}\n", encoding="utf-8")
    return api.check_file(path)


def _found(result):
    return sorted((d.code, d.position()[0]) for d in result.diagnostics)


CHAT = '  outcome chat: chat "Chatta med oss." urgency same_day\n'
ASK = '  question ok: yes_no "Vill du boka?"\n  if ok { end book }\n  end chat\n'


def test_each_misuse_of_a_window_is_reported_at_its_line_with_a_hint(tmp_path):
    result = _check(tmp_path, CHAT + """\
  outcome book: booking "Boka." appointment follow_up
     window lead 90 minutes
     window within 1 hours
     window within 0 working_days
     window not_within 400 days of today
     window not_before ok
     window before later
     when_full chatt "Inga tider."
  question ok: yes_no "Vill du boka?"
  if ok {
    question later: date "När?"
  }
  question go: yes_no "Boka nu?"
  if go { end book }
  end chat
""")
    assert _found(result) == [("FF204", 10), ("FF741", 5), ("FF741", 7), ("FF741", 8), ("FF742", 9), ("FF743", 11)]
    assert all(d.help for d in result.diagnostics)
    by_code = {d.code: d for d in result.diagnostics}
    assert by_code["FF743"].help == "did you mean 'chat'?"


def test_a_guarded_date_rule_may_read_an_optional_answer(tmp_path):
    result = _check(tmp_path, CHAT + """\
  outcome book: booking "Boka." appointment follow_up
     window not_within 7 days of other when answered(other)
     window not_before other + 2 weeks
  question other: date "Annat vaccin?" optional
""" + ASK)
    assert _found(result) == [("FF205", 6)]  # the unguarded rule only: an optional answer needs answered(...)


def test_today_only_at_clinics_that_book_from_the_next_day_never_offers_a_slot(tmp_path):
    region = (JONKOPING / "region.yaml").read_text(encoding="utf-8").replace("earliest_booking: same_day",
                                                                               "earliest_booking: next_day")
    result = _check(tmp_path, CHAT + '  outcome book: booking "Boka." appointment follow_up\n     window today_only\n'
                    + ASK, region)
    assert _found(result) == [("FF741", 5)]
    assert "books from the next day" in result.diagnostics[0].message


def test_fallbacks_must_name_an_outcome_that_does_not_book(tmp_path):
    result = _check(tmp_path, CHAT + """\
  outcome other: booking "Boka." appointment follow_up
  outcome book: booking "Boka." appointment follow_up when_full other "Fullt."
  outcome talk: chat "Prata." when_full chat "Fullt."
  question ok: yes_no "Vill du boka?"
  if ok { end book }
  question more: yes_no "Mer?"
  if more { end other }
  if not more { end talk }
  end chat
""")
    assert ("FF743", 5) in _found(result) and ("FF719", 6) in _found(result)


def test_a_holiday_set_that_does_not_exist_is_ff740_at_its_place():
    from formflow.region.load import load_region_text

    base = (JONKOPING / "region.yaml").read_text(encoding="utf-8")
    for needle, place in (("holidays: XX", "holidays: XX"), ("holidays: NO", "categories:")):  # Norway: no de_facto
        region, diags = load_region_text("region.yaml", base.replace("holidays: SE", needle))
        assert region is None and [d.code for d in diags] == ["FF740"], [d.message for d in diags]
        line = base.replace("holidays: SE", needle).splitlines()[diags[0].position()[0] - 1]
        assert place in line and diags[0].help
    for bad, needle in (("weekdays: [monday", "weekdays: [mondag"), ("categories: [public", "categories: [nope")):
        region, diags = load_region_text("region.yaml", base.replace(bad, needle))
        assert region is None and [d.code for d in diags] == ["FF706"] and "did you mean" in diags[0].help or \
            diags[0].help.startswith("write one of")


# ---------------------------------------------------------------------------------------- scenarios

def test_scenario_expectations_about_windows_can_fail(tmp_path):
    from formflow.simulate.testrun import run_scenarios

    root = tmp_path / "regions" / "jonkoping"
    shutil.copytree(JONKOPING, root)
    for other in (root / "scenarios").glob("*.yaml"):
        other.unlink()
    (root / "scenarios" / "book_care.yaml").write_text("""\
flow: book_care
scenarios:
  - name: wrong about Easter
    citizen: {personnummer: 19730120-9289, region: "06", now: 2024-03-28T09:00}
    answers: {breathing: nej, need: wound}
    gate: {slots_file: slots/nurse_easter_2024.yaml, slot: n3}
    expect:
      outcome: nurse_visit
      booking: {allowed: yes, refused: {beyond_working_days: 0}, chosen_slot: 2024-04-05T08:00, fallback: nurse_chat}
""", encoding="utf-8")
    (result,) = run_scenarios([root]).scenarios
    lines = [m.line() for m in result.mismatches]
    assert result.status == "failed"
    assert "booking refused beyond_working_days: expected 0, got 1" in lines
    assert "booking chosen_slot: expected 2024-04-05 08:00, got no slot chosen" in lines
    assert "booking fallback: expected nurse_chat, got none" in lines
    assert any(line.startswith("booking problem: expected none, got the slot chosen (n3) is not offered: after "
                               "2024-04-04") for line in lines)


def test_prove_says_plainly_what_it_does_not_analyse():
    r = CliRunner().invoke(app, ["prove", str(BOOK_CARE), "--format", "json"])
    assert r.exit_code == 0, r.output
    notes = json.loads(r.output)["not_analysed"]
    assert len(notes) == 3 and all("which slots are offered depends on the times free" in n for n in notes)


def test_region_show_states_working_days_lead_times_and_clinic_windows():
    runner = CliRunner()
    text = runner.invoke(app, ["region", "show", str(JONKOPING)]).output
    assert "Working days: monday, tuesday, wednesday, thursday, friday; not the holidays of SE (public, de_facto)" in text
    assert "Lead time: cosmic books from 15 minutes after now" in text
    assert "Clinic window: vc_bankeryd, 14 days ahead, from 60 minutes after now" in text
    data = json.loads(runner.invoke(app, ["region", "show", str(JONKOPING), "--format", "json"]).output)
    bankeryd = next(c for c in data["clinics"] if c["id"] == "vc_bankeryd")
    assert (bankeryd["horizon_days"], bankeryd["lead_minutes"]) == (14, 60)
    assert data["working_days"]["categories"] == ["public", "de_facto"]


def test_the_gate_schema_refuses_a_window_formflow_would_not_write(book_care):
    import copy

    import jsonschema

    schema = json.loads((ROOT / "formflow" / "schemas" / "gate.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(book_care.config, schema)
    for key, value in (("within_working_days", 61), ("within_hours", 0), ("lead_minutes", -1)):
        bad = copy.deepcopy(book_care.config)
        bad["bookings"][0]["window"][key] = value
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
