"""The library API: everything the CLI does, as functions that return result objects.

Only this module (and `fsio`) touches the file system. Nothing here prints or exits; the CLI
formats the results and chooses the exit code.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from formflow.diagnostics.model import Diagnostic, has_errors, make
from formflow.fsio import FileProblem, discover_flows, read_bytes, write_atomic
from formflow.ir.model import Flow


@dataclass(frozen=True)
class FileResult:
    """One flow file after parse and check (and lowering, when it had no errors)."""

    path: Path
    display: str
    flow: Flow | None
    diagnostics: tuple[Diagnostic, ...]
    line_col: object = None  # source offset -> (line, column), for emitters
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.flow is not None and not has_errors(self.diagnostics)


@dataclass(frozen=True)
class Artifact:
    kind: str  # "form"
    relpath: str  # e.g. "halland/covid_vaccination.form.json"
    data: bytes


@dataclass(frozen=True)
class CompileResult:
    file: FileResult
    region: str
    artifacts: tuple[Artifact, ...]
    diagnostics: tuple[Diagnostic, ...]  # the file's, plus artifact validation problems

    @property
    def ok(self) -> bool:
        return self.file.ok and not has_errors(self.diagnostics)


@dataclass(frozen=True)
class RunResult:
    """Results for many paths, plus problems with the paths themselves."""

    files: tuple = ()
    problems: tuple[Diagnostic, ...] = ()
    written: tuple[Path, ...] = ()

    @property
    def diagnostics(self) -> list[Diagnostic]:
        out = list(self.problems)
        for f in self.files:
            out.extend(f.diagnostics)
        return out

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def check_source(display: str, raw: bytes, path: Path | None = None) -> FileResult:
    """Parse and check one flow given as bytes; lower it to the IR when it is clean."""
    start = time.perf_counter()
    with gc_paused():
        return _check_source(display, raw, path, start)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a tree is built.

    Building a syntax tree allocates hundreds of thousands of objects and no cycles; the
    collector's full passes over them made large flows cost quadratic time (10,000 questions
    took twelve times as long as 1,000 per question). Reference counting still frees memory.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_source(display: str, raw: bytes, path: Path | None, start: float, analyse: bool = True) -> FileResult:
    from formflow.check import check_flow
    from formflow.ir.lower import lower
    from formflow.syntax.parse import parse_bytes

    parsed = parse_bytes(display, raw)
    path = path or Path(display)
    if not parsed.ok:
        return FileResult(path, display, None, parsed.diagnostics, seconds=time.perf_counter() - start)
    checked = check_flow(parsed.source, parsed.flow, region_context_of(path))
    flow = lower(checked.context) if checked.ok else None
    diagnostics = parsed.diagnostics + checked.diagnostics
    if flow is not None and analyse:
        from formflow.analysis import analyse as analyse_flow

        diagnostics += analyse_flow(flow, parsed.source, home_region=region_code_of(path)).diagnostics
        if has_errors(diagnostics):
            flow = None
    return FileResult(path, display, flow, diagnostics, parsed.source.line_col, time.perf_counter() - start)


def check_file(path: Path, display: str | None = None) -> FileResult:
    display = display or str(path)
    try:
        raw = read_bytes(path)
    except FileProblem as exc:
        return FileResult(path, display, None, (make("FF901", f"cannot read {display}: {exc}", None, None),))
    return check_source(display, raw, path)


def check_paths(paths: list[Path]) -> RunResult:
    files, problems = discover_flows(paths)
    return RunResult(tuple(check_file(p, d) for p, d in files), tuple(problems) + tuple(_case_collisions(files)))


def _case_collisions(files) -> list[Diagnostic]:
    """FF908 for flow files in one folder whose names differ only in case (one file on Windows
    and macOS, and in a git checkout there)."""
    seen: dict[tuple[Path, str], str] = {}
    out = []
    for path, display in files:
        key = (path.parent, path.name.casefold())
        if key in seen:
            out.append(make("FF908", f"{display} and {seen[key]} differ only in case", None, None,
                            help="rename one: on Windows and macOS they are the same file"))
        seen.setdefault(key, display)
    return out


def region_of(path: Path) -> str:
    """The region a flow belongs to: the folder holding region.yaml above it, else its folder."""
    path = path.resolve()
    for parent in path.parents:
        if (parent / "region.yaml").is_file():
            return parent.name
    parent = path.parent
    return parent.parent.name if parent.name == "flows" else parent.name


def compile_result(file: FileResult) -> CompileResult:
    with gc_paused():
        return _compile_result(file)


def _compile_result(file: FileResult) -> CompileResult:
    from formflow.emit.form_json import dumps, form_document
    from formflow.emit.schema import validation_errors

    region = region_of(file.path)
    if not file.ok:
        return CompileResult(file, region, (), file.diagnostics)
    doc = form_document(file.flow, region, file.line_col)
    problems = validation_errors("form", doc)
    if problems:
        diag = make("FF904", f"the compiled form of {file.display} does not match form.schema.json", None, None,
                    notes=tuple(problems))
        return CompileResult(file, region, (), file.diagnostics + (diag,))
    artifacts = [Artifact("form", f"{region}/{file.flow.id}.form.json", dumps(doc))]
    gate, problems = _gate_artifact(file, region)
    if problems:
        diag = make("FF904", f"the gate configuration of {file.display} does not match gate.schema.json", None, None,
                    notes=tuple(problems))
        return CompileResult(file, region, (), file.diagnostics + (diag,))
    if gate is not None:
        artifacts.append(gate)
    return CompileResult(file, region, tuple(artifacts), file.diagnostics)


def _gate_artifact(file: FileResult, region: str) -> tuple[Artifact | None, list[str]]:
    """`<flow>.gate.json` for a flow that books an appointment type (the checker made sure the
    region configuration is readable: FF718 otherwise), validated against gate.schema.json."""
    from formflow.emit.form_json import dumps
    from formflow.emit.gate_json import gate_document, has_bookings
    from formflow.emit.schema import validation_errors

    if not has_bookings(file.flow):
        return None, []
    context = region_context_of(file.path)
    doc = gate_document(file.flow, context.region, context.folder, file.line_col)
    problems = validation_errors("gate", doc)
    return (None, problems) if problems else (Artifact("gate", f"{region}/{file.flow.id}.gate.json", dumps(doc)), [])


def compile_paths(paths: list[Path], out_dir: Path | None) -> RunResult:
    """Check and compile every flow; write the artifacts of the clean ones when `out_dir` is given.

    A flow with errors writes nothing. Artifacts are written atomically (temporary file, then
    rename), so a failed or interrupted run never leaves half a file behind.
    """
    files, problems = discover_flows(paths)
    results = [compile_result(check_file(p, d)) for p, d in files]
    duplicates, clashing = _duplicate_targets(results)
    problems = list(problems) + _case_collisions(files) + duplicates
    written: list[Path] = []
    if out_dir is not None:
        for result in results:
            if not result.ok:
                continue
            for artifact in result.artifacts:
                if artifact.relpath.casefold() in clashing:
                    continue  # which one would win depends on the file system: neither is written
                target = out_dir / artifact.relpath
                try:
                    write_atomic(target, artifact.data)
                    written.append(target)
                except FileProblem as exc:
                    problems.append(make("FF903", f"cannot write {target}: {exc}", None, None,
                                         help="check that the output folder is writable, or choose another with --out"))
    return RunResult(tuple(results), tuple(problems), tuple(written))


def _duplicate_targets(results) -> tuple[list[Diagnostic], set[str]]:
    """FF903 for two flows compiling to one artifact, FF908 for artifact names that differ only
    in case; and the (case-folded) names of those artifacts, which are not written."""
    seen: dict[str, tuple[str, str]] = {}
    out, clashing = [], set()
    for r in results:
        for a in r.artifacts:
            key = a.relpath.casefold()
            if key in seen:
                first_path, first_display = seen[key]
                clashing.add(key)
                if first_path == a.relpath:
                    out.append(make("FF903", f"{r.file.display} and {first_display} both compile to {a.relpath}", None,
                                    None, help="give the flows different ids"))
                else:
                    out.append(make("FF908", f"{r.file.display} and {first_display} compile to {a.relpath} and "
                                    f"{first_path}, which differ only in case", None, None,
                                    help="give the flows ids that differ in more than case"))
            seen.setdefault(key, (a.relpath, r.file.display))
    return out, clashing


def load_program(path: Path, display: str | None = None):
    """A walkable form, and the diagnostics of getting it: (Program | None, diagnostics).

    A `.flow` file is checked and compiled first and the simulator runs on the very bytes that
    `formflow compile` would write; a `.form.json` artifact is read and validated against the
    published schema. Either way the walk runs on the artifact, not on the syntax tree.
    """
    from formflow.simulate.program import FormInvalid
    from formflow.simulate.program import load_program as compile_program

    display = display or str(path)
    if path.suffix == ".flow":
        setup, diagnostics = load_gate(path, display)
        return (setup.program if setup is not None else None), diagnostics
    from formflow.simulate.form_guard import parse_form

    try:
        doc = parse_form(read_bytes(path))
    except FileProblem as exc:
        return None, [make("FF901", f"cannot read {display}: {exc}", None, None)]
    except (ValueError, RecursionError) as exc:
        return None, [make("FF607", f"{display} is not valid JSON ({_json_problem(exc)})", None, None,
                           help="give a .flow file or a .form.json written by `formflow compile`")]
    try:
        return compile_program(doc), []
    except FormInvalid as exc:
        return None, [make("FF607", f"{display} is not a formflow form", None, None, notes=tuple(exc.problems[:10]),
                           help="give a .flow file or a .form.json written by `formflow compile`")]


def _json_problem(exc: Exception) -> str:
    import json

    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}"
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "a number too long to read"


@dataclass(frozen=True)
class GateSetup:
    """What `gate evaluate` and booking scenarios need: the walkable form, its gate configuration
    (both exactly as `formflow compile` writes them) and the region they were compiled against."""

    program: object
    config: dict | None  # None: the flow books no appointment type
    region: object  # formflow.region.model.Region


def load_gate(path: Path, display: str | None = None) -> tuple[GateSetup | None, list[Diagnostic]]:
    import orjson

    from formflow.simulate.program import load_program as compile_program

    display = display or str(path)
    result = compile_result(check_file(path, display))
    if not result.ok:
        return None, list(result.diagnostics)
    by_kind = {a.kind: a for a in result.artifacts}
    program = compile_program(orjson.loads(by_kind["form"].data), validate=False)
    config = orjson.loads(by_kind["gate"].data) if "gate" in by_kind else None
    context = region_context_of(path)
    return GateSetup(program, config, context.region if context else None), list(result.diagnostics)


DEFAULT_TEST_PERSON = "198001302382"  # a Skatteverket test personnummer (born 1980-01-30)


def load_facts(citizen_path: Path | None, personnummer: str | None, now: str | None):
    """The verified facts of a walk: (Facts | None, diagnostics); see `load_citizen`."""
    citizen, problems = load_citizen(citizen_path, personnummer, now)
    return (citizen.facts() if citizen else None), problems


def load_citizen(citizen_path: Path | None, personnummer: str | None, now: str | None):
    """The citizen of a walk: (Citizen | None, diagnostics).

    From a citizen file; or from a Skatteverket test personnummer given on the command line (only
    numbers from Skatteverket's published test list are accepted there, so that no real person's
    number is typed into a tool whose output may end up in CI logs); or, with neither, a test
    person born in 1980. `now` defaults to the current time, in Europe/Stockholm.
    """
    from formflow.inputs.citizen import Citizen, load_citizen_file

    if citizen_path is not None:
        if personnummer or now:
            return None, [make("FF901", "give either --citizen or --personnummer/--now, not both", None, None)]
        return load_citizen_file(citizen_path)
    moment, problems = _cli_now(now)
    if moment is None:
        return None, problems
    person, problems = _cli_personnummer(personnummer or DEFAULT_TEST_PERSON, moment)
    if person is None:
        return None, problems
    return Citizen(person, None, "", (), moment), []


def _cli_scalar(option: str, text: str):
    from formflow.inputs.yamlnode import YScalar
    from formflow.source import Source, Span

    source = Source.from_text(option, text)
    return source, YScalar(text, True, Span(0, len(text)))


def _cli_now(now: str | None):
    from datetime import datetime

    from formflow.inputs.yamlnode import STOCKHOLM, as_datetime_local

    if now is None:
        return datetime.now(STOCKHOLM).replace(microsecond=0), []
    source, node = _cli_scalar("--now", now)
    moment, problem = as_datetime_local(node, source, field="--now")
    return moment, [problem] if problem else []


def _cli_personnummer(text: str, moment):
    from formflow import testdata
    from formflow.inputs.citizen import local_date
    from formflow.inputs.personnummer import as_personnummer

    source, node = _cli_scalar("--personnummer", text)
    person, problem = as_personnummer(node, source, local_date(moment), field="--personnummer")
    if problem:  # without the snippet: it would print the number typed, which may be a real person's
        return None, [dataclasses.replace(problem, source=None, primary=None, secondary=())]
    if not testdata.is_test_number(person.digits12):
        return None, [make("FF514", "--personnummer accepts only Skatteverket's test personnummer", None, None,
                           help="use a number from Skatteverket's published test list, or a --citizen file")]
    return person, []


def simulate_file(program, facts, answers_path: Path):
    """A scripted walk from an answers file (see `formflow.simulate.scripted`)."""
    from formflow.inputs.yamlnode import load
    from formflow.simulate.scripted import Scripted, run_scripted

    source, node, problems = load(answers_path)
    if node is None:
        return Scripted(None, tuple(problems))
    return run_scripted(program, facts, node, source)


def build_scenarios(path: Path):
    """The scenario run of `formflow build`: None when the path holds no scenario files."""
    from formflow.simulate.scenarios import discover
    from formflow.simulate.testrun import run_scenarios

    found, _ = discover([path])
    return run_scenarios([path]) if found else None


@dataclass(frozen=True)
class PdfRun:
    """PDFs made from walks: the files written and every problem (nothing half-written)."""

    written: tuple[Path, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0


def pdf_jobs_for_answers(flow: Path, citizen_path: Path, answers: list[Path], out: Path, *, single: bool,
                         lang: str | None = None):
    """(jobs, diagnostics): one (document, path) per answers file and pdf of the flow.

    With `single`, `out` is the file to write (one answers file, a flow with one pdf); otherwise
    `out` is a folder and files are named after the answers file and the pdf id — never after
    anything the citizen wrote.
    """
    from formflow.inputs.citizen import load_citizen_file
    from formflow.simulate.pdfdoc import pdf_documents
    from formflow.simulate.values import RuntimeFault

    program, problems = load_program(flow)
    citizen, citizen_problems = load_citizen_file(citizen_path) if program else (None, [])
    problems = list(problems) + list(citizen_problems)
    if program is None or citizen is None:
        return [], problems
    if not program.doc.get("pdfs"):
        return [], problems + [make("FF418", f"the flow '{program.flow_id}' declares no pdf", None, None,
                                    help="add a `pdf` block to the flow (see the reference, section on PDFs)")]
    jobs = []
    for answers_path in answers:
        result = simulate_file(program, citizen.facts(), answers_path)
        problems += result.diagnostics
        if not result.ok:
            continue
        try:
            docs = pdf_documents(program, result.walk, citizen, lang)
        except RuntimeFault as exc:
            problems.append(make("FF605", f"the pdf of {answers_path} could not be made: {exc}", None, None))
            continue
        if not docs:
            problems.append(make("FF620", f"no PDF for {answers_path}: the route asked none of the questions "
                                 "the flow's pdfs print", None, None,
                                 help="a walk that ends before the declaration's questions has nothing to declare"))
        for pdf_id, doc in docs:
            target = out if single else out / f"{answers_path.stem}-{pdf_id}.pdf"
            jobs.append((doc, target))
    return jobs, problems


def scenario_pdf_jobs(run, out_dir: Path, lang: str | None = None, flow: Path | None = None) -> list:
    """(document, path) for every passing scenario of a flow with pdfs: the clinicians' preview.

    Files are `OUT/<region>/pdf/<flow>/<NN>-<scenario>.pdf`, numbered by the scenario's position among
    the flow's scenarios (a failing one leaves a gap, so a name keeps its number from run to run) and named
    from the scenario's name (the author's words, made ASCII), never from citizen data. `flow`: only
    the scenarios of that flow file; `lang`: the language of the PDFs' texts.
    """
    from formflow.simulate.pdfdoc import pdf_documents
    from formflow.simulate.values import RuntimeFault

    wanted = str(flow.resolve()) if flow is not None else None
    jobs, numbers = [], {}
    for file in run.files:
        program = file.program
        if program is None or not program.doc.get("pdfs") or wanted not in (None, file.flow_path):
            continue
        region, flow_id = file.flow.split(".", 1)
        for scenario in file.scenarios:
            n = numbers[file.flow] = numbers.get(file.flow, 0) + 1
            if not scenario.passed or scenario.walk is None or scenario.person is None:
                continue
            try:
                docs = pdf_documents(program, scenario.walk, scenario.person, lang)
            except RuntimeFault:
                continue
            for pdf_id, doc in docs:
                suffix = f"-{pdf_id}" if len(docs) > 1 else ""
                jobs.append((doc, out_dir / region / "pdf" / flow_id / f"{n:02d}-{_slug(scenario.name)}{suffix}.pdf"))
    return jobs


def _slug(name: str) -> str:
    """A file name from an author's text: ASCII letters and digits joined by dashes, at most 60."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "scenario"


def walk_pdf_jobs(program, walk, citizen, out_dir: Path, lang: str | None = None):
    """(jobs, diagnostics) for the PDFs of one finished walk: `OUT/<flow>-<pdf>.pdf`.

    The file names come from the flow and pdf ids only, never from the citizen or the answers.
    """
    from formflow.simulate.pdfdoc import pdf_documents
    from formflow.simulate.values import RuntimeFault

    try:
        docs = pdf_documents(program, walk, citizen, lang)
    except RuntimeFault as exc:
        return [], [make("FF605", f"the pdf could not be made: {exc}", None, None)]
    if not docs:
        return [], [make("FF620", "no PDF: the route asked none of the questions the flow's pdfs print", None, None,
                         help="a walk that ends before the declaration's questions has nothing to declare")]
    return [(doc, out_dir / f"{program.flow_id}-{pdf_id}.pdf") for pdf_id, doc in docs], []


def render_pdfs(jobs, workers: int | None = None, progress=None) -> PdfRun:
    """Render (document, path) jobs on all cores; each file is written atomically or not at all."""
    if not jobs:
        return PdfRun()
    from formflow.pdf.batch import render_batch
    from formflow.pdf.render import dependency_diagnostic

    too_old = dependency_diagnostic()
    if too_old is not None:  # once for the batch, not once per document
        return PdfRun((), (too_old,))
    unwritable = _unwritable_folders(path for _, path in jobs)
    if unwritable:  # say so before minutes of rendering, not after
        return PdfRun((), tuple(unwritable))
    start = time.perf_counter()
    results = render_batch(jobs, workers, progress=progress)
    written = tuple(r.path for r in results if r.ok)
    problems = tuple(d for r in results for d in r.diagnostics)
    return PdfRun(written, problems, time.perf_counter() - start)


def _unwritable_folders(paths) -> list[Diagnostic]:
    """FF903 for each folder of `paths` that cannot be created or written (each folder once)."""
    import os

    problems = []
    for folder in sorted({p.parent for p in paths}):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ok = os.access(folder, os.W_OK | os.X_OK)
            reason = "permission denied"
        except OSError as exc:
            ok, reason = False, (exc.strerror or type(exc).__name__).lower()
        if not ok:
            problems.append(make("FF903", f"cannot write into {folder}: {reason}", None, None,
                                 help="choose a folder you can write to; nothing was rendered"))
    return problems


def region_code_of(path: Path) -> str | None:
    """The county code of the region a flow belongs to ("13"), from the region.yaml above it."""
    context = region_context_of(path)
    return context.region.code if context is not None and context.region is not None else None


def region_context_of(path: Path):
    """The region.yaml above a flow, loaded (a `check.region_context.RegionContext`), or None if there is none.

    Loaded once per file version: checking every flow of a region reads its region.yaml once.
    """
    for parent in path.resolve().parents:
        config = parent / "region.yaml"
        if config.is_file():
            try:
                stamp = config.stat().st_mtime_ns
            except OSError:
                stamp = 0
            return _region_context(str(config), stamp)
    return None


@lru_cache(maxsize=32)
def _region_context(config: str, stamp: int):
    from formflow.check.region_context import RegionContext
    from formflow.region.load import load_region_file

    loaded = load_region_file(Path(config))
    return RegionContext(Path(config).parent.name, loaded.region, f"{Path(config).parent.name}/region.yaml")


def check_regions(path: Path) -> list[Diagnostic]:
    """The problems of every region.yaml under `path` (or above it, for a flow file)."""
    from formflow.region.load import load_region_file

    found = sorted(path.rglob("region.yaml")) if path.is_dir() else []
    return [d for config in found for d in load_region_file(config).diagnostics]
