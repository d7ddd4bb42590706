"""Invitation codes and their lockout as a booking system must run them (REFERENCE §12b).

Every evaluation is chained through the booking system's record (`Decision.state`, or the state
file of `formflow gate evaluate --state --update-state`), as the real service would keep it.
Personnummer are Skatteverket's test numbers; the codes are these tests' own.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import citizen_from_text, halland_scenario_run
from formflow import api
from formflow.booking.gate import evaluate
from formflow.booking.lockout import Attempts, GateState, LockoutPolicy, attempts_left, locked_until, record_failure
from formflow.booking.state_file import as_json, read_state
from formflow.inputs.yamlnode import parse
from formflow.simulate.walk import walk
from formflow.source import Source

ROOT = Path(__file__).resolve().parent.parent
HALLAND = ROOT / "regions" / "halland"
FLOW = HALLAND / "flows" / "covid_vaccination.flow"
HEALTHY = {"priority_groups": ["household_home_care"], "ill_today": False, "severe_allergy": False,
           "previous_doses": "no_dose_yet", "had_covid": False, "pregnant": False, "bleeding": "no_bleeding_risk",
           "consent": True}
EVERY_GROUP = ["special_housing", "home_care", "household_home_care", "staff_elderly", "transplant_dialysis",
               "lss_support", "care_staff", "risk_group"]
UTC = timezone.utc
PNR = "19751010-9247"


citizen = citizen_from_text


def invited(now="2021-04-12T09:00", codes="{covid-fas1: HK7Q-4932}", pnr=PNR, invitations="[covid-fas1]"):
    booking = f"booking:\n  invitation_codes: {codes}\n" if codes else ""
    return citizen(f'personnummer: {pnr}\nregion: "13"\ninvitations: {invitations}\nnow: {now}\n{booking}')


@pytest.fixture(scope="module")
def no_routing_guard(tmp_path_factory):
    """Halland's flow with the routing's eligibility check removed (2021: whoever claims a group goes
    on to the booking), so a citizen without any invitation reaches the gate and types codes there."""
    root = tmp_path_factory.mktemp("halland") / "regions" / "halland"
    shutil.copytree(HALLAND, root)
    path = root / "flows" / "covid_vaccination.flow"
    text = path.read_text(encoding="utf-8")
    start = text.index("  if not (phase_1 or phase_2 or phase_3 or phase_4) {")
    end = text.index("  # ---------------------------------------------------------------- health declaration")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    setup, diags = api.load_gate(path)
    assert setup is not None, [d.message for d in diags if d.is_error]
    return setup


def decide(setup, who, answers=HEALTHY, **kw):
    w = walk(setup.program, who.facts(), dict(answers))
    assert w.complete, (w.pending, w.fault)
    return evaluate(setup.config, setup.program, w, who, region=setup.region, **kw)


def route(d, rid="phase_1"):
    return next(r for r in d.routes if r.id == rid)


def at(who, moment: datetime):
    return dataclasses.replace(who, now=moment)


# ---------------------------------------------------------------------------------------- the bypasses

def test_a_person_without_a_registered_code_locks_like_anyone_else(halland):
    """Bypass 1: wrong codes of someone for whom no code is registered used to count nowhere."""
    who, state = invited(codes=""), None
    for left in (4, 3, 2, 1):
        d = decide(halland, who, code=f"GUES-{left:04d}", state=state)
        state = d.state
        assert route(d).reasons == (f"wrong code for invitation 'covid-fas1', {left} "
                                    f"attempt{'s' if left > 1 else ''} left",)
    d = decide(halland, who, code="GUES-0005", state=state)
    assert route(d).reasons == ("wrong code for invitation 'covid-fas1'; locked until 2021-04-13 09:00",)
    d = decide(halland, who, code="GUES-0006", state=d.state)
    assert "locked until 2021-04-13 09:00 after too many wrong codes" in route(d).reasons[0]
    assert route(d).attempts_left == 0


def test_a_code_typed_on_a_route_whose_invitation_check_fails_still_counts(no_routing_guard):
    """Bypass 2: with `citizen.has_invitation(...)` in the route, the typed code was not even
    compared — a guesser without the invitation learnt nothing but left no trace either."""
    stranger = citizen(f'personnummer: 19800610-2381\nregion: "13"\nnow: 2021-04-12T09:00\n')
    answers = {**HEALTHY, "priority_groups": EVERY_GROUP}
    state = None
    for i in range(5):
        d = decide(no_routing_guard, stranger, answers, code=f"GUES-{i:04d}", state=state)
        state = d.state
        assert not d.allowed
        phase_1 = route(d)
        assert phase_1.reasons[0] == "its condition does not hold for this citizen"
        assert phase_1.attempts_left == 4 - i
    for rid in ("phase_1", "phase_2", "phase_3", "phase_4"):  # every code route tried counted the guess
        assert "locked until" in route(d, rid).reasons[-1], rid
    assert len(state.attempts) == 4
    quiet = decide(no_routing_guard, stranger, answers, state=state)  # no code typed: nothing said about one
    assert route(quiet).reasons == ("its condition does not hold for this citizen",)
    assert route(quiet).attempts_left is None and route(quiet).locked_until is None


def test_a_guess_counts_in_every_category_tried_but_a_real_code_in_none(halland):
    """The household contact's guess counts against all four phases (every code route was tried); the
    code of another phase they were sent is no guess, wherever its route stands."""
    who = invited(codes="{covid-fas1: HK7Q-4932, covid-fas2: M3RT-1187}", invitations="[covid-fas1, covid-fas2]")
    guess = decide(halland, who, code="WRONG-000")
    assert [route(guess, f"phase_{i}").attempts_left for i in (1, 2, 3, 4)] == [4, 4, 4, 4]
    assert len(guess.state.attempts) == 4
    other = decide(halland, who, code="m3rt 1187", state=guess.state)
    assert other.allowed and other.route == "phase_2"  # phase_1 was tried first: its code did not match
    assert route(other).reasons == ("the code typed is the citizen's code of another invitation, not of "
                                    "invitation 'covid-fas1' (no guess)",)
    assert other.state.attempts == guess.state.attempts  # and nothing more was counted


# ---------------------------------------------------------------------------------------- chained guessing

def test_ten_thousand_guesses_get_no_more_than_the_allowed_attempts_per_window(halland):
    """A guesser types a new code every minute for a week (10,000 guesses), the record chained from
    one evaluation to the next. In no 24 hours is more than 5 codes compared; the lock lifts when its
    time is up; the right code typed while locked is refused."""
    who, state = invited(), None
    w = walk(halland.program, who.facts(), dict(HEALTHY))
    start = datetime(2021, 4, 12, 7, 0, tzinfo=UTC)
    rng = random.Random(12)
    compared, refused_right = [], 0
    for i in range(10_000):
        now = start + timedelta(minutes=i)
        right = i % 997 == 0 and i > 0  # now and then, the right code (the guesser found the letter)
        code = "HK7Q-4932" if right else f"{rng.randrange(16**8):08X}"
        d = evaluate(halland.config, halland.program, w, at(who, now), region=halland.region, code=code, state=state)
        reason = route(d).reasons[0]
        if right:
            if d.allowed:  # the right code when not locked books — and is then used up
                state = d.state
                assert decide(halland, at(who, now), code=code, state=state).allowed is False
                break
            refused_right += 1
            assert "locked until" in reason
        elif reason.startswith("wrong code"):
            compared.append(now)
        else:
            assert "locked until" in reason and "after too many wrong codes" in reason, reason
        assert not d.allowed or right
        state = d.state
    assert refused_right > 0 and len(compared) >= 5
    for j, t in enumerate(compared):  # the sliding-window bound, checked on every attempt
        assert sum(1 for u in compared[j:] if u - t < timedelta(hours=24)) <= 5
    assert len(compared) <= 5 * (7 + 1)


def test_guesses_without_any_letter_are_bounded_too(no_routing_guard):
    """The same for someone with no invitation and no code at all: 3,000 guesses (two days and more),
    at most 5 counted per 24 hours, none ever passes."""
    who = citizen('personnummer: 19800610-2381\nregion: "13"\nnow: 2021-04-12T09:00\n')
    answers = {**HEALTHY, "priority_groups": EVERY_GROUP}
    w = walk(no_routing_guard.program, who.facts(), answers)
    start, state, counted = datetime(2021, 4, 12, 7, 0, tzinfo=UTC), None, []
    for i in range(3_000):
        now = start + timedelta(minutes=i)
        d = evaluate(no_routing_guard.config, no_routing_guard.program, w, at(who, now),
                     region=no_routing_guard.region, code=f"{i:08d}", state=state)
        assert not d.allowed
        if route(d).reasons[-1].startswith("wrong code"):
            counted.append(now)
        state = d.state
    for j, t in enumerate(counted):
        assert sum(1 for u in counted[j:] if u - t < timedelta(hours=24)) <= 5
    assert 10 <= len(counted) <= 15


def test_the_lock_lifts_after_its_time_and_the_right_code_then_books_once(halland):
    who, state = invited(), None
    t0 = datetime(2021, 4, 12, 7, 0, tzinfo=UTC)
    for i in range(5):
        state = decide(halland, at(who, t0 + timedelta(minutes=i)), code="WRONG-000", state=state).state
    locked = decide(halland, at(who, t0 + timedelta(hours=24, minutes=3)), code="HK7Q-4932", state=state)
    assert not locked.allowed and "locked until 2021-04-13 09:04" in route(locked).reasons[0]
    assert locked.state == state.pruned(t0 + timedelta(hours=24, minutes=3), LockoutPolicy())  # nothing counted
    lifted = decide(halland, at(who, t0 + timedelta(hours=24, minutes=4)), code="hk7q 4932", state=state)
    assert lifted.allowed and lifted.route == "phase_1"
    again = decide(halland, at(who, t0 + timedelta(hours=25)), code="HK7Q-4932", state=lifted.state)
    assert not again.allowed
    assert route(again).reasons == ("the code for invitation 'covid-fas1' has already been used for a booking",)
    assert again.state == lifted.state  # the person's own used code is no guess


def test_an_expired_code_is_refused_and_is_no_guess(halland):
    codes = "{covid-fas1: {code: HK7Q-4932, valid_until: 2021-04-11}}"
    d = decide(halland, invited(codes=codes), code="HK7Q-4932")
    assert not d.allowed
    assert route(d).reasons == ("the code for invitation 'covid-fas1' expired after 2021-04-11",)
    assert d.state.attempts == ()
    last_day = decide(halland, invited("2021-04-11T23:59", codes=codes), code="HK7Q-4932")
    assert last_day.allowed  # valid_until is inclusive, in Swedish days


def test_a_denial_for_another_reason_does_not_use_the_code(halland):
    who = citizen(f'personnummer: {PNR}\nregion: "13"\ninvitations: [covid-fas1]\nnow: 2021-04-12T09:00\n'
                  "booking:\n  invitation_codes: {covid-fas1: HK7Q-4932}\n  bookings:\n"
                  "    - {appointment_type: covid_vaccination, clinic: vc_laholm, start: 2021-04-20T10:00}\n")
    d = decide(halland, who, code="HK7Q-4932")
    assert not d.allowed and d.route == "phase_1" and d.state.used == frozenset()


# ---------------------------------------------------------------------------------------- the rule itself

def test_the_window_bound_holds_for_any_lock_and_any_rhythm():
    """Brute force over policies and random attempt times: a failure is recorded only when the category
    is open, and then no window of `window_hours` ever holds more than `attempts` failures."""
    rng = random.Random(7)
    for _ in range(300):
        policy = LockoutPolicy(rng.randint(1, 6), rng.randint(1, 48), rng.randint(0, 72))
        a, now, recorded = Attempts(), datetime(2021, 1, 1, tzinfo=UTC), []
        for _ in range(200):
            now += timedelta(minutes=rng.choice([1, 7, 30, 61, 240, 1440]))
            if locked_until(a, now, policy) is None:
                assert attempts_left(a, now, policy) >= 1
                a = record_failure(a, now, policy)
                recorded.append(now)
        for j, t in enumerate(recorded):
            assert sum(1 for u in recorded[j:] if u - t < policy.window) <= policy.attempts, policy


def test_a_record_written_by_a_clock_ahead_is_not_loosened():
    policy = LockoutPolicy(attempts=2, window_hours=1, locked_hours=0)
    t = datetime(2021, 4, 12, 7, 0, tzinfo=UTC)
    ahead = record_failure(record_failure(Attempts(), t + timedelta(minutes=5), policy), t + timedelta(minutes=6), policy)
    assert locked_until(ahead, t, policy) == t + timedelta(hours=1, minutes=5)
    state = GateState("00" * 16, ((("p", "x"), ahead),))
    assert state.pruned(t, policy).of("p", "x").failed_at == ahead.failed_at


def test_the_lock_lasts_its_hours_after_the_last_counted_code():
    policy = LockoutPolicy(attempts=3, window_hours=1, locked_hours=10)
    t = datetime(2021, 4, 12, 7, 0, tzinfo=UTC)
    a = Attempts()
    for i in range(3):
        a = record_failure(a, t + timedelta(minutes=i), policy)
    assert locked_until(a, t + timedelta(hours=5), policy) == t + timedelta(hours=10, minutes=2)
    assert locked_until(a, t + timedelta(hours=10, minutes=2), policy) is None


# ---------------------------------------------------------------------------------------- the record

def test_the_record_holds_no_personnummer_and_no_code_and_reads_back(halland):
    who = invited()
    state = decide(halland, who, code="WRONG-000").state
    state = decide(halland, at(who, datetime(2021, 4, 12, 8, tzinfo=UTC)), code="HK7Q-4932", state=state).state
    text = json.dumps(as_json(state))
    for secret in ("197510109247", "19751010", "751010", "HK7Q", "4932"):
        assert secret not in text
    source = Source.from_text("state.json", text)
    node, diags = parse(source)
    back, diags = read_state(node, source)
    assert not diags and back == state


def test_a_bad_validity_date_is_reported_without_showing_the_code(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text(f'personnummer: {PNR}\nregion: "13"\nnow: 2021-04-12T09:00\nbooking:\n  invitation_codes:\n'
                   "    covid-fas1: {code: HK7Q-4932, valid_until: 2021-02-30}\n", encoding="utf-8")
    _files(tmp_path)
    res = CliRunner().invoke(app, ["gate", "evaluate", str(FLOW), "--citizen", str(bad), "--answers",
                                   str(tmp_path / "answers.yaml")])
    assert res.exit_code == 1 and "FF513" in res.output and "c.yaml:6:" in res.output
    assert "HK7Q" not in res.output and "4932" not in res.output and "19751010" not in res.output


def test_a_bad_state_file_is_a_diagnostic_at_its_place(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"format": "formflow/gate-state", "format_version": 2, "salt": "00ff00ff00ff00ff00ff00ff00ff00ff",'
                    '\n "people": {"abc": {}}}\n', encoding="utf-8")
    res = _gate(tmp_path, "household.yaml", "--state", str(path), "--format", "text")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "gate state format version 2 is not supported" in res.output and "state.json:1:53" in res.output
    assert "a person key is not a lower-case hex digest" in res.output and "state.json:2:13" in res.output


# ---------------------------------------------------------------------------------------- the CLI chain

def _files(tmp_path: Path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(json.dumps(HEALTHY), encoding="utf-8")
    for name, now in (("household.yaml", "2021-04-12T09:00"), ("next_day.yaml", "2021-04-13T09:01")):
        (tmp_path / name).write_text(f'personnummer: {PNR}\nregion: "13"\ninvitations: [covid-fas1]\nnow: {now}\n'
                                     "booking:\n  invitation_codes: {covid-fas1: HK7Q-4932}\n", encoding="utf-8")
    return answers


def _gate(tmp_path, who, *args):
    answers = _files(tmp_path)
    return CliRunner().invoke(app, ["gate", "evaluate", str(FLOW), "--citizen", str(tmp_path / who),
                                    "--answers", str(answers), "--format", "json", *args])


def test_a_cli_chain_locks_lifts_and_refuses_a_used_code(tmp_path):
    state = tmp_path / "gate-state.json"
    lefts = []
    for i in range(6):
        res = _gate(tmp_path, "household.yaml", "--code", f"WRONG-{i}", "--state", str(state), "--update-state")
        assert res.exit_code == 3, res.output
        lefts.append(json.loads(res.output)["routes"][2].get("attempts_left"))
    assert lefts == [4, 3, 2, 1, 0, 0]
    assert json.loads(res.output)["routes"][2]["locked_until"] == {"local": "2021-04-13T09:00:00+02:00",
                                                                    "utc": "2021-04-13T07:00:00Z"}
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600
    text = state.read_text(encoding="utf-8")
    assert "19751010" not in text and "HK7Q" not in text and json.loads(text)["format_version"] == 1
    locked = _gate(tmp_path, "household.yaml", "--code", "HK7Q-4932", "--state", str(state), "--update-state")
    assert locked.exit_code == 3 and "locked until 2021-04-13 09:00" in json.loads(locked.output)["routes"][2]["reasons"][0]
    booked = _gate(tmp_path, "next_day.yaml", "--code", "HK7Q-4932", "--state", str(state), "--update-state")
    assert booked.exit_code == 0, booked.output
    second = _gate(tmp_path, "next_day.yaml", "--code", "HK7Q-4932", "--state", str(state))
    assert second.exit_code == 3 and "already been used" in second.output
    assert not list(tmp_path.glob(".gate-state.json.*.tmp"))  # no temporary file left behind


def test_cli_state_options_are_checked(tmp_path):
    assert _gate(tmp_path, "household.yaml", "--update-state").exit_code == 2
    res = _gate(tmp_path, "household.yaml", "--state", str(tmp_path / "none" / "s.json"), "--update-state")
    assert res.exit_code == 2
    shorthand = tmp_path / "prior.yaml"
    shorthand.write_text(f'personnummer: {PNR}\nregion: "13"\ninvitations: [covid-fas1]\nnow: 2021-04-12T09:00\n'
                         "booking:\n  failed_code_attempts: {covid-fas1: 2}\n", encoding="utf-8")
    assert _gate(tmp_path, "prior.yaml", "--state", str(tmp_path / "s.json")).exit_code == 2
    assert not (tmp_path / "s.json").exists()  # reading a missing record does not create it


# ---------------------------------------------------------------------------------------- the region's policy

def _region(tmp_path, lockout: str, attempts: str = "attempts 5"):
    root = tmp_path / "regions" / "halland"
    shutil.copytree(HALLAND, root)
    text = (root / "region.yaml").read_text(encoding="utf-8")
    text = text[:text.index("code_lockout:")] + lockout
    (root / "region.yaml").write_text(text, encoding="utf-8")
    flow = root / "flows" / "covid_vaccination.flow"
    flow.write_text(flow.read_text(encoding="utf-8").replace("attempts 5", attempts), encoding="utf-8")
    return root


def test_bad_lockout_values_are_diagnostics_at_their_place(tmp_path):
    from formflow.region.load import load_region_file

    root = _region(tmp_path, "code_lockout:\n  attempts: 0\n  window_hours: 721\n  locked_hours: -1\n  lock: 3\n")
    loaded = load_region_file(root)
    lines = loaded.source.text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("code_lockout:"))
    where = sorted((d.code, d.position()) for d in loaded.diagnostics)
    assert where == [("FF511", (start + 5, 3)), ("FF706", (start + 2, 13)), ("FF706", (start + 3, 17)),
                     ("FF706", (start + 4, 17))], where
    assert loaded.region is None


def test_the_regions_policy_is_compiled_into_the_gate_and_enforced(tmp_path):
    root = _region(tmp_path, "code_lockout:\n  attempts: 3\n  window_hours: 1\n  locked_hours: 2\n",
                   attempts="attempts 10")  # a route cannot raise the region's limit
    setup, diags = api.load_gate(root / "flows" / "covid_vaccination.flow")
    assert setup is not None, [d.message for d in diags]
    assert setup.config["evidence_rules"]["code_lockout"] == {"attempts": 3, "window_hours": 1, "locked_hours": 2}
    phase_1 = next(r for r in setup.config["gates"][0]["routes"] if r["id"] == "phase_1")
    assert phase_1["evidence"]["invitation_code"]["attempts"] == 3
    who, state, t0 = invited(), None, datetime(2021, 4, 12, 7, 0, tzinfo=UTC)
    for i in range(3):
        d = decide(setup, at(who, t0 + timedelta(minutes=i)), code="WRONG-1", state=state)
        state = d.state
    assert route(d).reasons == ("wrong code for invitation 'covid-fas1'; locked until 2021-04-12 11:02",)
    assert not decide(setup, at(who, t0 + timedelta(hours=2, minutes=1)), code="HK7Q-4932", state=state).allowed
    assert decide(setup, at(who, t0 + timedelta(hours=2, minutes=2)), code="HK7Q-4932", state=state).allowed


def test_region_show_states_the_lockout(tmp_path):
    root = _region(tmp_path, "code_lockout:\n  attempts: 3\n  locked_hours: 6\n")
    res = CliRunner().invoke(app, ["region", "show", str(root)])
    assert "Invitation codes: 3 wrong per 24 h, then locked 6 h" in res.output
    data = json.loads(CliRunner().invoke(app, ["region", "show", str(root), "--format", "json"]).output)
    assert data["code_lockout"] == {"attempts": 3, "window_hours": 24, "locked_hours": 6}


def test_defaults_when_the_region_says_nothing(tmp_path):
    root = _region(tmp_path, "", attempts="attempts 2")  # a route may lower the limit
    setup, _ = api.load_gate(root / "flows" / "covid_vaccination.flow")
    assert setup.config["evidence_rules"]["code_lockout"] == {"attempts": 5, "window_hours": 24, "locked_hours": 24}
    state = decide(setup, invited(), code="WRONG-1").state
    d = decide(setup, invited("2021-04-12T09:01"), code="WRONG-2", state=state)
    assert route(d).reasons == ("wrong code for invitation 'covid-fas1'; locked until 2021-04-13 09:01",)


# ---------------------------------------------------------------------------------------- the citizen's texts

def test_the_citizen_reads_the_authors_text_in_their_language(halland):
    who, state = invited(), None
    d = decide(halland, who, code="WRONG-000")
    assert d.citizen_message == ("Koden stämmer inte. Kontrollera koden i brevet och försök igen. "
                                 "Du har 4 försök kvar.")
    assert decide(halland, who, code="WRONG-000", lang="en").citizen_message.endswith("You have 4 attempts left.")
    for _ in range(5):
        d = decide(halland, who, code="WRONG-000", state=state, lang="en")
        state = d.state
    assert d.citizen_message.startswith("You have entered a wrong code too many times. You can try again at "
                                        "2021-04-13 09:00,")  # Swedish time (07:00Z)
    booked = decide(halland, invited("2021-04-13T09:00"), code="HK7Q-4932", state=state)
    assert booked.allowed and booked.citizen_message is None
    used = decide(halland, invited("2021-04-13T10:00"), code="HK7Q-4932", state=booked.state)
    assert used.citizen_message.startswith("Koden i brevet har redan använts för en bokning.")
    expired = decide(halland, invited(codes="{covid-fas1: {code: HK7Q-4932, valid_until: 2021-04-11}}"),
                     code="HK7Q-4932")
    assert expired.citizen_message == "Koden i brevet gällde till och med 2021-04-11. Ring din vårdcentral för att boka."
    assert decide(halland, who).citizen_message is None  # no code typed: nothing to tell about one


def test_the_cli_prints_the_citizens_text(tmp_path):
    res = _gate(tmp_path, "household.yaml", "--code", "WRONG-0", "--lang", "en")
    assert json.loads(res.output)["citizen_message"].endswith("You have 4 attempts left.")
    text = _gate(tmp_path, "household.yaml", "--code", "WRONG-0", "--format", "text")
    assert "citizen   Koden stämmer inte." in text.output


def test_simulate_shows_the_code_reason_and_the_citizens_text():
    scen = HALLAND / "scenarios"
    res = CliRunner().invoke(app, ["simulate", str(FLOW), "--citizen", str(scen / "citizens/household_fas1.yaml"),
                                   "--answers", str(scen / "answers/healthy_first_dose.yaml"), "--code", "x-1"])
    assert "booking: denied — wrong code for invitation 'covid-fas1', 4 attempts left" in res.output
    assert "Koden stämmer inte. Kontrollera koden i brevet och försök igen. Du har 4 försök kvar." in res.output


def _check(tmp_path, edit):
    root = tmp_path / "regions" / "halland"
    shutil.copytree(HALLAND, root)
    flow = root / "flows" / "covid_vaccination.flow"
    flow.write_text(edit(flow.read_text(encoding="utf-8")), encoding="utf-8")
    result = api.check_file(flow)
    return [(d.code, d.message, d.position()) for d in result.diagnostics]


def test_a_gate_that_takes_codes_must_say_what_the_citizen_reads(tmp_path):
    def without_used_and_expired(text):
        start = text.index("    message code_used")
        end = text.index("  }", start)
        return text[:start] + text[end:]
    found = _check(tmp_path, without_used_and_expired)
    assert [(c, m) for c, m, _ in found] == [
        ("FF730", "gate 'covid_priority' takes invitation codes but does not say what the citizen reads when "
                  "a code is used or a code has expired")]
    gate_line = 1 + (ROOT / "regions/halland/flows/covid_vaccination.flow").read_text(encoding="utf-8") \
        .split("\n  gate covid_priority")[0].count("\n") + 1
    assert found[0][2][0] == gate_line  # the gate's line


def test_the_citizens_texts_are_checked_like_every_text(tmp_path):
    def broken(text):
        text = text.replace('en "The code is not correct. Check the code in the letter and try again. '
                            'You have {attempts_left} attempts left."', "")
        text = text.replace("Du har {attempts_left} försök kvar.", "Du har {attempt_left} försök kvar.")
        text = text.replace("{valid_until}. Call", "{locked_until}. Call")
        return text.replace("    message code_used", '    message code_use "x" en "x"\n    message code_used')
    found = sorted((c, m) for c, m, _ in _check(tmp_path, broken))
    assert found == [
        ("FF403", "the message 'wrong_code' of gate 'covid_priority' has no 'en' translation"),
        ("FF731", "'code_use' is not a message a gate gives"),
        ("FF731", "'{attempt_left}' is not a value the 'wrong_code' message can show"),
        ("FF731", "'{locked_until}' is not a value the 'code_expired' message can show"),
    ]


def test_message_stays_a_usable_name_outside_a_gate(tmp_path):
    flow = tmp_path / "m.flow"
    flow.write_text('flow m "M" {\n  languages sv\n  outcome done: information "Klart."\n'
                    '  question message: yes_no "Vill du lämna ett meddelande?"\n  end done\n}\n', encoding="utf-8")
    assert api.check_file(flow).diagnostics == ()


# ---------------------------------------------------------------------------------------- scenarios

def _scenarios(tmp_path, body: str):
    return halland_scenario_run(tmp_path, body).scenarios


def test_scenarios_pin_down_earlier_tries_and_the_citizens_text(tmp_path):
    (result, missing) = _scenarios(tmp_path, """\
  - name: four tries were not enough to lock, so the fifth wrong code says so
    citizen_file: citizens/household_fas1.yaml
    answers_file: answers/healthy_first_dose.yaml
    gate: {tries: [A-1, A-2, A-3, A-4], code: A-5}
    expect:
      outcome: book_vaccination
      booking: {allowed: no, citizen_message: "Du har 1 försök kvar."}
  - name: a record that is not there
    citizen_file: citizens/household_fas1.yaml
    answers_file: answers/healthy_first_dose.yaml
    gate: {state_file: state/nowhere.json, code: A-5}
    expect:
      outcome: book_vaccination
      booking: {allowed: no}
""")
    assert result.status == "failed"
    assert [m.line() for m in result.mismatches] == [
        "booking citizen_message: expected a text containing 'Du har 1 försök kvar.', got Du har angett fel kod för "
        "många gånger. Du kan försöka igen 2021-04-13 09:00, eller ringa din vårdcentral för att boka."]
    assert missing.status == "error" and [d.code for d in missing.diagnostics] == ["FF901"]


# ---------------------------------------------------------------------------------------- against a model

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TYPED = {"right": "HK7Q-4932", "right_as_typed": "hk7q 4932", "full_width": "ＨＫ７Ｑ－４９３２", "wrong": "HK7Q-4933",
         "wrong_lower": "zz99-0000", "swedish": "JA-NEJ", "separators": " - ", "nothing": None,
         "other_person": "M3RT-1187"}
STEPS = [0, 1, 59, 60, 61, 600, 1439, 1440, 1441, 2880, 4000]


def _model_lock(counted: list[datetime], t: datetime, policy: LockoutPolicy) -> datetime | None:
    """When the category unlocks at `t`, recomputed from the whole history of counted guesses."""
    ends = []
    for i, g in enumerate(counted):
        recent = [u for u in counted[:i + 1] if g - policy.window < u <= g]
        if len(recent) >= policy.attempts:
            ends.append(max(g + policy.locked, sorted(recent)[-policy.attempts] + policy.window))
    live = [u for u in counted if t - policy.window < u <= t]
    if len(live) >= policy.attempts:
        ends.append(sorted(live)[-policy.attempts] + policy.window)
    ends = [e for e in ends if e > t]
    return max(ends) if ends else None


@settings(max_examples=60, deadline=None)
@given(registered=st.booleans(), valid_days=st.sampled_from([None, -1, 0, 1]),
       attempts=st.integers(1, 5), window=st.sampled_from([1, 24]), locked=st.sampled_from([0, 1, 48]),
       steps=st.lists(st.tuples(st.sampled_from(STEPS), st.sampled_from(sorted(TYPED))), min_size=1, max_size=25))
def test_every_decision_agrees_with_a_model_of_the_rules(halland, registered, valid_days, attempts, window, locked,
                                                        steps):
    """Each step a code typed some minutes after the last; the record goes through its file format
    every time. The decision must be the model's: allowed only with the right, unused, unexpired code
    when not locked; a guess counted exactly when the category is open; the lock's end to the minute."""
    policy = LockoutPolicy(attempts, window, locked)
    config = json.loads(json.dumps(halland.config))
    config["evidence_rules"]["code_lockout"] = policy.as_json()
    setup = dataclasses.replace(halland, config=config)
    t = datetime(2021, 4, 12, 7, 0, tzinfo=UTC)
    until = (datetime(2021, 4, 12).date() + timedelta(days=valid_days)) if valid_days is not None else None
    codes = ("{covid-fas1: {code: HK7Q-4932" + (f", valid_until: {until}" if until else "") + "}}") if registered else ""
    who = invited(codes=codes)
    w = walk(setup.program, who.facts(), dict(HEALTHY))
    state, counted, used = None, [], False
    for minutes, choice in steps:
        t += timedelta(minutes=minutes)
        typed = TYPED[choice]
        d = evaluate(setup.config, setup.program, w, at(who, t), region=setup.region, code=typed, state=state)
        reason = (route(d).reasons or ("",))[0]
        lock = _model_lock(counted, t, policy)
        entered = (typed or "").replace(" ", "").replace("-", "").replace("－", "").upper()
        entered = entered.translate({ord(c): ord(c) - 0xFEE0 for c in "ＨＫＱ０１２３４５６７８９"})
        today = to_local_date(t)
        if lock is not None:
            assert not d.allowed and reason.startswith(f"locked until {_sv(lock)}"), (reason, lock)
        elif not entered:
            assert not d.allowed and ("needs the code" in reason if registered else "no code for" in reason)
        elif registered and entered == "HK7Q4932":
            if used:
                assert not d.allowed and "already been used" in reason
            elif until is not None and today > until:
                assert not d.allowed and "expired" in reason
            else:
                assert d.allowed and d.route == "phase_1"
                used = True
        else:
            counted.append(t)
            left = policy.attempts - sum(1 for u in counted if t - policy.window < u <= t)
            assert not d.allowed
            if left > 0:
                assert reason == f"wrong code for invitation 'covid-fas1', {left} attempt{'s' if left != 1 else ''} left"
            else:
                assert reason == f"wrong code for invitation 'covid-fas1'; locked until {_sv(_model_lock(counted, t, policy))}"
        source = Source.from_text("state.json", json.dumps(as_json(d.state)))
        state, problems = read_state(parse(source)[0], source)
        assert not problems and state == d.state


def _sv(moment: datetime) -> str:
    from formflow.booking.timeutil import to_local

    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def to_local_date(moment: datetime):
    from formflow.booking.timeutil import local_date

    return local_date(moment)


def test_evaluations_at_the_same_time_do_not_lose_each_others_attempts(halland, tmp_path):
    """`--update-state` holds the record's lock from reading to writing; twelve guessers at once
    (each pausing between read and write, where a lost update would happen) all leave their trace."""
    import threading
    import time

    from formflow.booking.state_file import held, load_state_file, write_state_file

    path, who = tmp_path / "state.json", invited()
    w = walk(halland.program, who.facts(), dict(HEALTHY))

    clock = iter(range(12))

    def guess(i):
        with held(path):
            state, problems = load_state_file(path)
            assert not problems
            now = datetime(2021, 4, 12, 7, next(clock), tzinfo=UTC)  # the time the evaluation runs
            time.sleep(0.01)
            d = evaluate(halland.config, halland.program, w, at(who, now), region=halland.region,
                         code=f"WRONG-{i}", state=state)
            write_state_file(path, d.state)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final, _ = load_state_file(path)
    person = final.person_key(who.subject.digits12)
    assert len(final.of(person, "covid-fas1").failed_at) == 5  # the limit was reached; the rest found it locked
    assert final.of(person, "covid-fas1").locked_until is not None
