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

    __slots__ = ("env", "answers", "given", "get", "complete", "trace", "push", "triggered", "end", "pending")

    def __init__(self, env, given: dict, complete: bool):
        self.env = env
        self.given = given
        self.complete = complete  # scripted: a missing optional answer means "left unanswered"
        self.trace: list = []
        # Shortcuts for the hottest operations of a walk (every question and every step use them):
        self.answers = env.answers  # the same dict as env.answers
        self.get = given.get  # read an offered answer (a mapping's own `get`: explore makes them up)
        self.push = self.trace.append  # add a step to the route
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
    steps = _merge_asks([_statement(s, questions, lets, conditions) for s in statements], statements, questions)
    if len(steps) == 1:
        return steps[0]
    if len(steps) == 2:  # an `if` body such as { question; if ... }: no loop
        first, second = steps
        return lambda state: first(state) or second(state)
    if len(steps) == 3:
        first, second, third = steps
        return lambda state: first(state) or second(state) or third(state)

    def block(state):
        for step in steps:
            if step(state):
                return True
        return False
    return block


def _merge_asks(steps: list, statements, questions) -> tuple:
    """Runs of consecutive questions become one step: a page of twenty questions is one call, not
    twenty (the walk spends most of its time in the questions of long flows)."""
    merged: list = []
    run: list = []
    for step, s in zip(steps, statements):
        if s["do"] == "ask":
            run.append(questions[s["question"]])
            continue
        if run:
            merged.append(_asks(run))
            run = []
        merged.append(step)
    if run:
        merged.append(_asks(run))
    return tuple(merged)


def _statement(s, questions, lets, conditions):
    kind = s["do"]
    if kind == "ask":
        return None  # merged into a run of questions by _merge_asks
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


def _asks(run: list):
    """Ask questions in order; stop (True) at the first one without an answer (see `State.complete`)."""
    items = tuple((("ask", q["id"]), q["id"], q["type"] == "info", not q["required"]) for q in run)
    if len(items) == 1:
        return _ask(*items[0])

    def asks(state):
        get, answers, push = state.get, state.answers, state.push
        for step, qid, info, optional in items:
            if not info:
                value = get(qid, MISSING)
                if value is MISSING or (value is SKIPPED and not optional):
                    if not (optional and state.complete):
                        state.pending = qid
                        return True
                elif value is not SKIPPED:
                    answers[qid] = value
            push(step)
        return False
    return asks


def _ask(step, qid, info, optional):
    """One question (a run of one): as `_asks`, without the loop."""
    if info:
        def read(state):
            state.push(step)
            return False
        return read

    if not optional:
        def ask_required(state):
            value = state.get(qid, MISSING)
            if value is MISSING or value is SKIPPED:
                state.pending = qid
                return True
            state.answers[qid] = value
            state.push(step)
            return False
        return ask_required

    def ask(state):
        value = state.get(qid, MISSING)
        if value is MISSING or (value is SKIPPED and not optional):
            if not (optional and state.complete):
                state.pending = qid
                return True
        elif value is not SKIPPED:
            state.answers[qid] = value
        state.push(step)
        return False
    return ask


def _compute(let):
    name, fn, at = let["id"], compile_expr(let["expr"]), let["at"]
    step = ("let", name)

    def compute(state):
        env = state.env
        try:
            env.values[name] = fn(env)
        except RuntimeFault as exc:
            raise Fault(f"computing '{name}': {exc}", at) from None
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise Fault(f"computing '{name}': {type(exc).__name__}: {exc}", at) from None
        state.push(step)
        return False
    return compute


def _if(s, questions, lets, conditions):
    branches = []
    for branch in s["branches"]:
        condition = Condition(len(conditions), branch["at"], branch["when"])
        conditions.append(condition)
        branches.append((compile_expr(branch["when"]), branch["at"], ("if", condition.index, True),
                         ("if", condition.index, False), _block(branch["then"], questions, lets, conditions)))
    otherwise = _block(s["else"], questions, lets, conditions) if "else" in s else None
    if len(branches) == 1:
        when = s["branches"][0]["when"]
        if when["op"] == "answer":  # `if fever { ... }`: the answer itself decides
            return _if_answer(when["question"], *branches[0][1:], otherwise)
        return _if_one(*branches[0], otherwise)
    branches = tuple(branches)

    def run_if(state):
        for test, at, taken, passed, body in branches:
            try:
                holds = bool(test(state.env))
            except RuntimeFault as exc:
                raise Fault(str(exc), at) from None
            except (ArithmeticError, TypeError, ValueError) as exc:
                raise _fault(exc, at) from None
            state.push(taken if holds else passed)
            if holds:
                return body(state)
        return otherwise(state) if otherwise is not None else False
    return run_if


def _if_one(test, at, taken, passed, body, otherwise):
    """An `if` without `else if` (most of them): no loop over branches."""
    def run_if(state):
        try:
            holds = test(state.env)
        except RuntimeFault as exc:
            raise Fault(str(exc), at) from None
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise _fault(exc, at) from None
        if holds:
            state.push(taken)
            return body(state)
        state.push(passed)
        return otherwise(state) if otherwise is not None else False
    return run_if


def _if_answer(qid, at, taken, passed, body, otherwise):
    """`_if_one` whose condition is a yes/no answer, read in place (the test closure would only read it)."""
    def run_if(state):
        try:
            holds = state.answers[qid]
        except RuntimeFault as exc:
            raise Fault(str(exc), at) from None
        if holds:
            state.push(taken)
            return body(state)
        state.push(passed)
        return otherwise(state) if otherwise is not None else False
    return run_if


def _fault(exc: Exception, at) -> Fault:
    return Fault(f"{type(exc).__name__}: {exc}", at)


def _page(page, body):
    step = ("page", page)

    def run_page(state):
        state.push(step)
        return body(state)
    return run_page


def _end(outcome):
    step = ("end", outcome)

    def end(state):
        state.push(step)
        state.end = outcome
        return True
    return end


def _trigger(outcome):
    step = ("trigger", outcome)

    def trigger(state):
        state.push(step)
        state.triggered.append(outcome)
        return False
    return trigger
