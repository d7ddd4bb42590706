"""A scenario run as JUnit XML, the format CI systems show as test results.

One `<testsuite>` per scenario file (named by its path), one `<testcase>` per scenario
(`classname` = region.flow, `name` = the scenario's name, `time` in seconds). A scenario whose
expectation or answers fail has a `<failure>` (message: the first difference; text: the whole diff
with the route taken); one that could not run has an `<error>`. A scenario file that could not be
read at all is a suite with one errored test case, so that CI shows it instead of a silently
smaller count. With a minimum coverage, a suite `coverage` has one test case per flow.

The citizen is described by facts in `<system-out>`, never by the personnummer; all text is
masked for anything shaped like a personnummer and made safe for XML (control characters shown
as <U+XXXX>, which XML 1.0 could not carry).
"""

from __future__ import annotations

from pathlib import Path

from junitparser import Error, Failure, JUnitXml, TestCase, TestSuite

from formflow.diagnostics.render import render_text as render_diagnostic
from formflow.simulate.coverage import is_below, percent
from formflow.simulate.report import failure_text, mask
from formflow.simulate.terminal import safe
from formflow.simulate.testrun import ERROR, FAILED, FileRun, ScenarioResult, TestRun


def _clean(text: str) -> str:
    return mask(safe(text, keep_newlines=True))


def junit_xml(run: TestRun) -> bytes:
    """The XML document, UTF-8 with a declaration."""
    xml = JUnitXml("formflow test")
    for f in run.files:
        xml.add_testsuite(_suite(f))
    if run.min_coverage is not None and run.coverage:
        xml.add_testsuite(_coverage_suite(run))
    xml.update_statistics()
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + xml.tostring() + b"\n"


def write_junit(run: TestRun, target: Path) -> None:
    """Write atomically (never half a report). Raises fsio.FileProblem when it cannot be written."""
    from formflow.fsio import write_atomic

    write_atomic(target, junit_xml(run))


def _suite(f: FileRun) -> TestSuite:
    suite = TestSuite(_clean(f.path))
    if not f.scenarios:
        case = TestCase("(scenario file)", _clean(f.flow or "scenarios"), 0.0)
        error = Error(_clean(f.diagnostics[0].message) if f.diagnostics else "the file could not be read")
        error.text = _clean("\n\n".join(render_diagnostic(d) for d in f.diagnostics))
        case.result = [error]
        suite.add_testcase(case)
    for s in f.scenarios:
        suite.add_testcase(_case(f, s))
    suite.update_statistics()
    return suite


def _case(f: FileRun, s: ScenarioResult) -> TestCase:
    case = TestCase(_clean(s.name), _clean(f.flow), round(s.seconds, 6))
    if s.status in (FAILED, ERROR):
        result = Failure(_clean(s.reason), "FF608") if s.status == FAILED else Error(_clean(s.reason))
        result.text = _clean(failure_text(s))
        case.result = [result]
    if s.citizen:
        case.system_out = _clean(s.citizen)
    return case


def _coverage_suite(run: TestRun) -> TestSuite:
    suite = TestSuite("coverage")
    for c in run.coverage:
        case = TestCase(f"coverage of {c.flow}", c.flow, 0.0)
        if is_below(c, run.min_coverage):
            failure = Failure(f"{percent(c.combined)} is below the minimum of {run.min_coverage:g}%", "FF610")
            failure.text = _clean("\n".join(c.gaps()))
            case.result = [failure]
        suite.add_testcase(case)
    suite.update_statistics()
    return suite
