"""The flow's values as solver terms: every answer, fact and derived value, by its type.

Every question has its variables from the start — the answer a citizen *would* give — and the
routing decides which of them are read (`paths.py`). The encoding by type:

| value | solver term |
|---|---|
| yes/no | a Bool |
| single choice | an Int, the index of the option |
| multiple choice | one Bool per option; the exclusive option alone; at least one when required |
| whole number | an Int within min/max |
| decimal number | with `decimals d`: an Int k, the value k / 10^d; without: a Real; within min/max |
| date | an Int day number (see `calendar.py`) within its bounds, `today ± n` included |
| text | an Int: below N the index of a text written in the flow (or a county code), from N up a text written nowhere in the flow (each a different one); so only `==`/`!=` with texts can be decided, which is all the language allows |
| attachment | no value; only whether it was given |
| optional question | one more Bool: whether the citizen gave an answer |
| `today`, `citizen.birth_date` | Int day numbers; the age and birth year from their calendar parts |
| `citizen.region` | an Int, a county code's index among the texts |
| `citizen.has_invitation("c")` | a Bool per invitation code |
| derived value | its definition, term by term |

Arithmetic is exact: decimals are rationals, `round(x, d)` rounds halves away from zero through
`floor`, `count()` is a sum of 0/1. Multiplying two values, or dividing by one, is non-linear: the
solver is still given the exact term, but such atoms are remembered (`Term.hard`) so that a
question it cannot decide is reported as undecided with the place that made it hard.

In an assert, an answer the route did not give has no value: a comparison or test on it is
false, and a yes/no read of it is false (`Term.defined`, see the reference, "Properties: assert").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import z3

from formflow.analysis.calendar import Calendar, Shifted
from formflow.analysis.universe import DATE_MAX, DATE_MIN, EARLIEST_BIRTH, PROXY_AGE
from formflow.inputs.citizen import COUNTY_CODES, normalise_code
from formflow.ir import model as M
from formflow.simulate.values import RuntimeFault, add_duration


@dataclass(frozen=True, eq=False)
class Term:
    value: object  # a z3 term; a dict code -> Bool for a multiple choice; (amount, unit) for a duration
    kind: str  # bool int real date text choice choices duration attachment
    defined: object = None  # in an assert: whether the route gave this value (None: always)
    reads: frozenset = frozenset()  # question ids whose answers it reads
    hard: tuple = ()  # (span, what) of non-linear operations inside
    question: str = ""  # for a single choice: whose options the index counts


@dataclass(frozen=True, eq=False)
class Cond:
    """A yes/no formula with what it reads: the unit that path conditions and goals are made of."""

    expr: object
    reads: frozenset = frozenset()
    hard: tuple = ()


FAULT_WORDS = {"division": "division by zero", "date": "a date went outside the years"}  # simulator messages


@dataclass(frozen=True, eq=False)
class Division:
    """An operation the simulator can fault on where a routing expression computes it: a division
    by something that is not a non-zero constant (`kind` "division": when the divisor is zero), or
    date arithmetic that can leave the years 1-9999 (`kind` "date": when `fault` holds)."""

    span: object
    divisor: object  # z3 term (None for a date)
    guard: object  # z3 Bool: the operation is evaluated (short-circuit `and`/`or` respected)
    site: tuple  # (the let or branch whose expression holds it, its path condition), set by paths
    reads: frozenset
    kind: str = "division"
    fault: object = None  # z3 Bool, for a date

    @property
    def happens(self):
        """z3 Bool: evaluating it faults."""
        return self.divisor == 0 if self.fault is None else self.fault


@dataclass(frozen=True, eq=False)
class Read:
    """An answer or derived value read in routing, and when it is read (short-circuits respected)."""

    name: str
    is_answer: bool
    guard: object
    site: tuple


@dataclass
class Answer:
    """The variables of one question."""

    question: M.Question
    value: object  # z3 term, dict for multiple, None for attachment/info
    given: object  # z3 Bool (true for required questions)
    domain: list = field(default_factory=list)  # constraints on the value (when the range is not empty)
    nonempty: object = None  # a date range that can be empty on some days: whether it is not (None: never empty)


def conj(*conds: Cond) -> Cond:
    exprs = [c.expr for c in conds if not z3.is_true(c.expr)]
    expr = conds[0].expr if not exprs else exprs[0] if len(exprs) == 1 else z3.And(exprs)
    return Cond(expr, frozenset().union(*(c.reads for c in conds)), sum((c.hard for c in conds), ()))


def negate(c: Cond) -> Cond:
    return Cond(z3.Not(c.expr), c.reads, c.hard)


def disj(conds, ctx) -> Cond:
    conds = list(conds)
    if not conds:
        return Cond(z3.BoolVal(False, ctx))
    expr = conds[0].expr if len(conds) == 1 else z3.Or([c.expr for c in conds])
    return Cond(expr, frozenset().union(*(c.reads for c in conds)), sum((c.hard for c in conds), ()))


class Encoder:
    """Turns IR expressions into terms; owns the variables of answers and facts."""

    def __init__(self, flow: M.Flow, window: tuple[dt.date, dt.date]):
        self.flow = flow
        # A context of its own: z3's search depends on the order terms were created in, so the same
        # flow must not share one with earlier analyses in the process (verdicts must not vary).
        self.ctx = z3.Context()
        self.true, self.false = z3.BoolVal(True, self.ctx), z3.BoolVal(False, self.ctx)
        self.calendar = Calendar(self.ctx)
        self.window = window
        self.texts = _text_table(flow)
        self.text_index = {t: i for i, t in enumerate(self.texts)}
        self.answers: dict[str, Answer] = {}
        self.asked: dict[str, Cond] = {}  # question -> the path condition where it is asked (set by paths)
        self.computed: dict[str, Cond] = {}  # derived value -> where it is computed (set by paths)
        self.lets: dict[str, Term] = {}
        self.divisions: list[Division] = []
        self.reads: list[Read] = []
        self.site = None  # the program point being encoded (set by paths)
        self.outcome = None  # the route's final outcome: an Int over flow.outcomes (set by paths)
        self.universe: list[tuple[object, str]] = []  # (constraint, what it says) on the facts
        self._facts: dict[str, object] = {}
        self.today = self._fact_today()
        for q in flow.questions:
            if q.type != "info":
                self.answers[q.id] = self._answer(q)

    # ------------------------------------------------------------ variables and constants
    def int(self, name: str):
        return z3.Int(name, self.ctx)

    def bool(self, name: str):
        return z3.Bool(name, self.ctx)

    def ival(self, value: int):
        return z3.IntVal(value, self.ctx)

    def rval(self, text: str):
        return z3.RealVal(text, self.ctx)

    # ------------------------------------------------------------ facts
    def _fact_today(self):
        start, end = self.window
        today = self.calendar.bound(self.int("today"), start.year, end.year)
        self.universe.append((z3.And(today >= start.toordinal(), today <= end.toordinal()),
                              f"today is between {start} and {end}"))
        return today

    @property
    def birth(self):
        if "birth" not in self._facts:
            birth = self._facts["birth"] = self.calendar.bound(self.int("citizen.birth_date"), EARLIEST_BIRTH.year,
                                                               self.window[1].year)
            self.universe.append((z3.And(birth >= EARLIEST_BIRTH.toordinal(), birth <= self.today),
                                  "a citizen is born on or before today"))
        return self._facts["birth"]

    @property
    def proxy(self):
        if "proxy" not in self._facts:
            proxy = self._facts["proxy"] = self.bool("citizen.is_proxy")
            self.universe.append((z3.Implies(proxy, self.age < PROXY_AGE),
                                  f"a guardian acts as proxy only for a child under {PROXY_AGE}"))
        return self._facts["proxy"]

    @property
    def age(self):
        if "age" not in self._facts:
            self._facts["age"] = self.calendar.age(self.birth, self.today)
        return self._facts["age"]

    @property
    def region(self):
        if "region" not in self._facts:
            region = self._facts["region"] = self.int("citizen.region")
            self.universe.append((z3.Or([region == self.text_index[c] for c in sorted(COUNTY_CODES)]),
                                  "the region is a county code"))
        return self._facts["region"]

    def invitation(self, code: str):
        key = "invitation:" + normalise_code(code)
        if key not in self._facts:
            self._facts[key] = self.bool(f"citizen.has_invitation({normalise_code(code)})")
        return self._facts[key]

    def fact_terms(self) -> dict[str, object]:
        """The fact variables created so far (for reading a model back)."""
        return dict(self._facts)

    # ------------------------------------------------------------ answers
    def _answer(self, q: M.Question) -> Answer:
        given = self.true if q.required or q.type == "acknowledge" else self.bool(f"{q.id}?given")
        kind = q.type
        if kind == "yes_no":
            return Answer(q, self.bool(q.id), given)
        if kind == "acknowledge":
            return Answer(q, self.true, self.true)
        if kind == "single":
            v = self.int(q.id)
            return Answer(q, v, given, [v >= 0, v < len(q.options)])
        if kind == "multiple":
            chosen = {o.code: self.bool(f"{q.id}.{o.code}") for o in q.options}
            domain = [z3.Implies(chosen[o.code], z3.And([chosen[p.code] == (p.code == o.code) for p in q.options]))
                      for o in q.options if o.exclusive]
            if q.required:
                domain.append(z3.Or(list(chosen.values())))
            return Answer(q, chosen, given, domain)
        if kind == "integer":
            v = self.int(q.id)
            return Answer(q, v, given, self._number_bounds(q, v))
        if kind == "decimal":
            if q.decimals is not None:
                scaled = self.int(f"{q.id}*10^{q.decimals}")
                v = z3.ToReal(scaled) / (10 ** q.decimals) if q.decimals else z3.ToReal(scaled)
            else:
                v = z3.Real(q.id, self.ctx)
            return Answer(q, v, given, self._number_bounds(q, v))
        if kind == "text":
            v = self.int(q.id)
            valid = [self.text_index[t] for t in self.texts if _text_answer_ok(q, t)]
            return Answer(q, v, given, [z3.Or([v == i for i in valid] + [v >= len(self.texts)])])
        if kind == "date":
            v = self.calendar.bound(self.int(q.id), *self._bound_years(q))
            lo, hi = self._date_bound(q.min), self._date_bound(q.max)
            domain = [v >= DATE_MIN, v <= DATE_MAX] + ([v >= lo] if lo is not None else []) \
                + ([v <= hi] if hi is not None else [])
            nonempty = None if lo is None or hi is None or self._never_empty(q.min, q.max) else lo <= hi
            return Answer(q, v, given, domain, nonempty)
        return Answer(q, None, given)  # attachment

    @staticmethod
    def _number_bounds(q: M.Question, v) -> list:
        out = []
        if q.min is not None:
            out.append(v >= _number(q.min.value, v))
        if q.max is not None:
            out.append(v <= _number(q.max.value, v))
        return out

    def _bound_years(self, q: M.Question) -> tuple[int, int]:
        """Years that contain every date a date answer can have (a superset, from its bounds; all of
        1-9999 without them)."""
        start, end = self.window

        def years(bound: M.Bound) -> tuple[int, int]:
            if bound.kind != "today":
                year = dt.date.fromisoformat(bound.value).year
                return year, year
            days = abs(bound.amount) * {"weeks": 7, "months": 31, "years": 366}.get(bound.unit, 1)
            return start.year - days // 365 - 1, end.year + days // 365 + 1

        low = years(q.min) if q.min is not None else (1, 1)
        high = years(q.max) if q.max is not None else (9999, 9999)
        return min(low[0], high[0]), max(low[1], high[1])

    def _date_bound(self, bound: M.Bound | None):
        if bound is None:
            return None
        if bound.kind == "today":
            return self._shift(self.today, bound.amount, bound.unit or "days").value
        return self.ival(dt.date.fromisoformat(bound.value).toordinal())

    def _never_empty(self, low: M.Bound, high: M.Bound) -> bool:
        """Whether `min` <= `max` on every day of the window, decided without the solver (almost always)."""
        start, end = self.window
        if low.kind != "today" and high.kind != "today":
            return True  # two dates: FF401 has checked them
        try:
            if low.kind != "today":  # a date, then today ± n: earliest on the first day
                return dt.date.fromisoformat(low.value) <= add_duration(start, high.amount, high.unit or "days")
            if high.kind != "today":
                return add_duration(end, low.amount, low.unit or "days") <= dt.date.fromisoformat(high.value)
        except RuntimeFault:
            return False
        return _offsets_ordered(low, high)

    def _shift(self, day, amount, unit: str) -> Shifted:
        if unit == "days":
            return self.calendar.add_days(day, amount)
        if unit == "weeks":
            return self.calendar.add_days(day, 7 * amount)
        return self.calendar.add_months(day, amount * (12 if unit == "years" else 1))

    def _moved(self, e, moved: Shifted, guard, reads, in_assert: bool, defined):
        """(value, defined) of date arithmetic. Where it can leave the calendar the simulator faults:
        in routing that is a fault to find (like a division by zero), in an assert or a gate route
        the part is false (`defined`)."""
        if z3.is_true(z3.simplify(moved.ok)):
            return moved.value, defined
        if in_assert:
            return moved.value, moved.ok if defined is None else z3.And(defined, moved.ok)
        self.divisions.append(Division(e.span, None, guard, self.site, reads, "date", z3.Not(moved.ok)))
        return moved.value, defined

    def answered(self, qid: str) -> Cond:
        """The question was asked on the route and the citizen gave an answer."""
        asked = self.asked.get(qid, Cond(self.false))
        given = self.answers[qid].given
        return Cond(asked.expr if z3.is_true(given) else z3.And(asked.expr, given), asked.reads)

    # ------------------------------------------------------------ expressions
    def cond(self, e, *, in_assert: bool = False, guard=None) -> Cond:
        """A yes/no expression as a formula (in an assert, with unanswered reads false)."""
        if in_assert:
            t = self._assert_truth(e)
            return Cond(t.value, t.reads, t.hard)
        t = self.term(e, False, self.true if guard is None else guard)
        return Cond(t.value, t.reads, t.hard)

    def whole(self, e) -> Cond:
        """A yes/no expression as the gate evaluator reads a route's condition (`booking.gate`): the
        simulator's value, false when evaluating it would fault anywhere (a missing answer, a
        division by zero), `and`/`or` short-circuits respected."""
        t = self.term(e, True, self.true)
        return Cond(self.truth(t, True), t.reads, t.hard)

    def evaluated(self, e) -> tuple[Cond, Cond]:
        """(evaluating it does not fault, its value) of a yes/no expression read at the end of a
        route, with the simulator's code (a pdf row's colour rule)."""
        t = self.term(e, True, self.true)
        return Cond(self.true if t.defined is None else t.defined, t.reads), Cond(t.value, t.reads, t.hard)

    def _assert_truth(self, e) -> Term:
        """An assert's condition as the simulator reads it (`simulate.asserts`): `and`, `or` and
        `not` combine the parts; any other part is false when its evaluation would fault — it reads
        an answer or value the route did not give (inside `count(...)` too), or divides by zero."""
        if isinstance(e, M.Op) and e.op in ("and", "or", "not"):
            parts = [self._assert_truth(a) for a in e.args]
            values = [p.value for p in parts]
            value = z3.Not(values[0]) if e.op == "not" else z3.And(values) if e.op == "and" else z3.Or(values)
            return Term(value, "bool", None, _reads(parts), _hard(parts))
        t = self.term(e, True, self.true)
        return Term(self.truth(t, True), "bool", None, t.reads, t.hard)

    def truth(self, t: Term, in_assert: bool):
        if not in_assert or t.defined is None:
            return t.value
        return z3.And(t.defined, t.value)

    def term(self, e, in_assert: bool = False, guard=None) -> Term:
        handler = _HANDLERS.get(type(e))
        if handler is None:  # pragma: no cover - the IR has no other nodes
            raise TypeError(e)
        return handler(self, e, in_assert, self.true if guard is None else guard)

    def _literal(self, e: M.Literal, in_assert, guard) -> Term:
        if e.type == "int":
            return Term(self.ival(int(e.value)), "int")
        if e.type == "decimal":
            return Term(self.rval(str(Decimal(e.value))), "real")
        if e.type == "bool":
            return Term(self.true if e.value else self.false, "bool")
        if e.type == "text":
            return Term(self.ival(self.text_index[e.value]), "text")
        if e.type == "date":
            return Term(self.ival(dt.date.fromisoformat(e.value).toordinal()), "date")
        return Term(tuple(e.value), "duration")

    def _today(self, e, in_assert, guard) -> Term:
        return Term(self.today, "date")

    def _answer_ref(self, e: M.AnswerRef, in_assert, guard) -> Term:
        a = self.answers.get(e.question)
        kind = {"yes_no": "bool", "acknowledge": "bool", "single": "choice", "multiple": "choices",
                "integer": "int", "decimal": "real", "text": "text", "date": "date"}.get(a.question.type, "attachment")
        defined = self.answered(e.question).expr if in_assert else None
        if not in_assert:
            self.reads.append(Read(e.question, True, guard, self.site))
        return Term(a.value, kind, defined, frozenset([e.question]), (), e.question)

    def _value_ref(self, e: M.ValueRef, in_assert, guard) -> Term:
        t = self.lets.get(e.name)
        if t is None:  # computed on no route (its `let` is dead code): an assert reads it as missing
            return self._never_computed(e.name)
        defined = self.computed[e.name].expr if in_assert else None
        if not in_assert:
            self.reads.append(Read(e.name, False, guard, self.site))
        return Term(t.value, t.kind, defined, t.reads, t.hard, t.question)

    def _never_computed(self, name: str) -> Term:
        """A derived value no route computes: a fresh variable of its type, never defined."""
        typ = next(d.type for d in self.flow.derived if d.id == name)
        kind = {"bool": "bool", "int": "int", "decimal": "real", "date": "date", "text": "text"}.get(typ)
        if kind is None:  # pragma: no cover - lets have no other types
            raise TypeError(f"a derived value of type {typ}")
        make = {"bool": z3.Bool, "real": z3.Real}.get(kind, z3.Int)
        return Term(make(f"{name}~never", self.ctx), kind, self.false)

    def _fact_ref(self, e: M.FactRef, in_assert, guard) -> Term:
        name = e.name
        if name == "age":
            return Term(self.age, "int")
        if name == "birth_date":
            return Term(self.birth, "date")
        if name == "birth_year":
            return Term(self.calendar.year(self.birth), "int")
        if name == "is_proxy":
            return Term(self.proxy, "bool")
        if name == "region":
            return Term(self.region, "text")
        arg = e.args[0]
        if isinstance(arg, M.Literal):
            code = normalise_code(str(arg.value))
            return Term(self.invitation(code) if code else self.false, "bool")
        inner = self.term(arg, in_assert, guard)
        opaque = self.bool(f"has_invitation~{arg.span.start}~{arg.span.end}")
        return Term(opaque, "bool", inner.defined, inner.reads,
                    inner.hard + ((e.span, "citizen.has_invitation() of a computed code"),))

    def _call(self, e: M.Call, in_assert, guard) -> Term:
        name = e.function
        if name == "answered":
            c = self.answered(e.args[0].question)
            return Term(c.expr, "bool", None, c.reads | {e.args[0].question})
        if name == "booked":  # asserts only: the gate's decision after the route (analysis.entitlement)
            from formflow.analysis.entitlement import booked_expr

            return Term(booked_expr(self, tuple(a.value for a in e.args)), "bool")
        if name == "count":
            parts = [self.term(a, in_assert, guard) for a in e.args]
            value = z3.Sum([z3.If(p.value, 1, 0) for p in parts])
            return Term(value, "int", _all_defined(parts), _reads(parts), _hard(parts))
        args = [self.term(a, in_assert, guard) for a in e.args]
        defined = _all_defined(args)
        if name == "round":
            digits = int(e.args[1].value)
            return Term(_round(args[0], digits), "int" if digits == 0 else "real", defined, args[0].reads, args[0].hard)
        if name in ("min", "max"):
            values, kind = _promote(args)
            best = values[0]
            for v in values[1:]:
                best = z3.If(v < best if name == "min" else v > best, v, best)
            return Term(best, kind, defined, _reads(args), _hard(args))
        if name == "abs":
            v = args[0].value
            return Term(z3.If(v >= 0, v, -v), args[0].kind, defined, args[0].reads, args[0].hard)
        if name == "add_months":
            value, defined = self._moved(e, self.calendar.add_months(args[0].value, args[1].value), guard,
                                         _reads(args), in_assert, defined)
            return Term(value, "date", defined, _reads(args), _hard(args))
        if name == "years_between":
            return Term(self.calendar.years_between(args[0].value, args[1].value), "int", defined, _reads(args),
                        _hard(args))
        raise TypeError(name)  # pragma: no cover

    def _op(self, e: M.Op, in_assert, guard) -> Term:
        op = e.op
        if op in ("and", "or"):
            return self._logical(e, in_assert, guard)
        if op == "not":
            inner = self.term(e.args[0], in_assert, guard)
            return Term(z3.Not(inner.value), "bool", inner.defined, inner.reads, inner.hard)
        if op in ("neg", "pos"):
            inner = self.term(e.args[0], in_assert, guard)
            return Term(-inner.value if op == "neg" else inner.value, inner.kind, inner.defined, inner.reads, inner.hard)
        left, right = (self.term(a, in_assert, guard) for a in e.args)
        if op in ("==", "!=", "<", "<=", ">", ">="):
            return self._compare(op, left, right, in_assert)
        return self._arith(e, op, left, right, guard, in_assert)

    def _logical(self, e: M.Op, in_assert, guard) -> Term:
        """`and`/`or` inside a value (routing, or a part of an assert such as `count(a and b)`):
        the simulator stops at the first false (and) / true (or) operand, so a later operand's
        missing read faults only when it is evaluated."""
        parts, g = [], guard
        for a in e.args:
            t = self.term(a, in_assert, g)
            parts.append(t)
            g = z3.And(g, t.value) if e.op == "and" else z3.And(g, z3.Not(t.value))
        value = z3.And([p.value for p in parts]) if e.op == "and" else z3.Or([p.value for p in parts])
        defined = None
        for p in reversed(parts):  # defined: d1 and (v1 -> d2 and (v2 -> ...)) for `and`
            rest = p.defined if defined is None else z3.And(
                p.defined if p.defined is not None else self.true,
                z3.Implies(p.value if e.op == "and" else z3.Not(p.value), defined))
            defined = rest
        return Term(value, "bool", defined, _reads(parts), _hard(parts))

    def _compare(self, op, left: Term, right: Term, in_assert) -> Term:
        if left.kind == "duration":
            equal = tuple(left.value) == tuple(right.value)
            raw = self.true if equal == (op == "==") else self.false
        else:
            (a, b), _ = _promote([left, right])
            raw = _COMPARE[op](a, b)  # only the operator asked for: yes/no terms have no order
        return Term(raw, "bool", _all_defined([left, right]), left.reads | right.reads, left.hard + right.hard)

    def _arith(self, e: M.Op, op, left: Term, right: Term, guard, in_assert: bool = False) -> Term:
        reads, hard, defined = left.reads | right.reads, left.hard + right.hard, _all_defined([left, right])
        if left.kind == "date" and right.kind == "date":
            return Term(left.value - right.value, "int", defined, reads, hard)
        if left.kind == "date" or right.kind == "date":
            day, span = (left, right) if left.kind == "date" else (right, left)
            amount, unit = span.value
            moved = self._shift(day.value, -amount if op == "-" else amount, unit)
            value, defined = self._moved(e, moved, guard, reads, in_assert, defined)
            return Term(value, "date", defined, reads, hard)
        if op == "/":
            a = _as_real(left)
            b = _as_real(right)
            if not _nonzero_constant(right.value):
                hard += ((e.span, "division by a value"),)
                if in_assert:  # the simulator reads a part of an assert that divides by zero as false
                    defined = b != 0 if defined is None else z3.And(defined, b != 0)
                else:
                    self.divisions.append(Division(e.span, b, guard, self.site, reads))
            return Term(a / b, "real", defined, reads, hard)
        (a, b), kind = _promote([left, right])
        if op == "*":
            if not (_is_constant(left.value) or _is_constant(right.value)):
                hard += ((e.span, "multiplication of two values"),)
            return Term(a * b, kind, defined, reads, hard)
        return Term(a + b if op == "+" else a - b, kind, defined, reads, hard)

    def _test(self, e: M.Test, in_assert, guard) -> Term:
        if isinstance(e.subject, M.OutcomeRef):
            return Term(self._outcome_test(e), "bool")
        s = self.term(e.subject, in_assert, guard)
        if s.kind == "bool":
            wanted = [c == "yes" for c in e.codes]
            hits = [s.value == (self.true if w else self.false) for w in wanted]
        elif s.kind == "choice":
            codes = [o.code for o in self.flow.question(s.question).options]
            hits = [s.value == codes.index(c) for c in e.codes]
        else:  # choices
            hits = [s.value[c] for c in e.codes]
        raw = {"is": hits[0], "is_not": z3.Not(hits[0]), "in": z3.Or(hits), "has": hits[0],
               "has_any": z3.Or(hits), "has_all": z3.And(hits)}[e.op]
        return Term(raw, "bool", s.defined, s.reads, s.hard)

    def _outcome_test(self, e: M.Test):
        ref = e.subject
        outcomes = self.flow.outcomes
        if ref.attr == "kind":
            members = [[i for i, o in enumerate(outcomes) if o.kind == c] for c in e.codes]
        elif ref.attr == "urgency":
            members = [[i for i, o in enumerate(outcomes) if o.urgency == c] for c in e.codes]
        else:
            members = [[next(i for i, o in enumerate(outcomes) if o.id == c)] for c in e.codes]
        hits = [z3.Or([self.outcome == i for i in m]) if m else self.false for m in members]
        if e.op == "is":
            return hits[0]
        if e.op == "is_not":
            return z3.Not(hits[0])
        return z3.Or(hits)


_HANDLERS = {M.Literal: Encoder._literal, M.Today: Encoder._today, M.AnswerRef: Encoder._answer_ref,
             M.ValueRef: Encoder._value_ref, M.FactRef: Encoder._fact_ref, M.Call: Encoder._call,
             M.Op: Encoder._op, M.Test: Encoder._test}


# ---------------------------------------------------------------- helpers

_COMPARE = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _number(text: str, like):
    if z3.is_real(like):
        return z3.RealVal(str(Decimal(text)), like.ctx)
    return z3.IntVal(int(Decimal(text)), like.ctx)


def _offsets_ordered(low: M.Bound, high: M.Bound) -> bool:
    """today + a <= today + b on every day: exact within months/years and within days/weeks; across
    the two only when it holds for every month length."""
    months, days = {"months": 1, "years": 12}, {"days": 1, "weeks": 7, "": 0}
    if low.unit in months and high.unit in months:
        return low.amount * months[low.unit] <= high.amount * months[high.unit]
    if low.unit in days and high.unit in days:
        return low.amount * days[low.unit] <= high.amount * days[high.unit]
    return _day_range(low)[1] <= _day_range(high)[0]


def _day_range(bound: M.Bound) -> tuple[int, int]:
    """The fewest and most days `today + amount unit` is away from today."""
    short, long_ = {"": (0, 0), "days": (1, 1), "weeks": (7, 7), "months": (28, 31), "years": (365, 366)}[bound.unit]
    a, b = bound.amount * short, bound.amount * long_
    return min(a, b), max(a, b)


def _reads(terms) -> frozenset:
    return frozenset().union(*(t.reads for t in terms))


def _hard(terms) -> tuple:
    return sum((t.hard for t in terms), ())


def _all_defined(terms):
    """Whether every term has a value (None: always)."""
    parts = [t.defined for t in terms if t.defined is not None]
    return None if not parts else parts[0] if len(parts) == 1 else z3.And(parts)


def _as_real(t: Term):
    return z3.ToReal(t.value) if t.kind == "int" else t.value


def _promote(terms) -> tuple[list, str]:
    """Whole numbers meet decimals as rationals; dates, texts and yes/no compare as they are."""
    if any(t.kind == "real" for t in terms):
        return [_as_real(t) for t in terms], "real"
    return [t.value for t in terms], terms[0].kind


def _is_constant(term) -> bool:
    simplified = z3.simplify(term)
    return z3.is_int_value(simplified) or z3.is_rational_value(simplified)


def _nonzero_constant(term) -> bool:
    return _is_constant(term) and not z3.is_true(z3.simplify(term == 0))


def _round(t: Term, digits: int):
    """round(x, d): halves away from zero, as Decimal's ROUND_HALF_UP."""
    if t.kind == "int":
        return t.value if digits == 0 else z3.ToReal(t.value)
    scale = 10 ** digits
    half = z3.RealVal("1/2", t.value.ctx)
    x = t.value
    rounded = z3.If(x >= 0, z3.ToInt(x * scale + half), -z3.ToInt(-x * scale + half))
    return rounded if digits == 0 else z3.ToReal(rounded) / scale


def _text_answer_ok(q: M.Question, text: str) -> bool:
    """Whether a text written in the flow is a valid answer to a text question (the parser strips)."""
    from formflow.simulate.answers import text_answer_problem

    return text == text.strip() and text_answer_problem(q, text) is None


def _text_table(flow: M.Flow) -> tuple[str, ...]:
    """Every text literal of the flow and every county code, sorted: the indices of text terms."""
    found = set(COUNTY_CODES)
    for e in expressions(flow):
        for node in nodes(e):
            if isinstance(node, M.Literal) and node.type == "text":
                found.add(node.value)
    return tuple(sorted(found))


def expressions(flow: M.Flow):
    """Every expression the analysis reads: conditions, derived values, asserts, gate routes and
    pdf colour rules."""
    for d in flow.derived:
        yield d.expr
    for stmt in statements(flow.body):
        if isinstance(stmt, M.If):
            yield from (b.condition for b in stmt.branches if b.condition is not None)
    for a in getattr(flow, "asserts", ()):
        if a.premise is not None:
            yield a.premise
        yield a.conclusion
    for gate in flow.gates:
        yield from (r.condition for r in gate.routes)
    for pdf in flow.pdfs:
        yield from (row.red_when for row in pdf.rows if row.red_when is not None)


def statements(body):
    """Every statement in pre-order (flow order)."""
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, M.PageBlock):
            stack.extend(reversed(stmt.body))
        elif isinstance(stmt, M.If):
            for branch in reversed(stmt.branches):
                stack.extend(reversed(branch.body))


def nodes(expr):
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (M.Op, M.Call, M.FactRef)):
            stack.extend(node.args)
        elif isinstance(node, M.Test):
            stack.append(node.subject)

