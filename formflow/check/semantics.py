"""One walk over the routing, in order, that works out what every rule needs to know.

It resolves names, infers the type of every expression, and tracks which answers and derived
values are *available* at each point: asked (or computed) on every route that reaches the point,
and — for optional questions — guarded by `answered(q)`. It records facts, not diagnostics; the
modules in `check/rules/` turn the facts into diagnostics, one rule per module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from formflow.check import types as T
from formflow.check.assertions import assert_conditions
from formflow.check.booking_semantics import booking_conditions, is_booking_decl
from formflow.check.functions import infer_call
from formflow.check.operators import infer_binary, infer_test
from formflow.check.reads import Read
from formflow.check.symbols import Symbol, Symbols
from formflow.source import Span
from formflow.syntax import ast


@dataclass(frozen=True)
class Problem:
    code: str
    span: Span
    message: str
    label: str = ""
    help: str = ""


@dataclass
class Semantics:
    types: dict = field(default_factory=dict)  # expr node -> Type
    resolved: dict = field(default_factory=dict)  # Name node -> Symbol
    unresolved: list = field(default_factory=list)  # (Name node, what was expected)
    reads: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    conditions: list = field(default_factory=list)  # (expr, Type) of every if/else-if
    unreachable: list = field(default_factory=list)  # first statement after an `end` in a block
    can_fall_through: bool = False
    used: set = field(default_factory=set)  # ids of lets and outcomes that are read / reached
    outcome_refs: list = field(default_factory=list)  # (End|Trigger, Symbol | None)
    end_avail: dict = field(default_factory=dict)  # booking outcome id -> ids available at every end/trigger of it
    window_dates: list = field(default_factory=list)  # (window Attr, date expr, Type) of booking windows


class _Walker:
    def __init__(self, flow: ast.Flow, symbols: Symbols):
        self.flow = flow
        self.symbols = symbols
        self.sem = Semantics()
        self.seen: set[str] = set()  # asked/computed on some route so far
        self.avail: set[str] = set()  # asked/computed on every route to the current point

    # ------------------------------------------------------------ statements
    # `self.avail` is one mutable set of the ids available at the current point. Blocks return
    # the ids they added, and if-statements undo their branches' additions and keep only what
    # every completing branch added: the cost follows the statements, never the set's size.

    def add(self, ids) -> list[str]:
        fresh = [i for i in ids if i not in self.avail]
        self.avail.update(fresh)
        return fresh

    def block(self, body) -> tuple[list[str], bool]:
        """Walk a block; return the ids it made available and whether it can complete."""
        added: list[str] = []
        completes = True
        for stmt in body:
            if not completes:
                self.sem.unreachable.append(stmt)
                completes = True  # keep checking the rest as if reachable, to avoid cascades
            new, completes = self.statement(stmt)
            added.extend(new)
        return added, completes

    def statement(self, stmt) -> tuple[list[str], bool]:
        if isinstance(stmt, ast.Question):
            self.seen.add(stmt.id.name)
            optional = any(a.key == "optional" for a in stmt.attrs)
            return ([] if optional or stmt.type.name == "info" else self.add([stmt.id.name])), True
        if isinstance(stmt, ast.Let):
            self.expr(stmt.value)
            self.seen.add(stmt.id.name)
            return self.add([stmt.id.name]), True
        if isinstance(stmt, ast.Page):
            return self.block(stmt.body)
        if isinstance(stmt, (ast.End, ast.Trigger)):
            sym = self.symbols.get(stmt.outcome.name)
            self.sem.outcome_refs.append((stmt, sym))
            if sym is not None:
                self.sem.used.add(sym.id)
                if sym.kind == "outcome" and is_booking_decl(sym.node):
                    seen = self.sem.end_avail.get(sym.id)
                    self.sem.end_avail[sym.id] = set(self.avail) if seen is None else seen & self.avail
            return [], isinstance(stmt, ast.Trigger)
        if isinstance(stmt, ast.If):
            return self.if_(stmt)
        raise TypeError(f"unknown statement {stmt!r}")  # pragma: no cover

    def if_(self, stmt: ast.If) -> tuple[list[str], bool]:
        outs: list[set[str]] = []
        false_added: list[str] = []  # guards of earlier conditions being false: hold in later branches
        for branch in stmt.branches:
            true_added: list[str] = []
            if branch.condition is not None:
                t = self.expr(branch.condition)
                self.sem.conditions.append((branch.condition, t))
                true_added = self.add(when_true(branch.condition))
            body_added, completes = self.block(branch.body)
            self.avail.difference_update(true_added)
            self.avail.difference_update(body_added)
            if completes:
                outs.append(set(true_added) | set(body_added) | set(false_added))
            if branch.condition is not None:
                false_added += self.add(when_false(branch.condition))
        self.avail.difference_update(false_added)
        if not stmt.has_else:
            outs.append(set(false_added))
        if not outs:
            return [], False
        common = set.intersection(*outs)
        return self.add(sorted(common)), True

    # ------------------------------------------------------------ expressions
    def expr(self, e) -> T.Type:
        t = self._infer(e)
        self.sem.types[e] = t
        return t

    def problem(self, code, span, message, label="", help=""):
        self.sem.problems.append(Problem(code, span, message, label, help))
        return T.UNKNOWN

    def _infer(self, e) -> T.Type:
        if isinstance(e, ast.Number):
            return self._number(e)
        if isinstance(e, ast.String):
            return T.TEXT
        if isinstance(e, ast.DateLit):
            return T.DATE if valid_date(e.raw) else self.problem(
                "FF306", e.span, f"{e.raw} is not a date", "no such day", "dates are written YYYY-MM-DD and must exist")
        if isinstance(e, ast.Duration):
            return T.DURATION
        if isinstance(e, ast.Bool):
            return T.BOOL
        if isinstance(e, ast.Today):
            return T.DATE
        if isinstance(e, ast.Name):
            return self._name(e)
        if isinstance(e, ast.Fact):
            return self._fact(e)
        if isinstance(e, ast.Call):
            return infer_call(self, e)
        if isinstance(e, ast.Unary):
            return self._unary(e)
        if isinstance(e, ast.Binary):
            return infer_binary(self, e)
        if isinstance(e, ast.Logical):
            return self._logical(e)
        if isinstance(e, ast.Test):
            return infer_test(self, e)
        return T.UNKNOWN

    def _number(self, e: ast.Number) -> T.Type:
        if len(e.raw.replace(".", "").lstrip("0")) > 15:
            shown = e.raw if len(e.raw) <= 20 else e.raw[:20] + "..."
            return self.problem("FF306", e.span, f"the number {shown} has more than 15 digits",
                                "too many digits", "numbers are limited to 15 significant digits")
        return T.INT if e.is_integer else T.DECIMAL

    def _name(self, e: ast.Name) -> T.Type:
        sym = self.symbols.value(e.name)
        if sym is None:
            self.sem.unresolved.append((e, "value"))
            return T.UNKNOWN
        self.sem.resolved[e] = sym
        if sym.kind in ("outcome", "page"):
            return self.problem("FF202", e.span, f"'{e.name}' is {'an outcome' if sym.kind == 'outcome' else 'a page'}, not a value",
                                "not a question or derived value",
                                "conditions read questions, derived values and citizen facts")
        if sym.kind == "let":
            self.sem.used.add(sym.id)
        if sym.kind == "question" and sym.node.type.name == "acknowledge":
            self.problem("FF416", e.span, f"'{e.name}' must be accepted, so it is always yes where it is read",
                         "acknowledgement", "conditions cannot depend on an acknowledgement; remove the test")
        if sym.kind == "question" and sym.node.type.name == "info":
            return self.problem("FF307", e.span, f"'{e.name}' is an information text and has no answer",
                                "info question", "conditions read questions that collect an answer")
        self.sem.reads.append(Read(e, sym, self._status(sym)))
        return self.value_type(sym)

    def _status(self, sym: Symbol) -> str:
        if sym.id in self.avail:
            return "ok"
        if sym.id not in self.seen:
            return "before"
        node = sym.node
        if isinstance(node, ast.Question) and any(a.key == "optional" for a in node.attrs):
            return "optional"
        return "maybe"

    def value_type(self, sym: Symbol) -> T.Type:
        if sym.kind == "question":
            return T.question_value_type(sym.node.type.name, sym.id)
        if sym.kind == "let":
            return self.sem.types.get(sym.node.value, T.UNKNOWN)
        return T.UNKNOWN

    def _fact(self, e: ast.Fact) -> T.Type:
        args = tuple(self.expr(a) for a in (e.args or ()))
        if e.subject.name != "citizen":
            return self.problem("FF210", e.subject.span, f"'{e.subject.name}.{e.attr.name}' is not a verified fact",
                                "facts are read from `citizen`", f"did you mean `citizen.{e.attr.name}`?")
        known = T.FACTS.get(e.attr.name)
        if known is None:
            from formflow.check.suggest import did_you_mean

            return self.problem("FF210", e.attr.span, f"citizen.{e.attr.name} is not a verified fact",
                                "unknown fact", did_you_mean(e.attr.name, T.FACTS, prefix="citizen.")
                                or "facts: " + ", ".join(f"citizen.{f}" for f in T.FACTS))
        result, params = known
        if params is None and e.args is not None:
            return self.problem("FF303", e.span, f"citizen.{e.attr.name} is not a function", "", f"write `citizen.{e.attr.name}`")
        if params is not None:
            if e.args is None or len(args) != len(params) or any(a.kind not in (p.kind, "unknown") for a, p in zip(args, params)):
                return self.problem("FF303", e.span, f"citizen.{e.attr.name} takes {', '.join(str(p) for p in params)}",
                                    "wrong arguments", f'write `citizen.{e.attr.name}("code")`')
        return result

    def _unary(self, e: ast.Unary) -> T.Type:
        t = self.expr(e.operand)
        if e.op == "not":
            if t.kind not in ("bool", "unknown"):
                return self.problem("FF301", e.span, f"`not` needs a yes/no value, not {T.article(t)}", f"this is {T.article(t)}")
            return T.BOOL
        if not t.numeric and t.kind != "unknown":
            return self.problem("FF301", e.span, f"'{e.op}' needs a number, not {T.article(t)}", f"this is {T.article(t)}")
        return t

    def _logical(self, e: ast.Logical) -> T.Type:
        guards: list[str] = []  # `answered(q) and q > 3`: q is available right of the guard
        for operand in e.operands:
            t = self.expr(operand)
            if t.kind not in ("bool", "unknown"):
                self.problem("FF301", operand.span, f"`{e.op}` combines yes/no values; this is {T.article(t)}",
                             f"{T.article(t)}, not yes/no", "compare it with something, e.g. `temp >= 38`")
            guards += self.add(when_true(operand) if e.op == "and" else when_false(operand))
        self.avail.difference_update(guards)
        return T.BOOL


def when_true(e) -> set[str]:
    """Ids known to be answered when `e` is true (from `answered(q)` guards)."""
    if isinstance(e, ast.Call) and e.func.name == "answered" and len(e.args) == 1 and isinstance(e.args[0], ast.Name):
        return {e.args[0].name}
    if isinstance(e, ast.Unary) and e.op == "not":
        return when_false(e.operand)
    if isinstance(e, ast.Logical) and e.op == "and":
        return set().union(*(when_true(o) for o in e.operands))
    return set()


def when_false(e) -> set[str]:
    if isinstance(e, ast.Unary) and e.op == "not":
        return when_true(e.operand)
    if isinstance(e, ast.Logical) and e.op == "or":
        return set().union(*(when_false(o) for o in e.operands))
    return set()


def valid_date(raw: str) -> bool:
    try:
        dt.date.fromisoformat(raw)
    except ValueError:
        return False
    return True


def analyse(flow: ast.Flow, symbols: Symbols) -> Semantics:
    walker = _Walker(flow, symbols)
    _, completes = walker.block(flow.body)
    walker.sem.can_fall_through = completes
    for pdf in flow.pdfs:
        pdf_conditions(walker, pdf)
    for assertion in flow.asserts:
        assert_conditions(walker, assertion)
    booking_conditions(walker, flow)
    return walker.sem


def pdf_conditions(walker: _Walker, pdf: ast.PdfDecl) -> None:
    """Type the conditions of a pdf block, as read when the flow has ended.

    A row is printed only when its question was asked (or its value computed), so its `red when`
    may read that row's own answer freely; any other answer may be missing on some route and
    needs `answered(...)`, exactly as in the routing. A `valid ... when` reads facts, or answers
    behind `answered(...)`.
    """
    walker.seen.update(walker.symbols.by_id)
    for row in pdf.rows:
        walker.sem.used.add(row.ref.name)  # a value printed in a pdf is used
        if row.red_when is not None:
            walker.avail = {row.ref.name}
            walker.sem.conditions.append((row.red_when, walker.expr(row.red_when)))
    for item in pdf.items:
        if item.key == "valid" and item.value[2] is not None:
            walker.avail = set()
            walker.sem.conditions.append((item.value[2], walker.expr(item.value[2])))
    walker.avail = set()
