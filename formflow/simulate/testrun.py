"""`formflow test`: find scenario files, run every scenario, measure coverage.

`run_scenarios(paths)` is the whole command as a function returning frozen data; the CLI prints
`report.render_report(run)`, prints `run.diagnostics` like `formflow check` does, writes
`junit.junit_xml(run)` when asked, and exits 1 unless `run.ok`.

Each flow is compiled once (to the artifact `formflow compile` would write) however many scenario
files name it, and each citizen file is read once. A scenario ends in one of three states:

- **passed**: the answers are valid, the walk finished, every expectation holds;
- **failed**: an expectation does not hold (FF608), or the answers do not fit the route (FF601,
  FF602, FF604–FF606 — FF603, an answer the route never uses, is a warning and does not fail);
- **error**: the scenario could not be run — it is not well formed, its citizen is invalid, an
  expectation names something the flow does not have (FF609), or its flow has errors or
  does not exist (FF612).
"""

from __future__ import annotations

import dataclasses
import difflib
import time
from dataclasses import dataclass, field
from pathlib import Path

from formflow.diagnostics.model import Diagnostic, Label, has_errors, make
from formflow.simulate.coverage import FlowCoverage, below_minimum, flow_coverage
from formflow.simulate.expectations import Mismatch, compare, read_expectation
from formflow.simulate.scenarios import ScenarioFile, ScenarioSpec, discover, read_scenario_file
from formflow.simulate.values import RuntimeFault
from formflow.simulate.walk import Walk

PASSED, FAILED, ERROR = "passed", "failed", "error"


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    line: int  # where the scenario's name is in its file
    status: str  # PASSED, FAILED or ERROR
    reason: str  # one line: why it failed or could not run ("" when it passed)
    seconds: float
    mismatches: tuple[Mismatch, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()  # this scenario's own (answers, expectations, citizen, FF608)
    citizen: str = ""  # the citizen described by facts — never the personnummer
    route: str = ""  # the transcript of the route taken ("" when there was no walk)
    walk: Walk | None = None
    person: object = field(default=None, repr=False, compare=False)  # the verified Citizen (for PDFs)

    @property
    def passed(self) -> bool:
        return self.status == PASSED


@dataclass(frozen=True)
class FileRun:
    """One scenario file: its flow (as region.flow), its scenarios, and problems of the file itself."""

    path: str
    flow: str
    scenarios: tuple[ScenarioResult, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    program: object = field(default=None, repr=False, compare=False)  # the compiled flow, when it compiled
    flow_path: str = ""  # the flow file, resolved ("" when the scenario file could not be read)


@dataclass(frozen=True)
class TestRun:
    __test__ = False  # not a pytest test class, whatever its name

    files: tuple[FileRun, ...]
    coverage: tuple[FlowCoverage, ...]
    problems: tuple[Diagnostic, ...]  # paths, flows with errors, coverage below the minimum
    min_coverage: float | None = None

    @property
    def scenarios(self) -> list[ScenarioResult]:
        return [s for f in self.files for s in f.scenarios]

    def count(self, status: str) -> int:
        return sum(1 for s in self.scenarios if s.status == status)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic once (a citizen file shared by scenarios reports its problems once)."""
        out = list(self.problems)
        for f in self.files:
            out.extend(f.diagnostics)
            for s in f.scenarios:
                out.extend(s.diagnostics)
        seen: set[int] = set()
        return [d for d in out if not (id(d) in seen or seen.add(id(d)))]

    @property
    def ok(self) -> bool:
        """Every scenario passed, nothing is broken, coverage is at least the minimum."""
        return all(s.passed for s in self.scenarios) and not has_errors(self.diagnostics)


def run_scenarios(paths: list[Path], *, min_coverage: float | None = None) -> TestRun:
    """Run every scenario under `paths` (scenario files, or folders searched for `scenarios/` folders).

    `min_coverage` (0–100): every flow with scenarios must reach it, else FF610 fails the run.
    """
    if min_coverage is not None and not 0 <= min_coverage <= 100:
        raise ValueError("min_coverage is a percentage from 0 to 100")
    found, problems = discover(paths)
    runner = _Runner()
    files = tuple(runner.file(Path(display)) for _, display in found)
    coverage = tuple(runner.coverage())
    problems = list(problems) + runner.flow_problems() + below_minimum(coverage, min_coverage)
    return TestRun(files, coverage, tuple(problems), min_coverage)


class _Runner:
    """State of one run: flows compiled once, citizen files read once, walks kept for coverage."""

    def __init__(self):
        self.flows: dict[Path, tuple] = {}  # resolved flow path -> (program | None, diagnostics, region.flow, shown)
        self.citizens: dict[str, tuple] = {}
        self.answer_files: dict[str, tuple] = {}
        self.walks: dict[Path, list[Walk]] = {}
        self.gates: dict[Path, object] = {}  # resolved flow path -> api.GateSetup (its gate configuration)
        self.slot_files: dict[str, tuple] = {}

    def file(self, path: Path) -> FileRun:
        sfile, diags = read_scenario_file(path)
        if sfile is None:
            return FileRun(str(path), "", (), tuple(diags))
        program, name, missing = self.flow(sfile)
        if program is None:
            reason = f"the flow '{sfile.flow}' was not found" if missing else f"the flow {name} has errors"
            results = tuple(_error(spec, sfile, reason, spec.problems) for spec in sfile.scenarios)
            return FileRun(sfile.display, name, results, tuple(diags) + tuple(missing),
                           flow_path=str(sfile.flow_path.resolve()))
        results = tuple(self.scenario(program, sfile, spec) for spec in sfile.scenarios)
        self.walks.setdefault(sfile.flow_path.resolve(), []).extend(r.walk for r in results if r.walk is not None)
        return FileRun(sfile.display, name, results, tuple(diags), program, str(sfile.flow_path.resolve()))

    def flow(self, sfile: ScenarioFile):
        """(program | None, region.flow, FF612 diagnostics when the flow file does not exist)."""
        if not sfile.flow_path.is_file():
            return None, sfile.flow, [_not_found(sfile)]
        key = sfile.flow_path.resolve()
        if key not in self.flows:
            from formflow.api import load_gate, region_of

            shown = str(sfile.flow_path)
            setup, diags = load_gate(sfile.flow_path, shown)
            program = setup.program if setup is not None else None
            self.flows[key] = (program, diags, f"{region_of(sfile.flow_path)}.{sfile.flow}", shown)
            self.gates[key] = setup
        program, _, name, _ = self.flows[key]
        return program, name, []

    def flow_problems(self) -> list[Diagnostic]:
        """The errors of flows that did not compile, once per flow however many files name it."""
        return [d for program, diags, _, _ in self.flows.values() if program is None for d in diags if d.is_error]

    def citizen(self, sfile: ScenarioFile, spec: ScenarioSpec):
        if spec.citizen is not None:
            from formflow.inputs.citizen import load_citizen

            return load_citizen(spec.citizen, sfile.source)
        key = str(spec.citizen_file)
        if key not in self.citizens:
            from formflow.inputs.citizen import load_citizen_file

            self.citizens[key] = load_citizen_file(spec.citizen_file)
        return self.citizens[key]

    def scenario(self, program, sfile: ScenarioFile, spec: ScenarioSpec) -> ScenarioResult:
        """Every problem of the scenario at once (shape, citizen, expectations), else the walk."""
        start = time.perf_counter()
        citizen, citizen_problems = (None, []) if spec.citizen is None and spec.citizen_file is None \
            else self.citizen(sfile, spec)
        expect, expect_problems = (None, []) if spec.expect is None \
            else read_expectation(program, spec.expect, sfile.source)
        problems = tuple(spec.problems) + tuple(citizen_problems) + tuple(expect_problems)
        if problems:
            why = ("the scenario is not well formed" if spec.problems else
                   "its citizen is not valid" if citizen_problems else "an expectation cannot be checked")
            return _error(spec, sfile, why, problems, start)
        source, answers, problems = self.answers(sfile, spec)
        if answers is None:
            return _error(spec, sfile, "its answers file cannot be read", problems, start)
        gate, problems = self.gate(sfile, spec, expect, citizen)
        if problems:
            return _error(spec, sfile, "its booking expectation cannot be checked", problems, start)
        return _walked(program, sfile, spec, citizen, expect, (source, answers), start, gate)

    def gate(self, sfile: ScenarioFile, spec: ScenarioSpec, expect, citizen=None):
        """(gate context | None, problems) for a scenario that expects a booking decision."""
        if expect is None or expect.booking is None:
            return None, []
        from formflow.simulate.booking_expect import missing_slots, needs_slots, unknown_route

        setup = self.gates.get(sfile.flow_path.resolve())
        where = spec.expect.key_node("booking")
        if setup is None or setup.config is None:
            return None, [make("FF609", f"the flow '{sfile.flow}' books no appointment type, so it has no gate",
                               sfile.source, where.span, "nothing to decide",
                               help="expect `booking` only of flows whose booking outcomes name an `appointment`")]
        wrong = unknown_route(expect.booking, setup.config, sfile.source)
        if wrong is not None:
            return None, [wrong]
        from formflow.inputs.booking_state import region_problems

        problems = region_problems(citizen.booking, setup.region) if citizen is not None else []
        if problems:
            return None, problems
        code = spec.gate.code if spec.gate is not None else None
        path = spec.gate.slots_file if spec.gate is not None else None
        prior, problems = _prior(spec.gate)
        if problems:
            return None, problems
        code = (code, prior)
        choice = _choice(spec.gate)
        if path is None:
            return ((setup, code, None, choice), []) if not needs_slots(expect.booking) else \
                (None, [missing_slots(where, sfile.source)])
        key = str(path)
        if key not in self.slot_files:
            from formflow.booking.slots import load_slots_file

            loaded = load_slots_file(path, setup.region)
            self.slot_files[key] = (loaded.slots, list(loaded.diagnostics))
        slots, problems = self.slot_files[key]
        return ((setup, code, slots, choice), []) if slots is not None else (None, problems)

    def answers(self, sfile: ScenarioFile, spec: ScenarioSpec):
        """(source, answers node, problems): inline, or from the answers file (read once)."""
        if spec.answers_file is None:
            return sfile.source, spec.answers, []
        key = str(spec.answers_file)
        if key not in self.answer_files:
            from formflow.inputs.yamlnode import load

            self.answer_files[key] = load(spec.answers_file)
        return self.answer_files[key]

    def coverage(self) -> list[FlowCoverage]:
        out = []
        for key, (program, _, name, shown) in sorted(self.flows.items(), key=lambda item: item[1][2]):
            if program is not None:
                out.append(flow_coverage(program, self.walks.get(key, []), name, shown))
        return out


def _walked(program, sfile: ScenarioFile, spec: ScenarioSpec, citizen, expect, answers, start: float,
            gate=None) -> ScenarioResult:
    from formflow.simulate.private import without_free_text
    from formflow.simulate.scripted import run_scripted
    from formflow.simulate.transcript import describe_facts, render_text

    facts = citizen.facts()
    source, node = answers
    scripted = run_scripted(program, facts, node, source)
    walk = scripted.walk
    diags = without_free_text((_placed(d, spec, sfile) for d in scripted.diagnostics), program, node, source)
    route = render_text(program, walk, facts, private=True) if walk is not None else ""
    common = dict(citizen=describe_facts(facts), route=route, walk=walk, person=citizen)
    line = sfile.source.line_col(spec.name_span.start)[0]
    if has_errors(diags):
        first = next(d for d in diags if d.is_error)
        return ScenarioResult(spec.name, line, FAILED, f"the answers do not fit the route: {first.message}",
                              time.perf_counter() - start, (), diags, **common)
    try:
        mismatches = compare(program, expect, walk, citizen) + _booking(program, expect, walk, citizen, gate)
    except RuntimeFault as exc:
        return ScenarioResult(spec.name, line, FAILED, f"the pdf could not be made: {exc}",
                              time.perf_counter() - start, (), diags, **common)
    if not mismatches:
        return ScenarioResult(spec.name, line, PASSED, "", time.perf_counter() - start, (), diags, **common)
    failed = _failed(spec, sfile, mismatches)
    return ScenarioResult(spec.name, line, FAILED, failed.message.split(": ", 1)[1], time.perf_counter() - start,
                          mismatches, diags + (failed,), **common)


def _booking(program, expect, walk, citizen, gate) -> tuple[Mismatch, ...]:
    """The booking expectation against the decision of the flow's gate configuration."""
    if gate is None or not walk.complete:
        return ()
    from formflow.booking.gate import evaluate
    from formflow.simulate.booking_expect import compare_booking

    setup, (code, (state, tries)), slots, choice = gate
    for typed in tries:  # codes typed earlier in the session, each an attempt the record keeps
        state = evaluate(setup.config, program, walk, citizen, code=typed, region=setup.region, state=state).state
    decision = evaluate(setup.config, program, walk, citizen, code=code, slots=slots, region=setup.region,
                        state=state, choice=choice)
    return tuple(Mismatch(what, expected, actual) for what, expected, actual in compare_booking(expect.booking, decision))


def _choice(gate):
    """The clinic and slot the scenario's citizen chooses (`gate: {clinic, slot}`)."""
    from formflow.booking.gate import Choice

    return Choice(gate.clinic, gate.slot) if gate is not None else Choice()


def _prior(gate) -> tuple[tuple, list[Diagnostic]]:
    """((the booking system's record | None, codes typed before), problems) of a scenario's `gate:`."""
    if gate is None:
        return (None, ()), []
    if gate.state_file is None:
        return (None, gate.tries), []
    from formflow.booking.state_file import load_state_file

    if not gate.state_file.is_file():  # a scenario names a record that exists (`--state` starts a new one)
        from formflow.inputs.yamlnode import load

        return (None, ()), load(gate.state_file)[2]
    state, problems = load_state_file(gate.state_file)
    return (state, gate.tries), problems


def _placed(d: Diagnostic, spec: ScenarioSpec, sfile: ScenarioFile) -> Diagnostic:
    """A walk problem without a place (a missing answer, a fault) points at its scenario's name."""
    if d.primary is not None or d.source is not sfile.source:
        return d
    return dataclasses.replace(d, primary=Label(spec.name_span, "in this scenario"))


def _failed(spec: ScenarioSpec, sfile: ScenarioFile, mismatches) -> Diagnostic:
    first = mismatches[0].line() + (f" (and {len(mismatches) - 1} more)" if len(mismatches) > 1 else "")
    return make("FF608", f"scenario '{spec.name}' failed: {first}", sfile.source, spec.name_span, "this scenario",
                notes=tuple(m.line() for m in mismatches),
                help="`formflow test` shows the route taken; fix the flow, or update the scenario's expect")


def _error(spec: ScenarioSpec, sfile: ScenarioFile, reason: str, diags, start: float | None = None) -> ScenarioResult:
    seconds = time.perf_counter() - start if start is not None else 0.0
    line = sfile.source.line_col(spec.name_span.start)[0]
    return ScenarioResult(spec.name, line, ERROR, reason, seconds, (), tuple(diags))


def _not_found(sfile: ScenarioFile) -> Diagnostic:
    folder = sfile.flow_path.parent
    flows = sorted(p.stem for p in folder.glob("*.flow")) if folder.is_dir() else []
    near = difflib.get_close_matches(sfile.flow, flows, n=1)
    hint = (f"did you mean '{near[0]}'?" if near else
            f"the flows here are: {', '.join(flows)}" if flows else f"there is no flow file in {folder}")
    return make("FF612", f"there is no flow '{sfile.flow}' ({sfile.flow_path} does not exist)", sfile.source,
                sfile.flow_span, "no such flow", help=hint)
