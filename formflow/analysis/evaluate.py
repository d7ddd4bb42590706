"""An assert, evaluated on one finished walk: the independent check of every counterexample.

The solver says an assert fails for some citizen; this module says whether it fails for the one
the walk actually took, with the simulator's own expression code (`simulate.expressions`) for every
part whose answers the route gave. Only what the language adds for asserts is done here: an answer
or derived value the route did not give makes a comparison or test on it false (and a yes/no read
of it false), and `outcome`, `outcome.kind` and `outcome.urgency` are the walk's outcome.
"""

from __future__ import annotations

from formflow.emit.form_json import expr as to_json
from formflow.ir import model as M
from formflow.simulate.expressions import Env, RouteAnswers, RouteValues, compile_expr
from formflow.simulate.program import Program
from formflow.simulate.walk import Walk

UNDEFINED = object()


class Checker:
    """Asserts evaluated on walks, each expression compiled once: the analyser checks every open
    assert on every walk it makes, hundreds of walks for a large flow."""

    def __init__(self, program: Program):
        self.program = program
        self._compiled: dict[int, tuple] = {}  # id(IR node) -> (node, compiled code)

    def holds(self, assertion: M.Assertion, walk: Walk, facts) -> bool:
        """Whether the assert holds on this complete walk (premise false, or conclusion true)."""
        ev = _Evaluator(self, walk, facts)
        if assertion.premise is not None and not ev.truth(assertion.premise):
            return True
        return ev.truth(assertion.conclusion)

    def truth(self, e, walk: Walk, facts) -> bool:
        """Whether an IR condition (a gate route's) is true at the end of this walk."""
        return _Evaluator(self, walk, facts).truth(e)

    def premise_holds(self, assertion: M.Assertion, walk: Walk, facts) -> bool:
        return assertion.premise is None or _Evaluator(self, walk, facts).truth(assertion.premise)

    def compiled(self, e):
        found = self._compiled.get(id(e))
        if found is None:
            found = self._compiled[id(e)] = (e, compile_expr(to_json(e)))  # the node stays alive with its id
        return found[1]


def holds(assertion: M.Assertion, program: Program, walk: Walk, facts) -> bool:
    """Whether the assert holds on this complete walk (premise false, or conclusion true)."""
    return Checker(program).holds(assertion, walk, facts)


def premise_holds(assertion: M.Assertion, program: Program, walk: Walk, facts) -> bool:
    return Checker(program).premise_holds(assertion, walk, facts)


class _Evaluator:
    def __init__(self, checker: Checker, walk: Walk, facts):
        self.checker = checker
        self.program = checker.program
        self.walk = walk
        self.env = Env(RouteAnswers(walk.answers), RouteValues(walk.values), facts, facts.today)

    def truth(self, e) -> bool:
        value = self.value(e)
        return value is not UNDEFINED and bool(value)

    def value(self, e):
        if self._plain(e):
            return self.checker.compiled(e)(self.env)
        if isinstance(e, M.AnswerRef) or isinstance(e, M.ValueRef):
            return UNDEFINED
        if isinstance(e, M.Test):
            return self._test(e)
        if isinstance(e, M.Op):
            return self._op(e)
        if isinstance(e, M.Call):
            return self._call(e)
        if isinstance(e, M.FactRef):  # has_invitation of an undefined code
            return UNDEFINED
        raise TypeError(e)  # pragma: no cover

    def _plain(self, e) -> bool:
        """No outcome in it, and every answer and value it reads is on the route: the simulator's code."""
        stack = [e]
        while stack:
            node = stack.pop()
            if isinstance(node, M.OutcomeRef):
                return False
            if isinstance(node, M.AnswerRef) and node.question not in self.walk.answers:
                return False
            if isinstance(node, M.ValueRef) and node.name not in self.walk.values:
                return False
            if isinstance(node, M.Call) and node.function == "answered":
                continue
            if isinstance(node, (M.Op, M.Call, M.FactRef)):
                stack.extend(node.args)
            elif isinstance(node, M.Test):
                stack.append(node.subject)
        return True

    def _test(self, e: M.Test):
        if isinstance(e.subject, M.OutcomeRef):
            outcome = self.program.outcomes[self.walk.outcome]
            actual = {"": self.walk.outcome, "kind": outcome["kind"], "urgency": outcome["urgency"]}[e.subject.attr]
            inside = actual in e.codes
            return {"is": actual == e.codes[0], "is_not": actual != e.codes[0], "in": inside}[e.op]
        return False  # a test on an answer the route did not give

    def _op(self, e: M.Op):
        if e.op == "and":
            return all(self.truth(a) for a in e.args)
        if e.op == "or":
            return any(self.truth(a) for a in e.args)
        if e.op == "not":
            return not self.truth(e.args[0])
        values = [self.value(a) for a in e.args]
        if any(v is UNDEFINED for v in values):
            return False if e.op in ("==", "!=", "<", "<=", ">", ">=") else UNDEFINED
        return self._apply(e, values)

    def _call(self, e: M.Call):
        if e.function == "count":
            return sum(1 for a in e.args if self.truth(a))
        values = [self.value(a) for a in e.args]
        if any(v is UNDEFINED for v in values):
            return UNDEFINED
        return self._apply(e, values)

    def _apply(self, e, values):
        """The simulator's own operator on values computed here: the node with literal arguments."""
        node = to_json(e)
        node["args"] = [_literal(a, v) for a, v in zip(e.args, values)]
        return compile_expr(node)(self.env)


def _literal(arg, value) -> dict:
    """A computed value as a JSON literal of the compiled form (numbers and dates as exact text)."""
    kind = to_json(arg)["type"]
    if kind == "duration":
        return {"op": "literal", "type": "duration", "amount": value[0], "unit": value[1]}
    if kind == "date":
        return {"op": "literal", "type": "date", "value": value.isoformat()}
    if kind in ("int", "decimal"):
        return {"op": "literal", "type": kind, "value": format(value, "f") if not isinstance(value, int) else str(value)}
    return {"op": "literal", "type": kind, "value": value}


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
