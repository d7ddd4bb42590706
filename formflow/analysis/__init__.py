"""Stage 3b: path analysis and proofs over every route of a checked flow.

    IR ──encode──▶ solver terms ──paths──▶ a path condition per point ──goals──▶ z3 ──▶ walks ──▶ verdicts

What it proves, for every citizen, day and answer set of the universe (`universe.py`): every
question and outcome is reachable, every branch condition can be both true and false where it is
tested, every complete route ends in exactly one outcome, no division by zero, every assert of
the flow holds — and each claim is backed by an example walked on the compiled form, or by an
unsatisfiable query with the conditions that make it so.

Modules, one step each: `universe` (what "every" ranges over), `calendar` and `encode` (values as
solver terms), `paths` (path conditions and the final outcome), `solver` (z3, with a
deterministic resource limit), `goals` (queries, and walks that settle them), `witness` (models
to citizens and answers), `replay` and `evaluate` (what a walk really did), `explain`,
`properties` and `diagnose` (verdicts for people), `scenario` (examples as scenario files).

z3 is imported here only, lazily, when a flow is analysed: `import formflow` and every other
command stay free of it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from formflow.diagnostics.model import Diagnostic, make
from formflow.ir import model as M
from formflow.source import Source

DEFAULT_REGION = "01"  # the county code of a citizen when neither the flow nor the caller names one


@dataclass(frozen=True)
class Analysis:
    flow_id: str
    diagnostics: tuple[Diagnostic, ...]
    properties: tuple = ()  # formflow.analysis.properties.Property, when proving
    universe: str = ""
    seconds: float = 0.0
    queries: int = 0
    program: object = field(default=None, repr=False)  # the compiled form the examples were walked on
    assumptions: tuple[str, ...] = ()  # what "every citizen and every day" takes for granted (universe.py)


def analyse(flow: M.Flow, source: Source, *, prove: bool = False, home_region: str | None = None,
            region_name: str = "") -> Analysis:
    """Analyse a checked flow. `prove`: collect every property with scenario-grade examples (slower);
    otherwise only the diagnostics `formflow check` shows. `home_region`: the county code witnesses
    live in when the flow does not read the region."""
    start = time.perf_counter()
    try:
        import z3  # noqa: F401
    except ImportError:
        return Analysis(flow.id, (make("FF811", "the analyser is not available: the z3-solver package is not "
                                       "installed", source, None,
                                       help="install formflow with its dependencies (pip install formflow)"),))
    try:
        return _analyse(flow, source, prove, home_region or DEFAULT_REGION, region_name, start)
    except Exception as exc:  # noqa: BLE001 - a bug in the analyser must not take `check` down
        return Analysis(flow.id, (make("FF905", f"the analyser failed: {type(exc).__name__}: {exc}", source, None,
                                       help="this is a bug in formflow; please report it with the flow"),))


def _analyse(flow, source, prove, home_region, region_name, start) -> Analysis:
    from formflow.analysis import colours as colour_rules
    from formflow.analysis import diagnose, entitlement, entitlement_report, properties, universe
    from formflow.analysis.encode import Encoder
    from formflow.analysis.goals import Engine
    from formflow.analysis.paths import Paths
    from formflow.analysis.solver import Solver
    from formflow.emit.form_json import form_document
    from formflow.simulate.program import load_program

    program = load_program(form_document(flow, region_name, source.line_col), validate=False)
    window = universe.today_window()
    enc = Encoder(flow, window)
    paths = Paths(flow, enc)
    rules = colour_rules.encode(flow, enc)
    solver = Solver(enc)
    engine = Engine(flow, program, enc, paths, solver, source.line_col, scenario=prove, home_region=home_region,
                    read_goals=prove)
    engine.run()
    entitlement.settle(engine, engine.entitlement)
    colours = colour_rules.settle(engine, rules)
    found = tuple(diagnose.diagnostics(engine, source)) + tuple(colour_rules.diagnostics(engine, colours, source)) \
        + tuple(entitlement_report.diagnostics(engine, source))
    line_of = lambda offset: source.line_col(offset)[0]  # noqa: E731
    props = properties.collect(engine, line_of, reads=prove) + tuple(colour_rules.properties(engine, colours, line_of)) \
        + tuple(entitlement_report.properties(engine, source.line_col)) if prove else ()
    return Analysis(flow.id, found, props, universe.describe(window), time.perf_counter() - start,
                    solver.queries, program, universe.ASSUMPTIONS)
