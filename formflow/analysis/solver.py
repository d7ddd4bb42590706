"""One incremental z3 solver per analysis, asked one question at a time.

Every constraint a query can use — a fact of the universe (`universe.py`), the range of a
question, a conjunct of a path condition — is asserted once, behind an *indicator* literal
(`indicator → constraint`), and a query is a `check` under the indicators of its constraints.
So the solver keeps what it learnt between queries, a path condition shared by a hundred points
is never asserted twice, and an unsatisfiable query names the indicators that contradict each
other (the unsat core) at no extra cost: `explain` maps them back to the author's lines.
Constraints that are not assumed are switched off, not false: an unrelated non-linear atom never
weighs on a query.

The calendar definitions (`calendar.py`) are asserted unconditionally: they only name the parts
of dates. Every query has the same deterministic resource limit (z3's `rlimit`, not a timeout, so
that a flow gets the same verdicts on every machine); a query that runs out of it is *unknown*,
and the analyser says "undecided" and names the non-linear arithmetic involved, never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

import z3

from formflow.analysis.encode import Cond, Encoder

RLIMIT = 4_000_000  # about a second of solver work on the development machine; real queries use < 1%
SAT, UNSAT, UNKNOWN = "sat", "unsat", "unknown"


@dataclass(frozen=True)
class Item:
    """One constraint of a query, with where it comes from (for explanations; None: not shown)."""

    cond: Cond
    origin: object = None


@dataclass(frozen=True)
class Result:
    status: str  # sat | unsat | unknown
    model: object = None  # a z3 model when sat


class Solver:
    def __init__(self, enc: Encoder, rlimit: int = RLIMIT):
        self.enc = enc
        self.z3 = z3.Solver(ctx=enc.ctx)
        self.z3.set("rlimit", rlimit)
        self.z3.add(enc.calendar.side)
        self.queries = 0
        self._indicators: dict[int, object] = {}
        self._keep: list = []  # the keyed objects stay alive, so that their ids stay theirs
        self._origins: dict[str, object] = {}
        self.background = [Item(Cond(c), ("universe", text)) for c, text in enc.universe] + self._ranges()

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

    def _indicator(self, item: Item):
        key = id(item.cond)
        literal = self._indicators.get(key)
        if literal is None:
            literal = z3.Bool(f"~{len(self._indicators)}", self.enc.ctx)
            self._indicators[key] = literal
            self._keep.append(item.cond)
            self._origins[str(literal)] = item.origin
            self.z3.add(z3.Implies(literal, item.cond.expr))
        return literal

    def _assumptions(self, items: list[Item]) -> list:
        return [self._indicator(i) for i in self.background + items if not z3.is_true(i.cond.expr)]

    def check(self, items: list[Item], *, extra: tuple = ()) -> Result:
        """Is there a citizen, a day and valid answers satisfying every item (and `extra`)?"""
        self.queries += 1
        assumptions = self._assumptions(items)
        s = self.z3
        if extra:
            s.push()
            s.add(*extra)
        try:
            status = s.check(*assumptions)
            if status == z3.sat:
                return Result(SAT, s.model())
            return Result(UNSAT if status == z3.unsat else UNKNOWN)
        finally:
            if extra:
                s.pop()

    def explain(self, items: list[Item]) -> list:
        """The origins of a small unsatisfiable core of an unsatisfiable query."""
        assumptions = self._assumptions(items)
        s = self.z3
        s.set("core.minimize", True)
        try:
            if s.check(*assumptions) != z3.unsat:
                return []
            return [self._origins[str(lit)] for lit in s.unsat_core() if self._origins.get(str(lit)) is not None]
        finally:
            s.set("core.minimize", False)
