"""An assert, evaluated on one finished walk: the independent check of every counterexample.

The solver says an assert fails for some citizen; this module says whether it fails for the one
the walk actually took — with the simulator's own reading of asserts (`simulate.asserts`, the one
`formflow explore` and scenario runs use), not a second one that could drift from it: `and`, `or`
and `not` combine the parts, and any other part that reads an answer or value the route did not
give (even inside `count(...)`), or faults, is false. `outcome`, `outcome.kind` and
`outcome.urgency` are the walk's outcome.
"""

from __future__ import annotations

from formflow.emit.form_json import expr as to_json
from formflow.ir import model as M
from formflow.simulate.asserts import end_env, read_condition
from formflow.simulate.expressions import compile_expr
from formflow.simulate.values import RuntimeFault
from formflow.simulate.program import Program
from formflow.simulate.walk import Walk


class Checker:
    """Asserts evaluated on walks, each expression compiled once: the analyser checks every open
    assert on every walk it makes, hundreds of walks for a large flow."""

    def __init__(self, program: Program):
        self.program = program
        self._compiled: dict[int, tuple] = {}  # id(IR node) -> (node, compiled condition)

    def holds(self, assertion: M.Assertion, walk: Walk, facts, decision=None) -> bool:
        """Whether the assert holds on this complete walk (premise false, or conclusion true);
        `decision`: the gate's decision after it, which `booked(...)` reads."""
        env = end_env(self.program, walk, facts, decision)
        if assertion.premise is not None and not self.compiled(assertion.premise)(env):
            return True
        return self.compiled(assertion.conclusion)(env)

    def truth(self, e, walk: Walk, facts) -> bool:
        """Whether a gate route's condition (an IR expression) holds at the end of this walk, read as
        the gate evaluator reads it (`booking.gate`): the simulator's expression, false when it faults."""
        found = self._compiled.get(id(e))
        if found is None:
            found = self._compiled[id(e)] = (e, compile_expr(to_json(e)))
        try:
            return bool(found[1](end_env(self.program, walk, facts)))
        except RuntimeFault:
            return False

    def premise_holds(self, assertion: M.Assertion, walk: Walk, facts, decision=None) -> bool:
        return assertion.premise is None or \
            self.compiled(assertion.premise)(end_env(self.program, walk, facts, decision))

    def compiled(self, e):
        found = self._compiled.get(id(e))
        if found is None:
            found = self._compiled[id(e)] = (e, read_condition(to_json(e)))  # the node stays alive with its id
        return found[1]


def holds(assertion: M.Assertion, program: Program, walk: Walk, facts) -> bool:
    """Whether the assert holds on this complete walk (premise false, or conclusion true)."""
    return Checker(program).holds(assertion, walk, facts)


def premise_holds(assertion: M.Assertion, program: Program, walk: Walk, facts) -> bool:
    return Checker(program).premise_holds(assertion, walk, facts)


def no_valid_date(question: dict, today) -> bool:
    """Whether a date question of the compiled form has no valid answer on `today` (its `min` is
    after its `max` that day, e.g. `min 2020-12-27 max today` before 27 December 2020): a route
    that reaches it can go no further. A bound that leaves the calendar has no valid answer either."""
    from formflow.simulate.answers import date_bound
    from formflow.simulate.values import RuntimeFault

    if question.get("type") != "date":
        return False
    try:
        low, high = (date_bound(question.get(k), today) for k in ("min", "max"))
    except RuntimeFault:
        return True
    return low is not None and high is not None and low > high
