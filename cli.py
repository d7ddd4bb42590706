"""The `formflow` command: a thin typer layer over `formflow.api`.

Each command calls the API, formats its result object and sets the exit code:
0 ok, 1 errors found (or an internal error), 2 usage error. No user error shows a traceback;
`--debug` shows one for internal errors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from formflow import __version__
from formflow.console import MAX_SHOWN_PER_FILE, STATE, Color, Format  # noqa: F401 (MAX_SHOWN_PER_FILE: tests)
from formflow.console import exit_code as _exit_code
from formflow.console import guard as _guard
from formflow.console import report as _report
from formflow.console import OutFormat, usage as _usage
from formflow.simulate.terminal import safe

app = typer.Typer(
    name="formflow",
    help="Check, compile and build citizen e-service flows for 1177.se from the formflow DSL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
    STATE["debug"] = debug
    STATE["color"] = color


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
            typer.echo(f"wrote {safe(str(p))}")
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
    scenarios = api.build_scenarios(path)
    pdfs = api.render_pdfs(api.scenario_pdf_jobs(scenarios, out)) if scenarios is not None else api.PdfRun()
    diagnostics = (result.diagnostics + api.check_regions(path) + (list(scenarios.diagnostics) if scenarios else [])
                   + list(pdfs.diagnostics))
    failed = scenarios is not None and not scenarios.ok
    if format is not Format.text:
        extra = {"written": [str(p) for p in result.written + pdfs.written],
                 "accepted_risks": [{"flow": f, "gate": g, "reason": why} for f, g, why in _accepted_risks(result)]}
        if scenarios is not None:
            from formflow.simulate.report import to_json_data

            extra["scenarios"] = to_json_data(scenarios)
        _report(diagnostics, format, len(result.files), extra)
        raise typer.Exit(1 if failed else _exit_code(diagnostics, strict))
    _report(diagnostics, format, len(result.files))
    if not result.files:
        raise typer.Exit(1)  # nothing was found to build: no empty table, no "artifacts in build/"
    typer.echo("")
    typer.echo(_build_table(result))
    for flow_id, gate, why in _accepted_risks(result):
        typer.echo(f"accepted risk: {flow_id}, gate '{gate}' may let someone who is not entitled book: {why}")
    if scenarios is not None:
        typer.echo("\n" + _scenario_section(scenarios))
    if pdfs.written:
        typer.echo(f"\nsample PDFs: {len(pdfs.written)} from the scenarios in {pdfs.seconds:.1f} s "
                   f"(e.g. {pdfs.written[0]})")
    typer.echo(f"\nartifacts in {safe(str(out))}/")
    raise typer.Exit(1 if failed else _exit_code(diagnostics, strict))


def _accepted_risks(result) -> list[tuple[str, str, str]]:
    """(flow, gate, reason) of every gate whose region accepts routes not proved to admit only the
    entitled (`accept_risk`): the one opt-out from FF714, shown on every build for review."""
    return [(r.file.flow.id, g.id, g.accept_risk) for r in result.files if r.file.flow is not None
            for g in r.file.flow.gates if g.accept_risk is not None]


def _scenario_section(run) -> str:
    """The scenario part of `build`: failures in full, then coverage and the summary line."""
    from formflow.simulate.coverage import render_table
    from formflow.simulate.report import failure_text, summary

    lines = ["scenarios:"]
    for s in run.scenarios:
        if not s.passed:
            lines.append(failure_text(s).rstrip("\n"))
    lines += [render_table(run.coverage).rstrip("\n"), summary(run)]
    return "\n".join(lines)


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
    pdf_dir: Optional[Path] = typer.Option(None, "--pdf", help="Write the flow's PDFs of the finished walk into this folder."),
    gate_code: Optional[str] = typer.Option(None, "--code", help="The invitation code typed at a booking gate (scripted walks; "
                                                              "interactive walks ask for it)."),
    strict: bool = STRICT,
):
    """Walk through a flow as a citizen: interactively, or scripted from an answers file."""
    from formflow import api

    if citizen is not None and (personnummer or now):
        _usage("give either --citizen FILE or --personnummer/--now, not both")
    if answers is None and format is OutFormat.json:
        _usage("--format json is for scripted walks: add --answers FILE")
    if flow.suffix == ".flow":  # compiled once: the form to walk and the gate configuration that decides
        setup, diagnostics = api.load_gate(flow)
        program = setup.program if setup is not None else None
    else:
        setup, (program, diagnostics) = None, api.load_program(flow)
    if program is None:
        _report(diagnostics, Format(format.value), 1)
        raise typer.Exit(1)
    lang = _choose_language(program, lang)
    person, problems = api.load_citizen(citizen, personnummer, now)
    if person is None:
        _report(problems, Format(format.value), 1)
        raise typer.Exit(1 if citizen else 2)
    read = None
    if answers is None:
        from formflow.simulate.piped import line_reader

        read = line_reader()
        code, finished = _interactive(program, person.facts(), lang, read)
    else:
        code, finished = _scripted(program, person.facts(), answers, lang, format, strict)
    if finished is not None and program.doc.get("pdfs") and (format is OutFormat.text or pdf_dir):
        code = max(code, _walk_pdfs(program, finished, person, pdf_dir, lang, quiet=format is OutFormat.json))
    if finished is not None and format is OutFormat.text and setup is not None and setup.config is not None:
        _booking_decision(setup, finished, person, lang, ask_code=answers is None and gate_code is None,
                          code=gate_code, read=read)
    raise typer.Exit(code)


def _booking_decision(setup, walk, person, lang: str, ask_code: bool = False, code: str | None = None,
                      read=None) -> None:
    """After a walk that ends in a booking: what the flow's gate configuration decides (section 12b).
    Interactively, a route that wants the code from an invitation asks for it, as the service would."""
    if "booking" not in setup.program.outcomes.get(walk.outcome, {}):
        return
    from formflow.booking.gate import evaluate

    def decide(typed):
        return evaluate(setup.config, setup.program, walk, person, region=setup.region, code=typed, lang=lang)

    d = decide(code)
    if ask_code and not d.allowed and any(r.needs_code for r in d.routes):
        label = "Kod från kallelsen" if lang == "sv" else "Code from the invitation"
        if read is None or read is input:
            typed = typer.prompt(label, default="", show_default=False)
        else:  # the same reader as the walk's: it may hold the line already
            try:
                typed = read(label + ": ")
            except EOFError:
                typed = ""
        d = decide(typed)
    if d.allowed:
        how = f"through route '{d.route}' of gate '{d.gate}'" if d.route else "open booking"
        typer.echo(f"booking: allowed {how} (slots and codes: formflow gate evaluate)")
    else:
        needs = next((r for r in d.routes if r.needs_code or r.attempts_left is not None), None)
        why = needs.reasons[0] if needs else (d.reasons[0] if d.reasons else "")
        typer.echo(f"booking: denied — {why}")
    if d.citizen_message:  # the author's text about the code, as the citizen would read it
        typer.echo(f"         {d.citizen_message}")


def _walk_pdfs(program, walk, person, pdf_dir: Optional[Path], lang: str, quiet: bool) -> int:
    """Write the PDFs of a finished walk (with --pdf), or say how to get them."""
    from formflow import api

    if pdf_dir is None:
        typer.echo("(this flow makes a PDF for the clinician: add --pdf DIR to write it)")
        return 0
    jobs, problems = api.walk_pdf_jobs(program, walk, person, pdf_dir, lang)
    result = api.render_pdfs(jobs, workers=1)
    problems = problems + list(result.diagnostics)
    if problems:
        _report(problems, Format.text, 1)
    if any(d.is_error for d in problems):
        return 1
    if not quiet:
        for path in result.written:
            typer.echo(f"PDF: {safe(str(path))}")
    return 0


def _choose_language(program, lang: Optional[str]) -> str:
    languages = program.languages
    if lang is None:
        return languages[0]
    if lang not in languages:
        typer.echo(f"error: the flow '{program.flow_id}' has no texts in '{lang}'; it has {', '.join(languages)}", err=True)
        raise typer.Exit(2)
    return lang


def _interactive(program, facts, lang: str, read=input) -> int:
    from formflow.simulate.interactive import run_interactive
    from formflow.simulate.transcript import describe_facts

    typer.echo(f"({describe_facts(facts)})")
    session = run_interactive(program, facts, lang=lang, read=read)
    if getattr(read, "timed_out", False):
        typer.echo(f"error: no answer arrived on stdin for {read.idle:g} s; the interactive walk needs a terminal. "
                   "To script a walk, write the answers in a file and give --answers FILE", err=True)
        return 2, None
    code = {"finished": 0, "quit": 0, "interrupted": 130}.get(session.status, 1)
    return code, session.walk if session.status == "finished" else None


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
    code = _exit_code(diagnostics, strict)
    finished = result.walk if code == 0 and result.walk is not None and result.walk.outcome is not None else None
    return code, finished


@app.command()
@_guard
def pdf(
    flow: Path = typer.Argument(..., help="A .flow file (compiled first) or a compiled .form.json with a `pdf` block."),
    citizen: Optional[Path] = typer.Option(None, "--citizen", "-c", help="Citizen file (YAML/JSON)."),
    answers: Optional[List[Path]] = typer.Option(None, "--answers", "-a", help="Answers file; repeat it for a batch."),
    scenarios: Optional[Path] = typer.Option(None, "--scenarios", help="Render the PDF of every passing scenario under this path."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="The PDF to write (one answers file)."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Folder for a batch of PDFs."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes for a batch (default: all cores)."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help="Language of the PDF's texts (default: the flow's first)."),
):
    """Render the clinician's PDF of a flow from answers, or of every scenario (in parallel)."""
    from formflow import api

    if scenarios is not None:
        if out_dir is None or answers:
            _usage("with --scenarios give --out-dir (and no --answers)")
        work, problems = _scenario_pdfs(flow, scenarios, out_dir, lang)
    else:
        if citizen is None or not answers:
            _usage("give --citizen and --answers (or --scenarios)")
        single = len(answers) == 1 and out is not None
        if not single and out_dir is None:
            _usage("give --out FILE.pdf for one answers file, or --out-dir for several")
        work, problems = api.pdf_jobs_for_answers(flow, citizen, answers, out if single else out_dir, single=single,
                                                  lang=lang)
    result = api.render_pdfs(work, jobs, progress=_progress_bar(len(work)))
    diagnostics = list(problems) + list(result.diagnostics)
    if diagnostics:
        _report(diagnostics, Format.text, 1, redact=scenarios is not None)
    for path in result.written:
        typer.echo(f"wrote {safe(str(path))}")
    if result.written:
        typer.echo(f"{len(result.written)} PDF{'s' if len(result.written) != 1 else ''} in {result.seconds:.1f} s")
    raise typer.Exit(1 if any(d.is_error for d in diagnostics) or not result.written else 0)


def _scenario_pdfs(flow: Path, scenarios: Path, out_dir: Path, lang: Optional[str]):
    """The PDF jobs of FLOW's passing scenarios under `scenarios`, and the problems of the others.

    A scenario that fails gets no PDF and makes the command fail: a preview of a walk that does
    not do what its scenario says would mislead the clinician reading it.
    """
    from formflow import api
    from formflow.diagnostics.model import make
    from formflow.simulate.report import mask
    from formflow.simulate.testrun import run_scenarios

    program, diagnostics = api.load_program(flow)
    if program is None:
        return [], list(diagnostics)
    lang = _choose_language(program, lang)
    run = run_scenarios([scenarios])
    mine = [f for f in run.files if f.flow_path == str(flow.resolve())]
    if not mine:
        return [], [make("FF613", f"no scenario under {scenarios} is about {flow}", None, None,
                         help="scenario files name their flow with `flow: <id>` and sit in regions/<region>/scenarios/")]
    problems = [d for d in run.problems if d.is_error] + [d for f in mine for d in f.diagnostics if d.is_error]
    problems += [make("FF608", f"scenario '{mask(s.name)}' {s.status}: {mask(s.reason)}; no PDF for it", None, None,
                      help=f"run `formflow test {scenarios}` for the differences")
                 for f in mine for s in f.scenarios if not s.passed]
    return api.scenario_pdf_jobs(run, out_dir, lang, flow), problems


def _progress_bar(total: int):
    """A progress bar on a terminal for batches; nothing otherwise (CI logs stay readable)."""
    if total < 2 or not sys.stderr.isatty():
        return None
    bar = typer.progressbar(length=total, label="rendering PDFs", file=sys.stderr)
    bar.__enter__()

    def progress(done: int, of: int, result) -> None:
        bar.update(1)
        if done == of:
            bar.__exit__(None, None, None)
    return progress


@app.command()
@_guard
def explore(
    flow: Path = typer.Argument(..., help="A .flow file (compiled first) or a compiled .form.json."),
    n: int = typer.Option(1000, "-n", "--walks", min=1, max=10_000_000, help="How many random walk-throughs."),
    seed: int = typer.Option(1, "--seed", "-s", help="The same seed gives the same walks."),
    region: Optional[str] = typer.Option(None, "--region", help="County code most random citizens live in (default: the flow's region)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write a citizen and an answers file that replay each problem."),
    format: OutFormat = typer.Option(OutFormat.text, "--format", "-f", help="text for people, json for tools."),
):
    """Walk random citizens with random answers (aimed at the flow's limits) and report what breaks."""
    from formflow import api
    from formflow.simulate.explore import explore as run_explore

    gate = None
    if flow.suffix == ".flow":  # asserts that read booked(...) read the gate's decision
        gate, diagnostics = api.load_gate(flow)
        program = gate.program if gate is not None else None
    else:
        program, diagnostics = api.load_program(flow)
    if program is None:
        _report(diagnostics, Format(format.value), 1)
        raise typer.Exit(1)
    from formflow.fsio import FileProblem

    if region is not None and not (len(region) == 2 and region.isdigit()):
        _usage("--region is a two-digit county code, such as 13")
    try:
        result = run_explore(program, n, seed, region=region or api.region_code_of(flow), out_dir=out, gate=gate)
    except ValueError as exc:
        _usage(str(exc))
    except FileProblem as exc:
        _report([_unwritable(out, exc)], Format(format.value), 1)
        raise typer.Exit(1)
    if format is OutFormat.json:
        typer.echo(_exploration_json(result))
    else:
        typer.echo(_exploration_text(result, flow))
    raise typer.Exit(0 if result.ok else 1)


def _exploration_text(result, flow: Path) -> str:
    lines = [f"{result.walks} walks of {result.flow_id} with seed {result.seed} in {result.seconds:.2f} s "
             f"({result.walks_per_second:,.0f} walks/s)", "", "outcomes:"]
    width = max((len(o) for o in result.outcomes), default=0)
    for outcome, count in result.outcomes.items():
        share = 100 * count / result.walks
        lines.append(f"  {outcome.ljust(width)}  {count:>7}  {share:5.1f}%")
    if result.unreached:
        lines.append(f"\nnever reached: {', '.join(result.unreached)}")
    if not result.problems:
        lines.append("\nno runtime error, dead end or unfinished walk")
    for p in result.problems:
        lines.append(f"\n{p.kind} at {p.place} in {p.count} walk{'s' if p.count != 1 else ''} (first: walk {p.walk}, counting from 0)")
        lines.append(f"  {p.message}")
        if p.files:
            lines.append(f"  replay: formflow simulate {flow} --citizen {p.files[0]} --answers {p.files[1]}")
    return "\n".join(lines)


def _exploration_json(result) -> str:
    import json

    return json.dumps({
        "flow": result.flow_id, "walks": result.walks, "seed": result.seed, "seconds": round(result.seconds, 3),
        "outcomes": result.outcomes, "unreached": list(result.unreached),
        "problems": [{"kind": p.kind, "place": p.place, "message": p.message, "count": p.count, "walk": p.walk,
                      "replays": p.replays, "files": [str(f) for f in p.files]} for p in result.problems],
    }, ensure_ascii=False, indent=2)


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
        _report(diagnostics, Format.json, len(run.files), report.to_json_data(run), redact=True)
    else:
        typer.echo(report.render_report(run))
        shown = {id(d) for s in run.scenarios for d in s.diagnostics}  # already under "failures:"
        rest = [d for d in diagnostics if id(d) not in shown]
        if rest:
            typer.echo("")
            _report(rest, Format.text, len(run.files), redact=True)
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


def _mount_region_commands() -> None:
    """`formflow region check|show|add-clinic`: the region configuration (formflow/region)."""
    from formflow.region.command import region_app

    app.add_typer(region_app, name="region")
    from formflow.booking.command import gate_app

    app.add_typer(gate_app, name="gate")


_mount_region_commands()
from formflow.analysis.command import prove as _prove  # noqa: E402  (z3 is imported only when it runs)

from formflow.graph.command import graph as _graph  # noqa: E402

app.command("prove")(_prove)
app.command("graph")(_graph)


if __name__ == "__main__":  # pragma: no cover
    app()
