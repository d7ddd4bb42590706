"""Walking compiled forms: routing, triggers and urgency, expressions, and what a walk reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from simkit import facts, program

from formflow.simulate.program import FormInvalid, load_program
from formflow.simulate.routing import SKIPPED
from formflow.simulate.walk import walk

TRIAGE = '''flow fever_triage "Feber" {
  outcome call_112: emergency "Ring 112 nu."
  outcome visit_today: visit "Kontakta din vårdcentral i dag." urgency same_day
  outcome visit_soon: visit "Boka en tid." urgency within_days
  outcome advice: self_care "Råd om egenvård vid feber."

  question fever: yes_no "Har du feber över 39 °C?"
  if fever { trigger visit_today }
  question rash: yes_no "Har du utslag?"
  if rash { trigger visit_soon }
  question breathless: yes_no "Är du andfådd i vila?"
  if breathless { end call_112 }
  question long: yes_no "Har du haft feber länge?"
  if long { end visit_today }
  end advice
}
'''


@pytest.fixture(scope="module")
def triage():
    return program(TRIAGE)


def answers(**kw):
    return {k: v for k, v in kw.items()}


def test_a_trigger_more_urgent_than_the_end_wins(triage):
    w = walk(triage, facts(), answers(fever=True, rash=False, breathless=False, long=False))
    assert (w.end, w.outcome, w.triggered) == ("advice", "visit_today", ("visit_today",))


def test_end_exits_at_once_and_an_emergency_beats_every_trigger(triage):
    w = walk(triage, facts(), answers(fever=True, rash=True, breathless=True, long=True))
    assert w.outcome == "call_112"
    assert w.asked == ("fever", "rash", "breathless")
    assert w.unused == ("long",)


def test_a_tie_goes_to_the_end(triage):
    w = walk(triage, facts(), answers(fever=True, rash=False, breathless=False, long=True))
    assert (w.end, w.outcome) == ("visit_today", "visit_today")


def test_the_most_urgent_of_several_triggers_wins(triage):
    w = walk(triage, facts(), answers(fever=False, rash=True, breathless=False, long=False))
    assert w.outcome == "visit_soon"
    w = walk(triage, facts(), answers(fever=True, rash=True, breathless=False, long=False))
    assert w.outcome == "visit_today"


def test_a_walk_stops_at_the_first_unanswered_question(triage):
    w = walk(triage, facts(), answers(fever=False))
    assert w.pending == "rash" and w.outcome is None and not w.dead_end
    assert w.unused == ()  # later answers may still be used: nothing is reported unused yet


def test_the_trace_records_conditions_in_flow_order(triage):
    w = walk(triage, facts(), answers(fever=True, rash=False, breathless=False, long=False))
    ifs = [(step[1], step[2]) for step in w.trace if step[0] == "if"]
    assert ifs == [(0, True), (1, False), (2, False), (3, False)]
    assert [triage.conditions[i].at["line"] for i, _ in ifs] == [8, 10, 12, 14]


BMI = '''
question weight: decimal "Vikt" unit "kg" min 2 max 350 decimals 1
question height: integer "Längd" unit "cm" min 40 max 250
let bmi = round(weight / ((height / 100) * (height / 100)), 1)
let obese = bmi >= 30
'''


@pytest.mark.parametrize("weight, height, bmi", [
    ("86.7", 170, "30.0"),   # 29.999 → 30.0: decimal arithmetic, half up
    ("69.2", 180, "21.4"),   # 21.358 → 21.4
    ("50", 100, "50.0"),
    ("72.9", 180, "22.5"),   # 22.5 exactly
])
def test_decimal_arithmetic_is_exact_and_rounds_half_up(weight, height, bmi):
    w = walk(program(BMI), facts(), {"weight": Decimal(weight), "height": height})
    assert w.values["bmi"] == Decimal(bmi)


def test_round_half_up_at_the_boundary():
    p = program('question x: decimal "x" min 0 max 10 decimals 2\nlet r = round(x, 1)\nlet w = round(x, 0)\nif r > w { end done }')
    w = walk(p, facts(), {"x": Decimal("2.25")})
    assert (w.values["r"], w.values["w"]) == (Decimal("2.3"), 2)


DATES = '''
question onset: date "Start" min 2000-01-01 max today
let three_months_later = add_months(onset, 3)
let next_year = onset + 1 year
let days = today - onset
let weeks_ago = today - 2 weeks
let years = years_between(onset, today)
'''


def test_date_arithmetic_clamps_to_the_end_of_the_month():
    w = walk(program(DATES), facts(today=dt.date(2025, 3, 1)), {"onset": dt.date(2024, 11, 30)})
    assert w.values["three_months_later"] == dt.date(2025, 2, 28)
    assert w.values["days"] == 91 and w.values["years"] == 0
    assert w.values["weeks_ago"] == dt.date(2025, 2, 15)
    w = walk(program(DATES), facts(today=dt.date(2025, 3, 1)), {"onset": dt.date(2024, 2, 29)})
    assert w.values["next_year"] == dt.date(2025, 2, 28) and w.values["years"] == 1


FACTS = '''
let adult = citizen.age >= 18
let old = citizen.birth_year <= 1944
let invited = citizen.has_invitation("Covid-Fas2")
let infant = add_months(citizen.birth_date, 3) > today
let halland = citizen.region == "13"
let proxy = citizen.is_proxy
'''


def test_facts_are_read_from_the_verified_citizen():
    w = walk(program(FACTS), facts(dt.date(1944, 5, 1), dt.date(2021, 3, 1), invitations={"covid-fas2"}), {})
    assert w.values == {"adult": True, "old": True, "invited": True, "infant": False, "halland": True, "proxy": False}
    child = facts(dt.date(2024, 1, 15), dt.date(2024, 3, 1), proxy=True, region="06")
    w = walk(program(FACTS), child, {})
    assert (w.values["adult"], w.values["infant"], w.values["halland"], w.values["proxy"]) == (False, True, False, True)


CHOICES = '''
question symptoms: multiple "Symtom" {
  option fever "Feber"
  option rash "Utslag"
  option none_of_these "Inget" exclusive
}
question pain: single "Smärta" optional {
  option mild "Lite"
  option severe "Mycket"
}
let both = symptoms has all [fever, rash]
let some = symptoms has any [fever, rash]
let severe = answered(pain) and pain in [severe]
let not_mild = answered(pain) and pain is not mild
let nothing = not answered(pain)
'''


def test_choice_tests_and_answered():
    p = program(CHOICES)
    w = walk(p, facts(), {"symptoms": frozenset({"fever"}), "pain": "severe"})
    assert (w.values["both"], w.values["some"], w.values["severe"], w.values["not_mild"], w.values["nothing"]) == \
        (False, True, True, True, False)
    w = walk(p, facts(), {"symptoms": frozenset({"none_of_these"})})  # scripted: optional left out
    assert w.outcome == "done" and w.values["nothing"] is True and "pain" in w.asked


def test_an_interactive_walk_waits_for_optional_questions_unless_skipped():
    p = program(CHOICES)
    assert walk(p, facts(), {"symptoms": frozenset({"fever"})}, complete=False).pending == "pain"
    w = walk(p, facts(), {"symptoms": frozenset({"fever"}), "pain": SKIPPED}, complete=False)
    assert w.outcome == "done" and "pain" not in w.answers


def test_a_division_by_zero_is_a_fault_with_its_place():
    p = program('question a: integer "a" min 0 max 5\nquestion b: integer "b" min 0 max 5\nlet r = 10 / (a - b)\nif r > 1 { end done }')
    w = walk(p, facts(), {"a": 3, "b": 3})
    assert w.fault is not None and "division by zero" in w.fault.message and w.fault.at["line"] == 6
    assert w.outcome is None and not w.complete
    assert walk(p, facts(), {"a": 4, "b": 3}).values["r"] == 10


def test_answers_off_the_route_are_not_visible_to_expressions():
    p = program('question q1: yes_no "1"\nif q1 {\n  question q2: yes_no "2"\n}\nlet seen = answered(q2)')
    w = walk(p, facts(), {"q1": False, "q2": True})
    assert w.values["seen"] is False and w.unused == ("q2",) and "q2" not in w.answers


def test_load_refuses_documents_that_are_not_forms():
    with pytest.raises(FormInvalid):
        load_program({"format": "something else"})
    doc = dict(program(CHOICES).doc)
    doc["questions"] = "nope"
    with pytest.raises(FormInvalid) as err:
        load_program(doc)
    assert any("questions" in p for p in err.value.problems)
