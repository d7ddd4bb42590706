"""The IR: a checked flow, resolved and typed, ready for the emitters and the analyser.

Unlike the syntax tree it has no unresolved names and no unknown types: every reference says
what it refers to (`AnswerRef`, `ValueRef`, `FactRef`) and carries its type. Every node keeps
the span it came from, so later stages can point back at the DSL line.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.source import Span

ir = dataclass(frozen=True, slots=True)


@ir
class Texts:
    """One text in every language that has it, in the flow's language order."""

    values: tuple[tuple[str, str], ...]

    def get(self, lang: str) -> str | None:
        return next((v for l, v in self.values if l == lang), None)


# ---------------------------------------------------------------- expressions


@ir
class Literal:
    type: str  # int | decimal | bool | text | date | duration
    value: object  # str for numbers (exact decimal text), bool, str, (amount, unit) for durations
    span: Span


@ir
class Today:
    span: Span


@ir
class AnswerRef:
    question: str
    type: str
    span: Span


@ir
class ValueRef:
    name: str
    type: str
    span: Span


@ir
class FactRef:
    name: str
    args: tuple
    type: str
    span: Span


@ir
class Call:
    function: str
    args: tuple
    type: str
    span: Span


@ir
class Op:
    """and, or, not, neg, + - * /, == != < <= > >=."""

    op: str
    args: tuple
    type: str
    span: Span


@ir
class Test:
    op: str  # is | is_not | in | has | has_any | has_all
    subject: object
    codes: tuple[str, ...]
    span: Span


@ir
class OutcomeRef:
    """`outcome` (attr ""), `outcome.kind` or `outcome.urgency`: the final outcome of a route (asserts only)."""

    attr: str
    span: Span


# ---------------------------------------------------------------- declarations


@ir
class Bound:
    kind: str  # number | date | today
    value: str = ""  # number or date text
    amount: int = 0  # for today: signed offset
    unit: str = ""


@ir
class Option:
    code: str
    label: Texts
    help: Texts | None
    exclusive: bool
    span: Span


@ir
class Question:
    id: str
    type: str
    label: Texts
    help: Texts | None
    required: bool
    page: str | None
    unit: str | None
    min: Bound | None
    max: Bound | None
    decimals: int | None
    max_length: int | None
    accept: tuple[str, ...]
    terms: Texts | None
    options: tuple[Option, ...]
    span: Span


@ir
class Derived:
    id: str
    type: str
    expr: object
    span: Span


@ir
class Flag:
    """A text for the clinic that travels with a booking (`flag "..." [when <condition>]`)."""

    text: Texts
    condition: object | None  # None: always sent


@ir
class DateRule:
    """A window rule computed from answers and facts when the slots are offered (REFERENCE 12b).

    `not_before`: the slot's Swedish date is on or after `date`; `before`: strictly before it;
    `not_within`: at least `days_apart` days from it, on either side."""

    rule: str
    date: object  # an expression of type date
    days_apart: int | None
    condition: object | None  # None: always applies
    span: Span


@ir
class Window:
    """Which slots a booking offers beyond its booking system's rules (None: no such limit)."""

    lead_minutes: int | None
    within_hours: int | None
    within_working_days: int | None
    today_only: bool
    dates: tuple[DateRule, ...]


@ir
class Fallback:
    """What the citizen is offered when no slot is free: another outcome, with the author's text."""

    outcome: str
    text: Texts


@ir
class Booking:
    """What a booking outcome books and what travels with it; names are region.yaml ids (checked)."""

    appointment: str | None  # None: a plain `booking` outcome without booking attributes
    gate: str | None
    terms: str | None
    clinics: tuple[str, ...]  # empty: every clinic of the region that offers the type
    attach_answers: bool
    attach_pdf: str | None
    flags: tuple[Flag, ...]
    handoff: str | None
    protected: bool = False  # the region's appointment type is protected
    entitled: object = None  # its region.entitlement.Entitlement: what FF714 proves every gate route against
    window: Window | None = None
    fallback: Fallback | None = None


@ir
class Outcome:
    id: str
    kind: str
    message: Texts
    urgency: str
    span: Span
    booking: Booking | None = None  # only on outcomes with booking attributes


@ir
class GateRoute:
    """One way through a gate: a condition over verified facts (and answers) and the evidence it needs."""

    id: str
    title: Texts
    condition: object
    opens: str | None  # YYYY-MM-DD, the Swedish date from which the route is open (a cohort)
    login: str | None  # the login level the session must have (e_id)
    invitation_code: str | None  # the invitation whose code (letter, SMS) the citizen must enter
    code_attempts: int | None  # wrong codes allowed before the route locks (None: the default)
    open_invitation: str | None  # an open invitation (öppen kallelse) booked against its booking id
    allow_lists: tuple[str, ...]  # the citizen's personnummer must be on one of these lists
    span: Span


@ir
class Gate:
    id: str
    title: Texts
    routes: tuple[GateRoute, ...]
    one_active_booking: bool
    horizon_days: int | None  # None: the booking system's horizon
    accept_risk: str | None  # the region's stated reason for accepting self-declared routes
    span: Span
    citizen_texts: tuple[tuple[str, Texts], ...] = ()  # `message <kind> "..."`: what the citizen reads about a code


@ir
class Page:
    id: str
    title: Texts
    span: Span


# ---------------------------------------------------------------- routing


@ir
class Ask:
    question: str
    span: Span


@ir
class Compute:
    derived: str
    span: Span


@ir
class Branch:
    condition: object | None
    body: tuple
    span: Span


@ir
class If:
    branches: tuple[Branch, ...]
    span: Span


@ir
class End:
    outcome: str
    span: Span


@ir
class Trigger:
    outcome: str
    span: Span


@ir
class PageBlock:
    page: str
    body: tuple
    span: Span


@ir
class PdfRow:
    ref: str  # a question or derived value
    kind: str  # question | value
    label: Texts | None  # None: the question's own label
    under: str | None  # the row this follow-up is printed under
    red_when: object | None  # None: printed without a colour
    span: Span


@ir
class Validity:
    months: int
    condition: object | None  # None: the fallback


@ir
class Pdf:
    id: str
    title: Texts
    template: str
    include: str  # all | flagged
    rows: tuple[PdfRow, ...]
    comment: str | None  # a text question printed last
    validity: tuple[Validity, ...]  # tried in order; empty: no validity printed
    span: Span


@ir
class Assertion:
    """An author-stated property of every complete route: `premise` (if any) implies `conclusion`."""

    id: str
    description: str | None
    premise: object | None
    conclusion: object
    span: Span


@ir
class Flow:
    id: str
    title: Texts
    version: str
    languages: tuple[str, ...]
    intro: Texts | None
    urgency_levels: tuple[str, ...]
    pages: tuple[Page, ...]
    questions: tuple[Question, ...]
    derived: tuple[Derived, ...]
    outcomes: tuple[Outcome, ...]
    body: tuple
    source_name: str
    source_sha256: str
    pdfs: tuple[Pdf, ...] = ()
    asserts: tuple[Assertion, ...] = ()
    gates: tuple[Gate, ...] = ()

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)
