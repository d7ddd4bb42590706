"""Mutation tests: break a real region flow the way an editing slip would, and show that `check`
and `prove` catch it with a counterexample whose written files reproduce the failure."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import ROOT
from formflow.analysis.scenario import replay

FLOWS = {"jonkoping": "symptom_assessment", "skane": "health_declaration"}

MUTATIONS = [
    # a red flag routed to self-care
    ("jonkoping", "    if chest_pain {\n      end call_112\n", "    if chest_pain {\n      end self_care_advice\n",
     "red_flags_are_emergencies", "self_care_advice"),
    # a branch condition flipped: breathlessness at rest gets the video meeting, on exertion urgent care
    ("jonkoping", "if breathing_level is at_rest {", "if breathing_level is not at_rest {",
     "breathless_at_rest_seen_within_hours", "video_doctor"),
    # an allergy branch flipped: an anaesthetic allergy no longer reaches the anaesthesia team
    ("skane", "if allergies has anaesthetic_drugs {", "if not (allergies has anaesthetic_drugs) {",
     "anaesthetic_allergy_seen_by_anaesthesia", None),
]


def copy_region(tmp_path, name: str):
    """regions/<name>/region.yaml + flows/, so that the region context (county code, urgency) is found."""
    target = tmp_path / name
    target.mkdir()
    shutil.copy(ROOT / "regions" / name / "region.yaml", target / "region.yaml")
    shutil.copytree(ROOT / "regions" / name / "flows", target / "flows")
    return target / "flows" / f"{FLOWS[name]}.flow"


def invoke(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.mark.parametrize("region,before,after,assert_id,outcome", MUTATIONS, ids=[m[3] for m in MUTATIONS])
def test_mutation_is_caught_with_a_reproducing_counterexample(tmp_path, region, before, after, assert_id, outcome):
    flow = copy_region(tmp_path, region)
    original = flow.read_text(encoding="utf-8")
    assert original.count(before) == 1
    flow.write_text(original.replace(before, after), encoding="utf-8")

    checked = invoke("check", flow)
    assert checked.exit_code == 1 and f"assert '{assert_id}' does not hold" in checked.stdout

    out = flow.parent.parent / "scenarios"
    proved = invoke("prove", flow, "--format", "json", "--out-dir", out)
    assert proved.exit_code == 1
    prop = next(p for p in json.loads(proved.stdout)["properties"] if p["name"] == f"assert {assert_id}")
    assert prop["verdict"] == "violated" and prop["role"] == "counterexample" and prop["replay"] == "reproduced"
    if outcome is not None:
        assert prop["example"]["outcome"] == outcome

    scenario, citizen, answers = (out / f"{FLOWS[region]}_assert_{assert_id}.yaml",
                                  out / "citizens" / f"{FLOWS[region]}_assert_{assert_id}.yaml",
                                  out / "answers" / f"{FLOWS[region]}_assert_{assert_id}.yaml")
    from formflow import api

    flow.write_text(original, encoding="utf-8")
    program, _ = api.load_program(flow)  # the original flow: the same inputs no longer break the assert
    assert assert_id not in replay(program, citizen, answers).violated
    # and the scenario, which pinned the mutant's route, now fails under `formflow test`
    tested = invoke("test", scenario)
    assert tested.exit_code == 1 and "1 failed" in tested.stdout


def test_original_region_flows_prove_clean(tmp_path):
    for region, flow_id in FLOWS.items():
        result = invoke("prove", ROOT / "regions" / region / "flows" / f"{flow_id}.flow", "--format", "json")
        data = json.loads(result.stdout)
        assert result.exit_code == 0, [p["name"] for p in data["properties"] if p["verdict"] != "proved"]
        assert sum(p["kind"] == "assert" for p in data["properties"]) >= 7
