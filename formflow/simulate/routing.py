"""Compile a form's routing into nested closures over a walk `State`.

Each statement becomes a function `step(state) -> bool` that returns True when the walk must stop
(an `end` was reached, or a question on the route has no answer yet). A block runs its steps in
order. This is the routing of the reference, section 8: statements top to bottom, the first `if`
branch whose condition holds, `end` exits at once, `trigger` records and continues.

Every step appends to `state.trace`, the route as the simulator reports it and coverage counts it:
`("page", id)`, `("ask", qid)`, `("let", name)`, `("if", condition_index, bool)`,
`("trigger", outcome)`, `("end", outcome)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.simulate.expressions import compile_expr
from formflow.simulate.values import RuntimeFault

MISSING = object()
SKIPPED = object()  # an optional question the citizen chose to leave unanswered


class Fault(Exception):
    """A RuntimeFault with the place in the flow where it happened."""

    def __init__(self, message: str, at: dict | None):
        super().__init__(message)
        self.message = message
        self.at = at


@dataclass(frozen=True)
class Condition:
    index: int
    at: dict  # {"line", "column"} of the `if` / `else if` in the flow source
    expr: dict


class State:
    """One walk in progress. `given` is every answer offered; `env.answers` only those on the route."""

    __slots__ = ("env", "given", "complete", "trace", "triggered", "end", "pending")

    def __init__(self, env, given: dict, complete: bool):
        self.env = env
        self.given = given
        self.complete = complete  # scripted: a missing optional answer means "left unanswered"
        self.trace: list = []
        self.triggered: list = []
        self.end = None
        self.pending = None


def compile_routing(routing: list, questions: dict, derived: list):
    """(run, conditions): the whole routing as one function, and its numbered conditions."""
    conditions: list[Condition] = []
    lets = {d["id"]: d for d in derived}
    run = _block(routing, questions, lets, conditions)
    return run, tuple(conditions)


def _block(statements, questions, lets, conditions):
    steps = tuple(_statement(s, questions, lets, conditions) for s in statements)

    def block(state):
        for step in steps:
            if step(state):
                return True
        return False
    return block


def _statement(s, questions, lets, conditions):
    kind = s["do"]
    if kind == "ask":
        return _ask(questions[s["question"]])
    if kind == "compute":
        return _compute(lets[s["value"]])
    if kind == "if":
        return _if(s, questions, lets, conditions)
    if kind == "page":
        return _page(s["page"], _block(s["body"], questions, lets, conditions))
    if kind == "end":
        return _end(s["outcome"])
    if kind == "trigger":
        return _trigger(s["outcome"])
    raise ValueError(f"unknown statement {kind!r}")


def _ask(question):
    qid, info, optional = question["id"], question["type"] == "info", not question["required"]

    def ask(state):
        if info:
            state.trace.append(("ask", qid))
            return False
        value = state.given.get(qid, MISSING)
        if value is MISSING or (value is SKIPPED and not optional):
            if not (optional and state.complete):
                state.pending = qid
                return True
        elif value is not SKIPPED:
            state.env.answers[qid] = value
        state.trace.append(("ask", qid))
        return False
    return ask


def _compute(let):
    name, fn, at = let["id"], compile_expr(let["expr"]), let["at"]

    def compute(state):
        try:
            state.env.values[name] = fn(state.env)
        except RuntimeFault as exc:
            raise Fault(f"computing '{name}': {exc}", at) from None
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise Fault(f"computing '{name}': {type(exc).__name__}: {exc}", at) from None
        state.trace.append(("let", name))
        return False
    return compute


def _if(s, questions, lets, conditions):
    branches = []
    for branch in s["branches"]:
        condition = Condition(len(conditions), branch["at"], branch["when"])
        conditions.append(condition)
        branches.append((condition.index, compile_expr(branch["when"]), branch["at"],
                         _block(branch["then"], questions, lets, conditions)))
    otherwise = _block(s["else"], questions, lets, conditions) if "else" in s else None
    branches = tuple(branches)

    def run_if(state):
        for index, test, at, body in branches:
            try:
                holds = bool(test(state.env))
            except RuntimeFault as exc:
                raise Fault(str(exc), at) from None
            except (ArithmeticError, TypeError, ValueError) as exc:
                raise Fault(f"{type(exc).__name__}: {exc}", at) from None
            state.trace.append(("if", index, holds))
            if holds:
                return body(state)
        return otherwise(state) if otherwise is not None else False
    return run_if


def _page(page, body):
    def run_page(state):
        state.trace.append(("page", page))
        return body(state)
    return run_page


def _end(outcome):
    def end(state):
        state.trace.append(("end", outcome))
        state.end = outcome
        return True
    return end


def _trigger(outcome):
    def trigger(state):
        state.trace.append(("trigger", outcome))
        state.triggered.append(outcome)
        return False
    return trigger
