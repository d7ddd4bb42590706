"""Which IR statements and branch directions a walk on the compiled form really took.

The simulator's trace lists every step of a route (see `simulate/routing.py`); following it
through the IR step by step gives the statements visited, each with its path condition, so one
walk discharges every goal it shows reachable. The trace and the IR must agree step for step: a
mismatch means the compiled form and the IR disagree, which is a bug, and the replay says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from formflow.ir import model as M


class ReplayMismatch(Exception):
    """The walk's trace does not follow the IR (a bug in formflow, never in a flow)."""


@dataclass
class Visit:
    statements: set = field(default_factory=set)  # id() of IR statements reached
    directions: set = field(default_factory=set)  # (condition number, holds) evaluated


class _Stop(Exception):
    """The trace ran out: the walk ended, or stopped at a question or a fault."""


def replay(flow: M.Flow, trace, numbers: dict | None = None) -> Visit:
    """Follow `trace` through the flow. `numbers`: `condition_numbers(flow)`, if already computed."""
    visit = Visit()
    steps = iter(trace)
    try:
        _block(flow.body, steps, visit, numbers if numbers is not None else condition_numbers(flow))
    except _Stop:
        pass
    return visit


def condition_numbers(flow: M.Flow) -> dict[int, int]:
    """id(branch) -> the simulator's number of its condition: flow order, a branch's condition
    before the conditions inside it, `else` bodies after every condition of their `if`."""
    numbers: dict[int, int] = {}
    stack = list(reversed(flow.body))
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, M.PageBlock):
            stack.extend(reversed(stmt.body))
        elif isinstance(stmt, M.If):
            todo = []
            for branch in stmt.branches:
                todo.append(("branch", branch))
                todo.extend(("stmt", s) for s in branch.body)
            for kind, item in reversed(todo):
                stack.append((kind, item))
        elif isinstance(stmt, tuple):
            kind, item = stmt
            if kind == "branch":
                if item.condition is not None:
                    numbers[id(item)] = len(numbers)
            else:
                stack.append(item)
    return numbers


def _next(steps, expected_kind: str):
    step = next(steps, None)
    if step is None:
        raise _Stop
    if step[0] != expected_kind:
        raise ReplayMismatch(f"expected a {expected_kind} step, the walk has {step!r}")
    return step


def _block(body, steps, visit: Visit, numbers) -> bool:
    """Follow a block; True when the route ended inside it."""
    for stmt in body:
        if _statement(stmt, steps, visit, numbers):
            return True
    return False


def _statement(stmt, steps, visit: Visit, numbers) -> bool:
    if isinstance(stmt, M.Ask):
        _next(steps, "ask")
    elif isinstance(stmt, M.Compute):
        _next(steps, "let")
    elif isinstance(stmt, M.Trigger):
        _next(steps, "trigger")
    elif isinstance(stmt, M.End):
        _next(steps, "end")
        visit.statements.add(id(stmt))
        return True
    elif isinstance(stmt, M.PageBlock):
        _next(steps, "page")
        visit.statements.add(id(stmt))
        return _block(stmt.body, steps, visit, numbers)
    elif isinstance(stmt, M.If):
        visit.statements.add(id(stmt))
        return _if(stmt, steps, visit, numbers)
    else:
        raise ReplayMismatch(f"unknown statement {stmt!r}")
    visit.statements.add(id(stmt))
    return False


def _if(stmt: M.If, steps, visit: Visit, numbers) -> bool:
    for branch in stmt.branches:
        if branch.condition is None:
            return _block(branch.body, steps, visit, numbers)
        number = numbers[id(branch)]
        step = _next(steps, "if")
        if step[1] != number:
            raise ReplayMismatch(f"condition #{step[1]} in the walk, #{number} in the flow")
        visit.directions.add((number, bool(step[2])))
        if step[2]:
            return _block(branch.body, steps, visit, numbers)
    return False
