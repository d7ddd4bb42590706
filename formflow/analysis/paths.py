"""Path conditions: for every statement, the formula that says a route reaches it.

Routes are never enumerated (a flow with 100 independent yes/no questions has 2^100 of them).
Instead the routing is walked once, top to bottom, and each program point gets its *path
condition*: the conditions of the enclosing branches, the negations of the earlier branches of
the same `if`, and "no earlier `end` was taken". It is built incrementally as a linked list of
conjuncts, each remembering where it comes from, so that an impossible point can be explained by
the few conjuncts that contradict each other (`explain.py`):

- entering a branch adds its condition (and the failure of the earlier branches);
- after an `if` whose branches can end the flow, the routes that ended are excluded: one
  conjunct `not (ended in branch 1 or ended in branch 2 ...)`, written relative to the `if`,
  so path conditions grow by one conjunct per `if` and never blow up;
- after a date question whose range can be empty on some days, the route continues only on the
  days it has a valid answer.

The final outcome of a complete route is a term too: the `end` that was reached, unless a more
urgent outcome was triggered on the way (the first of equal urgency), as `simulate.walk.winner`.
"""

from __future__ import annotations

from dataclasses import dataclass

import z3
from z3.z3core import Z3_mk_and, Z3_mk_ite
from z3.z3types import Ast

from formflow.analysis.encode import Cond, Encoder, conj, disj, negate
from formflow.analysis.replay import condition_numbers
from formflow.ir import model as M
from formflow.source import Span


@dataclass(frozen=True)
class Origin:
    """Where a conjunct of a path condition comes from, for explanations."""

    kind: str  # holds | failed | not-ended | answerable
    spans: tuple[Span, ...]
    text: str  # a short label for the span(s)


@dataclass(frozen=True, eq=False)
class Conjunct:
    cond: Cond
    origin: Origin


class Path:
    """An immutable linked list of conjuncts; extending it is O(1), sharing the parent."""

    __slots__ = ("parent", "conjunct", "depth", "_cond", "_items")

    def __init__(self, parent: "Path | None" = None, conjunct: Conjunct | None = None, true=None):
        self.parent = parent
        self.conjunct = conjunct
        self.depth = 0 if parent is None else parent.depth + 1  # the number of conjuncts
        self._cond = Cond(true) if parent is None else None  # the root: no condition at all
        self._items = None

    def extend(self, conjunct: Conjunct) -> "Path":
        return Path(self, conjunct)

    def items(self) -> tuple[Conjunct, ...]:
        if self._items is None:
            found, node = [], self
            while node is not None and node.conjunct is not None:
                found.append(node.conjunct)
                node = node.parent
            self._items = tuple(reversed(found))
        return self._items

    def cond(self) -> Cond:
        if self._cond is None:
            parent, own = self.parent.cond(), self.conjunct.cond
            if z3.is_true(parent.expr):
                self._cond = own
            else:
                self._cond = Cond(_and(parent.expr, own.expr), parent.reads | own.reads, parent.hard + own.hard)
        return self._cond

    def since(self, ancestor: "Path") -> tuple[Conjunct, ...]:
        """The conjuncts added after `ancestor` (which must be an ancestor or self)."""
        found, node = [], self
        while node is not ancestor:
            found.append(node.conjunct)
            node = node.parent
        return tuple(reversed(found))

    def ancestors(self):
        node = self
        while node is not None:
            yield node
            node = node.parent

    def extends(self, ancestor: "Path") -> bool:
        """Whether `ancestor` is this path or one of its ancestors (so this path implies it)."""
        node = self
        while node is not None and node.depth > ancestor.depth:
            node = node.parent
        return node is ancestor


def _and(a, b):
    """z3.And(a, b) through the C API: a path condition per point of a large flow is thousands of
    conjunctions, and z3's Python wrapper spends most of their time checking its arguments."""
    ctx = a.ctx
    args = (Ast * 2)(a.as_ast(), b.as_ast())
    return z3.BoolRef(Z3_mk_and(ctx.ref(), 2, args), ctx)


def _ite(c, a, b):
    """z3.If(c, a, b) for terms of one sort, through the C API (see `_and`)."""
    ctx = a.ctx
    return z3.ArithRef(Z3_mk_ite(ctx.ref(), c.as_ast(), a.as_ast(), b.as_ast()), ctx)


@dataclass(frozen=True, eq=False)
class Point:
    stmt: object  # an IR statement
    path: Path


@dataclass(frozen=True, eq=False)
class BranchPoint:
    """One `if` / `else if` / `else` of an if-statement, with the paths around its condition."""

    number: int  # the simulator's condition number (flow order); -1 for `else`
    stmt: M.If
    branch: M.Branch
    entry: Path  # the earlier branches of this `if` failed
    cond: Cond | None  # None for `else`
    taken: Path  # entry, and this condition holds
    failed: Path | None  # entry, and this condition fails (None for `else`)
    last: bool  # the last branch of its `if`


class Paths:
    """Walks the routing once; every point, branch, `end` and `trigger` with its path condition."""

    def __init__(self, flow: M.Flow, encoder: Encoder):
        self.flow = flow
        self.enc = encoder
        self.points: list[Point] = []
        self.branches: list[BranchPoint] = []
        self.ends: list[Point] = []
        self.triggers: list[Point] = []
        self.stuck: list[Path] = []  # a date question with no valid answer that day: the route stops there
        self.after: dict[int, M.If] = {}  # id(path after an `if` that can end the flow) -> that `if`
        self.asked_at: dict[str, list[Path]] = {}  # question -> the paths where it is asked
        self.computed_at: dict[str, list[Path]] = {}  # derived value -> the paths where it is computed
        # The simulator's condition numbers: flow order over every condition, dead code included.
        self._numbers = condition_numbers(flow)
        self.root = Path(true=encoder.true)
        self.fall_through = self._block(flow.body, self.root)  # None: every route ends
        self.final = self._final()
        self.complete = disj((p.path.cond() for p in self.ends), encoder.ctx)

    # ------------------------------------------------------------ the walk
    def _block(self, body, path: Path) -> Path | None:
        for stmt in body:
            self.points.append(Point(stmt, path))
            path = self._statement(stmt, path)
            if path is None:
                return None
        return path

    def _statement(self, stmt, path: Path) -> Path | None:
        if isinstance(stmt, M.Ask):
            return self._ask(stmt, path)
        if isinstance(stmt, M.Compute):
            self.enc.site = (stmt, path)
            before = len(self.enc.divisions)
            derived = next(d for d in self.flow.derived if d.id == stmt.derived)
            self.enc.lets[stmt.derived] = self.enc.term(derived.expr)
            path = self._unless_faulted(path, before, derived.span)
            self.points[-1] = Point(stmt, path)  # computed: the step is in the trace only when it did not fault
            self.enc.computed[stmt.derived] = path.cond()
            self.computed_at.setdefault(stmt.derived, []).append(path)
            return path
        if isinstance(stmt, M.Trigger):
            self.triggers.append(Point(stmt, path))
            return path
        if isinstance(stmt, M.End):
            self.ends.append(Point(stmt, path))
            return None
        if isinstance(stmt, M.PageBlock):
            return self._block(stmt.body, path)
        if isinstance(stmt, M.If):
            return self._if(stmt, path)
        raise TypeError(stmt)  # pragma: no cover

    def _ask(self, stmt: M.Ask, path: Path) -> Path:
        self.enc.asked[stmt.question] = path.cond()
        self.asked_at.setdefault(stmt.question, []).append(path)
        answer = self.enc.answers.get(stmt.question)
        if answer is None or answer.nonempty is None:
            return path
        self.stuck.append(path.extend(Conjunct(negate(Cond(answer.nonempty)), Origin(
            "answerable", (answer.question.span,), f"'{stmt.question}' has no valid answer on some days"))))
        return path.extend(Conjunct(Cond(answer.nonempty), Origin(
            "answerable", (answer.question.span,), f"'{stmt.question}' has a valid answer only on some days")))

    def _unless_faulted(self, path: Path, first: int, span: Span) -> Path:
        """The route goes on past an expression only where evaluating it did not fault (the
        operations registered from `first` on: a division by zero, a date outside the calendar);
        the routes that fault stop there, like routes that end."""
        faults = [z3.And(d.guard, d.happens) for d in self.enc.divisions[first:]]
        if not faults:
            return path
        reads = frozenset().union(*(d.reads for d in self.enc.divisions[first:]))
        fault = Cond(faults[0] if len(faults) == 1 else z3.Or(faults), reads)
        self.stuck.append(path.extend(Conjunct(fault, Origin("faults", (span,), "the evaluation faults here"))))
        return path.extend(Conjunct(negate(fault), Origin("no-fault", (span,), "evaluated without a fault")))

    def _if(self, stmt: M.If, path: Path) -> Path | None:
        first_end, first_stuck = len(self.ends), len(self.stuck)
        entry, completes = path, False
        for i, branch in enumerate(stmt.branches):
            last = i == len(stmt.branches) - 1
            if branch.condition is None:
                self.branches.append(BranchPoint(-1, stmt, branch, entry, None, entry, None, True))
                completes |= self._block(branch.body, entry) is not None
                break
            number = self._numbers[id(branch)]
            self.enc.site = (branch, entry)
            before = len(self.enc.divisions)
            cond = self.enc.cond(branch.condition)
            entry = self._unless_faulted(entry, before, branch.condition.span)
            taken = entry.extend(Conjunct(cond, Origin("holds", (branch.condition.span,), "true on these routes")))
            failed = entry.extend(Conjunct(negate(cond), Origin("failed", (branch.condition.span,),
                                                                  "false on these routes")))
            self.branches.append(BranchPoint(number, stmt, branch, entry, cond, taken, failed, last))
            completes |= self._block(branch.body, taken) is not None
            entry = failed
        else:
            completes = True  # no `else`: the routes on which every condition failed go on
        if not completes:
            return None
        ended = [e.path for e in self.ends[first_end:]] + self.stuck[first_stuck:]  # routes that stop inside
        if not ended:
            return path
        gone = disj((conj(*(c.cond for c in e.since(path))) for e in ended), self.enc.ctx)
        spans = tuple(e.stmt.span for e in self.ends[first_end:]) + tuple(
            e.conjunct.origin.spans[0] for e in self.stuck[first_stuck:])
        after = path.extend(Conjunct(negate(gone), Origin("not-ended", spans, "routes that end here stop")))
        self.after[id(after)] = stmt
        return after

    # ------------------------------------------------------------ the outcome
    def _final(self):
        """The outcome of a complete route, as an index into flow.outcomes (-1 on no route)."""
        outcomes = self.flow.outcomes
        ival = self.enc.ival
        index = {o.id: ival(i) for i, o in enumerate(outcomes)}
        rank = {o.id: ival(self.flow.urgency_levels.index(o.urgency)) for o in outcomes}
        number = {o.id: self.flow.urgency_levels.index(o.urgency) for o in outcomes}
        none = len(self.flow.urgency_levels)
        end_out, end_rank = ival(-1), ival(none)
        for point in reversed(self.ends):  # thousands of ends in a large flow: terms through the C API
            reached = point.path.cond().expr
            end_out = _ite(reached, index[point.stmt.outcome], end_out)
            end_rank = _ite(reached, rank[point.stmt.outcome], end_rank)
        best_out, best_rank = ival(-1), ival(none)
        for point in self.triggers:  # flow order is the order triggers happen on any route
            r = number[point.stmt.outcome]
            beats = z3.And(point.path.cond().expr, best_rank > r)
            best_out = _ite(beats, index[point.stmt.outcome], best_out)
            best_rank = _ite(beats, rank[point.stmt.outcome], best_rank)
        self.enc.outcome = z3.If(best_rank < end_rank, best_out, end_out)
        return self.enc.outcome

    def outcome_is(self, outcome: str) -> Cond:
        index = next(i for i, o in enumerate(self.flow.outcomes) if o.id == outcome)
        return conj(self.complete, Cond(self.final == index))
