"""The syntax tree: what the author wrote, with a span on every node.

Frozen dataclasses with tuple children. Nodes compare by identity (`eq=False`): two identical
expressions at different places are different nodes, and later stages key their results
(types, resolutions) by node without hashing whole subtrees.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.source import Span

node = dataclass(frozen=True, eq=False, slots=True)


@node
class Ident:
    name: str
    span: Span


@node
class Translation:
    lang: Ident
    value: str
    span: Span


@node
class Text:
    """A text in the flow's first language, with translations beside it."""

    value: str
    translations: tuple[Translation, ...]
    span: Span


# ---------------------------------------------------------------- expressions


@node
class Number:
    raw: str  # as written, digits [0-9] and one optional '.'
    span: Span

    @property
    def is_integer(self) -> bool:
        return "." not in self.raw


@node
class String:
    value: str
    span: Span


@node
class DateLit:
    raw: str  # YYYY-MM-DD, validated by the checker
    span: Span


@node
class Duration:
    amount: int
    unit: str  # days | weeks | months | years (singular forms normalised)
    span: Span


@node
class Bool:
    value: bool
    span: Span


@node
class Today:
    span: Span


@node
class Name:
    """A reference to a question, derived value or (in `end`/`trigger`) an outcome."""

    name: str
    span: Span


@node
class Fact:
    """`citizen.age`: a verified fact of the logged-in citizen."""

    subject: Ident
    attr: Ident
    args: tuple["Expr", ...] | None  # None: no call; () or more: `citizen.has_invitation("x")`
    span: Span


@node
class Call:
    func: Ident
    args: tuple["Expr", ...]
    span: Span


@node
class Unary:
    op: str  # "-" | "+" | "not"
    operand: "Expr"
    span: Span


@node
class Binary:
    op: str  # + - * / == != < <= > >=
    left: "Expr"
    right: "Expr"
    op_span: Span
    span: Span


@node
class Logical:
    """A flat `and`/`or` chain: long chains stay one level deep."""

    op: str  # "and" | "or"
    operands: tuple["Expr", ...]
    span: Span


@node
class Code:
    """An option code on the right of `is`, `in` or `has`, or `yes`/`no`."""

    name: str
    span: Span


@node
class Test:
    """`x is c`, `x is not c`, `x in [a, b]`, `x has c`."""

    op: str  # "is" | "is not" | "in" | "has" | "has any" | "has all"
    subject: "Expr"
    codes: tuple[Code, ...]
    span: Span


@node
class Invalid:
    """Stands in for an expression the parser refused (too deep); never reaches the IR."""

    span: Span


@node
class OutcomeRef:
    """`outcome`, `outcome.kind` or `outcome.urgency`: the route's final outcome, read in an assert only."""

    attr: Ident | None  # None: the outcome itself
    span: Span


Expr = (Number | String | DateLit | Duration | Bool | Today | Name | Fact | Call | Unary | Binary | Logical | Test
        | OutcomeRef | Invalid)


# ---------------------------------------------------------------- declarations and statements


@node
class Bound:
    """A question's min/max: a number, a date, or today ± a duration."""

    kind: str  # "number" | "date" | "today"
    raw: str  # the number or date as written; for "today", the signed duration ("-12 months")
    span: Span
    amount: int = 0
    unit: str = ""


@node
class Attr:
    """One question/option/outcome attribute: `help`, `min`, `unit`, `optional`, ..."""

    key: str
    value: object  # Text | Bound | str | int | tuple[str, ...] | None
    span: Span


@node
class Option:
    code: Ident
    label: Text
    attrs: tuple[Attr, ...]
    span: Span


@node
class Question:
    id: Ident
    type: Ident
    label: Text
    attrs: tuple[Attr, ...]
    options: tuple[Option, ...] | None  # None: no `{ ... }` block written
    span: Span
    options_span: Span | None = None


@node
class Let:
    id: Ident
    value: Expr
    span: Span


@node
class Branch:
    condition: Expr | None  # None for `else`
    body: tuple["Stmt", ...]
    span: Span


@node
class If:
    branches: tuple[Branch, ...]  # if, else if..., else (condition None) last
    span: Span

    @property
    def has_else(self) -> bool:
        return self.branches[-1].condition is None


@node
class End:
    outcome: Name
    span: Span


@node
class Trigger:
    outcome: Name
    span: Span


@node
class Page:
    id: Ident
    title: Text
    body: tuple["Stmt", ...]
    span: Span


Stmt = Question | Let | If | End | Trigger | Page


@node
class OutcomeDecl:
    id: Ident
    kind: Ident
    message: Text
    attrs: tuple[Attr, ...]
    span: Span


@node
class Setting:
    key: str  # version | languages | intro | urgency_levels
    value: object  # str | tuple[Ident, ...] | Text
    span: Span


@node
class PdfRow:
    """`row <id> [label <text>] [under <parent>] [red when <condition>]`: one printed answer."""

    ref: Ident
    label: Text | None
    under: Ident | None
    red_when: object | None
    span: Span


@node
class PdfItem:
    """`template`, `include`, `comment` or `valid` inside a pdf block."""

    key: str
    value: object  # Ident, or (amount, unit, condition | None) for `valid`
    span: Span


@node
class PdfDecl:
    id: Ident
    title: Text
    items: tuple[PdfItem, ...]
    rows: tuple[PdfRow, ...]
    span: Span

    def item(self, key: str) -> PdfItem | None:
        return next((i for i in self.items if i.key == key), None)


@node
class Assert:
    """`assert <id> ["<description>"]: [if <premise> then] <conclusion>`: a property of every complete route."""

    id: Ident
    description: str | None
    premise: Expr | None  # None: the conclusion must hold on every route
    conclusion: Expr
    span: Span


@node
class GateRoute:
    """`route <id> <text> when <condition> [from <date>] [login ..] [invitation_code ..] ...`: one way through a gate."""

    id: Ident
    title: Text
    condition: Expr
    attrs: tuple[Attr, ...]  # from, login, invitation_code ((code, attempts | None)), open_invitation, allow_list
    span: Span


@node
class GateDecl:
    """`gate <id> <text> { route ... one_active_booking  horizon 14 days  accept_risk "..." }`."""

    id: Ident
    title: Text
    routes: tuple[GateRoute, ...]
    settings: tuple[Attr, ...]  # one_active_booking, horizon ((amount, unit)), accept_risk (str),
    #                             message ((kind Ident, Text)): the citizen's texts about their code
    span: Span

    def setting(self, key: str) -> Attr | None:
        return next((a for a in self.settings if a.key == key), None)


@node
class Flow:
    id: Ident
    title: Text
    settings: tuple[Setting, ...]
    outcomes: tuple[OutcomeDecl, ...]
    body: tuple[Stmt, ...]
    span: Span
    pdfs: tuple[PdfDecl, ...] = ()
    asserts: tuple[Assert, ...] = ()
    gates: tuple[GateDecl, ...] = ()

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)
