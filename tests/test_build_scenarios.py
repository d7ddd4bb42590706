"""`formflow build` runs the scenarios beside the flows, renders their sample PDFs, and a failing
scenario fails the build."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


def build(folder, out):
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), "build", str(folder), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)


def test_build_runs_every_region_scenario_and_renders_sample_pdfs(tmp_path):
    r = build(ROOT / "regions", tmp_path / "out")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "96 scenarios in 6 files: 96 passed, 0 failed" in r.stdout  # Halland second dose, before 27 Dec 2020; Jönköping booking
    assert (tmp_path / "out" / "jonkoping" / "book_care.gate.json").is_file()
    assert (tmp_path / "out" / "halland" / "covid_vaccination.gate.json").is_file()  # build writes gate configs
    assert "jonkoping.symptom_assessment         24  20/20 100.0%" in r.stdout
    pdfs = sorted((tmp_path / "out" / "skane" / "pdf" / "health_declaration").glob("*.pdf"))
    # 29 scenarios; the one sent to the paper form (another region) answers nothing a clinician reads
    assert len(pdfs) == 28 and "sample PDFs: 28 from the scenarios" in r.stdout
    assert not any("registered-in-jonkoping" in p.name for p in pdfs)
    assert not list((tmp_path / "out").rglob("*.tmp*"))  # nothing half-written
    pypdf = pytest.importorskip("pypdf")
    child = next(p for p in pdfs if "five-year-old" in p.name)
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(child).pages)
    assert "Ifylld av Vårdnadshavare" in text and "Snarkar barnet kraftigt" in text
    assert "Röker du?" not in text  # not asked of a child, so not printed


def test_a_failing_scenario_fails_the_build(tmp_path):
    region = tmp_path / "jonkoping"
    shutil.copytree(ROOT / "regions" / "jonkoping", region)
    scenario = region / "scenarios" / "symptom_assessment.yaml"
    text = scenario.read_text(encoding="utf-8")
    # The chest-pain story, expecting self-care: exactly the mistake scenario tests exist to catch.
    mutated = text.replace("outcome: call_112\n      outcome_kind: emergency", "outcome: self_care_advice", 1)
    assert mutated != text
    scenario.write_text(mutated, encoding="utf-8")
    r = build(tmp_path, tmp_path / "out")
    assert r.returncode == 1
    assert "scenario 'chest pain, call 112' failed" in r.stdout
    assert "self_care_advice" in r.stdout and "call_112" in r.stdout
    assert "33 passed, 1 failed" in r.stdout  # 23 symptom assessment, 10 book_care
