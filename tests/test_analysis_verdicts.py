"""False verdicts of the analyser, one class each (issue 13): each test is a flow on which `prove`
once said something untrue, and each checks the verdict against what the simulator does.

The brute-force differential tests (`test_analysis_bruteforce.py`) cover the same shapes on random
flows; these are the minimal cases, readable on their own.
"""

from __future__ import annotations

import datetime as dt

import pytest

from formflow.analysis import analyse, witness
from formflow.simulate.walk import walk
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
    assert again.complete and again.trace == ex.walk.trace
    return again


# ------------------------------------------------------------------ 1. option codes of every shape

# Codes the national forms use (JA, NEJ, Vet_ej) and codes that a YAML reader would take for
# something else unquoted (null, No, on, True, Off). Only a solver model reaches the route (a
# random walk does not hit `q2 - 2 * q3 == 391`), so the witness read-back decides the verdicts.
CODES = '''flow codes "Koder" {
  outcome em: emergency "em."
  outcome advice: self_care "advice."
  question q1: single "Svar?" { option JA "Ja" option NEJ "Nej" option Vet_ej "Vet ej" option null "N" option No "No" option _1 "U" option on "On" option True "T" }
  question q4: multiple "Symtom?" { option JA "Ja" option NULL "N" option y2 "y" option Off "o" exclusive }
  question q2: integer "Dagar?" min 0 max 1000
  question q3: integer "Timmar?" min 0 max 1000
  if q1 is CODE and q4 has MULTI and q2 - 2 * q3 == 391 and q3 > 17 { end advice }
  end em
  assert red: if q1 is CODE then outcome is em
}
'''


@pytest.mark.parametrize("code,multi", [("JA", "JA"), ("NEJ", "NULL"), ("Vet_ej", "y2"), ("null", "Off"),
                                        ("No", "JA"), ("_1", "NULL"), ("on", "y2"), ("True", "Off")])
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
