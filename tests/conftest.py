"""Shared helpers for the formflow test suite.

`diagnose(text)` runs the whole front end (preflight, parse, check) on a flow given as text or
bytes and returns every diagnostic, in the order the tool reports them. `codes(text)` is the list
of their codes. `body(...)` wraps statements into a minimal flow, the same way the catalogue's
examples are wrapped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formflow import api
from formflow.diagnostics.catalog import wrap_example

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = FIXTURES / "sample.flow"

# Names of lark terminals (and lark's end marker) that must never reach an author.
TERMINAL_NAMES = re.compile(
    r"\$END|__ANON|\b(?:COLON|NAME|LBRACE|RBRACE|LPAR|RPAR|LSQB|RSQB|COMMA|EQUAL|DOT|LANG|STRING|LONG_STRING"
    r"|INT|DECIMAL|DATE|COMPARE|SIGN|MUL_OP|DURATION_UNIT|WORD|PUNCT)\b"
)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than 30 seconds (deselect with -m 'not slow')")


def check(text: str | bytes, name: str = "example.flow") -> api.FileResult:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return api.check_source(name, raw)


def diagnose(text: str | bytes, name: str = "example.flow") -> list:
    """All diagnostics (source text, syntax and checks) for one flow."""
    return list(check(text, name).diagnostics)


def codes(text: str | bytes, name: str = "example.flow") -> list[str]:
    return [d.code for d in diagnose(text, name)]


def body(snippet: str) -> str:
    """Statements inside a minimal flow (languages sv, outcome `done`, final `end done`)."""
    return wrap_example(snippet)


def only(diagnostics, code: str):
    """The single diagnostic with `code` (fails the test if there is not exactly one)."""
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, f"expected one {code}, got {[(d.code, d.message) for d in diagnostics]}"
    return found[0]


def position(d) -> tuple[int, int]:
    """(line, column) of a diagnostic's primary span, 1-based."""
    pos = d.position()
    assert pos is not None, f"{d.code} has no position"
    return pos


def span_text(d) -> str:
    """The source text under a diagnostic's primary label."""
    return d.source.text[d.primary.span.start:d.primary.span.end]


def all_text(d) -> str:
    """Every human-readable string of a diagnostic: message, help and label texts."""
    labels = ([d.primary] if d.primary else []) + list(d.secondary)
    return "\n".join([d.message, d.help or ""] + [lab.message for lab in labels] + list(d.notes))


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


def halland_scenario_run(tmp_path: Path, body: str):
    """Halland's region copied to `tmp_path`, with `body` as its only scenarios (the other
    scenario files removed), run as `formflow test` runs them."""
    import shutil

    from formflow.simulate.testrun import run_scenarios

    root = tmp_path / "regions" / "halland"
    shutil.copytree(ROOT / "regions" / "halland", root)
    for other in (root / "scenarios").glob("*.yaml"):  # only the scenarios under test run
        other.unlink()
    (root / "scenarios" / "covid_vaccination.yaml").write_text("flow: covid_vaccination\nscenarios:\n" + body,
                                                               encoding="utf-8")
    return run_scenarios([root])


def citizen_from_text(text: str):
    """A citizen file's content, read as `--citizen` reads it (it must be valid)."""
    from formflow.inputs.citizen import load_citizen
    from formflow.inputs.yamlnode import parse
    from formflow.source import Source

    source = Source.from_text("citizen.yaml", text)
    node, diags = parse(source)
    assert not diags
    person, diags = load_citizen(node, source)
    assert person is not None, [d.message for d in diags]
    return person


@pytest.fixture(scope="module")
def halland():
    """Halland's covid-19 booking flow compiled as `formflow gate evaluate` compiles it."""
    setup, diags = api.load_gate(ROOT / "regions" / "halland" / "flows" / "covid_vaccination.flow")
    assert setup is not None and setup.config is not None, diags
    return setup
