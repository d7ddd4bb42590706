"""False verdicts of the analyser, one class each (issue 13): each test is a flow on which `prove`
once said something untrue, and each checks the verdict against what the simulator does.

The brute-force differential tests (`test_analysis_bruteforce.py`) cover the same shapes on random
flows; these are the minimal cases, readable on their own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from formflow.analysis import analyse, witness
from formflow.simulate.walk import walk
from test_analysis_bruteforce import FACTS as FACTS_2024
from test_analysis_bruteforce import compile_flow


def proved(text: str) -> dict:
    """Property name -> Property, from `prove`."""
    flow, source, _ = compile_flow(text)
    analysis = analyse(flow, source, prove=True)
    assert analysis.properties, [(d.code, d.message) for d in analysis.diagnostics]
    return {p.name: p for p in analysis.properties}


def reproduces(text: str, prop) -> object:
    """The property's example walked again on the compiled form."""
    _, _, program = compile_flow(text)
    ex = prop.example
    assert ex is not None and ex.citizen is not None, f"{prop.name}: no scenario-grade example"
    again = walk(program, ex.facts, dict(ex.answers), complete=True)
    assert again.trace == ex.walk.trace and again.outcome == ex.walk.outcome
    assert again.complete or prop.kind in ("answerable", "division")  # a walk that stops, or faults
    return again


# ------------------------------------------------------------------ 1. option codes of every shape

# Codes the national forms use (JA, NEJ, Vet_ej) and codes that a YAML reader would take for
# something else unquoted (null, No, on, True, Off). Only a solver model reaches the route (a
# random walk does not hit `q2 - 2 * q3 == 391`), so the witness read-back decides the verdicts.
CODES = '''flow codes "Koder" {
  outcome em: emergency "em."
  outcome advice: self_care "advice."
  question q1: single "Svar?" { option JA "Ja" option NEJ "Nej" option Vet_ej "Vet ej" option null "N" option No "No" option u_1 "U" option on "On" option True "T" }
  question q4: multiple "Symtom?" { option JA "Ja" option NULL "N" option y2 "y" option Off "o" exclusive }
  question q2: integer "Dagar?" min 0 max 1000
  question q3: integer "Timmar?" min 0 max 1000
  if q1 is CODE and q4 has MULTI and q2 - 2 * q3 == 391 and q3 > 17 { end advice }
  end em
  assert red: if q1 is CODE then outcome is em
}
'''


@pytest.mark.parametrize("code,multi", [("JA", "JA"), ("NEJ", "NULL"), ("Vet_ej", "y2"), ("null", "Off"),
                                        ("No", "JA"), ("u_1", "NULL"), ("on", "y2"), ("True", "Off")])
def test_option_codes_of_every_shape_keep_the_solvers_example(code, multi):
    text = CODES.replace("CODE", code).replace("MULTI", multi)
    props = proved(text)
    assert {p.verdict for p in props.values()} == {"proved", "violated"}, \
        [(p.name, p.verdict, p.detail) for p in props.values() if p.verdict == "undecided"]
    red = props["assert red"]
    assert red.verdict == "violated"
    again = reproduces(text, red)
    assert again.outcome == "advice" and again.answers["q1"] == code and multi in again.answers["q4"]
    assert props["end advice line 8"].verdict == "proved"


def test_a_quoted_code_reads_back_through_the_answers_file_reader():
    _, _, program = compile_flow(CODES.replace("CODE", "JA").replace("MULTI", "NULL"))
    today = dt.date(2024, 3, 1)
    assert witness._reads_back(program, {"q1": "JA", "q4": frozenset({"NULL", "JA"}), "q2": 7}, today)
    assert witness._reads_back(program, {"q1": "No", "q4": frozenset({"Off"})}, today)
    assert not witness._reads_back(program, {"q1": "JA", "q2": 1001}, today)  # out of range: not an answer
    assert not witness._reads_back(program, {"q4": frozenset({"Off", "JA"})}, today)  # exclusive


# ------------------------------------------------------------------ 2. `today` ranges over every day

# Two cohorts open on 2021-02-01 and 2021-03-22. The branch "not open yet" and the assert that
# breaks only there need the solver (random walks do not hit `q2 - 2 * q3 == 391`). When `today`
# started at the latest date written in the flow, the branch was "unreachable" (FF804) and the
# broken assert "proved".
COHORTS = '''flow cohorts "Kohorter" {
  outcome book: booking "Boka."
  outcome wait: information "Vänta."
  question q1: yes_no "Över 80?"
  question q2: integer "Dagar?" min 0 max 1000
  question q3: integer "Timmar?" min 0 max 1000
  if today < 2021-02-01 and q2 - 2 * q3 == 391 and q3 > 17 { end wait }
  else if q1 and today >= 2021-02-01 { end book }
  else if today < 2021-03-22 { end wait }
  end book
  assert open: if q2 - 2 * q3 == 391 and q3 > 17 and q1 then outcome is book
}
'''


def test_today_ranges_over_days_before_every_date_the_flow_names():
    props = proved(COHORTS)
    early = props["end wait line 7"]
    assert early.verdict == "proved" and early.example.facts.today < dt.date(2021, 2, 1)
    assert reproduces(COHORTS, early).outcome == "wait"
    broken = props["assert open"]
    assert broken.verdict == "violated"
    again = reproduces(COHORTS, broken)
    assert again.outcome == "wait" and broken.example.facts.today < dt.date(2021, 2, 1)
    assert props["condition 0 true"].verdict == "proved" and props["condition 2 true"].verdict == "proved"


def test_check_finds_no_unreachable_branch_before_the_first_cohort():
    flow, source, _ = compile_flow(COHORTS)
    codes = [(d.code, d.message) for d in analyse(flow, source).diagnostics]
    assert not [c for c in codes if c[0] in ("FF803", "FF804")], codes
    assert [c[0] for c in codes] == ["FF805"], codes  # the broken assert, and nothing else


def test_the_universe_is_the_same_for_every_flow_and_its_assumptions_are_listed():
    from formflow.analysis import universe

    flow, source, _ = compile_flow(COHORTS)
    later, later_source, _ = compile_flow(COHORTS.replace("2021-", "2031-"))
    one, two = analyse(flow, source, prove=True), analyse(later, later_source, prove=True)
    assert one.universe == two.universe and "2000-01-01 to 2399-12-31" in one.universe
    assert one.assumptions == universe.ASSUMPTIONS
    text = " ".join(one.assumptions)
    for needle in ("today is any day from 2000-01-01", "born on or after 1890-01-01", "under 13",
                   "completed years", "county codes", "leaves those years is a fault on that route (FF814)",
                   "34 significant digits"):
        assert needle in text


# A date question whose range is empty on some days stops a route there; a later one, after the
# `if` holding the first, was "undecided" (the solver's route stopped at the first question).
STUCK = '''flow stuck "Datum" {
  outcome done: information "Klart."
  question dose: yes_no "Dos?"
  if dose {
    question dose_date: date "När?" min 2020-12-27 max today
  }
  question test_date: date "Test?" min 2020-01-31 max today
  end done
}
'''


def test_a_date_question_with_no_valid_answer_is_violated_with_a_walk_that_stops_there():
    props = proved(STUCK)
    for qid, before in (("dose_date", dt.date(2020, 12, 27)), ("test_date", dt.date(2020, 1, 31))):
        p = props[f"answerable {qid}"]
        assert p.verdict == "violated", (p.name, p.detail)
        again = reproduces(STUCK, p)
        assert again.pending == qid and p.example.facts.today < before
    guarded = STUCK.replace('  question dose: yes_no', '  if today < 2020-12-27 { end done }\n  question dose: yes_no')
    props = proved(guarded)
    assert props["answerable dose_date"].verdict == "proved" and props["answerable test_date"].verdict == "proved"


def test_a_route_that_stops_inside_an_if_does_not_go_on_after_it():
    both = STUCK.replace('''    question dose_date: date "När?" min 2020-12-27 max today
  }''', '''    question dose_date: date "När?" min 2020-12-27 max today
  } else {
    question plan_date: date "Planerad?" min 2020-12-27 max today
  }''')
    props = proved(both)
    assert props["answerable test_date"].verdict == "proved"  # every route to it passed 2020-12-27
    assert props["answerable dose_date"].verdict == "violated"


# ------------------------------------------------------------------ 3. asserts read as the simulator reads them

# `count(q2) == 0` reads q2: on a route that did not ask q2 the whole comparison is false (the
# simulator's reading, simulate/asserts.py), so the assert breaks when q1 is no and q3 - 2 * q4 is
# 391 — only the solver finds those answers. A division by zero inside an assert is false too.
COUNTED = '''flow counted "Räkna" {
  outcome info: information "info."
  question q1: yes_no "Q1?"
  if q1 {
    question q2: yes_no "Q2?"
  }
  question q3: integer "Q3?" min 0 max 1000
  question q4: integer "Q4?" min 0 max 1000
  end info
  assert a1: ASSERT
}
'''
HARD_TO_HIT = "not (q3 - 2 * q4 == 391 and q4 > 17)"


@pytest.mark.parametrize("claim,verdict", [
    (f"{HARD_TO_HIT} or count(q2) == 0 or count(q2) == 1", "violated"),
    (f"{HARD_TO_HIT} or count(q1 or q2) <= 1", "violated"),  # q1 = no: `or` goes on to read q2
    (f"{HARD_TO_HIT} or count(q1 and q2) <= 1", "proved"),  # q1 = no: `and` stops, q2 is not read
    ("q3 - 2 * q4 != 391 or q4 <= 17 or 10 / (q3 - 2 * q4 - 391) > 0 or q1", "violated"),  # 10 / 0: false
])
def test_a_missing_answer_inside_count_in_an_assert_is_read_as_the_simulator_reads_it(claim, verdict):
    text = COUNTED.replace("ASSERT", claim)
    prop = proved(text)["assert a1"]
    assert prop.verdict == verdict, (prop.verdict, prop.detail)
    if verdict == "violated":
        again = reproduces(text, prop)
        assert again.answers["q1"] is False and again.answers["q3"] - 2 * again.answers["q4"] == 391


# ------------------------------------------------------------------ 4. walks that fault: found, not crashed on

def diagnostics(text: str) -> list:
    flow, source, _ = compile_flow(text)
    return [(d.code, d.message, d.position()[0] if d.primary else None, d.notes)
            for d in analyse(flow, source).diagnostics]


DAY_AFTER = '''flow ov "Överskott" {
  outcome done: information "Klart."
  outcome late: information "Sent."
  question d: date "Datum?"
  let next = d + 1 day
  if next > 2030-01-01 { end late }
  end done
}
'''


def test_date_arithmetic_past_9999_is_a_fault_with_a_counterexample():
    found = diagnostics(DAY_AFTER)
    assert [(c, line) for c, _, line, _ in found] == [("FF814", 5)], found
    assert "d = 9999-12-31" in found[0][3][0] and "outside the years" in found[0][3][0]
    prop = proved(DAY_AFTER)["date line 5:136"]
    assert prop.verdict == "violated"
    again = reproduces(DAY_AFTER, prop)
    assert again.fault is not None and "outside the years" in again.fault.message
    bounded = DAY_AFTER.replace('date "Datum?"', 'date "Datum?" max today')
    assert diagnostics(bounded) == [] and {p.verdict for p in proved(bounded).values()} == {"proved"}


def test_a_date_literal_past_the_calendar_is_found_not_crashed_on():
    text = DAY_AFTER.replace("let next = d + 1 day\n  if next > 2030-01-01",
                             "if d > 9999-12-31 - 1 day and 9999-12-31 + 1 day > d")
    codes = [c for c, *_ in diagnostics(text)]
    assert "FF905" not in codes and "FF814" in codes
    props = proved(text)
    assert props["end late line 5"].verdict == "violated"  # d = 9999-12-31 faults in the condition
    assert not [p.name for p in props.values() if p.verdict == "undecided"]


def test_a_derived_date_far_in_the_future_makes_every_walk_fault():
    text = '''flow far "Långt bort" {
  outcome done: information "Klart."
  question n: integer "År?" min 0 max 9000
  let far = 9999-12-01 + 60 days
  question m: yes_no "M?"
  end done
}
'''
    found = diagnostics(text)
    assert ("FF814", 4) in [(c, line) for c, _, line, _ in found], found
    props = proved(text)
    assert props["question m"].verdict == "violated" and props["end done line 6"].verdict == "violated"
    assert props["value far"].verdict == "violated" and props["outcome done"].verdict == "violated"


def test_a_gate_route_that_divides_by_an_answer_is_analysed(tmp_path):
    from conftest import ROOT
    from formflow import api

    (tmp_path / "flows").mkdir()
    (tmp_path / "region.yaml").write_text((ROOT / "regions/halland/region.yaml").read_text("utf-8"), "utf-8")
    flow = tmp_path / "flows" / "g.flow"
    flow.write_text('''flow g "Grind" {
  languages sv
  outcome book: booking "Boka."
     appointment covid_vaccination through gg terms covid_booking
  outcome nope: not_eligible "Nej."
  question q1: integer "Antal?" min 0 max 10
  question q2: integer "Dagar?" min 0 max 10
  if q1 > 3 { end book }
  end nope
  gate gg "Grind" {
    route r1 "Kvot" when citizen.birth_year <= 1941 and not (10 / q2 > 0) login e_id
    route r2 "Kvot" when q1 / (q1 - q2) > 5 login e_id
    accept_risk "testar"
  }
}
''', "utf-8")
    result = api.check_file(flow)
    codes = [(d.code, d.message) for d in result.diagnostics]
    assert [c for c, _ in codes] == ["FF812"] and "'r1'" in codes[0][1], codes  # q2 = 0 faults: false


# ------------------------------------------------------------------ 5. pdf colour rules

COLOURS = '''flow col "Färg" {
  languages sv
  outcome done: information "Klart."
  question weight: integer "Vikt?" unit "kg" min 30 max 250
  question height: integer "Längd?" unit "cm" min 100 max 220
  let bmi = weight / ((height / 100) * (height / 100))
  question temp: decimal "Temperatur" unit "°C" min 35 max 43 decimals 1
  pdf summary "Sammanfattning" {
    row bmi label "BMI" red when bmi > 100000
    row weight red when weight >= 30 or citizen.age > 1
    row height red when height > 150 and citizen.age < 10
    row temp red when temp >= 38
    valid 12 months
  }
  end done
}
'''


def test_a_colour_rule_that_is_never_or_always_true_is_a_warning_at_the_rule():
    found = diagnostics(COLOURS)
    assert [(c, line) for c, _, line, _ in found] == [("FF419", 9), ("FF419", 10)], found
    assert "never apply" in found[0][1] and "every answer" in found[1][1]


def test_prove_lists_both_colours_of_every_rule_with_walks_that_print_them():
    from formflow.analysis.colours import shows

    flow, source, program = compile_flow(COLOURS)
    analysis = analyse(flow, source, prove=True)
    props = {p.name: p for p in analysis.properties if p.kind == "colour"}
    verdicts = {name: p.verdict for name, p in props.items()}
    assert verdicts == {"colour summary bmi red": "violated", "colour summary bmi green": "proved",
                        "colour summary weight red": "proved", "colour summary weight green": "violated",
                        "colour summary height red": "proved", "colour summary height green": "proved",
                        "colour summary temp red": "proved", "colour summary temp green": "proved"}
    assert "never printed red" in props["colour summary bmi red"].detail
    for name, p in props.items():
        if p.verdict == "proved":
            row = next(r for r in flow.pdfs[0].rows if r.ref == name.split()[2])
            assert reproduces(COLOURS, p).complete
            assert shows(type("E", (), {"program": program}), row, p.example, name.endswith("red"))
    assert props["colour summary height red"].example.facts.age < 10


# ------------------------------------------------------------------ 6. the one known difference, said plainly

def test_an_equality_after_a_division_that_the_simulator_rounds_is_undecided_with_the_reason():
    """3 / (3 / 2.1) is 2.1 for the solver (exact rationals) and 2.099...9 for the simulator (34
    significant digits): the solver's example does not reproduce, and `prove` says why."""
    text = '''flow rounding "Avrundning" {
  outcome done: information "Klart."
  outcome same: information "Lika."
  question q1: decimal "Q1?" min 2.1 max 2.2 decimals 1
  if 3 / (3 / q1) == q1 and q1 < 2.15 { end same }
  end done
}
'''
    _, _, program = compile_flow(text)
    assert walk(program, FACTS_2024, {"q1": Decimal("2.1")}).outcome == "done"  # the simulator rounds
    prop = proved(text)["end same line 5"]
    assert prop.verdict == "undecided"
    assert "division at line 5" in prop.detail and "34 significant digits" in prop.detail and "`==`" in prop.detail
