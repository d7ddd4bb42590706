"""The properties the analyser proves, each with its verdict and its witness or counterexample.

One `Property` per claim, in a stable order (flow order within each kind), so that `formflow
prove` prints the same list every time:

- every question can be asked (and every derived value computed, every `trigger`/`end` run);
- every outcome is the result of some complete route;
- every branch condition can be both true and false where it is tested;
- every complete route ends in exactly one outcome (no dead ends, no fall-through);
- no expression reads an answer or value the route may not have given (prove only);
- no division by zero on any route; every question reached has a valid answer that day;
- every assert holds;
- every route of a gate can be passed by some citizen whose route ends in the booking it protects;
- every pdf colour rule can print its row red, and green (`colours.py` adds these).

A *proved* reachability claim carries a witness, a *violated* assert a counterexample — both
concrete examples that the compiled form was walked with. A *violated* reachability claim (the
point can never be reached) carries its explanation instead: the conditions that exclude it.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.analysis.explain import Reason, reasons
from formflow.analysis.goals import Engine, Goal
from formflow.analysis.solver import SAT, UNKNOWN, UNSAT
from formflow.analysis.witness import Example
from formflow.ir import model as M
from formflow.source import Span

PROVED, VIOLATED, UNDECIDED = "proved", "violated", "undecided"
DIVISION_DIGITS = 34  # simulate.values.DECIMAL: the simulator's precision for a division


@dataclass(frozen=True)
class Property:
    kind: str  # reach | outcome | condition | ends | reads | division | answerable | assert | gate
    name: str  # stable and unique: "question temp", "condition 3 true", "assert chest_pain"
    claim: str  # what is claimed, in words
    span: Span | None
    verdict: str  # proved | violated | undecided
    detail: str = ""  # why not proved
    example: Example | None = None  # proved: a witness; violated: a counterexample
    because: tuple[Reason, ...] = ()  # violated reachability: what excludes it

    @property
    def role(self) -> str:
        return "counterexample" if self.verdict == VIOLATED else "witness"


def _verdict(goal: Goal, *, possible_is_good: bool, confirmed_needed: bool) -> str:
    """A goal's status as the verdict of the property it stands for."""
    if goal.status == UNKNOWN or goal.status is None:
        return UNDECIDED
    if goal.status == SAT:
        if confirmed_needed and not goal.confirmed:
            return UNDECIDED
        return PROVED if possible_is_good else VIOLATED
    return VIOLATED if possible_is_good else PROVED


def undecided_detail(goal: Goal, line_of) -> str:
    if goal.note:
        return f"{goal.note}: the analyser and the simulator disagree, a bug in formflow (please report it with the flow)"
    if goal.status == SAT and not goal.confirmed:
        divisions = sorted({span.start for span, what in goal.hard if what == "division by a value"})
        if divisions:  # the known difference: exact rationals against the simulator's 34 digits
            return (f"the solver found an example, but walking it on the compiled form did not show it: the division "
                    f"at line {line_of(divisions[0])} is exact for the solver and rounded to {DIVISION_DIGITS} "
                    "significant digits by the simulator; compare its result with a margin (`>=`, `<`), not `==`")
        return ("the solver found an example, but walking it on the compiled form did not show it: the analyser "
                "and the simulator disagree, a bug in formflow (please report it with the flow)")
    hard = sorted({(span.start, what) for span, what in goal.hard})
    if hard:
        where = ", ".join(dict.fromkeys(f"{what} at line {line_of(start)}" for start, what in hard))
        where = ", ".join(where.split(", ")[:3])
        return f"the solver could not decide it within its limit ({where} is non-linear)"
    return "the solver could not decide it within its limit"


def collect(engine: Engine, line_of, *, reads: bool) -> tuple[Property, ...]:
    """Every property of the flow, from the settled goals of `engine`."""
    flow = engine.flow
    out: list[Property] = []
    for point in engine.paths.points:
        if isinstance(point.stmt, (M.Ask, M.Compute, M.Trigger, M.End)):
            out.append(_reach(engine, point, line_of))
    for o in flow.outcomes:
        goal = next(g for g in engine.goals if g.kind == "outcome" and g.subject == o.id)
        out.append(_property(engine, goal, "outcome", f"outcome {o.id}", f"some route ends in '{o.id}'", o.span,
                             line_of, possible_is_good=True))
    for b in engine.paths.branches:
        if b.cond is None:
            continue
        taken, failed = engine.by_path[id(b.taken)], engine.by_path[id(b.failed)]
        line = line_of(b.branch.condition.span.start)
        for goal, holds in ((taken, True), (failed, False)):
            word = "true" if holds else "false"
            out.append(_property(engine, goal, "condition", f"condition {b.number} {word}",
                                 f"the condition at line {line} can be {word}", b.branch.condition.span, line_of,
                                 possible_is_good=True))
    out.append(Property("ends", "every route ends", "every complete route ends in exactly one outcome",
                        None, PROVED if engine.paths.fall_through is None else VIOLATED,
                        "" if engine.paths.fall_through is None else "a route can reach the end of the flow"))
    for goal in engine.goals:
        if goal.kind == "reads" and reads:
            node, _ = goal.subject
            line = line_of(node.span.start)
            out.append(_property(engine, goal, "reads", f"reads line {line}",
                                 f"the expression at line {line} reads only answers and values its routes have",
                                 node.span, line_of, possible_is_good=False))
        elif goal.kind == "division":
            line = line_of(goal.subject.span.start)
            if goal.subject.kind == "date":
                name, claim = f"date line {line}:{goal.subject.span.start}", \
                    f"the date arithmetic at line {line} stays within the years 1–9999"
            else:
                name, claim = f"division line {line}:{goal.subject.span.start}", \
                    f"the division at line {line} never divides by zero"
            out.append(_property(engine, goal, "division", name, claim, goal.subject.span, line_of,
                                 possible_is_good=False))
        elif goal.kind == "answerable":
            q = goal.subject.question
            out.append(_property(engine, goal, "answerable", f"answerable {q.id}",
                                 f"'{q.id}' has a valid answer on every day it is asked", q.span, line_of,
                                 possible_is_good=False))
    for a in flow.asserts:
        out.append(_assert(engine, a, line_of))
    for goal in engine.goals:
        if goal.kind == "gate":
            claim = goal.subject
            out.append(_property(engine, goal, "gate", claim.name, claim.claim, claim.route.span, line_of,
                                 possible_is_good=True))
    return tuple(out)


def _reach(engine: Engine, point, line_of) -> Property:
    stmt = point.stmt
    what = {M.Ask: "question", M.Compute: "value", M.Trigger: "trigger", M.End: "end"}[type(stmt)]
    ident = getattr(stmt, "question", None) or getattr(stmt, "derived", None) or getattr(stmt, "outcome", "")
    line = line_of(stmt.span.start)
    name = f"{what} {ident}" if what in ("question", "value") else f"{what} {ident} line {line}"
    claim = {"question": f"'{ident}' can be asked", "value": f"'{ident}' can be computed",
             "trigger": f"the trigger of '{ident}' at line {line} can run",
             "end": f"the end in '{ident}' at line {line} can be reached"}[what]
    goal = engine.by_path[id(point.path)]
    return _property(engine, goal, "reach", name, claim, stmt.span, line_of, possible_is_good=True)


def _property(engine: Engine, goal: Goal, kind, name, claim, span, line_of, *, possible_is_good: bool) -> Property:
    verdict = _verdict(goal, possible_is_good=possible_is_good, confirmed_needed=True)
    detail, because = "", ()
    if verdict == UNDECIDED:
        detail = undecided_detail(goal, line_of)
    elif verdict == VIOLATED and goal.status == UNSAT:
        because = reasons(engine.why(goal), engine.flow, span)
        detail = "no route gets there"
    example = goal.example if goal.confirmed else None
    if verdict == VIOLATED and goal.status == SAT:
        example = engine.counterexample(goal) or example
    return Property(kind, name, claim, span, verdict, detail, example, because)


def _assert(engine: Engine, a: M.Assertion, line_of) -> Property:
    violation = next(g for g in engine.goals if g.kind == "violation" and g.subject is a)
    premise = next((g for g in engine.goals if g.kind == "premise" and g.subject is a), None)
    claim = a.description or f"assert {a.id} holds on every complete route"
    if violation.status == UNSAT:
        witness = premise.example if premise is not None and premise.confirmed else None
        detail = ""
        if premise is not None and premise.status == UNSAT:
            detail = "vacuous: the `if` part is true on no complete route"
        return Property("assert", f"assert {a.id}", claim, a.span, PROVED, detail, witness)
    if violation.status == SAT and violation.confirmed:
        return Property("assert", f"assert {a.id}", claim, a.span, VIOLATED, "fails on the counterexample",
                        engine.counterexample(violation) or violation.example)
    return Property("assert", f"assert {a.id}", claim, a.span, UNDECIDED, undecided_detail(violation, line_of))
