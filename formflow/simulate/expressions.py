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
from decimal import Decimal

from formflow.simulate.values import (DECIMAL, RuntimeFault, add_duration, add_months, number, round_half_up,
                                      years_between)

_DIVIDE = DECIMAL.divide
_EXACT = (int, Decimal)  # what Context.divide converts exactly itself; anything else goes through Decimal()


class RouteAnswers(dict):
    """The answers given on the route. Reading one that is not there is a RuntimeFault, raised by the
    dict itself, so that a compiled read is a bare subscript (`env.answers[qid]`), the commonest
    operation of a walk."""

    __slots__ = ()

    def __missing__(self, qid):
        raise RuntimeFault(f"the answer to '{qid}' was read but the route has not given it")


class RouteValues(dict):
    """The derived values computed on the route; as RouteAnswers."""

    __slots__ = ()

    def __missing__(self, name):
        raise RuntimeFault(f"the value '{name}' was read before it was computed on this route")


class Env:
    __slots__ = ("answers", "values", "facts", "today")

    def __init__(self, answers: dict, values: dict, facts, today):
        # Plain dicts are copied into the fault-raising kinds; the walk reads them back from here.
        self.answers = answers if type(answers) is RouteAnswers else RouteAnswers(answers)
        self.values = values if type(values) is RouteValues else RouteValues(values)
        self.facts = facts
        self.today = today


_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
            ">=": operator.ge}
# A comparison with a number literal on the right (`temp >= 39`, most of them) as one closure,
# reading the answer itself when the left side is an answer.
_COMPARE_CONSTANT = {
    "==": lambda f, c: lambda env: f(env) == c, "!=": lambda f, c: lambda env: f(env) != c,
    "<": lambda f, c: lambda env: f(env) < c, "<=": lambda f, c: lambda env: f(env) <= c,
    ">": lambda f, c: lambda env: f(env) > c, ">=": lambda f, c: lambda env: f(env) >= c,
}
_COMPARE_FACT = {
    "==": lambda n, c: lambda env: getattr(env.facts, n) == c,
    "!=": lambda n, c: lambda env: getattr(env.facts, n) != c,
    "<": lambda n, c: lambda env: getattr(env.facts, n) < c,
    "<=": lambda n, c: lambda env: getattr(env.facts, n) <= c,
    ">": lambda n, c: lambda env: getattr(env.facts, n) > c,
    ">=": lambda n, c: lambda env: getattr(env.facts, n) >= c,
}
_COMPARE_ANSWER = {
    "==": lambda q, c: lambda env: env.answers[q] == c, "!=": lambda q, c: lambda env: env.answers[q] != c,
    "<": lambda q, c: lambda env: env.answers[q] < c, "<=": lambda q, c: lambda env: env.answers[q] <= c,
    ">": lambda q, c: lambda env: env.answers[q] > c, ">=": lambda q, c: lambda env: env.answers[q] >= c,
}


def compile_expr(node: dict):
    """A JSON expression → a function `Env -> value`."""
    op = node["op"]
    handler = _HANDLERS.get(op)
    if handler is None:
        if op in _COMPARE:
            return _compare(op, node)
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
    return lambda env: env.answers[qid]  # a RuntimeFault when not given: see RouteAnswers


def _value(node):
    name = node["name"]
    return lambda env: env.values[name]  # a RuntimeFault when not computed: see RouteValues


def _fact(node):
    name = node["name"]
    if name == "has_invitation":
        code = compile_expr(node["args"][0])
        return lambda env: env.facts.has_invitation(code(env))
    if name not in ("age", "birth_date", "birth_year", "is_proxy", "region"):
        raise ValueError(f"unknown fact {name!r}")
    get = operator.attrgetter(name)
    return lambda env: get(env.facts)


def _and(node):
    parts = [compile_expr(a) for a in node["args"]]
    if len(parts) == 2:  # as all(): left to right, stops at the first false, gives a bool
        first, second = parts
        return lambda env: True if first(env) and second(env) else False
    return lambda env: all(p(env) for p in parts)


def _or(node):
    parts = [compile_expr(a) for a in node["args"]]
    if len(parts) == 2:  # as any()
        first, second = parts
        return lambda env: True if first(env) or second(env) else False
    return lambda env: any(p(env) for p in parts)


def _not(node):
    inner = compile_expr(node["args"][0])
    return lambda env: not inner(env)


def _neg(node):
    inner = compile_expr(node["args"][0])
    return lambda env: -inner(env)


def _pos(node):
    return compile_expr(node["args"][0])


def _compare(op, node):
    left, right = (compile_expr(a) for a in node["args"])
    if _number_literal(node["args"][1]):
        constant = number(node["args"][1]["value"])
        subject = node["args"][0]
        if subject["op"] == "answer":
            return _COMPARE_ANSWER[op](subject["question"], constant)
        if subject["op"] == "fact" and subject["name"] in ("age", "birth_year"):  # citizen.age >= 65
            return _COMPARE_FACT[op](subject["name"], constant)
        return _COMPARE_CONSTANT[op](left, constant)
    fn = _COMPARE[op]
    return lambda env: fn(left(env), right(env))


def _number_literal(node) -> bool:
    return node["op"] == "literal" and node["type"] in ("int", "decimal")


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
    if node["args"][0] == node["args"][1]:  # a square, `(height / 100) * (height / 100)`: one evaluation
        return lambda env: (value := left(env)) * value  # (expressions have no side effects)
    return lambda env: left(env) * right(env)


def _divide(node):
    """`values.divide`, inlined: a fault on a zero divisor, else the exact quotient in DECIMAL."""
    left, right = (compile_expr(a) for a in node["args"])
    divisor = node["args"][1]
    if _number_literal(divisor) and number(divisor["value"]) != 0:
        constant = Decimal(number(divisor["value"]))
        if node["args"][0]["op"] == "answer":  # height / 100
            q = node["args"][0]["question"]
            return lambda env: _DIVIDE(a if type(a := env.answers[q]) in _EXACT else Decimal(a), constant)
        return lambda env: _DIVIDE(a if type(a := left(env)) in _EXACT else Decimal(a), constant)

    def quotient(env):
        a, b = left(env), right(env)
        if b == 0:
            raise RuntimeFault("division by zero")
        return _DIVIDE(a if type(a) in _EXACT else Decimal(a), b if type(b) in _EXACT else Decimal(b))
    return quotient


def _test(node):
    subject, codes, op = compile_expr(node["subject"]), node["codes"], node["op"]
    if node["subject"]["type"] == "bool":  # `fever is yes`
        codes = [c == "yes" for c in codes]
    wanted = frozenset(codes)
    first = codes[0]
    if node["subject"]["op"] == "answer" and op in _TEST_ANSWER:
        return _TEST_ANSWER[op](node["subject"]["question"], first, wanted)
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


_TEST_ANSWER = {  # a test of an answer, read in place (`pain is severe`, `symptoms has fever`)
    "is": lambda q, first, wanted: lambda env: env.answers[q] == first,
    "is_not": lambda q, first, wanted: lambda env: env.answers[q] != first,
    "in": lambda q, first, wanted: lambda env: env.answers[q] in wanted,
    "has": lambda q, first, wanted: lambda env: first in env.answers[q],
}


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
        def count(env):
            n = 0
            for f in fns:
                if f(env):
                    n += 1
            return n
        return count
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
