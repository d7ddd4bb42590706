"""The analyser never calls a reachable point impossible: regression tests for false FF801/FF803/FF804.

`benchmarks/generate.py`'s flows have no dead code at all, yet `check` once warned that
`if gN_days > 300 { end emergency_care }` was never true (1 warning at 200 questions, 8 at 300, 52 at
1,000). The cause: the slicer solved the background (the universe, the answer ranges, the calendar)
once as a whole for default values, that solve ran out of its resource limit, and a background
without a model was taken as "no model exists", so every sliced query was unsatisfiable.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import z3

import orjson

from formflow import api
from formflow.analysis.slices import SAT, UNKNOWN, UNSAT, Slicer
from formflow.simulate.program import load_program
from formflow.simulate.walk import walk
from simkit import facts

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate_flow  # noqa: E402

IMPOSSIBLE = {"FF801", "FF802", "FF803", "FF804", "FF806", "FF807", "FF812"}


def _analysed(n: int):
    file = api.check_source("generated.flow", generate_flow(n).encode("utf-8"))
    result = api.compile_result(file)
    assert result.ok
    return file, result


@pytest.mark.parametrize("n", [300])
def test_generated_flows_have_no_impossible_points_and_the_simulator_agrees(n):
    file, result = _analysed(n)
    codes = [(d.code, d.position()) for d in file.diagnostics if d.code in IMPOSSIBLE]
    assert codes == []
    # and the red flags really are reachable: the simulator walks to them with scripted answers
    program = load_program(orjson.loads(result.artifacts[0].data))
    for g in range(0, n // 10, 7):
        answers = _defaults(program)
        answers[f"g{g}_sick"] = True
        answers[f"g{g}_days"] = 320
        w = walk(program, facts(), answers)
        assert w.outcome == "emergency_care", (g, w.fault)


def _defaults(program) -> dict:
    """One valid answer to every question of the generated flow (none of them a red flag)."""
    out = {}
    for qid in program.questions:
        kind = qid.split("_", 1)[1]
        out[qid] = {"sick": False, "days": 1, "pain": "low", "weight": Decimal("70.0"), "symptoms": {"cough"},
                    "note": "ok", "smoker": False, "height": 180, "since": dt.date(2024, 2, 1),
                    "consent": True}[kind]
    return out


def test_a_background_without_a_model_in_the_limit_is_not_unsatisfiable():
    """The root cause, directly: background constraints the solver cannot decide within its limit
    make a query *unknown* (the analyser then asks it whole), never *unsat*."""
    ctx = z3.Context()
    x, y, z = (z3.Int(n, ctx) for n in "xyz")
    hard = [x * x * x + y * y * y == z * z * z, x > 0, y > 0, z > 0]  # Fermat n=3: z3 cannot decide it
    q = z3.Int("q", ctx)
    from formflow.analysis.encode import Cond

    cond = Cond(q > 300)
    slicer = Slicer(ctx, hard + [q >= 0, q <= 365], [cond], rlimit=20_000)
    status, _ = slicer.check([cond])
    assert status in (SAT, UNKNOWN)
    status, _ = slicer.check([Cond(z3.And(x > 0, x < 0))])
    assert status in (UNSAT, UNKNOWN)


LYING = """
question a: integer "Hur många?" min 0 max 10
if a > 5 { end done }
question b: yes_no "Och?"
end done
"""


def test_an_impossible_verdict_the_explaining_solver_disagrees_with_is_never_reported(monkeypatch):
    """Were the sliced solver ever wrong about "impossible" again, the second solver (the one that
    explains) catches it: no FF804 and no FF801, and `prove` shows the point reachable with a walk."""
    from formflow.analysis import goals, slices
    from formflow.diagnostics.catalog import wrap_example

    real = slices.Slicer.check

    def lying(self, conds, extra=()):
        if any("5 < a" in str(c.expr) or "a > 5" in str(c.expr) for c in conds if hasattr(c, "expr")):
            return UNSAT, slices.Part((), tuple(conds))
        return real(self, conds, extra)

    monkeypatch.setattr(slices.Slicer, "check", lying)
    monkeypatch.setattr(goals.explore, "samples", lambda *a, **k: iter(()))  # the solver decides everything
    file = api.check_source("example.flow", wrap_example(LYING).encode("utf-8"))
    assert [d.code for d in file.diagnostics if d.code.startswith("FF8")] == []

    from formflow.analysis import analyse
    from formflow.ir.lower import lower
    from formflow.check import check_flow
    from formflow.syntax.parse import parse_bytes

    parsed = parse_bytes("example.flow", wrap_example(LYING).encode("utf-8"))
    flow = lower(check_flow(parsed.source, parsed.flow, None).context)
    props = {p.name: p for p in analyse(flow, parsed.source, prove=True).properties}
    true = next(p for n, p in props.items() if n.startswith("condition 0 true"))
    assert true.verdict == "proved" and true.example.answers["a"] > 5


def _engine(flow, source, program, *, prove: bool):
    from formflow.analysis import universe
    from formflow.analysis.encode import Encoder
    from formflow.analysis.goals import Engine
    from formflow.analysis.paths import Paths
    from formflow.analysis.solver import Solver

    enc = Encoder(flow, universe.today_window())
    paths = Paths(flow, enc)
    engine = Engine(flow, program, enc, paths, Solver(enc), source.line_col, scenario=prove, home_region="01",
                    read_goals=prove, large=True)  # node by node, as for a large flow
    engine.run()
    return engine


def _path_verdicts(engine) -> list:
    return [(i, g.status) for i, g in enumerate(engine.goals) if g.kind == "path"]


try:  # the brute-force suite's generator of random valid flows (its verdicts are the referee's)
    from test_analysis_bruteforce import BRUTE, Rejected, compile_flow, flows
except ImportError:  # pragma: no cover
    flows = None


@pytest.mark.skipif(flows is None, reason="needs tests/test_analysis_bruteforce.py")
def test_check_decides_every_point_and_direction_as_prove_does():
    """`check` decides reachability node by node without walking an example (`Slicer.path_status`),
    `prove` with a walked witness for every point, checked against brute force by
    tests/test_analysis_bruteforce.py: on random flows they must agree on every point and
    direction, and neither may leave one undecided."""
    from hypothesis import assume, given

    @BRUTE
    @given(flows())
    def agree(text):
        try:
            flow, source, program = compile_flow(text)
        except Rejected:
            assume(False)
        checked = _path_verdicts(_engine(flow, source, program, prove=False))
        proved = _path_verdicts(_engine(flow, source, program, prove=True))
        assert checked == proved
        assert all(status in (SAT, UNSAT) for _, status in checked), checked

    agree()
