"""The flow's `assert`s, checked on one finished walk of the compiled form.

The analyser proves an assert over every route; this checks it on the one route a walk took, so
that `formflow explore` and scenario runs catch a violated property on the artifact itself (and
confirm the analyser's counterexamples). The reading is the analyser's (reference, "Properties:
assert"): an assert is read when the route has ended, and a comparison or test that reads an
answer or value the route did not give is false — so `not fever` holds on a route that never
asked about fever, and `fever` does not. `outcome`, `outcome.kind` and `outcome.urgency` are the
outcome the citizen got; `booked(type, route)` is read from the gate's decision on the walk
(`booking.gate.evaluate`, the one engine): no decision — the walk books nothing, or no gate was
evaluated — is no booking.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.simulate.expressions import Env, compile_expr
from formflow.simulate.values import RuntimeFault


@dataclass(frozen=True, slots=True)
class Violation:
    assert_id: str
    line: int
    message: str  # names the assert and the outcome, never an answer


class _EndEnv(Env):
    """The environment at the end of a route: the walk's values, the outcome it ended in and the
    gate's decision (a `booking.gate.Decision`, or None)."""

    __slots__ = ("outcome", "decision")


def compile_asserts(doc: dict) -> tuple:
    """(assert dict, premise or None, conclusion) for every assert of a form document."""
    return tuple((a, _condition(a["if"]) if "if" in a else None, _condition(a["then"])) for a in doc.get("asserts", ()))


def end_env(program, walk, facts, decision=None) -> _EndEnv:
    """What an assert reads at the end of a finished walk: its answers, values and outcome, and
    the gate's decision after it (`decision`, which `booked(...)` reads)."""
    env = _EndEnv(dict(walk.answers), dict(walk.values), facts, facts.today)
    env.decision = decision
    o = program.outcomes[walk.outcome]
    env.outcome = {"id": walk.outcome, "kind": o["kind"], "urgency": o["urgency"]}
    return env


def violations(program, compiled, walk, facts, decision=None) -> list[Violation]:
    """The asserts a finished walk breaks (none for an unfinished walk: asserts speak of complete routes).
    `decision`: the gate's decision after the walk, which `booked(...)` reads."""
    if walk.outcome is None or walk.fault is not None:
        return []
    env = end_env(program, walk, facts, decision)
    found = []
    for spec, premise, conclusion in compiled:
        if (premise is None or premise(env)) and not conclusion(env):
            what = spec.get("description") or spec["id"]
            found.append(Violation(spec["id"], spec["at"]["line"],
                                   f"assert '{spec['id']}' ({what}) fails: the route ended in '{walk.outcome}'"))
    return found


def read_condition(node):
    """A yes/no expression (a compiled-form node) read as in an assert: a function of the end
    environment (`end_env`). A part that reads what the route did not give is false."""
    return _condition(node)


def _condition(node):
    """A yes/no expression read as in an assert: a read of what the route did not give is false."""
    op = node["op"]
    if op in ("and", "or"):
        parts = [_condition(a) for a in node["args"]]
        if op == "and":
            return lambda env: all(p(env) for p in parts)
        return lambda env: any(p(env) for p in parts)
    if op == "not":
        inner = _condition(node["args"][0])
        return lambda env: not inner(env)
    if op in ("is", "is_not", "in") and node["subject"]["op"] == "outcome":
        return _outcome_test(node)
    if op == "call" and node["function"] == "booked":
        return _booked([a["value"] for a in node["args"]])
    value = compile_expr(node)

    def guarded(env):
        try:
            return bool(value(env))
        except RuntimeFault:  # the route did not give a value this reads
            return False
    return guarded


def reads_booking(doc: dict) -> bool:
    """Whether some assert of a form document reads `booked(...)` (then callers give the decision)."""
    stack = [a[k] for a in doc.get("asserts", ()) for k in ("if", "then") if k in a]
    while stack:
        node = stack.pop()
        if node.get("op") == "call" and node.get("function") == "booked":
            return True
        stack += [a for a in node.get("args", ()) if isinstance(a, dict)]
    return False


def booked(decision, names) -> bool:
    """`booked()`, `booked(type)`, `booked(type, route)` on a gate decision."""
    if decision is None or not decision.allowed:
        return False
    if names and decision.appointment_type != names[0]:
        return False
    return len(names) < 2 or decision.route == names[1]


def _booked(names):
    return lambda env: booked(env.decision, names)


def _outcome_test(node):
    attr, codes, op = node["subject"]["attr"], frozenset(node["codes"]), node["op"]
    first = node["codes"][0]
    if op == "is":
        return lambda env: env.outcome[attr] == first
    if op == "is_not":
        return lambda env: env.outcome[attr] != first
    return lambda env: env.outcome[attr] in codes
