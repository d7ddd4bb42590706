"""Typing of arithmetic, comparisons and choice tests.

The rules a form author can predict: numbers with numbers (a whole number mixes with a decimal
one), dates with dates, a date plus or minus a duration, yes/no only with yes/no, and choices only
through `is`, `in` and `has` against their own option codes.
"""

from __future__ import annotations

from formflow.check import types as T
from formflow.check.suggest import did_you_mean
from formflow.syntax import ast


def infer_binary(w, e: ast.Binary) -> T.Type:
    left = w.expr(e.left)
    if e.op in ("==", "!=") and _is_option_code(w, left, e.right):
        test = "is" if e.op == "==" else "is not"
        return w.problem("FF301", e.op_span, f"a choice is tested with `{test}`, not '{e.op}'", f"{left} {e.op} option",
                         f"write `{_src(e.left)} {test} {e.right.name}`")
    right = w.expr(e.right)
    if "unknown" in (left.kind, right.kind):
        return T.BOOL if e.op in ("==", "!=", "<", "<=", ">", ">=") else T.UNKNOWN
    if e.op in ("+", "-", "*", "/"):
        return _arith(w, e, left, right)
    return _compare(w, e, left, right)


def _arith(w, e: ast.Binary, left: T.Type, right: T.Type) -> T.Type:
    if left.numeric and right.numeric:
        return T.DECIMAL if e.op == "/" or T.DECIMAL in (left, right) else T.INT
    if e.op in ("+", "-") and left == T.DATE and right == T.DURATION:
        return T.DATE
    if e.op == "+" and left == T.DURATION and right == T.DATE:
        return T.DATE
    if e.op == "-" and left == T.DATE and right == T.DATE:
        return T.INT  # days between
    return w.problem("FF301", e.op_span, f"cannot use '{e.op}' on {T.article(left)} and {T.article(right)}",
                     f"{left} {e.op} {right}", _arith_help(left, right))


def _arith_help(left: T.Type, right: T.Type) -> str:
    if T.DATE in (left, right):
        return "add or subtract a duration from a date, e.g. `today - 12 months`"
    if "choice" in left.kind or "choice" in right.kind:
        return "choices are tested with `is`, `in` and `has`; use count(...) to score them"
    return "arithmetic works on numbers; compare yes/no answers instead of adding them, or use count(...)"


def _compare(w, e: ast.Binary, left: T.Type, right: T.Type) -> T.Type:
    ordered = e.op in ("<", "<=", ">", ">=")
    if not left.comparable or not right.comparable:
        return w.problem("FF301", e.op_span, f"cannot compare {T.article(left)} with {T.article(right)}",
                         f"{left} {e.op} {right}", "attachments can only be tested with answered()")
    same = (left.numeric and right.numeric) or left == right
    if same and left.kind in ("choice", "choices"):
        same = False
    if same and ordered and left.kind not in ("int", "decimal", "date"):
        return w.problem("FF301", e.op_span, f"'{e.op}' orders numbers and dates, not {left} values",
                         f"{left} {e.op} {right}", "yes/no and text can only be compared with == and !=")
    if not same:
        help = "compare a yes/no answer with yes or no, or use it alone: `if fever`" if T.BOOL in (left, right) \
            else "compare values of the same type"
        if left.kind == "choice" and isinstance(e.right, ast.Name):
            help = f"test a choice with `is`: `{_src(e.left)} is {e.right.name}`"
        return w.problem("FF301", e.op_span, f"cannot compare {T.article(left)} with {T.article(right)}",
                         f"{left} {e.op} {right}", help)
    return T.BOOL


def _is_option_code(w, left: T.Type, right) -> bool:
    """`pain == severe` where `severe` is no id of the flow but an option of `pain`."""
    return (left.kind == "choice" and isinstance(right, ast.Name) and w.symbols.get(right.name) is None
            and right.name in _codes_of(w, left))


def _src(e) -> str:
    return e.name if isinstance(e, ast.Name) else "answer"


def infer_test(w, e: ast.Test) -> T.Type:
    subject = w.expr(e.subject)
    if subject.kind == "unknown":
        return T.BOOL
    if e.op.startswith("has"):
        if subject.kind != "choices":
            return w.problem("FF307", e.subject.span, f"`has` tests a multiple choice; this is {T.article(subject)}",
                             T.article(subject), "use `is` for a single choice or yes/no, and compare numbers with < > ==")
    elif subject.kind not in ("choice", "bool"):
        hint = "use `has` for a multiple choice" if subject.kind == "choices" else "compare numbers, dates and texts with == < >"
        return w.problem("FF307", e.subject.span, f"`{e.op}` tests a single choice or a yes/no answer; this is {T.article(subject)}",
                         T.article(subject), hint)
    codes = _codes_of(w, subject)
    for code in e.codes:
        if code.name not in codes:
            owner = f"question '{subject.question}'" if subject.question else "a yes/no answer"
            options = ", ".join(codes) if len(codes) <= 8 else ", ".join(list(codes)[:8]) + ", ..."
            w.problem("FF207", code.span, f"'{code.name}' is not an option of {owner}", "not an option",
                      did_you_mean(code.name, codes) or f"options: {options}")
    return T.BOOL


def _codes_of(w, subject: T.Type) -> list[str]:
    if subject.kind == "bool":
        return ["yes", "no"]
    sym = w.symbols.get(subject.question)
    if sym is None or sym.kind != "question":
        return []
    return [o.code.name for o in (sym.node.options or ())]
