"""`formflow prove FLOW`: every property of a flow, with its verdict and its example (mounted by cli.py).

    formflow prove FLOW [--format text|json] [--out-dir DIR] [--property NAME ...]

Properties (see `properties.py`): each question/value/trigger/end can be reached, each outcome is
the result of some route, each branch condition can be true and false, every route ends in
exactly one outcome, no expression reads an answer its route may not have, no division by zero,
every question has a valid answer, every `assert` holds. Each is *proved* (with a witness: a
citizen and answers the compiled form was walked with), *violated* (with a counterexample, or the
conditions that make a point unreachable) or *undecided* (with the reason, e.g. non-linear
arithmetic the solver could not settle within its limit).

Exit codes: 0 every property proved; 1 a property violated or undecided — a claim the analyser
cannot back is not a proof, and CI must not pass on it — or the flow has errors; 2 usage error
(no such file, unknown --property). `--out-dir` writes each example as scenario, citizen and
answers files (`scenario.py`), atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from formflow.console import Format
from formflow.console import guard as _guard
from formflow.console import report as _report
from formflow.console import OutFormat
from formflow.console import usage as _usage
from formflow.simulate.terminal import safe


@_guard
def prove(flow: Path = typer.Argument(..., help="A .flow file (its region.yaml above it is read)."),
          format: OutFormat = typer.Option(OutFormat.text, "--format", "-f", help="text for people, json for tools."),
          out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Write every witness and counterexample "
                                                 "as scenario, citizen and answers files here."),
          property: Optional[List[str]] = typer.Option(None, "--property", "-p", help="Only this property (its name, "
                                                       "e.g. 'assert red_flags' or just red_flags); repeatable."),
          examples: bool = typer.Option(False, "--examples", help="Show the witness of every proved property, "
                                        "not only of asserts.")):
    """Prove the properties of a flow: reachability, both ways of each branch, one outcome per route,
    reads of unanswered questions, every assert — with witnesses and counterexamples."""
    from formflow.fsio import FileProblem

    if not flow.is_file():
        _usage(f"{flow}: no such flow file")
    diagnostics, analysis, line_of, not_analysed = _analysed(flow)
    if analysis is None:
        _report(diagnostics, Format.json if format == OutFormat.json else Format.text, 1)
        raise typer.Exit(1)
    props = _selected(analysis.properties, property or [])
    written: dict[str, tuple[Path, ...]] = {}
    replayed: dict[str, str] = {}
    if out_dir is not None:
        try:
            written = _write_all(out_dir, analysis.flow_id, props)
            replayed = _replayed(analysis.program, props, written)
        except FileProblem as exc:
            typer.echo(safe(f"error: cannot write to {out_dir}: {exc}"), err=True)
            raise typer.Exit(1)
    if format == OutFormat.json:
        out = dict(to_json(analysis, props, written, line_of, replayed), not_analysed=not_analysed)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        typer.echo(safe(to_text(analysis, props, written, replayed, examples), keep_newlines=True))
        for note in not_analysed:
            typer.echo(safe(f"note: not analysed: {note}"))
        if out_dir is not None and not _finds_flow(out_dir, analysis.flow_id, flow):
            typer.echo(safe(f"note: {out_dir} is not inside the region of {flow}; `formflow test` finds a "
                            "scenario's flow through the region.yaml above it (use e.g. regions/<region>/scenarios/)"))
    bad_replay = any(v != "reproduced" for v in replayed.values())
    raise typer.Exit(0 if all(p.verdict == "proved" for p in props) and not bad_replay else 1)


def _analysed(path: Path):
    """(diagnostics, Analysis | None, line_of, notes on what is not analysed): the flow parsed, checked
    against its region, analysed with proofs."""
    from formflow import api
    from formflow.analysis import analyse
    from formflow.check import check_flow
    from formflow.fsio import read_bytes
    from formflow.ir.lower import lower
    from formflow.syntax.parse import parse_bytes

    from formflow.booking.windows import not_analysed

    parsed = parse_bytes(str(path), read_bytes(path))
    if not parsed.ok:
        return parsed.diagnostics, None, None, []
    checked = check_flow(parsed.source, parsed.flow, api.region_context_of(path))
    diagnostics = tuple(parsed.diagnostics) + tuple(checked.diagnostics)
    if not checked.ok:
        return diagnostics, None, None, []
    flow = lower(checked.context)
    analysis = analyse(flow, parsed.source, prove=True, home_region=api.region_code_of(path))
    if not analysis.properties:  # the analyser could not run (FF811/FF905): its diagnostics say why
        return diagnostics + tuple(analysis.diagnostics), None, None, []
    line_of = lambda span: None if span is None else parsed.source.line_col(span.start)[0]  # noqa: E731
    return diagnostics, analysis, line_of, not_analysed(flow, line_of)


def _selected(props, wanted: list[str]):
    if not wanted:
        return props
    names = {p.name for p in props}
    out = []
    for w in wanted:
        name = w if w in names else f"assert {w}"
        if name not in names:
            _usage(f"no property '{w}'; `formflow prove FLOW` lists them all")
        out.append(name)
    return tuple(p for p in props if p.name in out)


def _write_all(out_dir: Path, flow_id: str, props) -> dict[str, tuple[Path, ...]]:
    from formflow.analysis import scenario

    written = {}
    for p in props:
        if p.example is not None and p.example.citizen is not None:
            written[p.name] = scenario.write(out_dir, scenario.render(flow_id, p, p.example))
    return written


def _replayed(program, props, written) -> dict[str, str]:
    """For each written file set, what walking it again showed (the round trip, checked)."""
    from formflow.analysis import scenario

    out = {}
    for p in props:
        if p.name in written:
            _, citizen, answers = written[p.name]
            if getattr(p.example, "config", None) is not None:  # a gate example: decided again from the files
                example = p.example
                assert_id = p.name.split(" ", 1)[1] if p.kind == "assert" else None
                if assert_id is not None:
                    example = _with_violated(example, p.verdict == "violated")
                out[p.name] = "reproduced" if scenario.replay_gate(program, example, citizen, answers, assert_id) \
                    else "NOT reproduced"
                continue
            r = scenario.replay(program, citizen, answers)
            assert_id = p.name.split(" ", 1)[1] if p.kind == "assert" else None
            ok = r.outcome == p.example.walk.outcome and not r.problems and \
                ((assert_id in r.violated) == (p.verdict == "violated") if assert_id else True)
            out[p.name] = "reproduced" if ok else "NOT reproduced"
    return out


def _with_violated(example, violated: bool):
    """The example with whether its assert is expected to fail on it (a counterexample's does)."""
    import dataclasses

    return dataclasses.replace(example, violated=violated)


def _finds_flow(out_dir: Path, flow_id: str, flow: Path) -> bool:
    from formflow.simulate.scenarios import flow_path

    found = flow_path(out_dir / "x.yaml", flow_id)
    return found.is_file() and found.resolve() == flow.resolve()


# ---------------------------------------------------------------- output

def example_data(example) -> dict | None:
    if example is None:
        return None
    data = {"answers": {q: _plain(v) for q, v in example.answers.items()}, "outcome": example.walk.outcome,
            "asked": list(example.walk.asked), "triggered": sorted(set(example.walk.triggered))}
    c = example.citizen
    if c is not None:
        data["citizen"] = {"personnummer": c.person.formatted, "region": c.region, "invitations": list(c.invitations),
                           "now": c.now.isoformat(), **({"proxy_for": c.proxy_for.formatted} if c.proxy_for else {})}
    return data


def _plain(value):
    from formflow.simulate import yamlout

    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return yamlout.scalar(value)


def to_json(analysis, props, written, line_of, replayed) -> dict:
    counts = {v: sum(p.verdict == v for p in props) for v in ("proved", "violated", "undecided")}
    return {"flow": analysis.flow_id, "universe": analysis.universe, "assumptions": list(analysis.assumptions),
            "summary": counts,
            "properties": [_prop_json(p, written.get(p.name, ()), line_of, replayed.get(p.name)) for p in props]}


def _prop_json(p, files, line_of, replayed) -> dict:
    return {"kind": p.kind, "name": p.name, "claim": p.claim, "verdict": p.verdict, "detail": p.detail,
            "line": line_of(p.span), "role": p.role if p.example is not None else None,
            "example": example_data(p.example),
            "because": [{"line": line_of(r.span), "text": r.text} for r in p.because],
            "files": [str(f) for f in files], **({"replay": replayed} if replayed else {})}


def to_text(analysis, props, written, replayed, examples) -> str:
    lines = [f"{analysis.flow_id}: {len(props)} properties over {analysis.universe}"]
    lines += [f"  assuming: {a}" for a in analysis.assumptions]
    for p in props:
        mark = {"proved": "proved   ", "violated": "VIOLATED ", "undecided": "undecided"}[p.verdict]
        lines.append(f"  {mark} {p.name} — {p.claim}")
        if p.detail:
            lines.append(f"             {p.detail}")
        for r in p.because:
            lines.append(f"             because: {r.text}")
        if p.example is not None and (examples or p.verdict != "proved" or p.kind == "assert"):
            lines.append(f"             {p.role}: {short(p.example)}")
        for f in written.get(p.name, ())[:1]:
            lines.append(f"             scenario: {f} ({replayed.get(p.name, 'written')})")
    counts = {v: sum(p.verdict == v for p in props) for v in ("proved", "violated", "undecided")}
    lines.append(f"{counts['proved']} proved, {counts['violated']} violated, {counts['undecided']} undecided")
    return "\n".join(lines)


def short(example) -> str:
    """One line: who, which answers, what happened."""
    from formflow.simulate import yamlout

    who = ""
    c = example.citizen
    if c is not None:
        who = f"{c.person.formatted}{' for ' + c.proxy_for.formatted if c.proxy_for else ''}, {c.now.date()}; "
    answers = ", ".join(f"{q}={yamlout.value_text(v)}" for q, v in example.answers.items()) or "no answers"
    w = example.walk
    end = w.outcome if w.outcome is not None else f"stops at '{w.pending}'" if w.pending else "no outcome"
    gate = getattr(example, "gate_summary", "")  # a gate example (analysis.entitlement): evidence and decision
    return f"{who}{answers} → {end}" + (f"; {gate}" if gate else "")
