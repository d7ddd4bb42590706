"""`formflow prove`: verdicts, exit codes, text and JSON output, scenario files, undecided, bad input."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from cli import app
from conftest import ROOT

PROVED = 'flow small "Liten" {\n  outcome sick: emergency "Ring 112."\n  outcome fine: self_care "Vila."\n' \
         '  question pain: yes_no "Ont i bröstet?"\n  if pain { end sick }\n  end fine\n' \
         '  assert pain_is_emergency "Bröstsmärta går till 112": if pain then outcome is sick\n}\n'
VIOLATED = PROVED.replace("if pain { end sick }", "if pain { end fine }")
HARD = '''flow hard "Svår" {
  outcome done: information "Klart."
  outcome odd: information "Udda."
  question x: integer "X?" min 1 max 100000
  question y: integer "Y?" min 1 max 100000
  question z: integer "Z?" min 1 max 100000
  if x * x * x + y * y * y == z * z * z {
    end odd
  }
  end done
}
'''


def run(*args):
    result = CliRunner().invoke(app, ["prove", *[str(a) for a in args]])
    assert "Traceback" not in result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def region(tmp_path, text: str, name="small"):
    """A one-flow region (region.yaml copied from Jönköping), so that written scenarios find the flow."""
    shutil.copy(ROOT / "regions" / "jonkoping" / "region.yaml", tmp_path / "region.yaml")
    (tmp_path / "flows").mkdir()
    flow = tmp_path / "flows" / f"{name}.flow"
    flow.write_text(text, encoding="utf-8")
    return flow


def test_all_proved_exits_0_and_lists_every_property(tmp_path):
    result = run(region(tmp_path, PROVED))
    assert result.exit_code == 0, result.stdout
    assert "proved    assert pain_is_emergency" in result.stdout
    assert "proved    condition 0 true" in result.stdout and "proved    every route ends" in result.stdout
    assert result.stdout.rstrip().endswith("0 violated, 0 undecided")
    assert "witness:" not in result.stdout.split("assert")[0]  # reachability witnesses only with --examples
    assert "pain=no → fine" in run(tmp_path / "flows" / "small.flow", "--examples").stdout


def test_violated_assert_exits_1_with_a_counterexample(tmp_path):
    result = run(region(tmp_path, VIOLATED))
    assert result.exit_code == 1
    assert "VIOLATED  assert pain_is_emergency" in result.stdout
    assert "counterexample:" in result.stdout and "pain=yes → fine" in result.stdout


def test_json_is_deterministic_and_complete(tmp_path):
    flow = region(tmp_path, VIOLATED)
    first, second = run(flow, "--format", "json"), run(flow, "--format", "json")
    assert first.stdout == second.stdout and first.exit_code == 1
    data = json.loads(first.stdout)
    assert data["summary"]["violated"] >= 1
    prop = next(p for p in data["properties"] if p["name"] == "assert pain_is_emergency")
    assert prop["verdict"] == "violated" and prop["role"] == "counterexample" and prop["line"] == 7
    assert prop["example"]["answers"] == {"pain": True} and prop["example"]["outcome"] == "fine"
    assert prop["example"]["citizen"]["personnummer"]  # a Skatteverket test number


def test_property_filter_and_unknown_property(tmp_path):
    flow = region(tmp_path, VIOLATED)
    only = json.loads(run(flow, "--format", "json", "--property", "question pain").stdout)
    assert [p["name"] for p in only["properties"]] == ["question pain"]
    assert run(flow, "-p", "question pain").exit_code == 0  # the violated assert is not selected
    bad = run(flow, "--property", "no_such")
    assert bad.exit_code == 2 and "no property 'no_such'" in bad.stderr


def test_out_dir_writes_scenarios_that_formflow_test_runs(tmp_path):
    flow = region(tmp_path, PROVED)
    out = tmp_path / "scenarios"
    result = run(flow, "--out-dir", out)
    assert result.exit_code == 0 and "(reproduced)" in result.stdout and "NOT" not in result.stdout
    assert not list(out.rglob("*.tmp"))
    tested = CliRunner().invoke(app, ["test", str(tmp_path)])
    assert tested.exit_code == 0, tested.stdout
    assert "0 failed" in tested.stdout and "could not run" not in tested.stdout


def test_counterexample_files_replay_the_failure_and_pin_it(tmp_path):
    flow = region(tmp_path, VIOLATED)
    out = tmp_path / "scenarios"
    result = run(flow, "--out-dir", out)
    assert result.exit_code == 1 and "small_assert_pain_is_emergency.yaml (reproduced)" in result.stdout
    scenario = out / "small_assert_pain_is_emergency.yaml"
    assert (out / "answers" / scenario.name).read_text().strip().endswith("pain: yes")
    assert "Counterexample" in scenario.read_text() and "outcome: fine" in scenario.read_text()
    flow.write_text(PROVED, encoding="utf-8")  # the fix: the pinned route now ends in 'sick'
    tested = CliRunner().invoke(app, ["test", str(scenario)])
    assert tested.exit_code == 1 and "sick" in tested.stdout


def test_out_dir_outside_the_region_gets_a_note(tmp_path):
    (tmp_path / "r").mkdir()
    flow = region(tmp_path / "r", PROVED)
    result = run(flow, "--out-dir", tmp_path / "elsewhere")
    assert result.exit_code == 0 and "note:" in result.stdout


def test_undecided_says_why_and_exits_1(tmp_path):
    flow = tmp_path / "hard.flow"
    flow.write_text(HARD, encoding="utf-8")
    result = run(flow)
    assert result.exit_code == 1
    assert "undecided outcome odd" in result.stdout and "non-linear" in result.stdout


def test_bad_input(tmp_path):
    missing = run(tmp_path / "nope.flow")
    assert missing.exit_code == 2 and "no such flow file" in missing.stderr
    broken = tmp_path / "broken.flow"
    broken.write_text(PROVED.replace("if pain", "if pian"), encoding="utf-8")
    result = run(broken)
    assert result.exit_code == 1 and "FF" in result.stdout + result.stderr
