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

from dataclasses import dataclass

import z3

from formflow.analysis import evaluate
from formflow.analysis.encode import Cond, Encoder, conj, negate
from formflow.analysis.paths import BranchPoint, Path, Paths
from formflow.analysis.replay import condition_numbers, replay
from formflow.analysis.solver import SAT, UNKNOWN, UNSAT, Item, Solver
from formflow.analysis.witness import (WITNESS_DECIMALS, Example, born_on_a_test_day, example,
                                       nearest_test_days, test_birth_days)
from formflow.ir import model as M
from formflow.simulate import explore
from formflow.simulate.program import Program

SAMPLES = 256  # random walk-throughs (`explore`'s aimed sampler) tried before the solver
NEAR_TRIES = 6  # test birth dates tried next to the model's before the whole list is given to the solver


@dataclass(eq=False)
class Goal:
    kind: str  # path | outcome | violation | premise | division | answerable | reads
    subject: object  # Path | outcome id | Assertion | Division | Answer | site tuple
    items: list
    status: str | None = None  # sat | unsat | unknown
    example: Example | None = None
    confirmed: bool = False  # a real walk shows it

    @property
    def hard(self) -> tuple:
        return sum((i.cond.hard for i in self.items), ())


def path_items(path: Path) -> list[Item]:
    return [Item(c.cond, c.origin) for c in path.items()]


class Engine:
    def __init__(self, flow: M.Flow, program: Program, enc: Encoder, paths: Paths, solver: Solver, line_col, *,
                 scenario: bool, home_region: str, read_goals: bool = False):
        self.flow, self.program, self.enc, self.paths, self.solver = flow, program, enc, paths, solver
        self.line_col = line_col  # source offset -> (line, column), as the compiled form's "at"
        self.scenario = scenario
        self.home = home_region
        self.numbers = condition_numbers(flow)
        self.by_path: dict[int, Goal] = {}
        self.goals: list[Goal] = []
        self._stmt_paths: dict[int, list[Path]] = {}
        self._confirmed: set[int] = set()  # id() of the paths a walk has shown
        self.nofault = self._nofault()
        self._build(read_goals)
        self._open = [g for g in self.goals if g.kind not in ("path", "reads")]  # what walks may still show
        self.test_days = frozenset(test_birth_days()) if scenario else frozenset()

    # ------------------------------------------------------------ the goals
    def _nofault(self) -> Item:
        """No division by zero on the route: exact for complete routes (a route that faults never ends)."""
        faults = [conj(d.site[1].cond(), Cond(z3.And(d.guard, d.divisor == 0), d.reads)) for d in self.enc.divisions]
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
        for d in self.enc.divisions:
            _, site_path = d.site
            zero = Cond(z3.And(d.guard, d.divisor == 0), d.reads)
            self._add(Goal("division", d, path_items(site_path) + [Item(zero, ("division", d.span))]))
        for point in self.paths.points:
            if isinstance(point.stmt, M.Ask):
                answer = self.enc.answers.get(point.stmt.question)
                if answer is not None and answer.nonempty is not None:
                    empty = Item(negate(Cond(answer.nonempty)), ("empty", point.stmt.question))
                    self._add(Goal("answerable", answer, path_items(point.path) + [empty]))
        if read_goals:
            self._read_goals()

    def _path_goal(self, path: Path) -> None:
        if id(path) not in self.by_path:
            goal = Goal("path", path, path_items(path))
            self.by_path[id(path)] = goal
            self.goals.append(goal)

    def _add(self, goal: Goal) -> None:
        self.goals.append(goal)

    def _read_goals(self) -> None:
        """One goal per routing expression: some answer or value it reads may be missing."""
        sites: dict[int, tuple] = {}
        for read in self.enc.reads:
            node, path = read.site
            if read.is_answer:
                missing = negate(self.enc.answered(read.name))
            else:
                missing = negate(self.enc.computed[read.name])
            entry = sites.setdefault(id(node), (node, path, []))
            entry[2].append(Cond(z3.And(read.guard, missing.expr), missing.reads))
        for node, path, misses in sites.values():
            some = Cond(z3.Or([m.expr for m in misses]), frozenset().union(*(m.reads for m in misses)))
            self._add(Goal("reads", (node, path), path_items(path) + [Item(some, None)]))

    # ------------------------------------------------------------ solving
    def run(self, samples: int = SAMPLES) -> None:
        """Random walks first (most goals are shown by some), then the solver for the rest."""
        for sample in explore.samples(self.program, samples, seed=0, region=self.home):
            if sample.walk is not None:
                self.discharge(Example(sample.citizen.facts(), sample.answers, sample.walk, sample.citizen))
        order = sorted(range(len(self.goals)), key=lambda i: (self._rank(self.goals[i]), i))
        for i in order:
            self.settle(self.goals[i])

    def _rank(self, goal: Goal) -> tuple:
        if goal.kind == "path":
            return (0, -len(goal.subject.items()))
        return ({"outcome": 1, "premise": 2, "violation": 3, "division": 4, "answerable": 5, "reads": 6}[goal.kind], 0)

    def settle(self, goal: Goal) -> None:
        if goal.status is not None:
            return
        if goal.kind == "path" and self._impossible_prefix(goal.subject):
            goal.status = UNSAT
            return
        result = self._solve(goal.items)
        if result.status != SAT:
            goal.status = result.status
            return
        goal.status = SAT
        found = self._example(result.model)
        if found is not None:
            self.discharge(found)
        if goal.kind == "path" and not goal.confirmed and self.enc.divisions:
            again = self._solve(goal.items + [self.nofault])  # a route that does not fault on the way
            found = self._example(again.model) if again.status == SAT else None
            if found is not None:
                self.discharge(found)
        if goal.kind in ("violation", "division") and not goal.confirmed:
            goal.status = UNKNOWN  # the solver's counterexample does not reproduce: never report it

    def _impossible_prefix(self, path: Path) -> bool:
        for node in path.ancestors():
            goal = self.by_path.get(id(node))
            if goal is not None and goal.status == UNSAT:
                return True
        return False

    def _solve(self, items: list[Item]):
        if not self.scenario:
            return self.solver.check(items)
        extra = tuple(self._decimal_steps())
        result = self.solver.check(items, extra=extra)
        birth = self.enc.fact_terms().get("birth")
        if result.status != SAT or birth is None:
            return result
        day = result.model.eval(birth, model_completion=True).as_long()
        if day in self.test_days:
            return result
        for near in nearest_test_days(day, NEAR_TRIES):
            again = self.solver.check(items, extra=extra + (birth == near,))
            if again.status == SAT:
                return again
        again = self.solver.check(items, extra=extra + (born_on_a_test_day(birth),))
        return again if again.status == SAT else result

    def _decimal_steps(self):
        """Decimal answers without `decimals`: look for witnesses with at most six decimals."""
        for a in self.enc.answers.values():
            if a.question.type == "decimal" and a.question.decimals is None:
                yield z3.IsInt(a.value * 10 ** WITNESS_DECIMALS)

    def _example(self, model) -> Example | None:
        return example(self.program, model, self.enc, self.home, scenario=self.scenario)

    # ------------------------------------------------------------ what a walk shows
    def discharge(self, ex: Example) -> None:
        """Settle every goal the walk of `ex` shows possible."""
        w = ex.walk
        visit = replay(self.flow, w.trace, self.numbers)
        reached: list[Path] = []
        for stmt_id in visit.statements:
            reached += self._stmt_paths.get(stmt_id, [])
        for b in self.paths.branches:
            if b.number >= 0 and (b.number, True) in visit.directions:
                reached.append(b.taken)
            if b.number >= 0 and (b.number, False) in visit.directions:
                reached.append(b.failed)
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
        if goal.kind == "premise":
            return w.complete and evaluate.premise_holds(goal.subject, self.program, w, ex.facts)
        if goal.kind == "violation":
            return w.complete and not evaluate.holds(goal.subject, self.program, w, ex.facts)
        if goal.kind == "division":
            node, _ = goal.subject.site
            return w.fault is not None and "division by zero" in w.fault.message and w.fault.at == self._at(node)
        return False

    def _at(self, node) -> dict:
        line, column = self.line_col(node.span.start)
        return {"line": line, "column": column}

    def _confirm(self, goal: Goal, ex: Example) -> None:
        goal.status, goal.confirmed = SAT, True
        if goal.example is None:
            goal.example = ex

    # ------------------------------------------------------------ explanations
    def why(self, goal: Goal) -> list:
        """Origins of the conjuncts that make an impossible goal impossible (an unsat core)."""
        if goal.status != UNSAT:
            return []
        return self.solver.explain(goal.items)

    def counterexample(self, goal: Goal) -> Example | None:
        """A scenario-grade example for a violated assert or a division by zero (re-solved if needed)."""
        if goal.example is not None and goal.example.citizen is not None:
            return goal.example
        if self.scenario:
            return goal.example
        previous, self.scenario = self.scenario, True
        self.test_days = frozenset(test_birth_days())
        try:
            result = self._solve(goal.items)
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
