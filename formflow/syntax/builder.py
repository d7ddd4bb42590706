"""Builds the syntax tree while the LALR parser reduces (see `lalr.py`).

Building during the parse means no intermediate lark Tree and no recursion over it: a chain of
ten thousand `+` is reduced one step at a time. Each expression node's depth is tracked as it is
built; an expression deeper than MAX_EXPR_DEPTH becomes an `Invalid` node with one diagnostic, so
later passes (which recurse) never see a deep tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from formflow.diagnostics.model import Diagnostic, make
from formflow.source import Source, Span
from formflow.syntax import ast
from formflow.syntax.lexer import Tok as Token

MAX_EXPR_DEPTH = 100
MAX_DIGITS = 15  # significant digits of any number literal (REFERENCE, Limits)
# The longest duration literal, per unit: 200 years, so that `today` or a birth date moved by one
# stays a real date. Checked where the literal is, so that no later stage does date arithmetic
# that cannot be done (REFERENCE, Limits).
DURATION_LIMITS = {"days": 73_050, "weeks": 10_436, "months": 2_400, "years": 200}
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n"}
_ESCAPE_RE = re.compile(r"\\(.?)", re.S)
_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}


@dataclass(frozen=True, slots=True)
class _Seq:
    """A braced list (block body, option list) on its way into its parent node."""

    items: tuple
    span: Span


def _span(item) -> Span:
    if type(item) is Token:
        return Span(item.start_pos, item.end_pos)
    return item.span


def _cover(children) -> Span:
    """The span from the first to the last child (hot: called for every node built)."""
    a, b = children[0], children[-1]
    start = a.start_pos if type(a) is Token else a.span.start
    end = b.end_pos if type(b) is Token else b.span.end
    return Span(start, end)


def _ident(tok: Token) -> ast.Ident:
    return ast.Ident(str(tok), Span(tok.start_pos, tok.end_pos))


def _tokens(children, type_: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type == type_]


def _nodes(children, cls) -> list:
    return [c for c in children if isinstance(c, cls)]


class Builder:
    """One callback per grammar rule; each returns an ast node (or a plain value for helpers)."""

    def __init__(self, source: Source):
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self._depth: dict[int, int] = {}

    # ------------------------------------------------------------ literal domains
    def _too_many_digits(self, raw: str, span: Span) -> bool:
        """FF306 for a number literal with more than MAX_DIGITS significant digits (which no
        setting needs, and which Python cannot even convert past 4300 digits)."""
        digits = raw.lstrip("+-").replace(".", "").lstrip("0")
        if len(digits) <= MAX_DIGITS:
            return False
        shown = raw if len(raw) <= 20 else raw[:20] + "..."
        self.diagnostics.append(make("FF306", f"the number {shown} has more than {MAX_DIGITS} digits", self.source,
                                     span, "too many digits", help=f"numbers are limited to {MAX_DIGITS} significant digits"))
        return True

    def _whole(self, tok: Token) -> int:
        """A whole-number setting (max_length, decimals, attempts...): its range is checked later,
        by the rule that knows it; here only that it is a number at all (0 when it is not)."""
        return 0 if self._too_many_digits(str(tok), _span(tok)) else int(tok)

    def _amount(self, tok: Token, unit: str) -> int:
        """The amount of a duration literal, within DURATION_LIMITS (0 after a diagnostic)."""
        amount = self._whole(tok)
        limit = DURATION_LIMITS.get(unit)
        if limit is not None and amount > limit:
            self.diagnostics.append(make(
                "FF306", f"a duration of {amount if amount < 10**6 else 'more than a million'} {unit} is too long",
                self.source, _span(tok), f"at most {limit} {unit}",
                help=f"a duration is at most 200 years ({limit} {unit}); dates must stay real dates"))
            return 0
        return amount

    # ------------------------------------------------------------ texts
    def string_lit(self, c):
        tok = c[0]
        raw = str(tok)
        span = Span(tok.start_pos, tok.end_pos)
        if tok.type == "LONG_STRING":
            return self._unescape(_fold(raw[3:-3]), span, 3), span
        return self._unescape(raw[1:-1], span, 1), span

    def _unescape(self, body: str, span: Span, quote: int) -> str:
        if "\\" not in body:
            return body

        def repl(m: re.Match) -> str:
            ch = m.group(1)
            if ch in _ESCAPES:
                return _ESCAPES[ch]
            start = span.start + quote + m.start()
            self.diagnostics.append(make(
                "FF105", f"unknown escape '\\{ch}' in a text", self.source, Span(start, start + 2),
                "unknown escape", help='write \\\\ for a backslash, \\" for a quote, \\n for a line break'))
            return m.group(0)

        return _ESCAPE_RE.sub(repl, body)

    def translation(self, c):
        value, span = c[1]
        return ast.Translation(_ident(c[0]), value, Span(c[0].start_pos, span.end))

    def text(self, c):
        value, span = c[0]
        translations = tuple(c[1:])
        end = translations[-1].span.end if translations else span.end
        return ast.Text(value, translations, Span(span.start, end))

    # ------------------------------------------------------------ flow and settings
    def start(self, c):
        return c[0]

    def flow(self, c):
        items = c[4:-1]
        settings = tuple(_nodes(items, ast.Setting))
        outcomes = tuple(_nodes(items, ast.OutcomeDecl))
        pdfs = tuple(_nodes(items, ast.PdfDecl))
        asserts = tuple(_nodes(items, ast.Assert))
        gates = tuple(_nodes(items, ast.GateDecl))
        body = tuple(i for i in items
                     if not isinstance(i, (ast.Setting, ast.OutcomeDecl, ast.PdfDecl, ast.Assert, ast.GateDecl)))
        return ast.Flow(_ident(c[1]), c[2], settings, outcomes, body, _cover(c), pdfs, asserts, gates)

    def version(self, c):
        value, _ = self.string_lit([c[1]])
        return ast.Setting("version", value, _cover(c))

    def languages(self, c):
        return ast.Setting("languages", tuple(_ident(t) for t in _tokens(c[1:], "NAME")), _cover(c))

    def intro(self, c):
        return ast.Setting("intro", c[1], _cover(c))

    def urgency_levels(self, c):
        return ast.Setting("urgency_levels", tuple(_ident(t) for t in _tokens(c[1:], "NAME")), _cover(c))

    def outcome_decl(self, c):
        attrs = tuple(_nodes(c[5:], ast.Attr))
        return ast.OutcomeDecl(_ident(c[1]), _ident(c[3]), c[4], attrs, _cover(c))

    def urgency(self, c):
        return ast.Attr("urgency", _ident(c[1]), _cover(c))

    # ------------------------------------------------------------ booking outcomes and gates
    def book_appointment(self, c):
        return ast.Attr("appointment", _ident(c[1]), _cover(c))

    def book_gate(self, c):
        return ast.Attr("through", _ident(c[1]), _cover(c))

    def book_terms(self, c):
        return ast.Attr("terms", _ident(c[1]), _cover(c))

    def book_clinics(self, c):
        return ast.Attr("clinics", tuple(_ident(t) for t in _tokens(c[1:], "NAME")), _cover(c))

    def attach_answers(self, c):
        return ast.Attr("attach_answers", True, _cover(c))

    def attach_pdf(self, c):
        return ast.Attr("attach_pdf", _ident(c[2]), _cover(c))

    def book_flag(self, c):
        condition = c[3] if len(c) > 3 else None
        return ast.Attr("flag", (c[1], condition), _cover(c))

    def book_handoff(self, c):
        return ast.Attr("handoff", _ident(c[1]), _cover(c))

    # A booking window (REFERENCE 12b): the value is (rule, its numbers or expressions, its condition).
    def window_lead(self, c):
        return ast.Attr("window", ("lead_minutes", int(c[2]), None), _cover(c))

    def window_hours(self, c):
        return ast.Attr("window", ("within_hours", int(c[2]), None), _cover(c))

    def window_working_days(self, c):
        return ast.Attr("window", ("within_working_days", int(c[2]), None), _cover(c))

    def window_today(self, c):
        return ast.Attr("window", ("today_only", True, None), _cover(c))

    def window_not_before(self, c):
        return ast.Attr("window", ("not_before", c[2], c[4] if len(c) > 4 else None), _cover(c))

    def window_before(self, c):
        return ast.Attr("window", ("before", c[2], c[4] if len(c) > 4 else None), _cover(c))

    def window_not_within(self, c):
        amount = (int(c[2]), _UNITS.get(str(c[3]), str(c[3])))
        return ast.Attr("window", ("not_within", (amount, c[5]), c[7] if len(c) > 7 else None), _cover(c))

    def book_fallback(self, c):
        return ast.Attr("when_full", (_ident(c[1]), c[2]), _cover(c))

    def gate_decl(self, c):
        inner = c[4:-1]
        return ast.GateDecl(_ident(c[1]), c[2], tuple(_nodes(inner, ast.GateRoute)), tuple(_nodes(inner, ast.Attr)),
                            _cover(c))

    def gate_route(self, c):
        return ast.GateRoute(_ident(c[1]), c[2], c[4], tuple(_nodes(c[5:], ast.Attr)), _cover(c))

    def gate_one_active(self, c):
        return ast.Attr("one_active_booking", True, _cover(c))

    def gate_horizon(self, c):
        unit = _UNITS.get(str(c[2]), str(c[2]))
        return ast.Attr("horizon", (self._amount(c[1], unit), unit), _cover(c))

    def gate_accept_risk(self, c):
        return ast.Attr("accept_risk", self.string_lit([c[1]])[0], _cover(c))

    def gate_message(self, c):
        return ast.Attr("message", (_ident(c[1]), c[2]), _cover(c))

    def route_from(self, c):
        return ast.Attr("from", str(c[1]), _cover(c))

    def route_login(self, c):
        return ast.Attr("login", _ident(c[1]), _cover(c))

    def route_code(self, c):
        attempts = self._whole(c[3]) if len(c) > 3 else None
        return ast.Attr("invitation_code", (self.string_lit([c[1]])[0], attempts), _cover(c))

    def route_open_invitation(self, c):
        return ast.Attr("open_invitation", self.string_lit([c[1]])[0], _cover(c))

    def route_allow_list(self, c):
        return ast.Attr("allow_list", self.string_lit([c[1]])[0], _cover(c))

    # ------------------------------------------------------------ pdf declarations
    def pdf_decl(self, c):
        inner = c[4:-1]
        return ast.PdfDecl(_ident(c[1]), c[2], tuple(_nodes(inner, ast.PdfItem)), tuple(_nodes(inner, ast.PdfRow)),
                           _cover(c))

    def pdf_template(self, c):
        return ast.PdfItem("template", _ident(c[1]), _cover(c))

    def pdf_include(self, c):
        return ast.PdfItem("include", _ident(c[1]), _cover(c))

    def pdf_comment(self, c):
        return ast.PdfItem("comment", _ident(c[1]), _cover(c))

    def pdf_valid(self, c):
        unit = _UNITS.get(str(c[2]), str(c[2]))
        condition = c[4] if len(c) > 4 else None
        return ast.PdfItem("valid", (self._amount(c[1], unit), unit, condition), _cover(c))

    def pdf_row(self, c):
        attrs = {a.key: a for a in _nodes(c[2:], ast.Attr)}
        label, under, red = (attrs[k].value if k in attrs else None for k in ("label", "under", "red"))
        return ast.PdfRow(_ident(c[1]), label, under, red, _cover(c))

    def row_label(self, c):
        return ast.Attr("label", c[1], _cover(c))

    def row_under(self, c):
        return ast.Attr("under", _ident(c[1]), _cover(c))

    def row_red(self, c):
        return ast.Attr("red", c[2], _cover(c))

    # ------------------------------------------------------------ asserts
    def assert_decl(self, c):
        description = self.string_lit([c[2]])[0] if isinstance(c[2], Token) and c[2].type == "STRING" else None
        premise, conclusion = c[-1]
        return ast.Assert(_ident(c[1]), description, premise, conclusion, _cover(c[:-1] + [conclusion]))

    def assert_always(self, c):
        return None, c[0]

    def assert_implies(self, c):
        return c[1], c[3]

    def assert_implies_infix(self, c):
        return c[0], c[2]

    def outcome_ref(self, c):
        return ast.OutcomeRef(None, _cover(c))

    def outcome_attr(self, c):
        return ast.OutcomeRef(_ident(c[2]), _cover(c))

    # ------------------------------------------------------------ questions
    def question(self, c):
        attrs = tuple(_nodes(c[5:], ast.Attr))
        opts = _nodes(c[5:], _Seq)
        options, options_span = (opts[0].items, opts[0].span) if opts else (None, None)
        return ast.Question(_ident(c[1]), _ident(c[3]), c[4], attrs, options, _cover(c), options_span)

    def options(self, c):
        return _Seq(tuple(_nodes(c, ast.Option)), _cover(c))

    def option(self, c):
        return ast.Option(_ident(c[1]), c[2], tuple(_nodes(c[3:], ast.Attr)), _cover(c))

    def help(self, c):
        return ast.Attr("help", c[1], _cover(c))

    def optional(self, c):
        return ast.Attr("optional", True, _cover(c))

    def exclusive(self, c):
        return ast.Attr("exclusive", True, _cover(c))

    def unit(self, c):
        return ast.Attr("unit", self.string_lit([c[1]])[0], _cover(c))

    def terms(self, c):
        return ast.Attr("terms", c[1], _cover(c))

    def accept(self, c):
        return ast.Attr("accept", tuple(self.string_lit([t])[0] for t in _tokens(c, "STRING")), _cover(c))

    def max_length(self, c):
        return ast.Attr("max_length", self._whole(c[1]), _cover(c))

    def decimals(self, c):
        return ast.Attr("decimals", self._whole(c[1]), _cover(c))

    def min(self, c):
        return ast.Attr("min", c[1], _cover(c))

    def max(self, c):
        return ast.Attr("max", c[1], _cover(c))

    def bound(self, c):
        return c[0]

    def signed_number(self, c):
        raw = "".join(str(x) if isinstance(x, Token) else x.raw for x in c)
        if self._too_many_digits(raw, _cover(c)):
            raw = "0"
        return ast.Bound("number", raw, _cover(c))

    def date_bound(self, c):
        return ast.Bound("date", str(c[0]), _cover(c))

    def today_bound(self, c):
        if len(c) == 1:
            return ast.Bound("today", "", _cover(c))
        sign, unit = c[1], _UNITS.get(str(c[3]), str(c[3]))
        amount = self._amount(c[2], unit)
        signed = amount if sign == "+" else -amount
        return ast.Bound("today", f"{sign}{amount} {unit}", _cover(c), signed, unit)

    # ------------------------------------------------------------ statements
    def let(self, c):
        return ast.Let(_ident(c[1]), c[3], _cover(c))

    def block(self, c):
        return _Seq(tuple(c[1:-1]), _cover(c))

    def if_stmt(self, c):
        body, span = c[2].items, c[2].span
        branches = [ast.Branch(c[1], body, _span(c[0]).join(span))]
        branches += [x for x in c[3:] if isinstance(x, ast.Branch)]
        return ast.If(tuple(branches), _cover(c))

    def else_if(self, c):
        body, span = c[3].items, c[3].span
        return ast.Branch(c[2], body, _span(c[0]).join(span))

    def else_block(self, c):
        body, span = c[1].items, c[1].span
        return ast.Branch(None, body, _span(c[0]).join(span))

    def end_stmt(self, c):
        return ast.End(ast.Name(str(c[1]), _span(c[1])), _cover(c))

    def trigger_stmt(self, c):
        return ast.Trigger(ast.Name(str(c[1]), _span(c[1])), _cover(c))

    def page(self, c):
        return ast.Page(_ident(c[1]), c[2], tuple(c[4:-1]), _cover(c))

    # ------------------------------------------------------------ expressions
    def _expr(self, node, children):
        depth = 1 + max((self._depth.get(id(ch), 0) for ch in children), default=0)
        if any(isinstance(ch, ast.Invalid) for ch in children):
            return ast.Invalid(node.span)
        if depth > MAX_EXPR_DEPTH:
            self.diagnostics.append(make(
                "FF007", f"expression nested deeper than {MAX_EXPR_DEPTH} levels", self.source, node.span,
                "this expression", help="split it into named parts with `let`"))
            return ast.Invalid(node.span)
        self._depth[id(node)] = depth
        return node

    def number(self, c):
        tok = c[0]
        return ast.Number(str(tok), _span(tok))

    def string(self, c):
        value, span = self.string_lit(c)
        return ast.String(value, span)

    def date(self, c):
        return ast.DateLit(str(c[0]), _span(c[0]))

    def duration(self, c):
        unit = _UNITS.get(str(c[1]), str(c[1]))
        return ast.Duration(self._amount(c[0], unit), unit, _cover(c))

    def yes(self, c):
        return ast.Bool(True, _cover(c))

    def no(self, c):
        return ast.Bool(False, _cover(c))

    def today(self, c):
        return ast.Today(_cover(c))

    def name(self, c):
        return ast.Name(str(c[0]), _span(c[0]))

    def fact(self, c):
        return ast.Fact(_ident(c[0]), _ident(c[2]), None, _cover(c))

    def fact_call(self, c):
        args = tuple(x for x in c[4:-1] if not isinstance(x, Token))
        return self._expr(ast.Fact(_ident(c[0]), _ident(c[2]), args, _cover(c)), args)

    def call(self, c):
        args = tuple(x for x in c[2:-1] if not isinstance(x, Token))
        return self._expr(ast.Call(_ident(c[0]), args, _cover(c)), args)

    def atom(self, c):  # "(" expr ")"
        return c[1]

    def neg(self, c):
        return self._expr(ast.Unary(str(c[0]), c[1], _cover(c)), [c[1]])

    def not_(self, c):
        return self._expr(ast.Unary("not", c[1], _cover(c)), [c[1]])

    def arith(self, c):
        return self._expr(ast.Binary(str(c[1]), c[0], c[2], _span(c[1]), _cover(c)), [c[0], c[2]])

    def compare(self, c):
        return self._expr(ast.Binary(str(c[1]), c[0], c[2], _span(c[1]), _cover(c)), [c[0], c[2]])

    def and_(self, c):
        operands = tuple(x for x in c if not isinstance(x, Token))
        return self._expr(ast.Logical("and", operands, _cover(c)), operands)

    def or_(self, c):
        operands = tuple(x for x in c if not isinstance(x, Token))
        return self._expr(ast.Logical("or", operands, _cover(c)), operands)

    def code(self, c):
        return ast.Code(str(c[0]), _span(c[0]))

    yes_code = no_code = code

    def _test(self, op, c):
        codes = tuple(_nodes(c, ast.Code))
        return self._expr(ast.Test(op, c[0], codes, _cover(c)), [c[0]])

    def is_(self, c):
        return self._test("is", c)

    def is_not(self, c):
        return self._test("is not", c)

    def in_(self, c):
        return self._test("in", c)

    def has(self, c):
        return self._test("has", c)

    def has_any(self, c):
        return self._test("has any", c)

    def has_all(self, c):
        return self._test("has all", c)


def _fold(body: str) -> str:
    """A triple-quoted text: lines are joined with spaces, blank lines separate paragraphs."""
    paragraphs = re.split(r"\n[ \t]*\n", body.strip())
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines() if line.strip()) for p in paragraphs)
