"""Booking gates: the Halland flow's gate decides on verified facts and evidence, never on a "Ja".

The decision is made on the compiled gate configuration (`<flow>.gate.json`), as a booking service
would enforce it. Personnummer are Skatteverket's test numbers.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from conftest import citizen_from_text, halland_scenario_run
from formflow import api
from formflow.booking.evidence import normalise_code, same_code
from formflow.booking.gate import evaluate
from formflow.inputs.yamlnode import parse
from formflow.source import Source

ROOT = Path(__file__).resolve().parent.parent
HALLAND = ROOT / "regions" / "halland"
FLOW = HALLAND / "flows" / "covid_vaccination.flow"
SCEN = HALLAND / "scenarios"
HEALTHY = {"priority_groups": ["no_priority_group"], "ill_today": False, "severe_allergy": False,
           "previous_doses": "no_dose_yet", "had_covid": False, "pregnant": False, "bleeding": "no_bleeding_risk",
           "consent": True}
EVERY_GROUP = ["special_housing", "home_care", "household_home_care", "staff_elderly", "transplant_dialysis",
               "lss_support", "care_staff", "risk_group"]
UTC = timezone.utc


citizen = citizen_from_text


def person(pnr: str, now: str = "2021-04-12T09:00", extra: str = "") -> object:
    return citizen(f'personnummer: {pnr}\nregion: "13"\nnow: {now}\n{extra}')


def decide(setup, who, answers, **kw):
    from formflow.simulate.walk import walk

    typed = dict(answers)
    w = walk(setup.program, who.facts(), typed)
    assert w.complete, (w.pending, w.fault)
    return evaluate(setup.config, setup.program, w, who, region=setup.region, **kw)


@pytest.fixture(scope="module")
def no_routing_guard(tmp_path_factory):
    """The Halland flow with its routing's eligibility check removed: only the gate stands between a
    citizen and the booking (defence in depth: the gate must hold on its own)."""
    root = tmp_path_factory.mktemp("halland") / "regions" / "halland"
    shutil.copytree(HALLAND, root)
    path = root / "flows" / "covid_vaccination.flow"
    text = path.read_text(encoding="utf-8")
    start = text.index("  if not (phase_1 or phase_2 or phase_3 or phase_4) {")
    end = text.index("  # ---------------------------------------------------------------- health declaration")
    guard = ("  if priority_groups has no_priority_group and not (phase_1 or phase_2 or phase_3 or phase_4) {\n"
             "    end not_yet\n  }\n")  # 2021: whoever claims a group goes on to booking
    path.write_text(text[:start] + guard + text[end:], encoding="utf-8")
    setup, diags = api.load_gate(path)
    assert setup is not None, [d.message for d in diags if d.is_error]
    return setup


# ---------------------------------------------------------------------------------------- who may book

def test_a_40_year_old_claiming_every_group_is_denied_even_when_the_routing_lets_them_through(no_routing_guard):
    d = decide(no_routing_guard, person("19800610-2381"), {**HEALTHY, "priority_groups": EVERY_GROUP})
    assert d.outcome == "book_vaccination" and not d.allowed and d.route is None
    assert all(not r.passed for r in d.routes)
    assert d.reasons == ("no route of gate 'covid_priority' is passed",)


def test_a_40_year_old_claiming_every_group_gets_no_booking_in_the_real_flow(halland):
    d = decide(halland, person("19800610-2381"), {"priority_groups": EVERY_GROUP})
    assert not d.allowed and d.outcome == "not_verified"
    assert "books nothing" in d.reasons[0]


def test_an_80_year_old_books_through_the_birth_year_cohort(halland):
    d = decide(halland, person("19410321-9202"), HEALTHY)
    assert d.allowed and d.route == "born_1941_or_earlier" and d.appointment_type == "covid_vaccination"


def test_an_invited_household_contact_books_with_the_code_from_the_letter(halland):
    who = citizen((SCEN / "citizens" / "household_fas1.yaml").read_text(encoding="utf-8"))
    answers = {**HEALTHY, "priority_groups": ["household_home_care"]}
    assert decide(halland, who, answers, code="HK7Q-4932").route == "phase_1"
    denied = decide(halland, who, answers)
    assert not denied.allowed
    phase_1 = next(r for r in denied.routes if r.id == "phase_1")
    assert phase_1.needs_code and "needs the code" in phase_1.reasons[0]


def test_cohorts_open_on_their_swedish_date(halland):
    born_1950 = "19500118-2046"
    for now, allowed in (("2021-03-21T23:59", False), ("2021-03-22T00:00", True)):
        d = decide(halland, person(born_1950, now), HEALTHY)
        assert d.allowed is allowed, now
    closed = decide(halland, person(born_1950, "2021-03-21T23:59"), HEALTHY)
    assert "opens on 2021-03-22" in next(r for r in closed.routes if r.id == "born_1956_or_earlier").reasons


def test_wrong_codes_count_down_and_then_lock_the_route(halland):
    answers = {**HEALTHY, "priority_groups": ["household_home_care"]}
    for failed, reason in ((0, "4 attempts left"), (3, "1 attempt left"), (4, "; locked until 2021-04-13 09:00"),
                           (5, "locked until 2021-04-13 08:59 after too many wrong codes")):
        who = person("19751010-9247", extra="invitations: [covid-fas1]\nbooking:\n"
                     f"  invitation_codes: {{covid-fas1: HK7Q-4932}}\n  failed_code_attempts: {{covid-fas1: {failed}}}\n")
        d = decide(halland, who, answers, code="HK7Q-0000")
        assert not d.allowed and reason in next(r for r in d.routes if r.id == "phase_1").reasons[0]
    locked = person("19751010-9247", extra="invitations: [covid-fas1]\nbooking:\n"
                    "  invitation_codes: {covid-fas1: HK7Q-4932}\n  failed_code_attempts: {covid-fas1: 5}\n")
    assert not decide(halland, locked, answers, code="HK7Q-4932").allowed  # locked: even the right code


def test_a_code_issued_to_someone_else_is_no_evidence(halland):
    """The code is bound to the personnummer: the 80-year-old's neighbour cannot use the letter."""
    neighbour = person("19800610-2381", extra="invitations: [covid-fas1]\n")
    d = decide(halland, neighbour, {**HEALTHY, "priority_groups": ["household_home_care"]}, code="HK7Q-4932")
    assert not d.allowed  # and the letter's code is a wrong guess for the neighbour: it counts
    assert next(r for r in d.routes if r.id == "phase_1").reasons == (
        "wrong code for invitation 'covid-fas1', 4 attempts left",)


def test_a_login_without_e_id_does_not_pass(halland):
    who = person("19410321-9202", extra="booking: {login: none}\n")
    d = decide(halland, who, HEALTHY)
    assert not d.allowed and "e-ID" in d.routes[0].reasons[0]


def test_one_active_booking_and_whether_it_may_still_be_cancelled(halland):
    who = citizen((SCEN / "citizens" / "born_1941_booked.yaml").read_text(encoding="utf-8"))
    d = decide(halland, who, HEALTHY)
    assert not d.allowed and "one active booking" in d.reasons[0]
    (active,) = d.active
    assert active.may_cancel and active.start == datetime(2021, 4, 13, 7, 0, tzinfo=UTC)


def test_cancel_rule_at_exactly_24_hours_in_a_pasis_region(tmp_path):
    root = tmp_path / "regions" / "halland"
    shutil.copytree(HALLAND, root)
    config = root / "region.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("cancel_until_hours: 0", "cancel_until_hours: 24"),
                      encoding="utf-8")
    setup, diags = api.load_gate(root / "flows" / "covid_vaccination.flow")
    assert setup is not None, diags
    booking = "booking:\n  bookings:\n    - {appointment_type: covid_vaccination, clinic: vc_laholm, start: 2021-04-13T09:00}\n"
    for now, may in (("2021-04-12T09:00", True), ("2021-04-12T09:01", False)):
        (active,) = decide(setup, person("19410321-9202", now, booking), HEALTHY).active
        assert active.may_cancel is may, now
        assert active.cancel_deadline == datetime(2021, 4, 12, 7, 0, tzinfo=UTC)


def test_flags_travel_with_the_booking_in_the_chosen_language(halland):
    answers = {**HEALTHY, "bleeding": "anticoagulant"}
    assert decide(halland, person("19410321-9202"), answers).flags == ("Hälsodeklaration: tar blodförtunnande läkemedel",)
    assert decide(halland, person("19410321-9202"), answers, lang="en").flags == \
        ("Health declaration: takes blood-thinning medicines",)
    assert decide(halland, person("19410321-9202"), HEALTHY).flags == ()


# ---------------------------------------------------------------------------------------- slots and time

def _slots(setup, text: str):
    from formflow.booking.slots import load_slots

    source = Source.from_text("slots.yaml", text)
    node, _ = parse(source)
    slots, diags = load_slots(node, source, setup.region)
    assert slots is not None, [d.message for d in diags]
    return slots


def test_a_0900_slot_the_day_after_summer_time_starts_is_0700z_in_make_booking(halland):
    slots = _slots(halland, "slots:\n  - {clinic: vc_laholm, appointment_type: covid_vaccination, start: 2021-03-29T09:00}\n")
    assert slots[0].start == datetime(2021, 3, 29, 7, 0, tzinfo=UTC)
    d = decide(halland, person("19410321-9202", "2021-03-28T12:00"), HEALTHY, slots=slots)
    assert [s.start for s in d.slots.offered] == [datetime(2021, 3, 29, 7, 0, tzinfo=UTC)]
    request = d.make_booking["requestedTimeslot"]
    assert request["startTimeInclusive"] == "20210329090000" and request["endTimeExclusive"] == "20210329090500"
    assert request["timeTypeID"] == "COVID19" and request["healthcare_facility"] == "SE2321000115-E10002"
    assert request["subject_of_care"] == "194103219202"


def test_the_gate_horizon_counts_swedish_calendar_days(halland):
    slots = _slots(halland, "slots:\n"
                   "  - {id: last, clinic: vc_laholm, appointment_type: covid_vaccination, start: 2021-04-26T23:55}\n"
                   "  - {id: beyond, clinic: vc_laholm, appointment_type: covid_vaccination, start: 2021-04-27T00:00}\n"
                   "  - {id: visit, clinic: vc_laholm, appointment_type: visit, start: 2021-04-13T10:00}\n")
    d = decide(halland, person("19410321-9202"), HEALTHY, slots=slots)
    assert [s.id for s in d.slots.offered] == ["last"] and dict(d.slots.refused) == {"beyond_horizon": 1}
    assert d.slots.horizon_days == 14


def test_flags_become_the_reason_of_the_booking_request(halland):
    slots = _slots(halland, "slots:\n  - {clinic: vc_laholm, appointment_type: covid_vaccination, start: 2021-04-13T09:00}\n")
    d = decide(halland, person("19410321-9202"), {**HEALTHY, "bleeding": "anticoagulant"}, slots=slots)
    assert d.make_booking["requestedTimeslot"]["reason"] == "Hälsodeklaration: tar blodförtunnande läkemedel"


# ---------------------------------------------------------------------------------------- the artifact

def test_gate_config_validates_against_its_schema_and_holds_no_personal_data():
    result = api.compile_result(api.check_file(FLOW))
    gate = json.loads(next(a for a in result.artifacts if a.kind == "gate").data)
    schema = json.loads((ROOT / "formflow/schemas/gate.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(gate)
    text = json.dumps(gate)
    without_ids = re.sub(r"SE\d{10}-\w+|72791000052103|[0-9a-f]{64}", "", text)  # HSA-ids, SNOMED CT, sha256
    assert not re.search(r"\d{6,8}[-+]?\d{4}", without_ids)  # no personnummer
    assert "HK7Q" not in text  # no invitation codes
    (booking,) = gate["bookings"]
    assert booking["appointment_type"]["snomed_ct"] == "72791000052103" and booking["appointment_type"]["protected"]
    routes = {r["id"]: r for r in gate["gates"][0]["routes"]}
    assert routes["born_1956_or_earlier"]["opens"] == "2021-03-22"
    assert routes["phase_1"]["evidence"] == {"login": "e_id", "invitation_code": {"invitation": "covid-fas1",
                                                                                  "attempts": 5}}
    broken = dict(gate, gates=[dict(gate["gates"][0], routes=[])])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_gate_schema_shares_the_form_schemas_expressions():
    form = json.loads((ROOT / "formflow/schemas/form.schema.json").read_text(encoding="utf-8"))
    gate = json.loads((ROOT / "formflow/schemas/gate.schema.json").read_text(encoding="utf-8"))
    for name in ("at", "texts", "value_type", "expr"):
        assert gate["$defs"][name] == form["$defs"][name], name


def test_the_self_declared_variant_is_rejected_with_the_halland_rule(tmp_path):
    root = tmp_path / "regions" / "halland"
    shutil.copytree(HALLAND, root)
    path = root / "flows" / "covid_vaccination.flow"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'when citizen\.has_invitation\("covid-fas1"\) invitation_code "covid-fas1" attempts 5',
                  "when priority_groups has any [special_housing, home_care, household_home_care]", text)
    path.write_text(text, encoding="utf-8")
    result = api.check_file(path)
    (diag,) = [d for d in result.diagnostics if d.is_error]
    assert diag.code == "FF714" and "route 'phase_1'" in diag.message
    assert not api.compile_result(result).artifacts


# ---------------------------------------------------------------------------------------- evidence

@given(st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=4, max_size=12), st.data())
def test_codes_match_however_they_are_typed(code, data):
    typed = "".join(c.lower() if data.draw(st.booleans()) else c for c in code)
    cut = data.draw(st.integers(0, len(typed)))
    typed = typed[:cut] + data.draw(st.sampled_from(["", " ", "-", " - ", "\u2011"])) + typed[cut:]
    assert same_code(typed, code)
    assert normalise_code(normalise_code(typed)) == normalise_code(typed)


def test_full_width_digits_match_and_empty_codes_never_do():
    assert same_code("ＨＫ７Ｑ－４９３２", "HK7Q-4932")
    assert not same_code("", "") and not same_code("  -  ", "HK7Q-4932") and not same_code("HK7Q4933", "HK7Q-4932")


# ---------------------------------------------------------------------------------------- the command

def _run(*args):
    return CliRunner().invoke(app, ["gate", "evaluate", str(FLOW), *args])


def test_cli_exit_codes_and_masked_output():
    healthy = str(SCEN / "answers" / "healthy_first_dose.yaml")
    ok = _run("--citizen", str(SCEN / "citizens/born_1941.yaml"), "--answers", healthy,
              "--slots", str(SCEN / "slots/april_2021.yaml"))
    assert ok.exit_code == 0 and "ALLOWED through route 'born_1941_or_earlier'" in ok.output
    assert "3 offered" in ok.output and "194103219202" not in ok.output and "19410321" not in ok.output
    denied = _run("--citizen", str(SCEN / "citizens/household_fas1.yaml"), "--answers", healthy, "--code", "x",
                  "--format", "json")
    assert denied.exit_code == 3
    data = json.loads(denied.output)
    assert data["allowed"] is False and data["routes"][2]["attempts_left"] == 4
    allowed = _run("--citizen", str(SCEN / "citizens/born_1941.yaml"), "--answers", healthy, "--format", "json",
                   "--slots", str(SCEN / "slots/april_2021.yaml"))
    payload = json.loads(allowed.output)["make_booking"]
    assert payload["requestedTimeslot"]["subject_of_care"] == "************"
    assert _run("--citizen", "nope.yaml", "--answers", healthy).exit_code == 2
    assert _run("--citizen", str(SCEN / "citizens/born_1941.yaml"), "--answers", healthy, "--lang", "fi").exit_code == 2


def test_cli_reports_bad_booking_state_at_its_place(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text('personnummer: 19410321-9202\nregion: "13"\nnow: 2021-04-12T09:00\n'
                   "booking:\n  login: bankid\n  failed_code_attempts: {covid-fas1: -1}\n  bookngs: []\n",
                   encoding="utf-8")
    res = _run("--citizen", str(bad), "--answers", str(SCEN / "answers" / "healthy_first_dose.yaml"))
    assert res.exit_code == 1 and "Traceback" not in res.output
    for code, where in (("FF510", ":5:10"), ("FF510", ":6:38"), ("FF511", ":7:3")):
        assert re.search(rf"error\[{code}\].*\n\s*--> .*c\.yaml{where}", res.output), (code, res.output)
    assert "19410321-9202" not in res.output


# ---------------------------------------------------------------------------------------- scenarios

def _scenario_run(tmp_path, body: str):
    return halland_scenario_run(tmp_path, body)


def test_a_booking_expectation_that_does_not_hold_fails_with_a_diff(tmp_path):
    run = _scenario_run(tmp_path, """\
  - name: the household contact forgot the code
    citizen_file: citizens/household_fas1.yaml
    answers_file: answers/healthy_first_dose.yaml
    gate: {slots_file: slots/april_2021.yaml}
    expect:
      outcome: book_vaccination
      booking: {allowed: yes, route: phase_1, offered: 2, first_slot: 2021-04-12T13:00}
""")
    (result,) = run.scenarios
    assert result.status == "failed"
    lines = [m.line() for m in result.mismatches]
    assert lines[0].startswith("booking: expected allowed, got denied (no route of gate 'covid_priority' is passed")
    assert "booking route: expected phase_1, got none" in lines
    assert "booking offered: expected 2 slots, got 0" in lines
    assert "booking first_slot: expected 2021-04-12 13:00, got no slot offered" in lines


def test_booking_expectations_that_cannot_be_checked_are_errors(tmp_path):
    run = _scenario_run(tmp_path, """\
  - name: slots expected without a slots file
    citizen_file: citizens/born_1941.yaml
    answers_file: answers/healthy_first_dose.yaml
    gate: {code: 12, slot_file: x.yaml}
    expect:
      outcome: book_vaccination
      booking: {allowed: maybe, offered: 3}
""")
    (result,) = run.scenarios
    assert result.status == "error"
    codes = sorted(d.code for d in result.diagnostics)
    assert codes == ["FF510", "FF511"], [d.message for d in result.diagnostics]  # allowed: maybe; slot_file


def test_offered_slots_need_a_slots_file(tmp_path):
    run = _scenario_run(tmp_path, """\
  - name: slots expected without a slots file
    citizen_file: citizens/born_1941.yaml
    answers_file: answers/healthy_first_dose.yaml
    expect:
      outcome: book_vaccination
      booking: {allowed: yes, offered: 3}
""")
    (result,) = run.scenarios
    assert result.status == "error" and [d.code for d in result.diagnostics] == ["FF512"]
    assert "slots_file" in result.diagnostics[0].help


def test_simulate_says_what_the_gate_decides():
    res = CliRunner().invoke(app, ["simulate", str(FLOW), "--citizen", str(SCEN / "citizens/household_fas1.yaml"),
                                   "--answers", str(SCEN / "answers/healthy_first_dose.yaml")])
    assert res.exit_code == 0
    assert "booking: denied — needs the code from invitation 'covid-fas1' (letter or SMS)" in res.output


SECOND_DOSE = '''flow second_dose "Dos 2" {
  languages sv
  outcome book: booking "Boka dos 2." appointment covid_vaccination through dose_2
  gate dose_2 "Vem får boka dos 2" {
    route invited "Öppen kallelse till dos 2" when citizen.has_invitation("covid-dos2") open_invitation "covid-dos2"
    route staff "Personal på listan" when citizen.age >= 18 allow_list "vaccinators" allow_list "care_staff"
  }
  end book
}
'''


def _second_dose(tmp_path, open_invitations: bool):
    root = tmp_path / "regions" / "halland"
    shutil.copytree(HALLAND, root)
    config = root / "region.yaml"
    entitled = ("      - {invitation: covid-fas4}\n      - {invitation: covid-dos2}\n"
                "      - {allow_list: vaccinators}\n      - {allow_list: care_staff}\n")
    config.write_text(config.read_text(encoding="utf-8").replace("      - {invitation: covid-fas4}\n", entitled),
                      encoding="utf-8")
    if open_invitations:
        config.write_text(config.read_text(encoding="utf-8").replace(
            "    horizon_days: 42", "    horizon_days: 42\n    open_invitations: yes"), encoding="utf-8")
    path = root / "flows" / "second_dose.flow"
    path.write_text(SECOND_DOSE, encoding="utf-8")
    setup, diags = api.load_gate(path)
    assert setup is not None, [d.message for d in diags if d.is_error]
    return setup


def test_an_open_invitation_books_against_its_booking_id(tmp_path):
    setup = _second_dose(tmp_path, open_invitations=True)
    slots = _slots(setup, "slots:\n  - {clinic: vc_laholm, appointment_type: covid_vaccination, start: 2021-05-03T10:00}\n")
    who = person("19800610-2381", extra="invitations: [covid-dos2]\nbooking:\n  open_invitations: {covid-dos2: BK-2021-000123}\n")
    d = decide(setup, who, {}, slots=slots)
    assert d.allowed and d.route == "invited" and d.make_booking["requestedTimeslot"]["bookingId"] == "BK-2021-000123"
    without = decide(setup, person("19800610-2381", extra="invitations: [covid-dos2]\n"), {}, slots=slots)
    assert not without.allowed
    assert "no open invitation 'covid-dos2' is registered" in without.routes[0].reasons[0]


def test_an_open_invitation_on_a_booking_system_without_them_does_not_compile(tmp_path):
    with pytest.raises(AssertionError, match="takes no booking id"):
        _second_dose(tmp_path, open_invitations=False)


def test_allow_lists_any_of(tmp_path):
    setup = _second_dose(tmp_path, open_invitations=True)
    listed = decide(setup, person("19800610-2381", extra="booking: {allow_lists: [care_staff]}\n"), {})
    assert listed.allowed and listed.route == "staff"
    unlisted = decide(setup, person("19800610-2381", extra="booking: {allow_lists: [other]}\n"), {})
    assert not unlisted.allowed
    assert unlisted.routes[1].reasons == ("the personnummer is not on the list 'vaccinators' or the list 'care_staff'",)


def test_an_expected_route_the_gates_do_not_have_is_reported_with_the_nearest(tmp_path):
    run = _scenario_run(tmp_path, """\
  - name: a misspelt route
    citizen_file: citizens/born_1941.yaml
    answers_file: answers/healthy_first_dose.yaml
    expect:
      outcome: book_vaccination
      booking: {allowed: yes, route: born_1941_or_erlier}
""")
    (result,) = run.scenarios
    (diag,) = result.diagnostics
    assert result.status == "error" and diag.code == "FF609"
    assert diag.help == "did you mean 'born_1941_or_earlier'?"


def test_interactive_simulate_asks_for_the_code_a_route_needs():
    import subprocess
    import sys

    answers = "\n3\nnej\nnej\n1\nnej\nnej\n1\n\nja\nhk7q 4932\n"  # info, household, healthy, no other vaccine, consent, the code
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "simulate", str(FLOW), "--citizen",
                        str(SCEN / "citizens/household_fas1.yaml")], input=answers, capture_output=True, text=True,
                       timeout=60, cwd=str(ROOT))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Kod från kallelsen:" in r.stdout
    assert "booking: allowed through route 'phase_1' of gate 'covid_priority'" in r.stdout


def test_no_code_is_compared_without_a_login_or_after_a_route_was_passed(halland):
    answers = {**HEALTHY, "priority_groups": ["household_home_care"]}
    anonymous = person("19751010-9247", extra="invitations: [covid-fas1]\nbooking:\n  login: none\n"
                       "  invitation_codes: {covid-fas1: HK7Q-4932}\n")
    for typed in ("WRONG-0000", "HK7Q-4932"):  # the answer must not tell a wrong code from the right one
        phase_1 = next(r for r in decide(halland, anonymous, answers, code=typed).routes if r.id == "phase_1")
        assert phase_1.reasons == ("needs a login with e-ID (BankID or Freja eID Plus)",)
        assert phase_1.attempts_left is None
    elderly = person("19410321-9202", extra="invitations: [covid-fas1]\nbooking:\n"
                     "  invitation_codes: {covid-fas1: HK7Q-4932}\n")
    d = decide(halland, elderly, answers, code="WRONG-0000")
    assert d.route == "born_1941_or_earlier"
    later = [r for r in d.routes if r.id.startswith("phase")]
    assert all(r.reasons == ("not tried: route 'born_1941_or_earlier' was passed first",) for r in later)
    assert all(r.attempts_left is None for r in later)


def test_a_code_of_separators_only_is_no_attempt(halland):
    who = citizen((SCEN / "citizens" / "household_fas1.yaml").read_text(encoding="utf-8"))
    d = decide(halland, who, {**HEALTHY, "priority_groups": ["household_home_care"]}, code=" - ")
    phase_1 = next(r for r in d.routes if r.id == "phase_1")
    assert phase_1.needs_code and phase_1.attempts_left is None


def test_slots_in_the_repeated_autumn_hour_are_not_offered(halland):
    slots = _slots(halland, "slots:\n"
                   "  - {id: a, clinic: vc_laholm, appointment_type: covid_vaccination, start: 2021-10-31T02:30+02:00}\n"
                   "  - {id: b, clinic: vc_laholm, appointment_type: covid_vaccination, start: 2021-10-31T01:57}\n"
                   "  - {id: c, clinic: vc_laholm, appointment_type: covid_vaccination, start: 2021-10-31T03:00}\n")
    d = decide(halland, person("19410321-9202", "2021-10-30T12:00"), HEALTHY, slots=slots)
    assert [s.id for s in d.slots.offered] == ["c"]  # b ends at 02:02, in the repeated hour too
    assert dict(d.slots.refused) == {"ambiguous_local_time": 2}
    assert d.make_booking["requestedTimeslot"]["startTimeInclusive"] == "20211031030000"


def test_invitation_codes_never_appear_in_diagnostics(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text('personnummer: 19751010-9247\nregion: "13"\nnow: 2021-04-12T09:00\n'
                   'booking: {invitation_codes: {covid-fas1: "HK7Q-4932"}, login: maybe}\n', encoding="utf-8")
    res = _run("--citizen", str(bad), "--answers", str(SCEN / "answers" / "healthy_first_dose.yaml"))
    assert res.exit_code == 1 and "login level" in res.output
    assert "HK7Q" not in res.output and "4932" not in res.output
    block = tmp_path / "d.yaml"
    block.write_text('personnummer: 19751010-9247\nregion: "13"\nnow: 2021-04-12T09:00\nbooking:\n'
                     '  invitation_codes:\n    covid-fas1: ["HK7Q-4932"]\n    "HK7Q-4932":\n', encoding="utf-8")
    res = _run("--citizen", str(block), "--answers", str(SCEN / "answers" / "healthy_first_dose.yaml"),
               "--format", "json")
    assert res.exit_code == 1 and "HK7Q" not in res.output
    assert json.loads(res.output)["diagnostics"][0]["code"] == "FF510"  # input problems as JSON with --format json


def test_an_active_booking_must_name_the_regions_type_and_clinic(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text('personnummer: 19410321-9202\nregion: "13"\nnow: 2021-04-12T09:00\nbooking:\n  bookings:\n'
                   "    - {appointment_type: covid-vaccination, clinic: vc_laholm, start: 2021-04-13T09:00}\n",
                   encoding="utf-8")
    res = _run("--citizen", str(bad), "--answers", str(SCEN / "answers" / "healthy_first_dose.yaml"))
    assert res.exit_code == 1
    assert "error[FF703]: the region has no appointment type 'covid-vaccination'" in res.output
    assert "did you mean 'covid_vaccination'?" in res.output


def test_allowed_after_an_outcome_that_books_nothing_is_a_contradiction(tmp_path):
    run = _scenario_run(tmp_path, """\
  - name: contradiction
    citizen_file: citizens/born_1941.yaml
    answers_file: answers/healthy_first_dose.yaml
    expect:
      outcome: wait_until_well
      booking: {allowed: yes}
""")
    (result,) = run.scenarios
    assert result.status == "error" and [d.code for d in result.diagnostics] == ["FF609"]


# ---------------------------------------------------------------------------------------- proofs

def test_prove_shows_every_route_of_the_halland_gate_can_be_passed_by_someone_who_books():
    res = CliRunner().invoke(app, ["prove", str(FLOW), "--format", "json"])
    assert res.exit_code == 0, res.output
    gates = [p for p in json.loads(res.output)["properties"] if p["kind"] == "gate"]
    assert [p["name"] for p in gates] == [f"gate covid_priority route {r}" for r in
                                          ("born_1941_or_earlier", "born_1956_or_earlier", "phase_1", "phase_2",
                                           "phase_3", "phase_4")]
    assert all(p["verdict"] == "proved" and p["example"]["outcome"] == "book_vaccination" for p in gates)


def test_a_route_the_routing_makes_impossible_is_ff812_and_violated_in_prove(tmp_path):
    root = tmp_path / "regions" / "halland"
    shutil.copytree(HALLAND, root)
    path = root / "flows" / "covid_vaccination.flow"
    text = path.read_text(encoding="utf-8").replace(
        "    one_active_booking\n",
        '    route teenagers "Tonåringar" en "Teenagers" when citizen.age < 18 login e_id\n    one_active_booking\n')
    path.write_text(text, encoding="utf-8")
    result = api.check_file(path)
    (diag,) = [d for d in result.diagnostics if d.code == "FF812"]
    assert "route 'teenagers' of gate 'covid_priority' can never be passed" in diag.message
    assert not diag.is_error and "the booking this route protects" in [label.message for label in diag.secondary]
    res = CliRunner().invoke(app, ["prove", str(path), "--property", "gate covid_priority route teenagers"])
    assert res.exit_code == 1 and "VIOLATED  gate covid_priority route teenagers" in res.output
