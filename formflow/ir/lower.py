"""Lower a checked syntax tree to the IR. Runs only when the checker found no errors."""

from __future__ import annotations

from pathlib import PurePath

from formflow.check.booking_semantics import BOOKING_KEYS
from formflow.check.context import CheckContext
from formflow.check.rules.booking_outcomes import HORIZON_UNITS
from formflow.check.rules.outcomes import urgency_of
from formflow.ir import model as M
from formflow.syntax import ast

_TEST_OPS = {"is": "is", "is not": "is_not", "in": "in", "has": "has", "has any": "has_any", "has all": "has_all"}


class _Lowering:
    def __init__(self, ctx: CheckContext):
        self.ctx = ctx
        self.types = ctx.semantics.types
        self.resolved = ctx.semantics.resolved
        self.questions: list[M.Question] = []
        self.derived: list[M.Derived] = []
        self.pages: list[M.Page] = []

    def texts(self, text: ast.Text | None) -> M.Texts | None:
        if text is None:
            return None
        values = dict([(self.ctx.languages[0], text.value)] + [(t.lang.name, t.value) for t in text.translations])
        return M.Texts(tuple((lang, values[lang]) for lang in self.ctx.languages if lang in values))

    # ------------------------------------------------------------ statements
    def body(self, stmts, page: str | None) -> tuple:
        return tuple(self.statement(s, page) for s in stmts)

    def statement(self, s, page):
        if isinstance(s, ast.Question):
            self.questions.append(self.question(s, page))
            return M.Ask(s.id.name, s.span)
        if isinstance(s, ast.Let):
            self.derived.append(M.Derived(s.id.name, self.types[s.value].kind, self.expr(s.value), s.span))
            return M.Compute(s.id.name, s.span)
        if isinstance(s, ast.If):
            return M.If(tuple(M.Branch(self.expr(b.condition) if b.condition is not None else None,
                                       self.body(b.body, page), b.span) for b in s.branches), s.span)
        if isinstance(s, ast.End):
            return M.End(s.outcome.name, s.span)
        if isinstance(s, ast.Trigger):
            return M.Trigger(s.outcome.name, s.span)
        if isinstance(s, ast.Page):
            self.pages.append(M.Page(s.id.name, self.texts(s.title), s.span))
            return M.PageBlock(s.id.name, self.body(s.body, s.id.name), s.span)
        raise TypeError(s)  # pragma: no cover

    def question(self, q: ast.Question, page) -> M.Question:
        attrs = {a.key: a.value for a in q.attrs}
        return M.Question(
            id=q.id.name, type=q.type.name, label=self.texts(q.label), help=self.texts(attrs.get("help")),
            required="optional" not in attrs and q.type.name != "info", page=page, unit=attrs.get("unit"),
            min=_bound(attrs.get("min")), max=_bound(attrs.get("max")), decimals=attrs.get("decimals"),
            max_length=attrs.get("max_length"), accept=tuple(attrs.get("accept", ())),
            terms=self.texts(attrs.get("terms")),
            options=tuple(self.option(o) for o in q.options or ()), span=q.span)

    def option(self, o: ast.Option) -> M.Option:
        attrs = {a.key: a.value for a in o.attrs}
        return M.Option(o.code.name, self.texts(o.label), self.texts(attrs.get("help")), "exclusive" in attrs, o.span)

    # ------------------------------------------------------------ expressions
    def expr(self, e):
        t = self.types.get(e)
        kind = t.kind if t is not None else "unknown"
        if isinstance(e, ast.Number):
            return M.Literal("int" if e.is_integer else "decimal", e.raw, e.span)
        if isinstance(e, ast.String):
            return M.Literal("text", e.value, e.span)
        if isinstance(e, ast.DateLit):
            return M.Literal("date", e.raw, e.span)
        if isinstance(e, ast.Duration):
            return M.Literal("duration", (e.amount, e.unit), e.span)
        if isinstance(e, ast.Bool):
            return M.Literal("bool", e.value, e.span)
        if isinstance(e, ast.Today):
            return M.Today(e.span)
        if isinstance(e, ast.Name):
            sym = self.resolved[e]
            if sym.kind == "question":
                return M.AnswerRef(e.name, kind, e.span)
            return M.ValueRef(e.name, kind, e.span)
        if isinstance(e, ast.Fact):
            return M.FactRef(e.attr.name, tuple(self.expr(a) for a in e.args or ()), kind, e.span)
        if isinstance(e, ast.Call) and e.func.name == "booked":  # asserts only: names, not values
            return M.Call("booked", tuple(M.Literal("text", a.name, a.span) for a in e.args), "bool", e.span)
        if isinstance(e, ast.Call):
            if e.func.name == "answered":
                arg = e.args[0]
                return M.Call("answered", (M.AnswerRef(arg.name, self.types[arg].kind, arg.span),), kind, e.span)
            return M.Call(e.func.name, tuple(self.expr(a) for a in e.args), kind, e.span)
        if isinstance(e, ast.Unary):
            return M.Op("not" if e.op == "not" else ("neg" if e.op == "-" else "pos"), (self.expr(e.operand),), kind, e.span)
        if isinstance(e, ast.Binary):
            return M.Op(e.op, (self.expr(e.left), self.expr(e.right)), kind, e.span)
        if isinstance(e, ast.Logical):
            return M.Op(e.op, tuple(self.expr(o) for o in e.operands), kind, e.span)
        if isinstance(e, ast.Test):
            return M.Test(_TEST_OPS[e.op], self.expr(e.subject), tuple(c.name for c in e.codes), e.span)
        if isinstance(e, ast.OutcomeRef):
            return M.OutcomeRef(e.attr.name if e.attr is not None else "", e.span)
        raise TypeError(e)  # pragma: no cover


def _bound(b: ast.Bound | None) -> M.Bound | None:
    if b is None:
        return None
    if b.kind == "today":
        return M.Bound("today", "", b.amount, b.unit)
    return M.Bound(b.kind, b.raw)


def lower(ctx: CheckContext) -> M.Flow:
    flow = ctx.flow
    low = _Lowering(ctx)
    body = low.body(flow.body, None)
    version = flow.setting("version")
    intro = flow.setting("intro")
    levels = ctx.urgency_levels
    outcomes = tuple(M.Outcome(o.id.name, o.kind.name, low.texts(o.message), urgency_of(o, levels), o.span,
                               _booking(low, o)) for o in flow.outcomes)
    return M.Flow(
        id=flow.id.name, title=low.texts(flow.title), version=version.value if version else "1",
        languages=ctx.languages, intro=low.texts(intro.value) if intro else None, urgency_levels=levels,
        pages=tuple(low.pages), questions=tuple(low.questions), derived=tuple(low.derived), outcomes=outcomes,
        body=body, source_name=PurePath(ctx.source.name).name, source_sha256=ctx.source.sha256,
        pdfs=tuple(_pdf(low, ctx, p) for p in flow.pdfs),
        asserts=tuple(M.Assertion(a.id.name, a.description, low.expr(a.premise) if a.premise is not None else None,
                                  low.expr(a.conclusion), a.span) for a in flow.asserts),
        gates=tuple(_gate(low, g) for g in flow.gates))


def _booking(low: _Lowering, decl: ast.OutcomeDecl) -> M.Booking | None:
    """The booking attributes of an outcome (None when it has none)."""
    attrs = [a for a in decl.attrs if a.key in BOOKING_KEYS]
    if not attrs:
        return None
    one = {a.key: a.value for a in attrs}
    name = lambda key: one[key].name if key in one else None  # noqa: E731
    flags = tuple(M.Flag(low.texts(a.value[0]), low.expr(a.value[1]) if a.value[1] is not None else None)
                  for a in attrs if a.key == "flag")
    region = low.ctx.region.region if low.ctx.region is not None else None
    kind = region.appointment_type(name("appointment")) if region is not None and name("appointment") else None
    fallback = one.get("when_full")
    return M.Booking(name("appointment"), name("through"), name("terms"),
                     tuple(i.name for i in one.get("clinics", ())), "attach_answers" in one, name("attach_pdf"),
                     flags, name("handoff"), bool(kind and kind.protected), kind.entitled if kind else None,
                     _window(low, [a for a in attrs if a.key == "window"]),
                     M.Fallback(fallback[0].name, low.texts(fallback[1])) if fallback else None)


def _window(low: _Lowering, attrs) -> M.Window | None:
    """The window rules of a booking (None when it has none); a rule given twice is FF414."""
    if not attrs:
        return None
    single = {a.value[0]: a.value[1] for a in attrs}
    dates = []
    for a in attrs:
        rule, value, condition = a.value
        if rule not in ("not_before", "before", "not_within"):
            continue
        when = low.expr(condition) if condition is not None else None
        if rule == "not_within":
            (amount, unit), expr = value
            dates.append(M.DateRule(rule, low.expr(expr), amount * (7 if unit == "weeks" else 1), when, a.span))
        else:
            dates.append(M.DateRule(rule, low.expr(value), None, when, a.span))
    return M.Window(single.get("lead_minutes"), single.get("within_hours"), single.get("within_working_days"),
                    bool(single.get("today_only")), tuple(dates))


def _gate(low: _Lowering, gate: ast.GateDecl) -> M.Gate:
    horizon, risk = gate.setting("horizon"), gate.setting("accept_risk")
    return M.Gate(gate.id.name, low.texts(gate.title), tuple(_route(low, r) for r in gate.routes),
                  gate.setting("one_active_booking") is not None,
                  horizon.value[0] * HORIZON_UNITS[horizon.value[1]] if horizon is not None else None,
                  risk.value if risk is not None else None, gate.span,
                  tuple((a.value[0].name, low.texts(a.value[1])) for a in gate.settings if a.key == "message"))


def _route(low: _Lowering, route: ast.GateRoute) -> M.GateRoute:
    one = {a.key: a.value for a in route.attrs}
    code, attempts = one.get("invitation_code", (None, None))
    return M.GateRoute(route.id.name, low.texts(route.title), low.expr(route.condition), one.get("from"),
                       one["login"].name if "login" in one else None, code, attempts, one.get("open_invitation"),
                       tuple(a.value for a in route.attrs if a.key == "allow_list"), route.span)


def _pdf(low: _Lowering, ctx: CheckContext, pdf: ast.PdfDecl) -> M.Pdf:
    template, include, comment = (pdf.item(k) for k in ("template", "include", "comment"))
    rows = tuple(M.PdfRow(r.ref.name, "question" if ctx.symbols.value(r.ref.name).kind == "question" else "value",
                          low.texts(r.label), r.under.name if r.under else None,
                          low.expr(r.red_when) if r.red_when is not None else None, r.span) for r in pdf.rows)
    valid = sorted((i for i in pdf.items if i.key == "valid"), key=lambda i: i.value[2] is None)  # fallback last
    validity = tuple(M.Validity(i.value[0] * (12 if i.value[1] == "years" else 1),
                                low.expr(i.value[2]) if i.value[2] is not None else None) for i in valid)
    return M.Pdf(pdf.id.name, low.texts(pdf.title), template.value.name if template else "health_declaration",
                 include.value.name if include else "all", rows, comment.value.name if comment else None,
                 validity, pdf.span)
