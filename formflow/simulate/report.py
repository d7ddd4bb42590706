"""The text report of a scenario run: one line per scenario, a diff per failure, the coverage table.

A failure reads as a diff — the expectations that do not hold, each as expected/got — followed by
the problems with the answers and the route actually taken (the simulator's transcript), so that
an author sees at once *where* the citizen went another way. The citizen appears only as facts
(age, region, proxy, today); every text passes through `terminal.safe`, and anything shaped like
a personnummer is masked as a last guard, because reports end up in CI logs.
"""

from __future__ import annotations

import re

from formflow.diagnostics.render import render_text as render_diagnostic
from formflow.simulate.coverage import is_below, percent, render_table
from formflow.simulate.terminal import indent, safe
from formflow.simulate.testrun import ERROR, FAILED, PASSED, ScenarioResult, TestRun

_PERSONNUMMER = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+]?[0-9]{4}(?![0-9])")
_MARK = {PASSED: "ok  ", FAILED: "FAIL", ERROR: "ERR "}


def mask(text: str) -> str:
    """Anything that looks like a personnummer or samordningsnummer becomes [personnummer]."""
    return _PERSONNUMMER.sub("[personnummer]", text)


def failure_text(result: ScenarioResult) -> str:
    """Why a scenario failed, as a diff with the route taken ("" for a passed scenario)."""
    if result.passed:
        return ""
    lines = [f"scenario '{safe(result.name)}' {result.status}: {safe(result.reason)}"]
    if result.citizen:
        lines.append(f"  {safe(result.citizen)}")
    if result.mismatches:
        width = max(len(m.what) for m in result.mismatches)
        lines.append("  expected vs actual:")
        for m in result.mismatches:
            lines.append(f"    {m.what.ljust(width)}  expected {safe(m.expected)}")
            lines.append(f"    {' ' * width}  actual   {safe(m.actual)}")
    problems = [d for d in result.diagnostics if d.code != "FF608"]
    if problems:
        lines.append("  problems:")
        lines.extend(indent(render_diagnostic(d), "    ") for d in problems)
    if result.route:
        lines.append("  the route taken:")
        lines.append(indent(result.route.rstrip("\n"), "    "))
    return _tidy("\n".join(lines))


def _tidy(text: str) -> str:
    """Masked, without trailing spaces (indenting a blank line leaves them), ending in a newline."""
    return "\n".join(line.rstrip() for line in mask(text).split("\n")) + "\n"


def render_report(run: TestRun) -> str:
    """The whole run: results per file, failure diffs, coverage table, a summary line."""
    out: list[str] = []
    for f in run.files:
        out.append(f"{safe(f.path)}" + (f"  ({f.flow})" if f.flow else ""))
        if not f.scenarios:
            out.append("  (no scenario could be read: see the problems below)")
        for s in f.scenarios:
            out.append(f"  {_MARK[s.status]} {safe(s.name)}" + (f"  — {safe(s.reason)}" if s.reason else ""))
    failures = [s for s in run.scenarios if not s.passed]
    if failures:
        out.append("")
        out.append("failures:")
        for s in failures:
            out.append("")
            out.append(indent(failure_text(s).rstrip("\n"), "  "))
    if run.coverage:
        out.append("")
        out.append("coverage" + (f" (minimum {run.min_coverage:g}%)" if run.min_coverage is not None else "") + ":")
        out.append(indent(render_table(run.coverage).rstrip("\n"), "  "))
    out.append("")
    out.append(summary(run))
    return _tidy("\n".join(out))


def summary(run: TestRun) -> str:
    n = len(run.scenarios)
    parts = [f"{run.count(PASSED)} passed", f"{run.count(FAILED)} failed"]
    if run.count(ERROR):
        parts.append(f"{run.count(ERROR)} could not run")
    unread = sum(1 for f in run.files if not f.scenarios)
    if unread:
        parts.append(f"{unread} file{'s' if unread != 1 else ''} could not be read")
    files = len(run.files)
    line = f"{n} scenario{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}: " + ", ".join(parts)
    low = [c for c in run.coverage if is_below(c, run.min_coverage)]
    if low:
        line += "; coverage below the minimum: " + ", ".join(f"{c.flow} {percent(c.combined)}" for c in low)
    return line


def to_json_data(run: TestRun) -> dict:
    """The run for tools (`--format json`): scenarios, coverage and counts; citizens as facts only."""
    scenarios = [{"file": f.path, "flow": f.flow, "name": s.name, "line": s.line, "status": s.status,
                  "reason": mask(s.reason) or None, "differences": [mask(m.line()) for m in s.mismatches],
                  "citizen": s.citizen or None, "seconds": round(s.seconds, 6)}
                 for f in run.files for s in f.scenarios]
    coverage = [{"flow": c.flow, "file": c.path, "scenarios": c.scenarios,
                 "questions": _tally(c.questions), "branches": _tally(c.branches), "outcomes": _tally(c.outcomes),
                 "coverage": percent(c.combined), "never_asked": list(c.never_asked),
                 "conditions": [{"line": g.line, "column": g.column, "never": g.missing} for g in c.branch_gaps],
                 "unreached": list(c.unreached), "below_minimum": is_below(c, run.min_coverage)}
                for c in run.coverage]
    counts = {status: run.count(status) for status in (PASSED, FAILED, ERROR)}
    return {"scenarios": scenarios, "coverage": coverage, "results": counts, "min_coverage": run.min_coverage,
            "ok": run.ok}


def _tally(t) -> dict:
    return {"covered": t.covered, "total": t.total}
