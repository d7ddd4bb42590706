"""A pdf row's `red when` that can never hold — or always holds — over its answer's domain.

A colour rule that never applies prints every answer green, so a clinician never sees the red
flag the author meant (`red when temp > 50` on a question whose `max` is 43). One that always
applies makes the flag meaningless. Where the condition reads only the row's own answer, the
domain is small enough to decide exactly: the truth of comparisons with constants changes only
at those constants, so trying every option (or every subset of a multiple choice), and every
constant, its neighbours one step away and the question's bounds covers every case. Conditions
that read other values are left to the analyser.
"""

from __future__ import annotations

import itertools
import operator
from decimal import Decimal

from formflow.syntax import ast

_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
            ">=": operator.ge}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}


class _Undecided(Exception):
    pass


def check(ctx):
    for pdf in ctx.flow.pdfs:
        for row in pdf.rows:
            sym = ctx.symbols.value(row.ref.name)
            if row.red_when is None or sym is None or sym.kind != "question":
                continue
            verdict = _decide(row.red_when, row.ref.name, sym.node)
            if verdict == "never":
                yield ctx.diag("FF419", f"the colour rule of '{row.ref.name}' can never apply", row.red_when.span,
                               "never true for any answer", help="check the limits against the question's options, min and max")
            elif verdict == "always":
                yield ctx.diag("FF419", f"the colour rule of '{row.ref.name}' applies to every answer", row.red_when.span,
                               "true for every answer", help="a row that is always red tells the clinician nothing; "
                                                             "check the condition")


def _decide(condition, name: str, question: ast.Question) -> str | None:
    try:
        values = list(_candidates(question, _constants(condition, name)))
        results = {bool(_eval(condition, name, v)) for v in values}
    except _Undecided:
        return None
    if results == {False}:
        return "never"
    if results == {True}:
        return "always"
    return None


def _candidates(q: ast.Question, constants: list[Decimal]):
    kind = q.type.name
    codes = [o.code.name for o in q.options or ()]
    if kind == "yes_no":
        return [True, False]
    if kind == "single":
        return codes
    if kind == "multiple" and len(codes) <= 10:
        return [frozenset(c) for n in range(1, len(codes) + 1) for c in itertools.combinations(codes, n)]
    if kind in ("integer", "decimal"):
        return _numbers(q, constants)
    raise _Undecided


def _numbers(q: ast.Question, constants: list[Decimal]):
    attrs = {a.key: a.value for a in q.attrs}
    places = attrs.get("decimals", 0 if q.type.name == "integer" else 6)
    step = Decimal(1).scaleb(-places)
    low, high = (_bound(attrs.get(k)) for k in ("min", "max"))
    points = {c + d for c in constants for d in (-step, Decimal(0), step)}
    points |= {b for b in (low, high) if b is not None}
    points |= {Decimal(0)} if low is None and high is None else set()
    inside = [p for p in points if (low is None or p >= low) and (high is None or p <= high)]
    if not inside:
        raise _Undecided
    return sorted(inside)


def _bound(bound) -> Decimal | None:
    if bound is None or bound.kind != "number":
        return None
    return Decimal(bound.raw)


def _constants(e, name: str) -> list[Decimal]:
    found: list[Decimal] = []
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Number):
            found.append(Decimal(node.raw))
        elif isinstance(node, ast.Name) and node.name != name:
            raise _Undecided  # reads another value: the analyser's job
        elif isinstance(node, (ast.Fact, ast.Call, ast.Today, ast.DateLit, ast.Duration)):
            raise _Undecided
        for child in (getattr(node, attr, None) for attr in ("left", "right", "operand", "subject")):
            if child is not None:
                stack.append(child)
        stack.extend(getattr(node, "operands", ()) or ())
    return found


def _eval(e, name: str, value):
    if isinstance(e, ast.Name):
        return value
    if isinstance(e, ast.Number):
        return Decimal(e.raw)
    if isinstance(e, ast.Bool):
        return e.value
    if isinstance(e, ast.Unary):
        inner = _eval(e.operand, name, value)
        return (not inner) if e.op == "not" else (-inner if e.op == "-" else inner)
    if isinstance(e, ast.Logical):
        parts = [_eval(o, name, value) for o in e.operands]
        return all(parts) if e.op == "and" else any(parts)
    if isinstance(e, ast.Binary) and e.op in _COMPARE:
        return _COMPARE[e.op](_eval(e.left, name, value), _eval(e.right, name, value))
    if isinstance(e, ast.Binary) and e.op in _ARITH:
        return _ARITH[e.op](_eval(e.left, name, value), _eval(e.right, name, value))
    if isinstance(e, ast.Test):
        return _test(e, _eval(e.subject, name, value))
    raise _Undecided


def _test(e: ast.Test, subject):
    codes = [c.name for c in e.codes]
    if isinstance(subject, bool):
        codes = [c == "yes" for c in codes]
    if e.op == "is":
        return subject == codes[0]
    if e.op == "is not":
        return subject != codes[0]
    if e.op == "in":
        return subject in codes
    if e.op == "has":
        return codes[0] in subject
    if e.op == "has any":
        return any(c in subject for c in codes)
    if e.op == "has all":
        return all(c in subject for c in codes)
    raise _Undecided
