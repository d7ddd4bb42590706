"""The analyser's questions to the solver, and how real walks answer most of them.

A *goal* is something that is possible or not: a program point is reached, a condition is true
(or false) where it is tested, an outcome is the result, an assert fails, a divisor is zero. Each
is a query; satisfiable means possible. Goals are tried deepest first, and every satisfiable one
gives a model that is walked on the compiled form (`witness.py`): the walk's trace then settles
every other goal it shows — the points it passed, the directions it took, its outcome, the asserts
that fail on it — so most goals never reach the solver. A goal is settled:

- *reached* only by a real walk that shows it (`confirmed`), or, in `check` mode, by the solver's
  model alone when the model's inputs cannot be made concrete;
- *impossible* by an unsatisfiable query (a path whose prefix is impossible is impossible too,
  without asking);
- *unknown* when the solver runs out of its resource limit, typically on non-linear arithmetic.

In `prove` mode every example is *scenario-grade*: the citizen has a test personnummer born on the
model's birth date and every answer reads back through the answer parser, so it can be written as
a scenario file.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import z3

from formflow.analysis import evaluate
from formflow.analysis.encode import FAULT_WORDS, Cond, Encoder, conj, negate, nodes
from formflow.analysis.gates import route_claims
from formflow.analysis.paths import BranchPoint, Path, Paths
from formflow.analysis.replay import condition_numbers, replay
from formflow.analysis.solver import SAT, UNKNOWN, UNSAT, Item, Solver, conjuncts
from formflow.analysis.witness import (WITNESS_DECIMALS, Example, born_on_a_test_day, example,
                                       nearest_test_days, test_birth_days)
from formflow.ir import model as M
from formflow.simulate import explore
from formflow.simulate.program import Program

SAMPLES = 256  # random walk-throughs (`explore`'s aimed sampler) tried before the solver in `prove`
CHECK_SAMPLES = 32  # and in `check` of a large flow, where a walk costs more and the node-by-node path less
SMALL_FLOW = 200  # questions: up to this, points are shown by walks, not decided node by node (see Engine)
IMPOSSIBLE_REPORTED = ("path", "outcome", "premise", "gate")  # goals whose "unsat" is reported as impossible
NEAR_TRIES = 6  # test birth dates tried next to the model's before the whole list is given to the solver


@dataclass(eq=False)
class Goal:
    """A query: the path condition of `path` (None: no path) and `items`."""

    kind: str  # path | outcome | violation | premise | gate | division | answerable | reads
    subject: object  # Path | outcome id | Assertion | Division | Answer | site tuple
    items: list
    path: Path | None = None
    status: str | None = None  # sat | unsat | unknown
    example: Example | None = None
    confirmed: bool = False  # a real walk shows it
    part: object = None  # unsat: the part of the query without a solution (slices.Part), for `why`
    queried: bool = False  # its status is a solver's answer (not inherited from an impossible prefix)
    day: int | None = None  # answerable, possible: a day number on which it happens
    note: str = ""  # why it is unknown, when the solver did decide it

    @property
    def hard(self) -> tuple:
        return sum((c.hard for c in conjuncts(self.path)), ()) + sum((i.cond.hard for i in self.items), ())


class Engine:
    def __init__(self, flow: M.Flow, program: Program, enc: Encoder, paths: Paths, solver: Solver, line_col, *,
                 scenario: bool, home_region: str, read_goals: bool = False, large: bool | None = None):
        self.flow, self.program, self.enc, self.paths, self.solver = flow, program, enc, paths, solver
        self.line_col = line_col  # source offset -> (line, column), as the compiled form's "at"
        self.scenario = scenario
        # A large flow's points are decided node by node (`Solver.path_status`), a small one's by
        # sample walks and witnesses (a walk is cheaper than a solve about ages and calendar
        # months, tens of milliseconds each; the per-point witnesses are n² only in large flows)
        self.large = len(flow.questions) > SMALL_FLOW if large is None else large
        self.home = home_region
        self.numbers = condition_numbers(flow)
        self.reads_booking = any(isinstance(n, M.Call) and n.function == "booked" for a in flow.asserts
                                 for part in (a.premise, a.conclusion) if part is not None for n in nodes(part))
        self.by_path: dict[int, Goal] = {}
        self.goals: list[Goal] = []
        self._stmt_paths: dict[int, list[Path]] = {}
        self._confirmed: set[int] = set()  # id() of the paths a walk has shown
        self._born_on_test_day = None
        self._cores: dict[int, object] = {}  # id(goal) -> its solver.Explanation (the goals live as long)
        self.disagreements = 0  # impossible by one solver, not by the other (see `_recheck`)
        self.nofault = self._nofault()
        self._build(read_goals)
        self._open = [g for g in self.goals if g.kind not in ("path", "reads")]  # what walks may still show
        self.test_days = frozenset(test_birth_days()) if scenario else frozenset()
        self._by_number = {b.number: b for b in paths.branches if b.number >= 0}
        self.asserts = evaluate.Checker(program)
        solver.prepare(*self._conjuncts())

    def _conjuncts(self) -> tuple[list, list]:
        """Every conjunct of the goals' path conditions, in flow order (for the solver's partition),
        and every node of the path tree they are on."""
        seen: set[int] = set()
        found, nodes = [], [self.paths.root]
        for goal in self.goals:
            chain = []
            node = goal.path
            while node is not None and node.conjunct is not None and id(node) not in seen:
                seen.add(id(node))
                chain.append(node)
                node = node.parent
            found += (n.conjunct.cond for n in reversed(chain))
            nodes += chain
        return found, nodes

    # ------------------------------------------------------------ the goals
    def _nofault(self) -> Item:
        """No division by zero on the route: exact for complete routes (a route that faults never ends)."""
        faults = [conj(d.site[1].cond(), Cond(z3.And(d.guard, d.happens), d.reads)) for d in self.enc.divisions]
        return Item(negate(Cond(z3.Or([f.expr for f in faults]), frozenset().union(*(f.reads for f in faults))))
                    if faults else Cond(self.enc.true))

    def _build(self, read_goals: bool) -> None:
        for point in self.paths.points:
            self._path_goal(point.path)
            self._stmt_paths.setdefault(id(point.stmt), []).append(point.path)
        for b in self.paths.branches:
            self._path_goal(b.taken)
            if b.failed is not None:
                self._path_goal(b.failed)
        for o in self.flow.outcomes:
            self._add(Goal("outcome", o.id, [Item(self.paths.outcome_is(o.id), ("outcome", o.id)), self.nofault]))
        for a in self.flow.asserts:
            premise = self.enc.cond(a.premise, in_assert=True) if a.premise is not None else Cond(self.enc.true)
            conclusion = self.enc.cond(a.conclusion, in_assert=True)
            complete = Item(conj(self.paths.complete, self.nofault.cond), None)
            self._add(Goal("violation", a, [complete, Item(premise, ("premise", a.id)),
                                            Item(negate(conclusion), ("conclusion", a.id))]))
            if a.premise is not None:
                self._add(Goal("premise", a, [complete, Item(premise, ("premise", a.id))]))
        for claim in route_claims(self.flow):  # each gate route can be passed by someone who books
            ends = Item(conj(self.paths.outcome_is(claim.outcome), self.nofault.cond), ("outcome", claim.outcome))
            route = Item(self.enc.whole(claim.cond), ("route", claim.route.id))
            self._add(Goal("gate", claim, [ends, route]))
        from formflow.analysis import entitlement  # protected bookings: every route implies entitlement

        self.entitlement = entitlement.build(self)  # settled after `run` by `entitlement.settle`
        for d in self.enc.divisions:
            _, site_path = d.site
            zero = Cond(z3.And(d.guard, d.happens), d.reads)
            self._add(Goal("division", d, [Item(zero, ("division", d.span))], site_path))
        for point in self.paths.points:
            if isinstance(point.stmt, M.Ask):
                answer = self.enc.answers.get(point.stmt.question)
                if answer is not None and answer.nonempty is not None:
                    empty = Item(negate(Cond(answer.nonempty)), ("empty", point.stmt.question))
                    self._add(Goal("answerable", answer, [empty], point.path))
        if read_goals:
            self._read_goals()

    def _path_goal(self, path: Path) -> None:
        if id(path) not in self.by_path:
            goal = Goal("path", path, [], path)
            self.by_path[id(path)] = goal
            self.goals.append(goal)

    def _add(self, goal: Goal) -> None:
        self.goals.append(goal)

    def _read_goals(self) -> None:
        """One goal per routing expression: some answer or value it reads may be missing."""
        sites: dict[int, tuple] = {}
        for read in self.enc.reads:
            node, path = read.site
            if self._surely_given(read, path):
                sites.setdefault(id(node), (node, path, []))
                continue
            if read.is_answer:
                missing = negate(self.enc.answered(read.name))
            else:
                missing = negate(self.enc.computed[read.name])
            entry = sites.setdefault(id(node), (node, path, []))
            entry[2].append(Cond(z3.And(read.guard, missing.expr), missing.reads))
        for node, path, misses in sites.values():
            if not misses:  # every read is given wherever the expression is evaluated
                self._add(Goal("reads", (node, path), [], path, status=UNSAT))
                continue
            some = Cond(z3.Or([m.expr for m in misses]), frozenset().union(*(m.reads for m in misses)))
            self._add(Goal("reads", (node, path), [Item(some, None)], path))

    def _surely_given(self, read, path: Path) -> bool:
        """The value read is there on every route to `path`, without asking the solver: a required
        question asked (a value computed) at the one point that `path` extends — the path condition
        implies "answered", so the read can never miss."""
        if read.is_answer:
            answer = self.enc.answers.get(read.name)
            if answer is None or answer.given is not self.enc.true:
                return False
            where = self.paths.asked_at.get(read.name, [])
        else:
            where = self.paths.computed_at.get(read.name, [])
        return len(where) == 1 and path.extends(where[0])

    # ------------------------------------------------------------ solving
    def run(self, samples: int | None = None) -> None:
        """Random walks first, as they show many goals at once (`samples`: how many; `check` takes
        a few, and more only when a goal that walks show well — an outcome, an assert's `if` part,
        a gate route — would otherwise be a query about every route of the flow), then the solver
        goal by goal, the deepest points first."""
        if samples is None:
            samples = CHECK_SAMPLES if self.large and not self.scenario else SAMPLES
        self._sampler = explore.samples(self.program, max(samples, SAMPLES), seed=0, region=self.home)
        self._sample(samples)
        order = sorted(range(len(self.goals)), key=lambda i: (self._rank(self.goals[i]), i))
        together = False
        for i in order:
            if self.goals[i].kind == "violation" and not together:
                together = True
                self._asserts_hold_together()
            self.settle(self.goals[i])
        self._recheck()

    def _recheck(self) -> None:
        """Every "impossible" that a diagnostic or a property would report is asked again, of a
        solver of its own (`why`, which needs that solver's unsat core anyway). Should the two
        disagree, the goal is not impossible: it becomes what the second solver says (possible,
        with its model walked, or undecided), and the points that were impossible only because of
        it are settled again."""
        while True:
            flipped = [g for g in self.goals if g.status == UNSAT and g.queried and g.kind in IMPOSSIBLE_REPORTED
                       and self.why(g) is None]
            if not flipped:
                return
            for goal in self.goals:  # impossible only because a prefix was: decide again
                if goal.kind == "path" and goal.status == UNSAT and not goal.queried:
                    goal.status = None
            for i in sorted(range(len(self.goals)), key=lambda i: (self._rank(self.goals[i]), i)):
                self.settle(self.goals[i])

    def _sample(self, n: int | None) -> None:
        """Walk the next `n` random walk-throughs (None: the rest of them)."""
        for sample in itertools.islice(self._sampler, n):
            if sample.walk is not None:
                self.discharge(Example(sample.citizen.facts(), sample.answers, sample.walk, sample.citizen))

    def _asserts_hold_together(self) -> None:
        """One query for every assert not yet shown violated: "some assert fails on some complete
        route". Unsatisfiable — the usual answer for a flow whose asserts hold — settles them all at
        once (each one's query implies that one); otherwise each is asked alone, as it would be."""
        pending = [g for g in self.goals if g.kind == "violation" and g.status is None]
        if len(pending) < 2 or any(i.cond.hard for g in pending for i in g.items):
            return
        fails = [z3.And(g.items[1].cond.expr, g.items[2].cond.expr) for g in pending]
        some = Cond(z3.Or(fails), frozenset().union(*(i.cond.reads for g in pending for i in g.items[1:])))
        if self.solver.check(None, [pending[0].items[0], Item(some, None)]).status == UNSAT:
            for g in pending:
                g.status = UNSAT

    def _rank(self, goal: Goal) -> tuple:
        if goal.kind == "path":
            return (0, -goal.subject.depth)
        return ({"outcome": 1, "premise": 2, "gate": 2, "violation": 3, "division": 4, "answerable": 5,
                 "reads": 6}[goal.kind], 0)

    def settle(self, goal: Goal) -> None:
        if goal.status is not None:
            return
        if goal.kind == "path":
            found = self.solver.path_status(goal.path) if self.large else None
            if found is not None and (found.status == UNSAT or (found.status == SAT and not self.scenario)):
                # impossible, or possible where `check` needs no example of it
                goal.status, goal.part, goal.queried = found.status, found.part, True
                return
            if found is None and self._impossible_prefix(goal.subject):
                goal.status = UNSAT
                return
        if goal.kind == "outcome" and not self.scenario and self._walk_to_outcome(goal):
            return
        if goal.kind in ("outcome", "premise", "gate"):
            self._sample(None)  # the remaining sample walks, once: cheaper than the whole-flow queries
            if goal.confirmed:
                return
        result = self._solve(goal.path, goal.items)
        goal.queried = True
        if result.status != SAT:
            goal.status, goal.part = result.status, result.part
            return
        goal.status = SAT
        if goal.kind == "answerable":  # the day it happens, for the diagnostic (its example may not walk)
            goal.day = result.model.integer(self.enc.today)
        found = self._example(result.model)
        if found is not None:
            self.discharge(found)
        if goal.kind == "path" and not goal.confirmed and self.enc.divisions:
            again = self._solve(goal.path, goal.items + [self.nofault])  # a route that does not fault on the way
            found = self._example(again.model) if again.status == SAT else None
            if found is not None:
                self.discharge(found)
        if goal.kind in ("violation", "division") and not goal.confirmed:
            goal.status = UNKNOWN  # the solver's counterexample does not reproduce: never report it
            goal.note = "the solver's counterexample does not reproduce on the compiled form"

    def _walk_to_outcome(self, goal: Goal, tries: int = 3) -> bool:
        """Show an outcome with a walk to an `end` or `trigger` that names it, before asking the
        solver the outcome's own query (a condition over every route of the flow, expensive when
        the flow is large): the first few of those points that are reached are walked with a model
        of their path condition, and any walk that ends in the outcome settles it."""
        naming = [p for p in self.paths.ends + self.paths.triggers if p.stmt.outcome == goal.subject]
        if not naming:  # the final outcome is always one that an `end` or a `trigger` names
            goal.status = UNSAT
            return True
        for point in naming[:tries]:
            status = self.by_path[id(point.path)].status
            if status != SAT:
                continue
            result = self._solve(point.path, [self.nofault] if self.enc.divisions else [])
            found = self._example(result.model) if result.status == SAT else None
            if found is not None:
                self.discharge(found)
            if goal.confirmed:
                return True
        return False

    def _impossible_prefix(self, path: Path) -> bool:
        for node in path.ancestors():
            goal = self.by_path.get(id(node))
            if goal is not None and goal.status == UNSAT:
                return True
        return False

    def _solve(self, path: Path | None, items: list[Item]):
        if not self.scenario:
            return self.solver.check(path, items)
        extra = tuple(self._decimal_steps())
        result = self.solver.check(path, items, extra=extra)
        birth = self.enc.fact_terms().get("birth")
        if result.status != SAT or birth is None:
            return result
        day = result.model.integer(birth)
        if day in self.test_days:
            return result
        for near in nearest_test_days(day, NEAR_TRIES):
            again = self.solver.check(path, items, extra=extra + (birth == near,))
            if again.status == SAT:
                return again
        again = self.solver.check(path, items, extra=extra + (self._test_day(birth),))
        return again if again.status == SAT else result

    def _test_day(self, birth):
        if self._born_on_test_day is None:
            self._born_on_test_day = born_on_a_test_day(birth)
        return self._born_on_test_day

    def _decimal_steps(self):
        """Decimal answers without `decimals`: look for witnesses with at most six decimals."""
        for a in self.enc.answers.values():
            if a.question.type == "decimal" and a.question.decimals is None:
                yield z3.IsInt(a.value * 10 ** WITNESS_DECIMALS)

    def _example(self, model) -> Example | None:
        found = example(self.program, model, self.enc, self.home, scenario=self.scenario)
        if found is not None and self.reads_booking:  # asserts read booked(...): the gate decides the walk
            from formflow.analysis.entitlement import with_decision

            found = with_decision(self, model, found)
        return found

    # ------------------------------------------------------------ what a walk shows
    def discharge(self, ex: Example) -> None:
        """Settle every goal the walk of `ex` shows possible."""
        w = ex.walk
        visit = replay(self.flow, w.trace, self.numbers)
        reached: list[Path] = []
        for stmt_id in visit.statements:
            reached += self._stmt_paths.get(stmt_id, [])
        for number, holds in sorted(visit.directions):
            b = self._by_number.get(number)
            if b is not None:
                reached.append(b.taken if holds else b.failed)
        for path in reached:
            for node in path.ancestors():  # a route through a point passed every point before it
                if id(node) in self._confirmed:
                    break  # and so did the walk that showed this one
                self._confirmed.add(id(node))
                goal = self.by_path.get(id(node))
                if goal is not None and not goal.confirmed:
                    self._confirm(goal, ex)
        for goal in self._open:
            if not goal.confirmed and self._shows(goal, ex):
                self._confirm(goal, ex)
        self._open = [g for g in self._open if not g.confirmed]

    def _shows(self, goal: Goal, ex: Example) -> bool:
        w = ex.walk
        if goal.kind == "outcome":
            return w.complete and w.outcome == goal.subject
        if goal.kind in ("premise", "violation") and self.reads_booking and not hasattr(ex, "decision"):
            return False  # a random walk, with no gate decision: it shows nothing about booked(...)
        if goal.kind == "premise":
            return w.complete and self.asserts.premise_holds(goal.subject, w, ex.facts, getattr(ex, "decision", None))
        if goal.kind == "violation":
            return w.complete and not self.asserts.holds(goal.subject, w, ex.facts, getattr(ex, "decision", None))
        if goal.kind == "gate":
            return w.complete and w.outcome == goal.subject.outcome and \
                self.asserts.truth(goal.subject.cond, w, ex.facts)
        if goal.kind == "answerable":
            qid = goal.subject.question.id
            return w.pending == qid and evaluate.no_valid_date(self.program.questions[qid], ex.facts.today)
        if goal.kind == "division":
            node, _ = goal.subject.site
            return w.fault is not None and FAULT_WORDS[goal.subject.kind] in w.fault.message and \
                w.fault.at == self._at(node)
        return False

    def _at(self, node) -> dict:
        line, column = self.line_col(node.span.start)
        return {"line": line, "column": column}

    def _confirm(self, goal: Goal, ex: Example) -> None:
        goal.status, goal.confirmed = SAT, True
        if goal.example is None:
            goal.example = ex

    # ------------------------------------------------------------ explanations
    def why(self, goal: Goal) -> list | None:
        """Origins of the conjuncts that make an impossible goal impossible (an unsat core). None
        when the explaining solver disagrees: the goal's status is then corrected (see `_recheck`)."""
        if goal.status != UNSAT:
            return []
        found = self._cores.get(id(goal))
        if found is None:
            found = self._cores[id(goal)] = self.solver.explain(goal.path, goal.items, goal.part)
        if found.status == UNSAT:
            return list(found.origins)
        self._disagreed(goal, found)
        return None

    def _disagreed(self, goal: Goal, found) -> None:
        self.disagreements += 1
        goal.status, goal.part = (SAT if found.status == SAT else UNKNOWN), None
        if found.model is not None:
            ex = self._example(found.model)
            if ex is not None:
                self.discharge(ex)

    def counterexample(self, goal: Goal) -> Example | None:
        """A scenario-grade example for a violated assert or a division by zero (re-solved if needed)."""
        if goal.example is not None and goal.example.citizen is not None:
            return goal.example
        if self.scenario:
            return goal.example
        previous, self.scenario = self.scenario, True
        self.test_days = frozenset(test_birth_days())
        try:
            result = self._solve(goal.path, goal.items)
            if result.status != SAT:
                return None
            ex = self._example(result.model)
            return ex if ex is not None and self._shows(goal, ex) else None
        finally:
            self.scenario = previous


def frontier(engine: Engine, path: Path) -> bool:
    """Impossible while its parent is possible: the first point of an unreachable region."""
    goal = engine.by_path.get(id(path))
    if goal is None or goal.status != UNSAT or path.parent is None:
        return False
    parent = engine.by_path.get(id(path.parent))
    return parent is None or parent.status != UNSAT


def branch_verdicts(engine: Engine, b: BranchPoint) -> tuple:
    """(can be true, can be false) of a branch condition: goal statuses of its two paths."""
    taken = engine.by_path[id(b.taken)]
    failed = engine.by_path.get(id(b.failed)) if b.failed is not None else None
    return taken, failed


__all__ = ["Engine", "Goal", "frontier", "branch_verdicts", "UNSAT", "SAT", "UNKNOWN", "conj"]
