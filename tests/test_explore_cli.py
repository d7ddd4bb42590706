"""`formflow explore`: the outcome distribution, and a planted fault found, written and replayed."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, body


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, timeout=120)


def test_region_flows_explore_clean_and_reach_every_outcome():
    r = run("explore", str(ROOT / "regions/jonkoping/flows/symptom_assessment.flow"), "-n", "2000", "--seed", "1",
            "--format", "json")
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["walks"] == 2000 and doc["problems"] == [] and doc["unreached"] == []
    assert sum(doc["outcomes"].values()) == 2000


def test_a_planted_division_by_zero_is_found_and_replays(tmp_path):
    flow = tmp_path / "example.flow"
    flow.write_text(body('question a: integer "A" min 0 max 9\nquestion b: integer "B" min 0 max 9\n'
                         'let r = 10 / (a - b)\nif r > 1 { end done }'), encoding="utf-8")
    r = run("explore", str(flow), "-n", "300", "--seed", "3", "--out", str(tmp_path / "found"))
    assert r.returncode == 1
    assert "fault at line 6" in r.stdout and "division by zero" in r.stdout
    citizen, answers = sorted((tmp_path / "found").glob("*.citizen.yaml")), sorted((tmp_path / "found").glob("*.answers.yaml"))
    assert len(citizen) == len(answers) == 1
    replay = run("simulate", str(flow), "--citizen", str(citizen[0]), "--answers", str(answers[0]))
    assert replay.returncode == 1 and "error[FF605]" in replay.stdout and "division by zero" in replay.stdout
    first, again = (json.loads(run("explore", str(flow), "-n", "300", "--seed", "3", "-f", "json").stdout)
                    for _ in range(2))
    first.pop("seconds"), again.pop("seconds")
    assert first == again and first["problems"][0]["kind"] == "fault"  # the same seed, the same walks
    walk = first["problems"][0]["walk"]
    assert f"(first: walk {walk}, counting from 0)" in r.stdout  # the text names the walk the JSON and files do
    assert f"replay: formflow simulate {flow} --citizen {citizen[0]}" in r.stdout
