"""The diagnostic catalogue: every code documented, every example executable."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, diagnose
from formflow.diagnostics.catalog import CODES, lookup, wrap_example
from formflow.diagnostics.model import Severity

WITH_EXAMPLES = [info for info in CODES.values() if info.bad or info.good]
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _diagnose_example(info, snippet: str) -> list:
    """Check an example as a flow of regions/<info.region>/flows/ when it needs a region.yaml."""
    if info.region:
        return diagnose(wrap_example(snippet), str(ROOT / "regions" / info.region / "flows" / "example.flow"))
    return diagnose(wrap_example(snippet))


def _summary(diags) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in diags]


def test_catalogue_is_not_trivially_small():
    assert len(CODES) >= 40
    assert len(WITH_EXAMPLES) >= 30


@pytest.mark.parametrize("info", WITH_EXAMPLES, ids=lambda i: i.code)
def test_example_pairs_are_complete(info):
    assert info.bad.strip() and info.good.strip(), f"{info.code} has only one of its bad/good examples"


@pytest.mark.parametrize("info", WITH_EXAMPLES, ids=lambda i: i.code)
def test_bad_example_produces_its_code(info):
    found = _diagnose_example(info, info.bad)
    assert info.code in [d.code for d in found], _summary(found)
    d = next(d for d in found if d.code == info.code)
    assert d.severity is info.severity


@pytest.mark.parametrize("info", WITH_EXAMPLES, ids=lambda i: i.code)
def test_good_example_is_clean(info):
    found = _diagnose_example(info, info.good)
    assert found == [], _summary(found)


@pytest.mark.parametrize("info", list(CODES.values()), ids=lambda i: i.code)
def test_entry_is_documented(info):
    assert re.fullmatch(r"FF\d{3}", info.code)
    assert KEBAB.fullmatch(info.name), info.name
    assert info.summary.strip() and info.summary.strip()[-1] in ".?!"
    assert len(info.explanation.strip()) >= 40
    assert isinstance(info.severity, Severity)


def test_codes_and_names_are_unique():
    names = [i.name for i in CODES.values()]
    assert len(names) == len(set(names))
    # CODES is a dict, so duplicate codes would silently overwrite each other: count the source.
    catalog_src = (ROOT / "formflow" / "diagnostics" / "catalog.py").read_text(encoding="utf-8")
    defined = re.findall(r'CodeInfo\(\s*"(FF\d{3})"', catalog_src)
    assert len(defined) == len(set(defined)) == len(CODES)


def test_codes_are_grouped_by_stage():
    for code in CODES:
        assert code[2] in "0123456789", code


def _emitted_codes() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    sources = list((ROOT / "formflow").rglob("*.py")) + [ROOT / "cli.py"]
    for path in sources:
        if path.name == "catalog.py":
            continue
        for code in re.findall(r"[\"'](FF\d{3})[\"']|\[(FF\d{3})\]", path.read_text(encoding="utf-8")):
            c = code[0] or code[1]
            found.setdefault(c, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_emitted_code_is_in_the_catalogue():
    emitted = _emitted_codes()
    assert len(emitted) >= 30  # the scan itself works
    missing = {code: where for code, where in emitted.items() if code not in CODES}
    assert not missing, missing


def test_lookup_by_code_name_and_number():
    assert lookup("FF201").name == "duplicate-id"
    assert lookup("ff201").code == "FF201"
    assert lookup("201").code == "FF201"
    assert lookup("duplicate-id").code == "FF201"
    assert lookup("FF999") is None
    assert lookup("no-such-thing") is None


def test_wrap_example_leaves_complete_flows_alone():
    flow = 'flow x "X" {\n  outcome done: information "K"\n  end done\n}\n'
    assert wrap_example(flow) == flow
    wrapped = wrap_example('question fever: yes_no "Feber?"')
    assert wrapped.startswith("flow example")
    assert '  question fever: yes_no "Feber?"' in wrapped
    assert diagnose(wrapped) == []


def test_explanations_document_the_language_limits():
    # The numbers in the explanations are the numbers the tool enforces.
    from formflow.syntax import preflight

    assert "64" in CODES["FF007"].explanation and preflight.MAX_NESTING == 64
    assert "4 MiB" in CODES["FF006"].explanation and preflight.MAX_SOURCE_BYTES == 4 * 1024 * 1024


def test_errors_md_if_present_lists_every_code():
    errors_md = ROOT / "dsl" / "ERRORS.md"
    if not errors_md.exists():
        pytest.skip("dsl/ERRORS.md is not generated yet")
    text = errors_md.read_text(encoding="utf-8")
    assert [c for c in CODES if c not in text] == []
