"""Compile the expressions of a form.json into Python closures, once per form.

Nothing is `eval`ed: each JSON node becomes a small function of the walk's environment. Compiling
once and calling many times is what makes scenario runs and `explore` fast (a walk through a
1,000-question flow calls thousands of these).

The environment (`Env`) holds what a route has established so far: the answers given to questions
asked on this route, the derived values computed on it, the verified facts and today's date.
Reading an answer that the route did not give is a `RuntimeFault` — the checker proves that cannot
happen, and the simulator reports it instead of guessing if it ever does.
"""

from __future__ import annotations

import operator

from formflow.simulate.values import (RuntimeFault, add_duration, add_months, divide, number, round_half_up,
                                      years_between)


class Env:
    __slots__ = ("answers", "values", "facts", "today")

    def __init__(self, answers: dict, values: dict, facts, today):
        self.answers = answers
        self.values = values
        self.facts = facts
        self.today = today


_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
            ">=": operator.ge}


def compile_expr(node: dict):
    """A JSON expression → a function `Env -> value`."""
    op = node["op"]
    handler = _HANDLERS.get(op)
    if handler is None:
        if op in _COMPARE:
            return _compare(_COMPARE[op], node)
        raise ValueError(f"unknown expression op {op!r}")
    return handler(node)


def _literal(node):
    kind = node["type"]
    if kind == "duration":
        value = (node["amount"], node["unit"])
    elif kind in ("int", "decimal"):
        value = number(node["value"])
    elif kind == "date":
        from datetime import date

        value = date.fromisoformat(node["value"])
    else:
        value = node["value"]
    return lambda env: value


def _answer(node):
    qid = node["question"]

    def read(env):
        try:
            return env.answers[qid]
        except KeyError:
            raise RuntimeFault(f"the answer to '{qid}' was read but the route has not given it") from None
    return read


def _value(node):
    name = node["name"]

    def read(env):
        try:
            return env.values[name]
        except KeyError:
            raise RuntimeFault(f"the value '{name}' was read before it was computed on this route") from None
    return read


def _fact(node):
    name = node["name"]
    if name == "has_invitation":
        code = compile_expr(node["args"][0])
        return lambda env: env.facts.has_invitation(code(env))
    if name not in ("age", "birth_date", "birth_year", "is_proxy", "region"):
        raise ValueError(f"unknown fact {name!r}")
    return lambda env: getattr(env.facts, name)


def _and(node):
    parts = [compile_expr(a) for a in node["args"]]
    return lambda env: all(p(env) for p in parts)


def _or(node):
    parts = [compile_expr(a) for a in node["args"]]
    return lambda env: any(p(env) for p in parts)


def _not(node):
    inner = compile_expr(node["args"][0])
    return lambda env: not inner(env)


def _neg(node):
    inner = compile_expr(node["args"][0])
    return lambda env: -inner(env)


def _pos(node):
    return compile_expr(node["args"][0])


def _compare(fn, node):
    left, right = (compile_expr(a) for a in node["args"])
    return lambda env: fn(left(env), right(env))


def _plus(node):
    (left, lt), (right, rt) = ((compile_expr(a), a["type"]) for a in node["args"])
    if lt == "date":
        return lambda env: add_duration(left(env), *right(env))
    if rt == "date":
        return lambda env: add_duration(right(env), *left(env))
    return lambda env: left(env) + right(env)


def _minus(node):
    (left, lt), (right, rt) = ((compile_expr(a), a["type"]) for a in node["args"])
    if lt == "date" and rt == "duration":
        return lambda env: add_duration(left(env), *right(env), sign=-1)
    if lt == "date":
        return lambda env: (left(env) - right(env)).days
    return lambda env: left(env) - right(env)


def _times(node):
    left, right = (compile_expr(a) for a in node["args"])
    return lambda env: left(env) * right(env)


def _divide(node):
    left, right = (compile_expr(a) for a in node["args"])
    return lambda env: divide(left(env), right(env))


def _test(node):
    subject, codes, op = compile_expr(node["subject"]), node["codes"], node["op"]
    if node["subject"]["type"] == "bool":  # `fever is yes`
        codes = [c == "yes" for c in codes]
    wanted = frozenset(codes)
    first = codes[0]
    if op == "is":
        return lambda env: subject(env) == first
    if op == "is_not":
        return lambda env: subject(env) != first
    if op == "in":
        return lambda env: subject(env) in wanted
    if op == "has":
        return lambda env: first in subject(env)
    if op == "has_any":
        return lambda env: not wanted.isdisjoint(subject(env))
    if op == "has_all":
        return lambda env: wanted <= subject(env)
    raise ValueError(f"unknown test {op!r}")


def _call(node):
    name, args = node["function"], node["args"]
    if name == "answered":
        qid = args[0]["question"]
        return lambda env: qid in env.answers
    fns = [compile_expr(a) for a in args]
    if name == "round":
        value, digits = fns[0], int(args[1]["value"])
        return lambda env: round_half_up(value(env), digits)
    if name == "count":
        return lambda env: sum(1 for f in fns if f(env))
    if name in ("min", "max"):
        pick = min if name == "min" else max
        return lambda env: pick(f(env) for f in fns)
    if name == "abs":
        return lambda env: abs(fns[0](env))
    if name == "add_months":
        return lambda env: add_months(fns[0](env), fns[1](env))
    if name == "years_between":
        return lambda env: years_between(fns[0](env), fns[1](env))
    raise ValueError(f"unknown function {name!r}")


_HANDLERS = {
    "literal": _literal, "today": lambda node: (lambda env: env.today), "answer": _answer, "value": _value,
    "fact": _fact, "and": _and, "or": _or, "not": _not, "neg": _neg, "pos": _pos, "+": _plus, "-": _minus,
    "*": _times, "/": _divide, "call": _call,
    **{op: _test for op in ("is", "is_not", "in", "has", "has_any", "has_all")},
}
