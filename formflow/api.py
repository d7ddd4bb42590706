"""The library API: everything the CLI does, as functions that return result objects.

Only this module (and `fsio`) touches the file system. Nothing here prints or exits; the CLI
formats the results and chooses the exit code.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass
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


def _check_source(display: str, raw: bytes, path: Path | None, start: float) -> FileResult:
    from formflow.check import check_flow
    from formflow.ir.lower import lower
    from formflow.syntax.parse import parse_bytes

    parsed = parse_bytes(display, raw)
    path = path or Path(display)
    if not parsed.ok:
        return FileResult(path, display, None, parsed.diagnostics, seconds=time.perf_counter() - start)
    checked = check_flow(parsed.source, parsed.flow)
    flow = lower(checked.context) if checked.ok else None
    diagnostics = parsed.diagnostics + checked.diagnostics
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
    return RunResult(tuple(check_file(p, d) for p, d in files), tuple(problems))


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
    artifact = Artifact("form", f"{region}/{file.flow.id}.form.json", dumps(doc))
    return CompileResult(file, region, (artifact,), file.diagnostics)


def compile_paths(paths: list[Path], out_dir: Path | None) -> RunResult:
    """Check and compile every flow; write the artifacts of the clean ones when `out_dir` is given.

    A flow with errors writes nothing. Artifacts are written atomically (temporary file, then
    rename), so a failed or interrupted run never leaves half a file behind.
    """
    files, problems = discover_flows(paths)
    results = [compile_result(check_file(p, d)) for p, d in files]
    problems = list(problems) + _duplicate_targets(results)
    written: list[Path] = []
    if out_dir is not None:
        for result in results:
            if not result.ok:
                continue
            for artifact in result.artifacts:
                target = out_dir / artifact.relpath
                try:
                    write_atomic(target, artifact.data)
                    written.append(target)
                except FileProblem as exc:
                    problems.append(make("FF903", f"cannot write {target}: {exc}", None, None,
                                         help="check that the output folder is writable, or choose another with --out"))
    return RunResult(tuple(results), tuple(problems), tuple(written))


def _duplicate_targets(results) -> list[Diagnostic]:
    seen: dict[str, str] = {}
    out = []
    for r in results:
        for a in r.artifacts:
            if a.relpath in seen:
                out.append(make("FF903", f"{r.file.display} and {seen[a.relpath]} both compile to {a.relpath}", None, None,
                                help="give the flows different ids"))
            seen.setdefault(a.relpath, r.file.display)
    return out


def load_program(path: Path, display: str | None = None):
    """A walkable form, and the diagnostics of getting it: (Program | None, diagnostics).

    A `.flow` file is checked and compiled first and the simulator runs on the very bytes that
    `formflow compile` would write; a `.form.json` artifact is read and validated against the
    published schema. Either way the walk runs on the artifact, not on the syntax tree.
    """
    import orjson

    from formflow.simulate.program import FormInvalid
    from formflow.simulate.program import load_program as compile_program

    display = display or str(path)
    if path.suffix == ".flow":
        result = compile_result(check_file(path, display))
        if not result.ok:
            return None, list(result.diagnostics)
        return compile_program(orjson.loads(result.artifacts[0].data), validate=False), list(result.diagnostics)
    try:
        doc = orjson.loads(read_bytes(path))
    except FileProblem as exc:
        return None, [make("FF901", f"cannot read {display}: {exc}", None, None)]
    except orjson.JSONDecodeError as exc:
        return None, [make("FF607", f"{display} is not valid JSON ({exc.msg} at line {exc.lineno})", None, None,
                           help="give a .flow file or a .form.json written by `formflow compile`")]
    try:
        return compile_program(doc), []
    except FormInvalid as exc:
        return None, [make("FF607", f"{display} is not a formflow form", None, None, notes=tuple(exc.problems[:10]),
                           help="give a .flow file or a .form.json written by `formflow compile`")]


DEFAULT_TEST_PERSON = "198001302382"  # a Skatteverket test personnummer (born 1980-01-30)


def load_facts(citizen_path: Path | None, personnummer: str | None, now: str | None):
    """The verified facts of a walk: (Facts | None, diagnostics).

    From a citizen file; or from a Skatteverket test personnummer given on the command line (only
    numbers from Skatteverket's published test list are accepted there, so that no real person's
    number is typed into a tool whose output may end up in CI logs); or, with neither, a test
    person born in 1980. `now` defaults to the current time, in Europe/Stockholm.
    """
    from formflow.inputs.citizen import Citizen, load_citizen_file

    if citizen_path is not None:
        if personnummer or now:
            return None, [make("FF901", "give either --citizen or --personnummer/--now, not both", None, None)]
        citizen, problems = load_citizen_file(citizen_path)
        return (citizen.facts() if citizen else None), problems
    moment, problems = _cli_now(now)
    if moment is None:
        return None, problems
    person, problems = _cli_personnummer(personnummer or DEFAULT_TEST_PERSON, moment)
    if person is None:
        return None, problems
    return Citizen(person, None, "", (), moment).facts(), []


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
    if problem:
        return None, [problem]
    if not testdata.is_test_number(person.digits12):
        return None, [make("FF901", "--personnummer accepts only Skatteverket's test personnummer", None, None,
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
