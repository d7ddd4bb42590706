"""Typing of the built-in functions (round, min, max, abs, count, answered, add_months, years_between)."""

from __future__ import annotations

from formflow.check import types as T
from formflow.check.reads import Read
from formflow.check.suggest import did_you_mean
from formflow.syntax import ast
from formflow.syntax.builder import DURATION_LIMITS


def infer_call(w, e: ast.Call) -> T.Type:
    name = e.func.name
    if name not in T.FUNCTIONS:
        return w.problem("FF211", e.func.span, f"there is no function '{name}'", "unknown function",
                         did_you_mean(name, T.FUNCTIONS) or "functions: " + ", ".join(T.FUNCTIONS))
    if name == "answered":
        return _answered(w, e)
    if name == "booked":  # names of the region and the gate, checked by rules/assertions (FF813)
        if len(e.args) > 2 or not all(isinstance(a, ast.Name) for a in e.args):
            return _bad(w, e, "an appointment type and a route of its gate, both optional")
        return T.BOOL
    args = [w.expr(a) for a in e.args]
    if any(a.kind == "unknown" for a in args):
        return T.UNKNOWN
    return _CHECKS[name](w, e, args)


def _bad(w, e: ast.Call, expected: str) -> T.Type:
    return w.problem("FF303", e.span, f"{e.func.name}() takes {expected}", "wrong arguments",
                     f"usage: {T.FUNCTIONS[e.func.name]}")


def _answered(w, e: ast.Call) -> T.Type:
    if len(e.args) != 1 or not isinstance(e.args[0], ast.Name):
        return _bad(w, e, "one question id")
    arg = e.args[0]
    sym = w.symbols.get(arg.name)
    if sym is None:
        w.sem.unresolved.append((arg, "question"))
        return T.BOOL
    w.sem.resolved[arg] = sym
    if sym.kind != "question":
        kind = {"let": "derived value"}.get(sym.kind, sym.kind)
        return w.problem("FF307", arg.span, f"answered() takes a question; '{arg.name}' is {T.article(kind)}",
                         "not a question", "derived values and outcomes are always known where they are defined")
    if sym.node.type.name == "info":
        return w.problem("FF307", arg.span, f"'{arg.name}' is an information text and is never answered",
                         "info question", "answered() takes a question that collects an answer")
    w.sem.types[arg] = w.value_type(sym)
    if sym.id not in w.seen:
        w.sem.reads.append(_read(sym, arg, "before"))
    return T.BOOL


def _read(sym, node, status):
    return Read(node, sym, status)


def _round(w, e, args):
    if len(args) != 2 or not args[0].numeric or not isinstance(e.args[1], ast.Number) \
            or not e.args[1].is_integer or int(e.args[1].raw) > 6:
        return _bad(w, e, "a number and a whole number of digits from 0 to 6, e.g. round(bmi, 1)")
    return T.INT if int(e.args[1].raw) == 0 else T.DECIMAL


def _min_max(w, e, args):
    if len(args) < 2:
        return _bad(w, e, "two or more numbers or dates")
    if all(a.numeric for a in args):
        return T.DECIMAL if T.DECIMAL in args else T.INT
    if all(a == T.DATE for a in args):
        return T.DATE
    return _bad(w, e, "numbers or dates, all of one kind")


def _abs(w, e, args):
    if len(args) != 1 or not args[0].numeric:
        return _bad(w, e, "one number")
    return args[0]


def _count(w, e, args):
    if not args or any(a != T.BOOL for a in args):
        return _bad(w, e, "one or more yes/no conditions, e.g. count(fever, cough, age >= 45)")
    return T.INT


def _add_months(w, e, args):
    if len(args) != 2 or args[0] != T.DATE or args[1] != T.INT:
        return _bad(w, e, "a date and a whole number of months")
    months = _literal_int(e.args[1])
    if months is not None and abs(months) > DURATION_LIMITS["months"]:
        return w.problem("FF306", e.args[1].span, f"add_months() by {months} months goes too far", "too many months",
                         f"a duration is at most 200 years ({DURATION_LIMITS['months']} months); dates must stay real dates")
    return T.DATE


def _literal_int(e) -> int | None:
    """The value of a whole-number literal, signed or not (None for anything else)."""
    if isinstance(e, ast.Unary) and e.op == "-" and isinstance(e.operand, ast.Number) and e.operand.is_integer:
        return -int(e.operand.raw)
    if isinstance(e, ast.Number) and e.is_integer:
        return int(e.raw)
    return None


def _years_between(w, e, args):
    if len(args) != 2 or args[0] != T.DATE or args[1] != T.DATE:
        return _bad(w, e, "two dates")
    return T.INT


_CHECKS = {"round": _round, "min": _min_max, "max": _min_max, "abs": _abs, "count": _count,
           "add_months": _add_months, "years_between": _years_between}
