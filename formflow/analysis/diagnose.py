"""Analysis results as diagnostics (FF8xx), for `formflow check`.

Only what is worth an author's attention becomes a diagnostic, and each region of dead code is
reported once, where it starts: a condition that is never true (FF804) is reported, not every
question in its block; an outcome is reported unreachable (FF802) only when something names it
on a reachable route. Warnings: unreachable code, always-true/false conditions, outcomes never
reached, vacuous asserts, possible division by zero, questions without a valid answer on some
days, and anything undecided. Errors: an assert that fails, with its counterexample in a note.
"""

from __future__ import annotations

from datetime import date

from formflow.analysis.explain import Reason, reasons, story
from formflow.analysis.goals import Engine, frontier
from formflow.analysis.paths import Path
from formflow.analysis.properties import undecided_detail
from formflow.analysis.solver import SAT, UNKNOWN, UNSAT
from formflow.diagnostics.model import Diagnostic, Label, make
from formflow.ir import model as M
from formflow.source import Source

WHAT = {M.Ask: "question", M.Compute: "derived value", M.Trigger: "trigger", M.End: "end", M.If: "if",
        M.PageBlock: "page"}
PROVE_HINT = "`formflow prove` writes it as a scenario file that `formflow test` runs"


def diagnostics(engine: Engine, source: Source) -> list[Diagnostic]:
    line_of = lambda offset: source.line_col(offset)[0]  # noqa: E731
    out: list[Diagnostic] = []
    out += _unreachable(engine, source, line_of)
    out += _conditions(engine, source, line_of)
    out += _outcomes(engine, source)
    out += _asserts(engine, source, line_of)
    out += _gates(engine, source)
    out += _faults(engine, source, line_of)
    return out


def _labels(found: tuple[Reason, ...]) -> tuple[tuple, tuple]:
    labels = tuple(Label(r.span, r.text) for r in found if r.span is not None)
    notes = tuple(f"the analyser assumes that {r.text}" for r in found if r.span is None)
    return labels, notes


def _diag(code, message, source, span, label, *, help="", because=(), notes=()) -> Diagnostic:
    labels, assumed = _labels(because)
    return make(code, message, source, span, label, help=help, secondary=labels, notes=tuple(notes) + assumed)


# ---------------------------------------------------------------- unreachable code

def _unreachable(engine: Engine, source: Source, line_of) -> list[Diagnostic]:
    out = []
    seen: set[int] = set()
    for point in engine.paths.points:
        path: Path = point.path
        if id(path) in seen or path.conjunct is None or path.conjunct.origin.kind not in ("not-ended", "answerable",
                                                                                          "no-fault"):
            continue
        goal = engine.by_path[id(path)]
        if goal.status == UNKNOWN and not _unknown_parent(engine, path):
            seen.add(id(path))
            out.append(_diag("FF807", f"the analyser cannot decide whether this {_what(point.stmt)} is reached",
                             source, point.stmt.span, "undecided", help=undecided_detail(goal, line_of)))
            continue
        if not frontier(engine, path) or _always_true_inside(engine, path):
            continue
        seen.add(id(path))
        because = reasons(engine.why(goal), engine.flow, point.stmt.span)
        out.append(_diag("FF801", f"this {_what(point.stmt)} can never be reached", source, point.stmt.span,
                         "no route gets here", because=because,
                         help="every route ends before it (see the labels): remove it, or change the conditions above"))
    return out


def _always_true_inside(engine: Engine, path: Path) -> bool:
    """The `if` before this point has a condition that is always true (FF803 says it already)."""
    stmt = engine.paths.after.get(id(path))
    if stmt is None:
        return False
    for b in engine.paths.branches:
        if b.stmt is stmt and b.failed is not None:
            entry, failed = engine.by_path.get(id(b.entry)), engine.by_path[id(b.failed)]
            if failed.status == UNSAT and (entry is None or entry.status == SAT):
                return True
    return False


def _what(stmt) -> str:
    what = WHAT.get(type(stmt), "statement")
    if isinstance(stmt, M.Ask):
        return f"question ('{stmt.question}')"
    if isinstance(stmt, M.Compute):
        return f"derived value ('{stmt.derived}')"
    return what


def _unknown_parent(engine: Engine, path: Path) -> bool:
    parent = engine.by_path.get(id(path.parent)) if path.parent is not None else None
    return parent is not None and parent.status in (UNKNOWN, UNSAT)


# ---------------------------------------------------------------- conditions

def _conditions(engine: Engine, source: Source, line_of) -> list[Diagnostic]:
    out = []
    for b in engine.paths.branches:
        if b.cond is None:
            continue
        entry = engine.by_path.get(id(b.entry))
        if entry is not None and entry.status != SAT:
            continue  # the whole `if` (or this branch) is unreachable: reported where that starts
        taken, failed = engine.by_path[id(b.taken)], engine.by_path[id(b.failed)]
        span = b.branch.condition.span
        if taken.status == UNSAT:
            because = reasons(engine.why(taken), engine.flow, span)
            itself = not because
            out.append(_diag("FF804", "this condition contradicts itself: it is never true" if itself else
                             "this condition is never true where it is tested", source, span, "always false",
                             because=because, help="its block never runs: correct the condition, or remove the block"))
        elif failed.status == UNSAT:
            because = reasons(engine.why(failed), engine.flow, span)
            out.append(_diag("FF803", "this condition always holds" if not because else
                             "this condition is always true where it is tested", source, span, "always true",
                             because=because, help=_always_true_help(b)))
        for goal in (taken, failed):
            if goal.status == UNKNOWN:
                out.append(_diag("FF807", "the analyser cannot decide whether this condition can be "
                                 + ("true" if goal is taken else "false"), source, span, "undecided",
                                 help=undecided_detail(goal, line_of)))
                break
    return out


def _always_true_help(b) -> str:
    if b.last and not any(x.condition is None for x in b.stmt.branches):
        return "the test is not needed: its block always runs (or the condition is not what was meant)"
    return "the branches after it never run: write `else` here, or correct the condition"


# ---------------------------------------------------------------- outcomes

def _outcomes(engine: Engine, source: Source) -> list[Diagnostic]:
    out = []
    for o in engine.flow.outcomes:
        goal = next(g for g in engine.goals if g.kind == "outcome" and g.subject == o.id)
        if goal.status != UNSAT:
            continue
        naming = [p for p in engine.paths.ends + engine.paths.triggers if p.stmt.outcome == o.id]
        live = [p for p in naming if engine.by_path[id(p.path)].status == SAT]
        if not live:
            continue  # nothing names it (FF209), or only unreachable code does (reported there)
        labels = tuple(Label(p.stmt.span, "reached, but a more urgent outcome always wins"
                             if isinstance(p.stmt, M.Trigger) else "reached, but a more urgent trigger always wins")
                       for p in live)
        out.append(make("FF802", f"no route ends in the outcome '{o.id}'", source, o.span, "never the result",
                        secondary=labels,
                        help="every route that names it also triggers a more urgent outcome; "
                             "check the urgencies, or the triggers before it"))
    return out


# ---------------------------------------------------------------- gates

def _gates(engine: Engine, source: Source) -> list[Diagnostic]:
    """FF812: a gate route that no citizen whose route books can pass (the booking itself reachable)."""
    out = []
    for goal in engine.goals:
        if goal.kind != "gate" or goal.status != UNSAT:
            continue
        claim = goal.subject
        booking = next(g for g in engine.goals if g.kind == "outcome" and g.subject == claim.outcome)
        if booking.status != SAT:
            continue  # the booking itself is never reached: FF802 or FF801 says so
        span = claim.route.condition.span
        because = reasons(engine.why(goal), engine.flow, span)
        where = f"route '{claim.route.id}' of gate '{claim.gate.id}'"
        if engine.solver.check(None, [goal.items[1]]).status == UNSAT:  # the route's condition on its own
            out.append(_diag("FF812", f"{where} contradicts itself: no citizen meets it", source, span,
                             "never true", help="correct the condition (or its `from` date), or remove the route"))
            continue
        labels, assumed = _labels(because)
        booking_span = next(o.span for o in engine.flow.outcomes if o.id == claim.outcome)
        out.append(make("FF812", f"{where} can never be passed by a citizen whose route ends in '{claim.outcome}'",
                        source, span, "never true at the booking", notes=assumed,
                        secondary=labels + (Label(booking_span, "the booking this route protects"),),
                        help="the routing before the booking already excludes everyone this route is for: "
                             "correct the condition or its `from` date, or the routing"))
    return out


# ---------------------------------------------------------------- asserts

def _asserts(engine: Engine, source: Source, line_of) -> list[Diagnostic]:
    out = []
    for a in engine.flow.asserts:
        violation = next(g for g in engine.goals if g.kind == "violation" and g.subject is a)
        premise = next((g for g in engine.goals if g.kind == "premise" and g.subject is a), None)
        if violation.status == SAT and violation.confirmed:
            ex = engine.counterexample(violation) or violation.example
            out.append(_diag("FF805", f"assert '{a.id}' does not hold", source, a.span, "fails on some route",
                             notes=(f"counterexample: {story(ex, engine.flow)}",),
                             help="change the flow so that this route ends as the assert says (or correct the "
                                  f"assert); {PROVE_HINT}"))
        elif violation.status != UNSAT:
            out.append(_diag("FF807", f"the analyser cannot decide whether assert '{a.id}' holds", source, a.span,
                             "undecided", help=undecided_detail(violation, line_of)))
        elif premise is not None and premise.status == UNSAT:
            because = reasons(engine.why(premise), engine.flow, a.premise.span)
            out.append(_diag("FF806", f"assert '{a.id}' holds only because its `if` part is never true", source,
                             a.premise.span, "true on no complete route", because=because,
                             help="an assert about routes that do not exist proves nothing: correct the `if` part"))
    return out


# ---------------------------------------------------------------- runtime faults

def _faults(engine: Engine, source: Source, line_of) -> list[Diagnostic]:
    out = []
    for goal in engine.goals:
        if goal.kind == "division":
            site_goal = engine.by_path.get(id(goal.subject.site[1]))
            if site_goal is not None and site_goal.status == UNSAT:
                continue
            is_date = goal.subject.kind == "date"
            if goal.status == SAT and goal.confirmed:
                ex = engine.counterexample(goal) or goal.example
                note = (f"for example: {story(ex, engine.flow)}",)
                if is_date:
                    out.append(_diag("FF814", "this date can leave the years 1–9999 on some route", source,
                                     goal.subject.span, "outside the calendar", notes=note,
                                     help="bound the date answer it starts from (e.g. `max today`), or compute "
                                          "it only behind a test"))
                else:
                    out.append(_diag("FF808", "this divides by zero on some route", source, goal.subject.span,
                                     "the divisor can be 0", notes=note,
                                     help="guard it, e.g. `if height > 0 { ... }`, or bound the answer with `min 1`"))
            elif goal.status == UNKNOWN:
                what = "this date stays within the years 1–9999" if is_date else "this divides by zero"
                out.append(_diag("FF807", f"the analyser cannot decide whether {what}", source,
                                 goal.subject.span, "undecided", help=undecided_detail(goal, line_of)))
        elif goal.kind == "answerable" and goal.status == SAT:
            q = goal.subject.question
            ex = goal.example
            day = ex.facts.today if ex is not None else date.fromordinal(goal.day) if goal.day is not None else None
            when = f" (for example on {day.isoformat()})" if day is not None else ""
            out.append(make("FF810", f"on some days no answer to '{q.id}' is valid{when}", source, q.span,
                            "its min is after its max on those days",
                            help="a route that reaches it can never go on: correct `min` and `max`"))
    return out
