"""dsl/ERRORS.md is generated from the catalogue and must not drift from it.

Regenerate with `python -m formflow.diagnostics.docs > dsl/ERRORS.md`
(or FORMFLOW_UPDATE_GOLDEN=1 python -m pytest tests/test_docs.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from formflow.diagnostics import docs
from formflow.diagnostics.catalog import CODES

ROOT = Path(__file__).resolve().parent.parent


def test_errors_md_is_up_to_date():
    path = ROOT / "dsl" / "ERRORS.md"
    if os.environ.get("FORMFLOW_UPDATE_GOLDEN") == "1":
        path.write_text(docs.render(), encoding="utf-8")
    assert path.read_text(encoding="utf-8") == docs.render(), "regenerate dsl/ERRORS.md (see this test's docstring)"


def test_errors_md_documents_every_code():
    text = (ROOT / "dsl" / "ERRORS.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"### {code}" in text


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- test-command -->\n```sh\n(.+)\n```", readme)
    assert block, "README.md must give the test command after <!-- test-command -->"
    assert "pytest" in block.group(1)
    assert "test-command" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _reference_examples():
    text = (ROOT / "dsl" / "REFERENCE.md").read_text(encoding="utf-8")
    return [(m.group(2), m.group(1)) for m in re.finditer(r"```flow(?: region=(\w+))?\n(.*?)```", text, re.S)]


def test_every_reference_example_checks_clean():
    from formflow import api
    from formflow.diagnostics.catalog import wrap_example

    examples = _reference_examples()
    assert len(examples) >= 20
    for example, region in examples:
        code = "\n".join(line for line in example.splitlines() if not line.lstrip().startswith("#"))
        full = code if code.lstrip().startswith("flow ") else wrap_example(code)
        name = re.match(r"\s*flow (\w+)", full).group(1) + ".flow"
        path = ROOT / "regions" / region / "flows" / name if region else None  # booking examples need a region
        found = api.check_source(name, full.encode("utf-8"), path).diagnostics
        assert [(d.code, d.message) for d in found] == [], example
