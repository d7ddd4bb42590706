"""`formflow test`: scenario files, expectations, failure diffs, coverage, JUnit XML.

The region scenarios in regions/*/scenarios/ are tests of the region flows themselves: they must
all pass and reach every outcome. The rest uses a small flow written into a temporary region, so
that every number can be checked by hand.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from junitparser import JUnitXml

from conftest import ROOT, position
from formflow import testdata
from formflow.simulate.coverage import Tally, percent
from formflow.simulate.junit import junit_xml, write_junit
from formflow.simulate.report import failure_text, mask, render_report
from formflow.simulate.testrun import ERROR, FAILED, PASSED, run_scenarios

REGIONS = ROOT / "regions"

MINI = """\
flow mini "Mini" {
  languages sv
  outcome call: emergency "Ring 112."
  outcome visit: visit "Besök vårdcentralen i dag." urgency same_day
  outcome rest: self_care "Vila."
  question fever: yes_no "Har du feber?"
  if fever {
    question temp: decimal "Hur hög är febern?" min 35 max 43 decimals 1
    if temp >= 40 {
      end call
    } else if temp >= 39 {
      trigger visit
    }
  }
  let older = citizen.age >= 65
  end rest
}
"""
FEVER_LINE, HIGH_LINE, ELSE_IF_LINE = 7, 9, 11

# A Skatteverket test personnummer born 1980-06-10: 40 years old on 2021-04-12... and on 2024-05-06, 43.
ADULT = "19800610-2381"
CITIZEN = f'citizen: {{personnummer: {ADULT}, region: "13", now: 2024-05-06T09:00}}'


def region(tmp_path: Path, scenarios: dict[str, str], flow: str = MINI) -> Path:
    """A region folder `testregion` with flows/mini.flow and the given scenario files."""
    root = tmp_path / "testregion"
    (root / "flows").mkdir(parents=True)
    (root / "scenarios").mkdir()
    (root / "flows" / "mini.flow").write_text(flow, encoding="utf-8")
    for name, text in scenarios.items():
        (root / "scenarios" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


NO_FEVER = f"""\
  - name: no fever, rest
    {CITIZEN}
    answers: {{fever: no}}
    expect:
      outcome: rest
"""
HIGH_FEVER = f"""\
  - name: fever 39.5, visit today
    {CITIZEN}
    answers: {{fever: yes, temp: 39.5}}
    expect:
      outcome: visit
      triggered: [visit]
"""


def scenario_file(*scenarios: str) -> str:
    return "flow: mini\nscenarios:\n" + "".join(scenarios)


# ---------------------------------------------------------------------------------------- regions

@pytest.fixture(scope="module")
def region_run():
    return run_scenarios([REGIONS])


def test_every_region_scenario_passes(region_run):
    failing = {s.name: s.reason for s in region_run.scenarios if not s.passed}
    assert failing == {}
    assert region_run.diagnostics == []  # not even a warning (an unused answer)
    assert region_run.ok
    assert len(region_run.scenarios) >= 60


def test_region_scenarios_reach_every_outcome_of_every_flow(region_run):
    flows = {f"{p.parent.parent.name}.{p.stem}" for p in REGIONS.glob("*/flows/*.flow")}
    assert {c.flow for c in region_run.coverage} == flows
    for c in region_run.coverage:
        assert c.outcomes.covered == c.outcomes.total, (c.flow, c.unreached)
        assert c.questions.covered == c.questions.total, (c.flow, c.never_asked)
        assert c.branches.covered == c.branches.total, (c.flow, [str(g) for g in c.branch_gaps])


def test_region_scenarios_pass_at_full_minimum_coverage():
    assert run_scenarios([REGIONS], min_coverage=100).ok


def test_region_scenarios_use_only_skatteverket_test_personnummer():
    found = 0
    for path in REGIONS.glob("*/scenarios/**/*.yaml"):
        for number in re.findall(r"(?<![0-9])([0-9]{8})-?([0-9]{4})(?![0-9])", path.read_text(encoding="utf-8")):
            found += 1
            assert testdata.is_test_number("".join(number)), f"{path}: not a Skatteverket test personnummer"
    assert found >= 60


def test_reference_examples_of_section_18_are_real_files():
    text = (ROOT / "dsl" / "REFERENCE.md").read_text(encoding="utf-8")
    section = text[text.index("## 18."):text.index("## 19.")]
    examples = re.findall(r"`(regions/[^`]+\.yaml)`[^\n]*:\n\n```yaml\n(.*?)```", section, re.S)
    assert len(examples) >= 5
    for path, block in examples:
        assert block in (ROOT / path).read_text(encoding="utf-8"), f"the example from {path} is not in the file"


# ---------------------------------------------------------------------------------------- failures

def test_a_wrong_expectation_fails_with_a_readable_diff(tmp_path):
    root = region(tmp_path, {"mini.yaml": scenario_file(f"""\
  - name: no fever, but expected an emergency
    {CITIZEN}
    answers: {{fever: no}}
    expect:
      outcome: call
      asked: [temp]
      not_asked: [fever]
      values: {{older: yes}}
      triggered: []
""")})
    run = run_scenarios([root])
    assert not run.ok
    [result] = run.scenarios
    assert result.status == FAILED
    diff = failure_text(result)
    assert diff.startswith("scenario 'no fever, but expected an emergency' failed: "
                           "outcome: expected call (emergency), got rest (self_care) (and 3 more)\n")
    assert "  the citizen: age 43 (born 1980), region 13, today 2024-05-06\n" in diff
    assert textwrap.dedent("""\
      expected vs actual:
        outcome      expected call (emergency)
                     actual   rest (self_care)
        asked        expected temp asked
                     actual   not asked
        not_asked    expected fever not asked
                     actual   asked
        value older  expected yes
                     actual   no
    """) in textwrap.dedent(diff.split("\n", 2)[2])
    route = diff[diff.index("  the route taken:"):]
    assert f"if at line {FEVER_LINE}: false" in route
    assert "let older = no" in route and "end rest" in route
    assert "outcome: rest (self_care, urgency none)" in route
    assert ADULT not in diff and ADULT.replace("-", "") not in diff

    [failed] = [d for d in run.diagnostics if d.code == "FF608"]
    assert position(failed) == (3, 11)  # the scenario's name
    assert failed.notes == ("outcome: expected call (emergency), got rest (self_care)",
                            "temp was not asked (expected in 'asked')",
                            "fever was asked (expected in 'not_asked')",
                            "value older: expected yes, got no")


def test_the_report_lists_results_failures_coverage_and_a_summary(tmp_path):
    wrong = NO_FEVER.replace("outcome: rest", "outcome: visit").replace("no fever, rest", "no fever, wrongly visit")
    root = region(tmp_path, {"mini.yaml": scenario_file(NO_FEVER, wrong)})
    report = render_report(run_scenarios([root]))
    assert "  ok   no fever, rest\n" in report
    assert "  FAIL no fever, wrongly visit  — outcome: expected visit (visit), got rest (self_care)\n" in report
    assert "failures:\n" in report and "testregion.mini" in report
    assert report.endswith("2 scenarios in 1 file: 1 passed, 1 failed\n")
    assert not any(line != line.rstrip() for line in report.split("\n"))


def test_json_data_for_tools(tmp_path):
    import json

    from formflow.simulate.report import to_json_data

    wrong = NO_FEVER.replace("outcome: rest", "outcome: call").replace("no fever, rest", "wrong outcome")
    root = region(tmp_path, {"mini.yaml": scenario_file(NO_FEVER, wrong)})
    data = json.loads(json.dumps(to_json_data(run_scenarios([root], min_coverage=50))))
    assert [(s["name"], s["status"]) for s in data["scenarios"]] == [("no fever, rest", PASSED), ("wrong outcome", FAILED)]
    assert data["scenarios"][1]["differences"] == ["outcome: expected call (emergency), got rest (self_care)"]
    [c] = data["coverage"]
    assert (c["branches"], c["coverage"], c["below_minimum"]) == ({"covered": 1, "total": 6}, "16.6%", True)
    assert data["results"] == {"passed": 1, "failed": 1, "error": 0} and data["ok"] is False


def test_answer_errors_fail_the_scenario_and_unused_answers_only_warn(tmp_path):
    root = region(tmp_path, {"mini.yaml": scenario_file(f"""\
  - name: a temperature out of range
    {CITIZEN}
    answers: {{fever: yes, temp: 50}}
    expect:
      outcome: call
""", f"""\
  - name: an answer the route never uses
    {CITIZEN}
    answers: {{fever: no, temp: 39.0}}
    expect:
      outcome: rest
""", f"""\
  - name: a question left without an answer
    {CITIZEN}
    answers: {{fever: yes}}
    expect:
      outcome: rest
""")})
    run = run_scenarios([root])
    invalid, unused, missing = run.scenarios
    assert invalid.status == FAILED and [d.code for d in invalid.diagnostics] == ["FF602"]
    assert "the answers do not fit the route" in invalid.reason
    assert unused.status == PASSED and [d.code for d in unused.diagnostics] == ["FF603"]
    assert missing.status == FAILED and [d.code for d in missing.diagnostics] == ["FF604"]
    assert position(missing.diagnostics[0]) == (13, 11)  # the scenario's name: the answers lack temp
    assert "outcome: none (the walk did not finish)" in missing.route
    assert not run.ok


def test_only_warnings_leave_the_run_ok(tmp_path):
    root = region(tmp_path, {"mini.yaml": scenario_file(NO_FEVER.replace("{fever: no}", "{fever: no, temp: 39.0}"))})
    run = run_scenarios([root])
    assert run.ok and [d.code for d in run.diagnostics] == ["FF603"]


# ---------------------------------------------------------------------------------------- the format

def _codes_at(run) -> list[tuple[str, tuple[int, int]]]:
    return sorted((d.code, position(d)) for d in run.diagnostics)


def test_unknown_keys_and_names_are_reported_at_their_place(tmp_path):
    root = region(tmp_path, {"mini.yaml": f"""\
flow: mini
scenarioz: 1
scenarios:
  - name: every mistake at once
    {CITIZEN}
    answer: {{fever: no}}
    expect:
      outcome: rests
      outcome_kind: self-care
      asked: [fevr]
      values: {{olders: yes, temp: 39}}
      triggered: [visits]
      booking: {{appointment: covid}}
      pdf: yes
      expected: rest
"""})
    run = run_scenarios([root])
    assert [s.status for s in run.scenarios] == [ERROR]
    assert _codes_at(run) == [
        ("FF510", (14, 12)), ("FF511", (2, 1)), ("FF511", (6, 5)), ("FF511", (13, 17)), ("FF511", (15, 7)),
        ("FF512", (13, 16)),
        ("FF609", (8, 16)), ("FF609", (9, 21)), ("FF609", (10, 15)), ("FF609", (11, 16)), ("FF609", (11, 29)),
        ("FF609", (12, 19)),
    ]
    helps = {(d.code, position(d)): d.help for d in run.diagnostics}
    assert helps[("FF511", (2, 1))] == "did you mean 'scenarios'?"
    assert helps[("FF511", (6, 5))] == "did you mean 'answers'?"
    assert helps[("FF609", (8, 16))] == "did you mean 'rest'?"
    assert helps[("FF609", (9, 21))] == "did you mean 'self_care'?"
    assert helps[("FF609", (10, 15))] == "did you mean 'fever'?"
    assert helps[("FF609", (11, 16))] == "did you mean 'older'?"
    assert helps[("FF609", (11, 29))] == "'temp' is a question, not a derived value: check it with `asked`"
    assert helps[("FF609", (12, 19))] == "did you mean 'visit'?"
    messages = {d.message for d in run.diagnostics}
    assert "the flow 'mini' has no outcome 'rests'" in messages
    assert "unknown key 'appointment'" in messages  # a booking expectation is read like the others
    assert "expected a mapping for 'pdf'" in messages


def test_expected_values_must_fit_their_type_and_expectations_must_agree(tmp_path):
    root = region(tmp_path, {"mini.yaml": scenario_file(f"""\
  - name: contradictions
    {CITIZEN}
    answers: {{fever: no}}
    expect:
      outcome: rest
      outcome_kind: emergency
      asked: [fever]
      not_asked: [fever]
      values: {{older: 3}}
""")})
    run = run_scenarios([root])
    found = {d.message: position(d) for d in run.diagnostics}
    assert found == {
        "the outcome 'rest' is of kind self_care, not emergency": (8, 21),
        "'fever' is both in 'asked' and in 'not_asked'": (10, 19),
        "the expected value of 'older' does not fit its type (yes/no)": (11, 23),
    }


def test_values_of_each_type_and_null_for_not_computed(tmp_path):
    flow = MINI.replace("  let older = citizen.age >= 65\n",
                        "  let older = citizen.age >= 65\n  let born = citizen.birth_date\n  let half = 1 / 2\n"
                        "  let years = citizen.age\n")
    flow = flow.replace("    if temp >= 40 {", "    let rounded = round(temp, 0)\n    if temp >= 40 {")
    root = region(tmp_path, {"mini.yaml": scenario_file(f"""\
  - name: typed values
    {CITIZEN}
    answers: {{fever: no}}
    expect:
      outcome: rest
      values: {{older: nej, born: 1980-06-10, half: 0.50, years: 43, rounded: null}}
""", f"""\
  - name: typed values that differ
    {CITIZEN}
    answers: {{fever: no}}
    expect:
      outcome: rest
      values: {{born: 1980-06-11, half: 0.4, years: 42, rounded: 39}}
""")}, flow=flow)
    good, bad = run_scenarios([root]).scenarios
    assert good.status == PASSED, good.diagnostics
    assert [m.line() for m in bad.mismatches] == [
        "value born: expected 1980-06-11, got 1980-06-10", "value half: expected 0.4, got 0.5",
        "value years: expected 42, got 43", "value rounded: expected 39, got (not computed on this route)"]


def test_scenario_names_are_unique_and_one_citizen_is_given(tmp_path):
    (tmp_path / "citizen.yaml").write_text(f'personnummer: {ADULT}\nregion: "13"\nnow: 2024-05-06T09:00\n')
    root = region(tmp_path, {"mini.yaml": scenario_file(NO_FEVER, NO_FEVER, """\
  - name: two citizens
    citizen: {personnummer: 19800610-2381, region: "13", now: 2024-05-06T09:00}
    citizen_file: ../../citizen.yaml
    expect: {outcome: rest}
  - name: no citizen
    expect: {outcome: rest}
  - name: a citizen from a file
    citizen_file: ../../citizen.yaml
    answers: {fever: no}
    expect: {outcome: rest}
""")})
    run = run_scenarios([root])
    assert [s.status for s in run.scenarios] == [PASSED, ERROR, ERROR, ERROR, PASSED]
    assert _codes_at(run) == [("FF512", (17, 5)), ("FF614", (8, 11)), ("FF614", (15, 5))]
    second, both = (d for d in run.diagnostics if d.code == "FF614")
    assert second.message == "a second scenario is named 'no fever, rest'"
    assert second.source.line_col(second.secondary[0].span.start) == (3, 11)  # "first time"
    assert both.message == "a scenario has both 'citizen' and 'citizen_file'"


def test_a_shared_citizen_file_reports_its_problems_once(tmp_path):
    (tmp_path / "citizen.yaml").write_text(f'personnummer: {ADULT}\nregion: "6"\nnow: 2024-05-06T09:00\n')
    shared = NO_FEVER.replace(CITIZEN, "citizen_file: ../../citizen.yaml")
    root = region(tmp_path, {"mini.yaml": scenario_file(shared, shared.replace("no fever, rest", "again"))})
    run = run_scenarios([root])
    assert [s.reason for s in run.scenarios] == ["its citizen is not valid"] * 2
    assert [(d.code, d.source.name) for d in run.diagnostics] == [("FF516", str(root / "scenarios/../../citizen.yaml"))]


def test_a_json_scenario_file(tmp_path):
    root = region(tmp_path, {"mini.json": '{"flow": "mini", "scenarios": [{"name": "json", "citizen": '
                                          f'{{"personnummer": "{ADULT}", "region": "13", "now": "2024-05-06T09:00"}}, '
                                          '"answers": {"fever": "no"}, "expect": {"outcome": "rest"}}]}'})
    assert [s.status for s in run_scenarios([root]).scenarios] == [PASSED]


def test_a_flow_that_does_not_exist_is_reported_with_the_nearest(tmp_path):
    root = region(tmp_path, {"mini.yaml": scenario_file(NO_FEVER).replace("flow: mini", "flow: mnii")})
    run = run_scenarios([root])
    [d] = run.diagnostics
    assert (d.code, position(d), d.help) == ("FF612", (1, 7), "did you mean 'mini'?")
    assert [s.status for s in run.scenarios] == [ERROR]


def test_a_flow_with_errors_is_reported_once_and_its_scenarios_cannot_run(tmp_path):
    root = region(tmp_path, {"a.yaml": scenario_file(NO_FEVER), "b.yaml": scenario_file(HIGH_FEVER)},
                  flow=MINI.replace("end rest", "end rset"))
    run = run_scenarios([root])
    assert [d.code for d in run.diagnostics] == ["FF202"]
    assert [s.reason for s in run.scenarios] == ["the flow testregion.mini has errors"] * 2
    assert run.coverage == () and not run.ok


def test_discovery(tmp_path):
    root = region(tmp_path, {"mini.yaml": scenario_file(NO_FEVER)})
    (root / "region.yaml").write_text('code: "13"\n')
    (root / "scenarios" / "citizens").mkdir()
    (root / "scenarios" / "citizens" / "c.yaml").write_text("not: a scenario\n")
    assert [f.path for f in run_scenarios([tmp_path]).files] == [str(root / "scenarios" / "mini.yaml")]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert [d.code for d in run_scenarios([empty]).diagnostics] == ["FF613"]
    assert [d.code for d in run_scenarios([tmp_path / "missing"]).diagnostics] == ["FF901"]


def test_an_unreadable_file_is_reported_and_fails_the_run(tmp_path):
    root = region(tmp_path, {"bad.yaml": "flow: mini\nscenarios: [\n", "ok.yaml": scenario_file(NO_FEVER)})
    run = run_scenarios([root])
    assert [d.code for d in run.diagnostics] == ["FF504"] and not run.ok
    assert render_report(run).endswith("1 scenario in 2 files: 1 passed, 0 failed, 1 file could not be read\n")


# ---------------------------------------------------------------------------------------- coverage

def test_coverage_numbers_are_exact(tmp_path):
    root = region(tmp_path, {"mini.yaml": scenario_file(NO_FEVER)})
    [only_rest] = run_scenarios([root]).coverage
    assert (only_rest.questions, only_rest.branches, only_rest.outcomes) == (Tally(1, 2), Tally(1, 6), Tally(1, 3))
    assert only_rest.combined * 6 == 1 and percent(only_rest.combined) == "16.6%"  # rounded down
    assert only_rest.never_asked == ("temp",)
    assert [str(g) for g in only_rest.branch_gaps] == [f"line {FEVER_LINE}:3 never true",
                                                       f"line {HIGH_LINE}:5 never true and false",
                                                       f"line {ELSE_IF_LINE}:7 never true and false"]

    (root / "scenarios" / "more.yaml").write_text(scenario_file(HIGH_FEVER))
    [both] = run_scenarios([root]).coverage  # two files naming one flow count together
    assert both.scenarios == 2
    assert (both.questions, both.branches, both.outcomes) == (Tally(2, 2), Tally(4, 6), Tally(2, 3))
    assert str(both.branches) == "4/6 66.6%" and str(both.questions) == "2/2 100.0%"
    assert both.gaps() == [f"conditions: line {HIGH_LINE}:5 never true; line {ELSE_IF_LINE}:7 never false",
                           "outcomes never reached: call"]


def test_min_coverage_fails_the_run_below_it(tmp_path):
    root = region(tmp_path, {"mini.yaml": scenario_file(NO_FEVER)})
    assert run_scenarios([root], min_coverage=16.6).ok  # 1/6 = 16.67% is not below 16.6
    low = run_scenarios([root], min_coverage=16.7)
    assert not low.ok and all(s.passed for s in low.scenarios)
    [d] = low.diagnostics
    assert d.code == "FF610"
    assert d.message == "the scenarios of testregion.mini cover 16.6% of it, below the minimum of 16.7%"
    assert "outcomes never reached: visit, call" not in d.notes and "outcomes never reached: call, visit" in d.notes
    assert "coverage below the minimum: testregion.mini 16.6%" in render_report(low)
    with pytest.raises(ValueError):
        run_scenarios([root], min_coverage=101)


# ---------------------------------------------------------------------------------------- JUnit

def test_junit_xml_has_one_suite_per_file_and_one_case_per_scenario(tmp_path):
    wrong = NO_FEVER.replace("outcome: rest", "outcome: call").replace("no fever, rest", "wrong outcome")
    broken = NO_FEVER.replace("outcome: rest", "outcome: rset").replace("no fever, rest", "unknown outcome")
    root = region(tmp_path, {"a.yaml": scenario_file(NO_FEVER, wrong, broken), "b.yaml": scenario_file(HIGH_FEVER),
                             "c.yaml": "flow: mini\n"})
    run = run_scenarios([root], min_coverage=100)
    target = tmp_path / "out" / "junit.xml"
    write_junit(run, target)
    data = target.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="formflow test"')
    assert junit_xml(run) == data  # the same run renders the same bytes
    xml = JUnitXml.fromstring(data)
    suites = {s.name: s for s in xml}
    assert set(suites) == {str(root / "scenarios" / n) for n in ("a.yaml", "b.yaml", "c.yaml")} | {"coverage"}
    a = suites[str(root / "scenarios" / "a.yaml")]
    assert (a.tests, a.failures, a.errors) == (3, 1, 1)
    cases = {c.name: c for c in a}
    assert {c.classname for c in a} == {"testregion.mini"}
    assert cases["no fever, rest"].is_passed
    [failure] = cases["wrong outcome"].result
    assert failure.message == "outcome: expected call (emergency), got rest (self_care)"
    assert "the route taken:" in failure.text and "actual   rest (self_care)" in failure.text
    assert cases["unknown outcome"].is_error
    assert cases["no fever, rest"].system_out == "the citizen: age 43 (born 1980), region 13, today 2024-05-06"
    c = suites[str(root / "scenarios" / "c.yaml")]
    assert (c.tests, c.errors) == (1, 1)
    coverage = suites["coverage"]
    assert (coverage.tests, coverage.failures) == (1, 1)
    assert (xml.tests, xml.failures, xml.errors) == (6, 2, 2)
    assert ADULT.encode() not in data and ADULT.replace("-", "").encode() not in data
    assert not list(target.parent.glob(".*.tmp"))


def test_personnummer_shaped_text_is_masked():
    assert mask("ring 19800610-2381 eller 8006102381 den 2024-05-06") == \
        "ring [personnummer] eller [personnummer] den 2024-05-06"


def test_the_cli_prints_each_problem_once_and_masks_personnummer(tmp_path):
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    region = tmp_path / "r"
    shutil.copytree(ROOT / "regions" / "jonkoping" / "flows", region / "flows")
    shutil.copy(ROOT / "regions" / "jonkoping" / "region.yaml", region / "region.yaml")
    (region / "scenarios").mkdir()
    (region / "scenarios" / "s.yaml").write_text(
        "flow: symptom_assessment\nscenarios:\n  - name: wrong expectation\n"
        "    citizen: {personnummer: 19780901-2383, region: \"06\", now: 2024-01-15T10:00}\n"
        "    answers: {main_symptoms: [cough], severe_breathing: no, chest_pain: yes}\n"
        "    expect: {outcome: self_care}\n"
        "  - name: bad personnummer\n"
        "    citizen: {personnummer: 19780901-2384, region: \"06\", now: 2024-01-15T10:00}\n"
        "    answers: {main_symptoms: [cough]}\n"
        "    expect: {outcome: call_112}\n", encoding="utf-8")
    for fmt in ("text", "json"):
        r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "test", str(region), "-f", fmt],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 1
        assert "19780901" not in r.stdout + r.stderr
    text = subprocess.run([sys.executable, str(ROOT / "cli.py"), "test", str(region)], capture_output=True, text=True,
                          timeout=120).stdout
    assert text.count("no outcome 'self_care'") == 1
