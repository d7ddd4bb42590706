"""Every region flow checks clean and compiles to exactly the reviewed golden artifact.

Regenerate after an intended change with
    FORMFLOW_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
and review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from formflow import api

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
REGION_FLOWS = sorted((ROOT / "regions").glob("*/flows/*.flow"))
UPDATE = os.environ.get("FORMFLOW_UPDATE_GOLDEN") == "1"


def test_every_region_has_flows():
    regions = {p.parent.parent.name for p in REGION_FLOWS}
    assert {"halland", "skane", "jonkoping"} <= regions


@pytest.mark.parametrize("path", REGION_FLOWS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_region_flow_is_clean_and_matches_golden(path):
    result = api.compile_result(api.check_file(path))
    assert [d.message for d in result.diagnostics] == [], "region flows must have no errors and no warnings"
    assert result.artifacts and result.artifacts[0].kind == "form"
    for artifact in result.artifacts:  # the form, and the gate configuration of a flow that books
        golden = GOLDEN / artifact.relpath
        if UPDATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(artifact.data)
        assert golden.exists(), f"no golden file {golden}; run with FORMFLOW_UPDATE_GOLDEN=1 and review it"
        assert artifact.data == golden.read_bytes(), f"{artifact.relpath} differs from its golden file"


@pytest.mark.parametrize("path", REGION_FLOWS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_region_artifact_validates_with_reference_validator(path):
    for artifact in api.compile_result(api.check_file(path)).artifacts:
        jsonschema.Draft202012Validator(_schema(artifact.kind)).validate(json.loads(artifact.data))


def test_halland_books_through_a_gate_config():
    result = api.compile_result(api.check_file(ROOT / "regions/halland/flows/covid_vaccination.flow"))
    assert [a.relpath for a in result.artifacts] == ["halland/covid_vaccination.form.json",
                                                     "halland/covid_vaccination.gate.json"]


def _schema(kind: str) -> dict:
    return json.loads((ROOT / "formflow" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
