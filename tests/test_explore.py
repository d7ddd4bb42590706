"""explore: random walk-throughs that are reproducible, valid, aimed at boundaries, and that find
and write replayable files for what goes wrong; plus properties of the runtime values they rely on."""

from __future__ import annotations

import calendar
import copy
import json
import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simkit import program

from formflow import api, testdata
from formflow.inputs.citizen import age_on, load_citizen_file
from formflow.inputs.yamlnode import parse
from formflow.simulate import yamlout
from formflow.simulate.explore import explore, read_hints, samples
from formflow.simulate.program import load_program
from formflow.simulate.scripted import typed_answers
from formflow.simulate.values import add_months, round_half_up, years_between
from formflow.source import Source

REPO = Path(__file__).resolve().parent.parent
REGION_FLOWS = sorted(REPO.glob("regions/*/flows/*.flow"))

PLANTED = """
question a: integer "Hur många?" min 0 max 20
question b: integer "Och hur många nu?" min 10 max 30
let r = 10 / (a - b)
if r > 1 { end done }
"""

EVERY_TYPE = """
question before_start: info "Läs detta först."
question fever: yes_no "Har du feber?"
question pain: single "Hur ont?" {
  option mild "Lite"
  option severe "Mycket"
}
question symptoms: multiple "Symtom?" optional {
  option cough "Hosta"
  option rash "Utslag"
  option none_of_these "Inget av detta" exclusive
}
question days: integer "Hur många dagar?" min 3 max 97
question temp: decimal "Temperatur?" unit "°C" min 35 max 43 decimals 2
question weight: decimal "Vikt?" min 2 max 350 optional
question onset: date "När började det?" min today - 12 months max today
question born: date "Födelsedag?" min 1900-01-01 max today optional
question note: text "Något mer?" max_length 40 optional
question story: text "Berätta." max_length 2
question photo: attachment "Bild?" accept "image/jpeg", "image/png" optional
question accept_terms: acknowledge "Jag godkänner." terms "Villkor."
if answered(weight) and round(weight, 1) > 100 { end done }
"""

THRESHOLDS = """
question days: integer "Hur många dagar?" min 3 max 97
question temp: decimal "Temperatur?" min 35 max 43 decimals 2
question onset: date "När började det?" min today - 12 months max today
if days >= 50 or round(temp, 1) > 39 or onset < today - 3 weeks or citizen.age >= 65 { end done }
"""


def _region_program(path: Path):
    prog, _ = api.load_program(path)
    assert prog is not None
    return prog


def _region_code(path: Path) -> str:
    text = (path.parent.parent / "region.yaml").read_text(encoding="utf-8")
    return next(line.split('"')[1] for line in text.splitlines() if line.startswith("code:"))


# ---------------------------------------------------------------------------------------- explore

def test_the_same_seed_gives_the_same_walks():
    prog = _region_program(REPO / "regions/jonkoping/flows/symptom_assessment.flow")
    first, second = (explore(prog, 300, seed=11, region="06") for _ in range(2))
    assert first.outcomes == second.outcomes
    assert sum(first.outcomes.values()) == 300
    again = [(s.citizen.person.digits12, s.citizen.now, s.answers, s.walk.outcome)
             for s in samples(prog, 50, seed=11, region="06")]
    assert again == [(s.citizen.person.digits12, s.citizen.now, s.answers, s.walk.outcome)
                     for s in samples(prog, 50, seed=11, region="06")]
    other = [(s.citizen.person.digits12, s.answers) for s in samples(prog, 50, seed=12, region="06")]
    assert other != [(p, a) for p, _, a, _ in again]


def test_finds_a_planted_division_by_zero_and_writes_files_that_replay_it(tmp_path):
    prog = program(PLANTED)
    result = explore(prog, 200, seed=3, out_dir=tmp_path)
    assert len(result.problems) == 1  # many walks hit it; it is reported once, counted
    problem = result.problems[0]
    assert (problem.kind, problem.place) == ("fault", "line 6, column 3")
    assert "division by zero" in problem.message and problem.count > 1 and problem.replays
    assert problem.answers["a"] == problem.answers["b"]
    citizen_file, answers_file = problem.files
    assert citizen_file.parent == answers_file.parent == tmp_path

    citizen, diagnostics = load_citizen_file(citizen_file)
    assert citizen is not None and not diagnostics
    assert testdata.is_test_number(citizen.person.digits12)
    facts, diagnostics = api.load_facts(citizen_file, None, None)
    replay = api.simulate_file(prog, facts, answers_file)
    assert [d.code for d in replay.diagnostics] == ["FF605"]
    assert "division by zero" in replay.diagnostics[0].message


def test_every_generated_answer_passes_the_answer_parsers_through_a_written_file():
    prog = program(EVERY_TYPE)
    checked = 0
    for sample in samples(prog, 300, seed=5):
        assert sample.walk is not None and sample.walk.complete
        text = yamlout.mapping(sample.answers)
        source = Source.from_text("answers.yaml", text)
        node, problems = parse(source)
        assert node is not None, [p.message for p in problems]
        typed, problems, _ = typed_answers(prog, node, source, sample.citizen.facts().today)
        assert not problems, [(p.message, text) for p in problems]
        assert typed == sample.answers
        checked += len(typed)
    assert checked > 300 * 8


def test_answers_are_made_only_for_the_questions_on_the_route():
    prog = program('''
question a: integer "A?" min 0 max 20
if a > 10 { end done }
question b: integer "B?" min 0 max 20
if a - b == 0 { end done }
''')
    equal = 0
    for sample in samples(prog, 200, seed=9):
        assert list(sample.answers) == list(sample.walk.asked) and sample.walk.unused == ()
        equal += sample.answers.get("b") == sample.answers["a"]
    assert equal > 5  # b is sometimes made equal to its peer a


def test_boundaries_and_thresholds_are_generated():
    prog = program(THRESHOLDS)
    days, temps, ages, onsets = set(), set(), set(), []
    for sample in samples(prog, 200, seed=2):
        facts = sample.citizen.facts()
        ages.add(facts.age)
        days.add(sample.answers["days"])
        temps.add(sample.answers.get("temp"))
        if "onset" in sample.answers:
            onsets.append((facts.today - sample.answers["onset"]).days)
    assert {3, 4, 96, 97, 49, 50, 51} <= days
    assert {Decimal("35.00"), Decimal("43.00"), Decimal("38.95"), Decimal("39.05")} <= temps  # round(temp, 1)
    assert any(t is not None and t.as_tuple().digits[-1] == 5 for t in temps)  # a rounding half, x.x5
    assert {64, 65, 66} <= ages
    assert {20, 21, 22} <= set(onsets)  # today - 3 weeks and its neighbours


def test_hints_see_through_derived_values_and_facts():
    prog = _region_program(REPO / "regions/jonkoping/flows/symptom_assessment.flow")
    hints = read_hints(prog)
    assert {3, 14, 45} <= hints.ages
    assert (-3, 0) in hints.birth_offsets  # add_months(citizen.birth_date, 3) > today: infants
    assert {(("today",), 0, -7), (("today",), 0, -21)} <= hints.dates["symptom_start"]  # via `let symptom_days`


def test_proxies_invitations_and_regions_vary():
    prog = _region_program(REPO / "regions/halland/flows/covid_vaccination.flow")
    seen = [s.citizen for s in samples(prog, 400, seed=4, region="13")]
    assert any(c.proxy_for is not None for c in seen)
    assert all(age_on(c.proxy_for.birth_date, c.now.date()) < 13 for c in seen if c.proxy_for)
    assert {c.region for c in seen} >= {"13"} and len({c.region for c in seen}) > 3
    codes = {code for c in seen for code in c.invitations}
    assert codes == {"covid-fas1", "covid-fas2", "covid-fas3", "covid-fas4"}
    assert any(not c.invitations for c in seen)
    numbers = {c.person.digits12 for c in seen} | {c.proxy_for.digits12 for c in seen if c.proxy_for}
    assert all(testdata.is_test_number(n) for n in numbers)


@pytest.mark.parametrize("path", REGION_FLOWS, ids=lambda p: p.stem)
def test_region_flows_reach_every_outcome_without_problems(path):
    result = explore(_region_program(path), 2000, seed=1, region=_region_code(path))
    assert result.unreached == ()
    assert result.problems == ()
    assert result.walks_per_second > 0


def test_assertions_are_checked_on_every_finished_walk():
    prog = program('question fever: yes_no "Feber?"\nif fever { end done }')

    def no_fever(walk):
        return ["fever ends the flow"] if walk.answers.get("fever") else []

    result = explore(prog, 100, seed=8, assertions=no_fever)
    assert [(p.kind, p.place, p.replays) for p in result.problems] == [("assertion", "fever ends the flow", True)]
    assert 0 < result.problems[0].count < 100


def test_a_question_without_any_valid_answer_is_an_unfinished_walk():
    result = explore(program('question d: date "Datum?" min today max 2021-06-01'), 20, seed=1)
    assert [(p.kind, p.place, p.count) for p in result.problems] == [("unfinished", "question 'd'", 20)]


def test_dead_ends_and_crashes_in_edited_forms_are_reported():
    doc = copy.deepcopy(program('question fever: yes_no "Feber?"\nif fever { end done }').doc)
    dead = copy.deepcopy(doc)
    dead["routing"] = dead["routing"][:-1]  # drop the final `end done`
    result = explore(load_program(dead), 50, seed=1)
    assert {(p.kind, p.place) for p in result.problems} == {("dead_end", "condition #0")}
    broken = copy.deepcopy(doc)
    broken["routing"][-1]["outcome"] = "nowhere"  # an `end` naming no outcome: winner() fails
    result = explore(load_program(broken, validate=False), 50, seed=1)
    assert any(p.kind == "crash" and p.place == "KeyError" for p in result.problems)


# ---------------------------------------------------------------------------------------- yamlout

@pytest.mark.parametrize("value, text", [
    (True, "yes"), (False, "no"), (12, "12"), (Decimal("37.50"), "37.50"), (Decimal("1E+2"), "100"),
    (Decimal("-0.0"), "0.0"), (dt.date(2024, 2, 29), "2024-02-29"), ("fever", "fever"), ("no", '"no"'),
    ("12", '"12"'), ("null", '"null"'), ("", '""'), ("a: b", '"a: b"'), ("rad\nrad", '"rad\\nrad"'),
    ("esc\x1b", '"esc\\x1B"'), (frozenset({"rash", "cough"}), "[cough, rash]"), ([], "[]"),
])
def test_yaml_values(value, text):
    assert yamlout.value_text(value) == text


# ---------------------------------------------------------------------------------------- values

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
months = st.integers(min_value=-600, max_value=600)


@settings(max_examples=300, deadline=None)
@given(dates, months)
def test_add_months_clamps_to_the_end_of_the_month(day, n):
    result = add_months(day, n)
    assert result.year * 12 + result.month == day.year * 12 + day.month + n
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)
    if day.day <= 28:
        assert add_months(result, -n) == day


@settings(max_examples=300, deadline=None)
@given(dates, dates)
def test_years_between_agrees_with_add_months_and_with_age(a, b):
    start, end = min(a, b), max(a, b)
    years = years_between(start, end)
    assert years_between(end, start) == -years
    assert years == age_on(start, end)  # the simulator's arithmetic and the citizen's verified age
    assert add_months(start, 12 * years) <= end
    following = add_months(start, 12 * (years + 1))
    # The next anniversary is still ahead — for a 29 February start too, whose anniversary in a
    # year without one is 28 February, as add_months clamps it (Lag (1930:173) 1 §).
    assert end < following


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**6, max_value=10**6, places=8, allow_nan=False, allow_infinity=False),
       st.integers(min_value=0, max_value=6))
def test_round_half_up_is_decimal_quantize_half_up(value, digits):
    expected = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=Context(prec=50))
    result = round_half_up(value, digits)
    assert result == expected
    assert isinstance(result, int) if digits == 0 else isinstance(result, Decimal)
    assert round_half_up(-value, digits) == -result  # halves go away from zero on both sides
    assert abs(result - value) <= Decimal(5).scaleb(-digits - 1)


def test_round_half_up_on_halves():
    assert round_half_up(Decimal("2.25"), 1) == Decimal("2.3")
    assert round_half_up(Decimal("-2.5"), 0) == -3
    assert round_half_up(7, 2) == Decimal("7.00")


ASSERTED = '''outcome call_112: emergency "Ring 112."
question chest_pain: yes_no "Har du ont i bröstet?"
if chest_pain { end call_112 }
question fever: yes_no "Har du feber?"
if fever { end done }
assert chest_pain_is_emergency "Bröstsmärta går alltid till 112": if chest_pain then outcome is call_112
assert fever_only_asked_without_chest_pain: if fever then not chest_pain and outcome.kind is information'''


def _tampered(prog, old: str, new: str):
    """The same form with one routing `end` changed, as a hand-edited artifact might be."""
    doc = json.loads(json.dumps(prog.doc).replace(old, new, 1))
    return load_program(doc)


def test_the_forms_own_asserts_hold_on_every_walk_of_a_sound_form():
    prog = program(ASSERTED)
    assert [a["id"] for a in prog.doc["asserts"]] == ["chest_pain_is_emergency", "fever_only_asked_without_chest_pain"]
    assert explore(prog, 300, seed=3).problems == ()


def test_explore_catches_an_artifact_that_breaks_an_assert_and_replays_it():
    prog = program(ASSERTED)
    broken = _tampered(prog, '"do": "end", "outcome": "call_112"', '"do": "end", "outcome": "done"')
    result = explore(broken, 300, seed=3)
    (problem,) = result.problems
    assert problem.kind == "assertion" and problem.replays
    assert "chest_pain_is_emergency" in problem.message and "ended in 'done'" in problem.message
    assert problem.answers["chest_pain"] is True
