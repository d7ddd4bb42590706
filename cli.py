"""The `formflow` command: a thin typer layer over `formflow.api`.

Each command calls the API, formats its result object and sets the exit code:
0 ok, 1 errors found (or an internal error), 2 usage error. No user error shows a traceback;
`--debug` shows one for internal errors.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from formflow import __version__

app = typer.Typer(
    name="formflow",
    help="Check, compile and build citizen e-service flows for 1177.se from the formflow DSL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


_state = {"debug": False, "color": Color.auto}
MAX_SHOWN_PER_FILE = 50  # text output; json and github formats list every diagnostic


def _version(value: bool):
    if value:
        typer.echo(f"formflow {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback if formflow itself fails."),
    color: Color = typer.Option(Color.auto, "--color", help="Colour in text output: auto (on a terminal), always, never."),
):
    """formflow: citizen e-service flows as source code."""
    _state["debug"] = debug
    _state["color"] = color


def _use_color() -> bool:
    if _state["color"] is Color.always:
        return True
    if _state["color"] is Color.never or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _report(diagnostics, fmt: Format, files: int, extra: dict | None = None) -> None:
    from formflow.diagnostics import render

    diagnostics = list(diagnostics)
    if fmt is Format.json:
        typer.echo(render.render_json(diagnostics, extra))
        return
    if fmt is Format.github:
        for d in diagnostics:
            typer.echo(render.render_github(d))
        return
    color = _use_color()
    shown: dict[str, int] = {}
    for d in diagnostics:
        name = d.source.name if d.source else ""
        shown[name] = shown.get(name, 0) + 1
        if shown[name] <= MAX_SHOWN_PER_FILE:
            typer.echo(render.render_text(d, color) + "\n", color=color)
    for name, count in shown.items():
        if count > MAX_SHOWN_PER_FILE:
            typer.echo(f"... and {count - MAX_SHOWN_PER_FILE} more in {name or 'the run'} "
                       "(--format json lists them all)\n")
    errors = sum(1 for d in diagnostics if d.is_error)
    typer.echo(render.summary_line(errors, len(diagnostics) - errors, files))


def _exit_code(diagnostics, strict: bool) -> int:
    diagnostics = list(diagnostics)
    if any(d.is_error for d in diagnostics):
        return 1
    return 1 if strict and diagnostics else 0


def _guard(fn):
    """Turn an unexpected exception into FF905 with a one-line message (a traceback with --debug)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in formflow, not in the user's input
            if _state["debug"]:
                raise
            typer.echo(f"error[FF905]: formflow failed unexpectedly ({type(exc).__name__}); "
                       "run again with --debug for the traceback, and report it", err=True)
            raise typer.Exit(1)

    return wrapper


PATHS = typer.Argument(None, help="Flow files or folders (searched recursively for *.flow).", show_default=False)
FORMAT = typer.Option(Format.text, "--format", "-f", help="text for people, json for tools, github for Actions annotations.")
STRICT = typer.Option(False, "--strict", help="Fail on warnings too.")


@app.command()
@_guard
def check(paths: Optional[List[Path]] = PATHS, format: Format = FORMAT, strict: bool = STRICT):
    """Check flows and report every problem with its place, code and a hint."""
    from formflow import api

    result = api.check_paths(paths or [Path(".")])
    diagnostics = result.diagnostics
    _report(diagnostics, format, len(result.files), {"files": [f.display for f in result.files]})
    raise typer.Exit(_exit_code(diagnostics, strict))


@app.command("compile")
@_guard
def compile_(
    paths: Optional[List[Path]] = PATHS,
    out: Path = typer.Option(Path("build"), "--out", "-o", help="Folder for the artifacts: OUT/<region>/<flow>.form.json."),
    format: Format = FORMAT,
    strict: bool = STRICT,
):
    """Compile flows to validated JSON forms. A flow with errors writes nothing."""
    from formflow import api

    result = api.compile_paths(paths or [Path(".")], out)
    diagnostics = result.diagnostics
    _report(diagnostics, format, len(result.files), {"written": [str(p) for p in result.written]})
    if format is Format.text:
        for p in result.written:
            typer.echo(f"wrote {p}")
    raise typer.Exit(_exit_code(diagnostics, strict))


@app.command()
@_guard
def build(
    path: Path = typer.Argument(Path("regions"), help="The regions folder (or any folder of flows)."),
    out: Path = typer.Option(Path("build"), "--out", "-o", help="Folder for all artifacts."),
    format: Format = FORMAT,
    strict: bool = STRICT,
):
    """The main job: check and compile every flow under PATH, with a summary table."""
    from formflow import api

    result = api.compile_paths([path], out)
    diagnostics = result.diagnostics
    if format is not Format.text:
        _report(diagnostics, format, len(result.files), {"written": [str(p) for p in result.written]})
        raise typer.Exit(_exit_code(diagnostics, strict))
    _report(diagnostics, format, len(result.files))
    typer.echo("")
    typer.echo(_build_table(result))
    typer.echo(f"\nartifacts in {out}/")
    raise typer.Exit(_exit_code(diagnostics, strict))


def _build_table(result) -> str:
    rows = [("region", "flow", "questions", "outcomes", "status", "ms")]
    for r in result.files:
        flow = r.file.flow
        errors = sum(1 for d in r.diagnostics if d.is_error)
        warnings = len(r.diagnostics) - errors
        status = f"{errors} errors" if errors else ("ok" if not warnings else f"ok, {warnings} warnings")
        rows.append((r.region or "-", flow.id if flow else r.file.display, str(len(flow.questions)) if flow else "-",
                     str(len(flow.outcomes)) if flow else "-", status, f"{r.file.seconds * 1000:.0f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class OutFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
@_guard
def simulate(
    flow: Path = typer.Argument(..., help="A .flow file (compiled first) or a compiled .form.json."),
    answers: Optional[Path] = typer.Option(None, "--answers", "-a", help="Answers file (YAML/JSON): run without prompts."),
    citizen: Optional[Path] = typer.Option(None, "--citizen", "-c", help="Citizen file (YAML/JSON) with the verified facts."),
    personnummer: Optional[str] = typer.Option(None, "--personnummer", "-p",
                                               help="A Skatteverket test personnummer instead of --citizen."),
    now: Optional[str] = typer.Option(None, "--now", help="Date and time of the walk, Europe/Stockholm (with --personnummer)."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help="Language of the flow's texts (default: its first)."),
    format: OutFormat = typer.Option(OutFormat.text, "--format", "-f", help="Transcript as text or json (with --answers)."),
    strict: bool = STRICT,
):
    """Walk through a flow as a citizen: interactively, or scripted from an answers file."""
    from formflow import api

    program, diagnostics = api.load_program(flow)
    if program is None:
        _report(diagnostics, Format(format.value), 1)
        raise typer.Exit(1)
    lang = _choose_language(program, lang)
    facts, problems = api.load_facts(citizen, personnummer, now)
    if facts is None:
        _report(problems, Format(format.value), 1)
        raise typer.Exit(1 if citizen else 2)
    if answers is None:
        raise typer.Exit(_interactive(program, facts, lang))
    raise typer.Exit(_scripted(program, facts, answers, lang, format, strict))


def _choose_language(program, lang: Optional[str]) -> str:
    languages = program.languages
    if lang is None:
        return languages[0]
    if lang not in languages:
        typer.echo(f"error: the flow '{program.flow_id}' has no texts in '{lang}'; it has {', '.join(languages)}", err=True)
        raise typer.Exit(2)
    return lang


def _interactive(program, facts, lang: str) -> int:
    from formflow.simulate.interactive import run_interactive
    from formflow.simulate.transcript import describe_facts

    typer.echo(f"({describe_facts(facts)})")
    session = run_interactive(program, facts, lang=lang)
    return {"finished": 0, "quit": 0, "interrupted": 130}.get(session.status, 1)


def _scripted(program, facts, answers: Path, lang: str, format: OutFormat, strict: bool) -> int:
    from formflow import api
    from formflow.simulate import transcript

    result = api.simulate_file(program, facts, answers)
    diagnostics = list(result.diagnostics)
    if format is OutFormat.json:
        extra = {"transcript": transcript.to_json_data(program, result.walk, facts) if result.walk else None}
        _report(diagnostics, Format.json, 1, extra)
    else:
        if result.walk is not None:
            typer.echo(transcript.render_text(program, result.walk, facts, lang))
        if diagnostics:
            _report(diagnostics, Format.text, 1)
    return _exit_code(diagnostics, strict)


@app.command("test")
@_guard
def test_(
    paths: Optional[List[Path]] = typer.Argument(None, help="Scenario files or folders (default: regions).", show_default=False),
    min_coverage: Optional[float] = typer.Option(None, "--min-coverage", min=0, max=100,
                                                 help="Fail when a flow's coverage (the lowest of questions, branches, outcomes) is below this percentage."),
    junit: Optional[Path] = typer.Option(None, "--junit", help="Also write the results as JUnit XML for CI."),
    format: OutFormat = typer.Option(OutFormat.text, "--format", "-f", help="text for people, json for tools."),
    strict: bool = STRICT,
):
    """Run the scenario tests beside the flows, with coverage of questions, branches and outcomes."""
    from formflow.fsio import FileProblem
    from formflow.simulate import report
    from formflow.simulate.junit import write_junit
    from formflow.simulate.testrun import run_scenarios

    run = run_scenarios(paths or [Path("regions")], min_coverage=min_coverage)
    diagnostics = list(run.diagnostics)
    if junit is not None:
        try:
            write_junit(run, junit)
        except FileProblem as exc:
            diagnostics.append(_unwritable(junit, exc))
    if format is OutFormat.json:
        _report(diagnostics, Format.json, len(run.files), report.to_json_data(run))
    else:
        typer.echo(report.render_report(run))
        if diagnostics:
            typer.echo("")
            _report(diagnostics, Format.text, len(run.files))
    failed = not run.ok or _exit_code(diagnostics, strict) != 0
    raise typer.Exit(1 if failed else 0)


def _unwritable(path: Path, exc):
    from formflow.diagnostics.model import make

    return make("FF903", f"cannot write {path}: {exc}", None, None,
                help="check that the folder exists and is writable")


@app.command()
@_guard
def explain(
    code: Optional[str] = typer.Argument(None, help="A code (FF201) or name (duplicate-id)."),
    list_all: bool = typer.Option(False, "--list", help="List every code."),
):
    """Explain a diagnostic code, with a bad and a good example."""
    from formflow.diagnostics.catalog import CODES, lookup

    if list_all or code is None:
        for info in CODES.values():
            typer.echo(f"{info.code}  {info.severity.value:<7}  {info.name:<24}  {info.summary}")
        raise typer.Exit(0)
    info = lookup(code)
    if info is None:
        typer.echo(f"error: unknown code '{code}'; `formflow explain --list` shows them all", err=True)
        raise typer.Exit(2)
    typer.echo(_explanation(info))


def _explanation(info) -> str:
    import textwrap

    parts = [f"{info.code} {info.name} ({info.severity.value})", "", info.summary, "",
             textwrap.fill(info.explanation, 96)]
    if info.bad:
        parts += ["", "Bad:", textwrap.indent(info.bad.rstrip(), "    "), "", "Good:", textwrap.indent(info.good.rstrip(), "    ")]
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    app()
