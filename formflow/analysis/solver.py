"""The analyser's z3: each query sliced into independent parts, or asked whole; and explanations.

A query is a path condition (a `Path` of `paths.py`, or None) and a few more items, against the
background every query has: the facts of the universe (`universe.py`), the range of every answer
and the calendar definitions (`calendar.py`). Satisfiable means possible.

Linear queries — nearly all of them — are split into the parts whose variables are independent and
solved part by part (`slices.py`): a point deep in a flow of a thousand questions costs one small
solve for the part its own condition touches, since the solutions of the other parts are
remembered from the points before it. The answer is a `Valuation`, read like a model.

A query with a non-linear atom (`Cond.hard`) is asked whole, of one incremental z3 solver in which
every constraint is asserted once behind an *indicator* literal (`indicator → constraint`) and a
query is a `check` under the indicators of its constraints. That solver also explains: an
unsatisfiable query's unsat core names the indicators that contradict each other, and `explain`
maps them back to the author's lines. Constraints that are not assumed are switched off, not
false: an unrelated non-linear atom never weighs on a query.

Every solve has the same deterministic resource limit (z3's `rlimit`, not a timeout, so that a
flow gets the same verdicts on every machine); a query that runs out of it is *unknown*, and the
analyser says "undecided" and names the non-linear arithmetic involved, never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import z3

# z3 installs its own SIGINT handler during a check and can leave it behind; then a Ctrl-C at the
# interactive simulator's prompt would wait for Enter. Interruption is ours to handle, not z3's.
z3.set_param("ctrl_c", False)

from formflow.analysis.encode import Cond, Encoder
from formflow.analysis.slices import SAT, UNKNOWN, UNSAT, Slicer, python_value

RLIMIT = 4_000_000  # about a second of solver work on the development machine; real queries use < 1%
MAX_LINKED = 8  # an item linking more independent blocks (say "outcome is x") is asked whole: the
# incremental solver has learnt the routing from earlier queries, a fresh part would start over


@dataclass(frozen=True)
class Item:
    """One constraint of a query, with where it comes from (for explanations; None: not shown)."""

    cond: Cond
    origin: object = None


@dataclass(frozen=True)
class Result:
    status: str  # sat | unsat | unknown
    model: object = None  # when sat: a ModelReader or a slices.Valuation (truth / integer / rational)
    part: object = None  # when unsat from the slicer: the slices.Part that has no solution


@dataclass(frozen=True)
class Explanation:
    """What a solver of its own says of a query found unsatisfiable: `unsat` with the origins of a
    small core, or — a disagreement, which must never become a verdict — `sat` (with a model) or
    `unknown`."""

    status: str
    origins: tuple = ()
    model: object = None


class ModelReader:
    """A z3 model, read as `witness.py` reads values (the interface of `slices.Valuation`)."""

    __slots__ = ("model",)

    def __init__(self, model):
        self.model = model

    def value(self, term):
        return python_value(self.model.eval(term, model_completion=True))

    def truth(self, term) -> bool:
        return z3.is_true(self.model.eval(term, model_completion=True))

    def integer(self, term) -> int:
        return self.model.eval(term, model_completion=True).as_long()

    def rational(self, term) -> Fraction | None:
        value = self.value(term)
        return None if value is None else Fraction(value)


def conjuncts(path) -> list[Cond]:
    """The conditions of a path, from the start of the flow."""
    found = []
    node = path
    while node is not None and node.conjunct is not None:
        found.append(node.conjunct.cond)
        node = node.parent
    found.reverse()
    return found


def path_items(path) -> list[Item]:
    found = []
    node = path
    while node is not None and node.conjunct is not None:
        found.append(Item(node.conjunct.cond, node.conjunct.origin))
        node = node.parent
    found.reverse()
    return found


class Solver:
    def __init__(self, enc: Encoder, rlimit: int = RLIMIT):
        self.enc = enc
        self.rlimit = rlimit
        self.queries = 0
        self.whole = 0  # queries asked whole (non-linear)
        self.background: list[Item] = []
        self._slicer: Slicer | None = None
        self._z3 = None
        self._indicators: dict[int, object] = {}
        self._keep: list = []  # the keyed objects stay alive, so that their ids stay theirs
        self._origins: dict[str, object] = {}
        self._trivial: dict[int, bool] = {}
        self._background_literals: list | None = None

    def prepare(self, conds, nodes=()) -> None:
        """Fix the background and the partition of the variables, once every term is encoded (the
        analyser calls it before its first query; `conds`: every conjunct a query's path can have;
        `nodes`: every node of the path tree, for `path_status`)."""
        self.background = [Item(Cond(c), ("universe", text)) for c, text in self.enc.universe] + self._ranges()
        exprs = list(self.enc.calendar.side) + [i.cond.expr for i in self.background]
        self._slicer = Slicer(self.enc.ctx, exprs, conds, self.rlimit, self._owners())
        self._slicer.prepare_paths(nodes)

    def path_status(self, path) -> Result | None:
        """Whether some citizen reaches `path`, decided without a model (see `Slicer.path_status`);
        None when it has to be asked with `check`."""
        if self._slicer is None:
            return None
        found = self._slicer.path_status(path)
        if found is None:
            return None
        self.queries += 1
        return Result(found[0], part=found[1])

    @property
    def parts_solved(self) -> int:
        return self._slicer.solved if self._slicer is not None else 0

    def _owners(self) -> dict:
        """The ranges that have a solution whatever the rest (see `Slicer._cone`): every range but
        that of a date question which can be empty on some days, with the terms it constrains."""
        out = {}
        for item in self.background:
            if isinstance(item.origin, tuple) and item.origin[0] == "range":
                answer = self.enc.answers[item.origin[1]]
                if answer.nonempty is None:
                    value = answer.value
                    out[item.cond.expr.get_id()] = list(value.values()) if isinstance(value, dict) else [value]
        return out

    def _ranges(self) -> list[Item]:
        """The range of every answer: a model is walked, so each answer in it must be valid."""
        out = []
        for qid, answer in sorted(self.enc.answers.items()):
            if not answer.domain:
                continue
            domain = z3.And(answer.domain) if len(answer.domain) > 1 else answer.domain[0]
            if answer.nonempty is not None:  # a date range that can be empty: only where it is not
                domain = z3.Implies(answer.nonempty, domain)
            out.append(Item(Cond(domain, frozenset([qid])), ("range", qid)))
        return out

    # ------------------------------------------------------------ queries
    def check(self, path, items: list[Item], *, extra: tuple = ()) -> Result:
        """Is there a citizen, a day and valid answers that reach `path` (None: anywhere) and satisfy
        every item (and `extra`, z3 Bools)?"""
        if self._slicer is None:
            self.prepare(conjuncts(path))
        self.queries += 1
        conds = conjuncts(path) + [i.cond for i in items]
        if any(c.hard for c in conds) or any(len(self._slicer.roots(i.cond)) > MAX_LINKED for i in items):
            return self._whole(path, items, extra)
        status, found = self._slicer.check(conds, extra)
        if status == UNKNOWN:  # not expected of linear parts; the whole query decides as before
            return self._whole(path, items, extra)
        return Result(SAT, found) if status == SAT else Result(UNSAT, part=found)

    def _whole(self, path, items: list[Item], extra: tuple) -> Result:
        self.whole += 1
        s = self._solver()
        assumptions = self._assumptions(path_items(path) + items)
        if extra:
            s.push()
            s.add(*extra)
        try:
            status = s.check(*assumptions)
            if status == z3.sat:
                return Result(SAT, ModelReader(s.model()))
            return Result(UNSAT if status == z3.unsat else UNKNOWN)
        finally:
            if extra:
                s.pop()

    def explain(self, path, items: list[Item], part=None) -> Explanation:
        """Why an unsatisfiable query is unsatisfiable: the origins of a small unsat core. Asked of a
        solver of its own, so that the explanation depends on the query alone — not on what other
        queries taught the shared solver — and `check` and `prove` give the same one.

        `part`: the part of the query the slicer found without a solution; the core is looked for
        in that part alone (a few constraints, where the whole query has the whole background).
        If the part is not unsatisfiable here, the whole query is asked; if that is not either, the
        two solvers disagree and the answer says so (`sat` or `unknown`), never an explanation."""
        if self._slicer is None:
            self.prepare(conjuncts(path))
        labelled = self.background + path_items(path) + items
        if part is not None:
            found = self._core(self._part_items(part, labelled), [])
            if found.status == UNSAT:
                return found
        return self._core(labelled, list(self.enc.calendar.side))

    def _part_items(self, part, labelled: list[Item]) -> list:
        """The constraints of `part`, each with its origin where it has one (a bare z3 Bool: the
        calendar's definitions and a query's `extra`, which are always on)."""
        by_cond = {id(i.cond): i for i in labelled}
        by_expr = {i.cond.expr.get_id(): i for i in self.background}
        out = [by_expr.get(e.get_id(), e) for e in self._slicer.part_background(part)]
        return out + [m if isinstance(m, z3.ExprRef) else by_cond.get(id(m), Item(m)) for m in part.members]

    def _core(self, constraints: list, fixed: list) -> Explanation:
        """A minimised unsat core of `constraints` (Items, or z3 Bools that are always on) and `fixed`."""
        s = z3.Solver(ctx=self.enc.ctx)
        s.set("rlimit", self.rlimit)
        s.set("core.minimize", True)
        hard = [c for c in constraints if isinstance(c, z3.ExprRef)]
        s.add(*fixed, *hard)
        literals, origins = [], {}
        for i, item in enumerate(c for c in constraints if not isinstance(c, z3.ExprRef)):
            if self._is_true(item.cond):
                continue
            literal = z3.Bool(f"~why{i}", self.enc.ctx)
            s.add(z3.Implies(literal, item.cond.expr))
            literals.append(literal)
            origins[str(literal)] = item.origin
        status = s.check(*literals)
        if status == z3.sat:
            return Explanation(SAT, (), ModelReader(s.model()))
        if status != z3.unsat:
            return Explanation(UNKNOWN)
        return Explanation(UNSAT, tuple(origins[str(lit)] for lit in s.unsat_core()
                                        if origins.get(str(lit)) is not None))

    # ------------------------------------------------------------ the incremental solver
    def _solver(self):
        if self._z3 is None:
            self._z3 = z3.Solver(ctx=self.enc.ctx)
            self._z3.set("rlimit", self.rlimit)
            self._z3.add(self.enc.calendar.side)
        return self._z3

    def _indicator(self, item: Item):
        key = id(item.cond)
        literal = self._indicators.get(key)
        if literal is None:
            literal = z3.Bool(f"~{len(self._indicators)}", self.enc.ctx)
            self._indicators[key] = literal
            self._keep.append(item.cond)
            self._origins[str(literal)] = item.origin
            self._z3.add(z3.Implies(literal, item.cond.expr))
        return literal

    def _assumptions(self, items: list[Item]) -> list:
        if self._background_literals is None:
            self._background_literals = [self._indicator(i) for i in self.background if not self._is_true(i.cond)]
        return self._background_literals + [self._indicator(i) for i in items if not self._is_true(i.cond)]

    def _is_true(self, cond: Cond) -> bool:
        key = id(cond)
        found = self._trivial.get(key)
        if found is None:
            found = self._trivial[key] = z3.is_true(cond.expr)
            self._keep.append(cond)
        return found
