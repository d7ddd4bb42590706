"""Random walk-throughs of a form: many citizens, many answers, every problem with files to replay it.

The checker proves what it can about every route; `explore` tries the routes a proof does not
cover — a division by zero when two answers happen to be equal, a date bound that leaves no valid
answer, an author's property (`assertions`) that fails for one citizen in a thousand. Random
values seldom hit such places, so the randomness is aimed: ages land on and next to the ages the
flow compares with (`citizen.age >= 65` gives 64, 65 and 66, on the birthday and the day before),
numbers on their bounds and on the thresholds the flow compares them with, decimals on rounding
halves, dates on `today - 4 weeks` and its neighbours, and an answer sometimes equals another
answer it is subtracted from or compared with.

Everything comes from one `random.Random(seed)`: the same form, seed and count give the same
citizens, answers, outcomes and problems on every machine. Answers are made up lazily, when the
route first asks a question, so one walk makes exactly the answers it needs (see `_Answers`).

Every problem — a runtime fault, a dead end, a question no valid answer exists for (the walk can
never finish), an exception out of formflow itself, a failed assertion — is kept once per kind and
place, with the first citizen and answers that showed it; with `out_dir` they are written as a
citizen file and an answers file that `formflow simulate FLOW --citizen C --answers A` replays.
"""

from __future__ import annotations

import datetime as dt
import math
import mimetypes
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

from formflow import testdata
from formflow.inputs.citizen import COUNTY_CODES, Citizen, age_on, normalise_code
from formflow.inputs.personnummer import PersonalNumber
from formflow.inputs.yamlnode import STOCKHOLM
from formflow.simulate import yamlout
from formflow.simulate.answers import date_bound
from formflow.simulate.program import Program
from formflow.simulate.routing import SKIPPED
from formflow.simulate.values import RuntimeFault, add_months
from formflow.simulate.walk import Walk, walk

COUNTIES = tuple(sorted(COUNTY_CODES))  # a citizen from "another region" lives in one of these
PROXY_AGE = 13  # the 1177 ombud function is for children under 13
NOON = dt.time(12, 0)  # `now` at noon: never near midnight or a summer-time switch
P_SKIP = 0.2  # an optional question is left out this often
P_AIMED = 0.5  # a value is taken from the aimed candidates this often, else uniformly
P_PEER = 0.2  # a number or date equals (or is next to) a related answer this often
LEANS = (0.03, 0.15, 0.5, 0.85)  # how often a citizen answers yes: one of these per walk

Assertions = Callable[[Walk], list]


# ---------------------------------------------------------------------------------------- results

def make_citizen(number: str, proxy_for: str | None, region: str, invitations, today: dt.date) -> Citizen:
    """A citizen as a citizen file would load: test personnummer only, `now` at noon Swedish time."""
    child = _person(proxy_for) if proxy_for else None
    codes = tuple(sorted({normalise_code(c) for c in invitations}))
    return Citizen(_person(number), child, region, codes, dt.datetime.combine(today, NOON, tzinfo=STOCKHOLM))


def _person(digits12: str) -> PersonalNumber:
    return PersonalNumber(digits12, testdata.birth_date(digits12))


@dataclass(frozen=True)
class Problem:
    """One kind of problem at one place, with the first citizen and answers that showed it."""

    kind: str  # fault | dead_end | unfinished | crash | assertion
    place: str  # where in the flow (a line, a question), or the failed assertion
    message: str
    count: int  # walks that showed it
    walk: int  # the index of the first such walk
    citizen: Citizen
    answers: dict  # question id -> typed answer, in route order (optional ones left out are absent)
    replays: bool  # walking these answers again (a plain dict, complete=True) gives the same problem
    files: tuple[Path, ...] = ()  # (citizen file, answers file) when written


@dataclass(frozen=True)
class Exploration:
    flow_id: str
    walks: int
    seed: int
    seconds: float
    outcomes: dict  # every outcome of the form, in form order -> how many walks ended in it
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def walks_per_second(self) -> float:
        return self.walks / self.seconds if self.seconds > 0 else math.inf

    @property
    def unreached(self) -> tuple[str, ...]:
        return tuple(o for o, count in self.outcomes.items() if count == 0)


# ---------------------------------------------------------------------------------------- what the flow compares

@dataclass
class Hints:
    """Constants and relations read from the form's expressions, to aim the random values at."""

    ages: set = field(default_factory=set)
    birth_years: set = field(default_factory=set)
    birth_offsets: set = field(default_factory=set)  # (months, days): born that long before today
    birth_dates: set = field(default_factory=set)
    today_dates: set = field(default_factory=set)  # dates the flow compares `today` with
    regions: set = field(default_factory=set)
    invitations: set = field(default_factory=set)
    numbers: dict = field(default_factory=dict)  # qid -> thresholds
    texts: dict = field(default_factory=dict)  # qid -> literal texts compared with
    dates: dict = field(default_factory=dict)  # qid -> anchors (base, months, days)
    peers: dict = field(default_factory=dict)  # qid -> answers it is combined or compared with
    roundings: dict = field(default_factory=dict)  # qid -> digits of round() over it
    latest: dt.date | None = None  # the latest date written in the form

    def add(self, table: dict, qid: str, item) -> None:
        table.setdefault(qid, set()).add(item)


def read_hints(program: Program) -> Hints:
    doc = program.doc
    lets = {d["id"]: d["expr"] for d in doc["derived"]}
    hints = Hints()
    roots = [c.expr for c in program.conditions] + list(lets.values())
    for node in _nodes(roots):
        _visit(node, lets, hints)
    literals = [_literal_date(n) for n in _nodes(roots)]
    for q in program.questions.values():
        literals += [dt.date.fromisoformat(q[k]["date"]) for k in ("min", "max") if "date" in q.get(k, {})]
    literals = [d for d in literals if d is not None]
    hints.latest = max(literals) if literals else None
    return hints


def _nodes(roots):
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in node.get("args", ()) if isinstance(c, dict))
        if "subject" in node:
            stack.append(node["subject"])


def _literal_date(node) -> dt.date | None:
    return dt.date.fromisoformat(node["value"]) if node["op"] == "literal" and node["type"] == "date" else None


def _visit(node, lets, hints: Hints) -> None:
    op = node["op"]
    if op == "fact" and node["name"] == "has_invitation" and node["args"][0]["op"] == "literal":
        hints.invitations.add(node["args"][0]["value"])
    elif op == "call" and node["function"] == "round":
        for qid in _answers_in(node["args"][0], lets, ("decimal",)):
            hints.add(hints.roundings, qid, int(node["args"][1]["value"]))
    if op in ("<", "<=", ">", ">=", "==", "!="):
        _compare(node, lets, hints)
    if op in ("<", "<=", ">", ">=", "==", "!=", "+", "-", "*", "/"):
        _relate(node, lets, hints)


def _answers_in(node, lets, types=("int", "decimal", "date")) -> set:
    """The answers an expression reads, also through the derived values it reads."""
    found, seen, stack = set(), set(), [node]
    while stack:
        for n in _nodes([stack.pop()]):
            if n["op"] == "answer" and n["type"] in types:
                found.add(n["question"])
            elif n["op"] == "value" and n["name"] in lets and n["name"] not in seen:
                seen.add(n["name"])
                stack.append(lets[n["name"]])
    return found


def _relate(node, lets, hints: Hints) -> None:
    """Answers on the two sides of one operator are peers: `a - b`, `a < b`."""
    left, right = (_answers_in(a, lets) for a in node["args"])
    for a in left:
        for b in right:
            if a != b:
                hints.add(hints.peers, a, b)
                hints.add(hints.peers, b, a)


def _compare(node, lets, hints: Hints) -> None:
    a, b = node["args"]
    for x, y in ((a, b), (b, a)):
        number = _number(y)
        if number is not None:
            _number_threshold(x, number, lets, hints)
        if y["op"] == "literal" and y["type"] == "text":
            _text_literal(x, y["value"], hints)
    dates = _date_form(a, lets), _date_form(b, lets)
    if None not in dates:
        _date_relation(*dates, hints)
        _date_relation(*reversed(dates), hints)


def _number(node):
    if node["op"] == "literal" and node["type"] in ("int", "decimal"):
        return Decimal(node["value"])
    if node["op"] == "neg":
        inner = _number(node["args"][0])
        return None if inner is None else -inner
    return None


def _resolve(node, lets, depth=0):
    """A derived value's expression in place of the value (so `symptom_days >= 7` is seen through)."""
    while node["op"] == "value" and node["name"] in lets and depth < 20:
        node, depth = lets[node["name"]], depth + 1
    return node


def _number_threshold(node, number, lets, hints: Hints) -> None:
    rounded = _resolve(node, lets)
    if rounded["op"] == "call" and rounded["function"] == "round":  # round(temp, 1) > 39: 38.95 and 39.05
        half = Decimal(5).scaleb(-int(rounded["args"][1]["value"]) - 1)
        for edge in (number - half, number, number + half):
            _number_threshold(rounded["args"][0], edge, lets, hints)
        return
    linear = _linear(node, lets)
    if linear is not None:
        (kind, name), offset = linear
        if kind == "answer":
            hints.add(hints.numbers, name, number - offset)
        elif name == "age":
            hints.ages.add(int(number - offset))
        elif name == "birth_year":
            hints.birth_years.add(int(number - offset))
        return
    node = _resolve(node, lets)
    if node["op"] == "-" and all(a["type"] == "date" for a in node["args"]):  # date - date, in days
        forms = [_date_form(a, lets) for a in node["args"]]
        if None not in forms:
            days = int(number)
            (base, months, d), later = forms[1], forms[0]
            _date_relation(later, (base, months, d + days), hints)
            _date_relation((base, months, d + days), later, hints)
    elif node["op"] == "call" and node["function"] == "years_between":
        forms = [_date_form(a, lets) for a in node["args"]]
        if None not in forms:
            (base, months, days), later = forms[0], forms[1]
            shifted = (base, months + 12 * int(number), days)
            _date_relation(later, shifted, hints)
            _date_relation(shifted, later, hints)


def _linear(node, lets, depth=0):
    """((kind, name), offset) when `node` is an answer or a numeric fact plus a constant."""
    node = _resolve(node, lets)
    op = node["op"]
    if op == "answer" and node["type"] in ("int", "decimal"):
        return ("answer", node["question"]), Decimal(0)
    if op == "fact" and node["name"] in ("age", "birth_year"):
        return ("fact", node["name"]), Decimal(0)
    if op == "pos" or depth > 20:
        return _linear(node["args"][0], lets, depth + 1) if op == "pos" else None
    if op in ("+", "-"):
        left, right = node["args"]
        constant = _number(right)
        if constant is not None:
            inner = _linear(left, lets, depth + 1)
            return None if inner is None else (inner[0], inner[1] + (constant if op == "+" else -constant))
        constant = _number(left)
        if constant is not None and op == "+":
            inner = _linear(right, lets, depth + 1)
            return None if inner is None else (inner[0], inner[1] + constant)
    return None


def _text_literal(node, text: str, hints: Hints) -> None:
    if node["op"] == "answer" and node["type"] == "text":
        hints.add(hints.texts, node["question"], text)
    elif node["op"] == "fact" and node["name"] == "region":
        hints.regions.add(text)


_DURATION = {"days": (0, 1), "weeks": (0, 7), "months": (1, 0), "years": (12, 0)}


def _date_form(node, lets, depth=0):
    """(base, months, days) when `node` is a date plus a constant duration; base is ("answer", qid),
    ("birth",), ("today",) or ("date", d)."""
    node = _resolve(node, lets)
    op = node["op"]
    if node["type"] != "date" or depth > 20:
        return None
    if op == "answer":
        return ("answer", node["question"]), 0, 0
    if op == "fact":
        return ("birth",), 0, 0
    if op == "today":
        return ("today",), 0, 0
    if op == "literal":
        return ("date", dt.date.fromisoformat(node["value"])), 0, 0
    if op == "call" and node["function"] == "add_months":
        amount = _number(node["args"][1])
        inner = _date_form(node["args"][0], lets, depth + 1)
        return None if inner is None or amount is None else (inner[0], inner[1] + int(amount), inner[2])
    if op in ("+", "-"):
        dates = [a for a in node["args"] if a["type"] == "date"]
        spans = [a for a in node["args"] if a["type"] == "duration" and a["op"] == "literal"]
        if len(dates) == 1 and len(spans) == 1:
            inner = _date_form(dates[0], lets, depth + 1)
            sign = -1 if op == "-" else 1
            months, days = (unit * spans[0]["amount"] * sign for unit in _DURATION[spans[0]["unit"]])
            return None if inner is None else (inner[0], inner[1] + months, inner[2] + days)
    return None


def _date_relation(subject, other, hints: Hints) -> None:
    """`subject` is compared with `other`: aim the subject's base at the other side."""
    (base, months, days), (obase, omonths, odays) = subject, other
    relative = (omonths - months, odays - days)
    if base[0] == "answer" and obase[0] in ("today", "date", "birth"):
        hints.add(hints.dates, base[1], (obase, *relative))
    elif base == ("birth",) and obase == ("today",):
        hints.birth_offsets.add(relative)
    elif base == ("birth",) and obase[0] == "date":
        hints.birth_dates.add(_shift(obase[1], *relative))
    elif base == ("today",) and obase[0] == "date":
        hints.today_dates.add(_shift(obase[1], *relative))


def _shift(day: dt.date, months: int, days: int) -> dt.date | None:
    try:
        return add_months(day, months) + dt.timedelta(days=days)
    except (RuntimeFault, OverflowError):
        return None


# ---------------------------------------------------------------------------------------- random citizens

EARLIEST_TODAY = dt.date(2021, 1, 1)
TODAY_SPAN_DAYS = 3 * 365


class Citizens:
    """Random citizens: a test personnummer's birth date, and a `today` that puts the age, the birth
    year or the age in months where the flow compares it — on the threshold and next to it."""

    def __init__(self, hints: Hints, region: str | None):
        latest_start = dt.date.max - dt.timedelta(days=TODAY_SPAN_DAYS)  # a flow may name 9999-12-31
        self.start = min(max(hints.latest or EARLIEST_TODAY, EARLIEST_TODAY), latest_start)
        self.today_dates = sorted(d for d in hints.today_dates if d is not None)
        # Only what a citizen file can say: county codes, invitation codes that are not blank.
        self.regions = sorted(r for r in hints.regions if r in COUNTY_CODES)
        self.home = region
        self.invitations = sorted(c for c in hints.invitations if normalise_code(c))
        aims = [(self._age, _around(hints.ages, 0, 120)),
                (self._birth_year, _around(hints.birth_years, 1890, 9998)),
                (self._months_old, sorted(hints.birth_offsets)),
                (self._born_on, sorted(d for d in hints.birth_dates if d is not None))]
        self.aims = [(aim, targets) for aim, targets in aims if targets]

    def make(self, rng: random.Random) -> Citizen:
        today = self._today(rng)
        if self.aims and rng.random() < 0.6:
            aim, targets = rng.choice(self.aims)
            born, today = aim(rng, today, rng.choice(targets))
        else:
            born, today = self._age(rng, today, rng.randint(0, 100), exact=False)
        proxy = age_on(testdata.birth_date(born), today) < PROXY_AGE and rng.random() < 0.6
        who = self._guardian(rng, today) if proxy else born
        return make_citizen(who, born if proxy else None, self._region(rng),
                            [c for c in self.invitations if rng.random() < 0.35], today)

    @staticmethod
    def _guardian(rng, today: dt.date) -> str:
        return _number_near(_shift(today, -12 * rng.randint(22, 55), -rng.randint(0, 364)) or today)

    def _today(self, rng) -> dt.date:
        if self.today_dates and rng.random() < 0.15:
            return _shift(rng.choice(self.today_dates), 0, rng.randint(-1, 1)) or self.start
        return self.start + dt.timedelta(days=rng.randint(0, TODAY_SPAN_DAYS))

    def _region(self, rng) -> str:
        if self.home and rng.random() < 0.75:
            return self.home
        if self.regions and rng.random() < 0.75:
            return rng.choice(self.regions)
        return rng.choice(COUNTIES)

    def _age(self, rng, today, age: int, exact: bool = True):
        """Born `age` years before today; when `exact`, today moves to the birthday or to the day before
        the next one (the two edges of that age), unless that would move it before the flow's dates."""
        number = _number_near(_shift(today, -12 * max(age, 0), -rng.randint(0, 364)) or today)
        born = testdata.birth_date(number)
        if exact:
            edge = rng.random()
            moved = (_shift(born, 12 * age, 0) if edge < 0.4 else
                     _shift(born, 12 * (age + 1), -1) if edge < 0.8 else None)
            return number, self._keep(moved, born, today)
        return number, self._keep(None, born, today)

    def _birth_year(self, rng, today, year: int):
        number = _number_near(dt.date(min(max(year, 1890), 9998), 1, 1) + dt.timedelta(rng.randint(0, 364)))
        return number, self._keep(None, testdata.birth_date(number), today)

    def _months_old(self, rng, today, offset):
        months, days = offset
        number = _number_near(_shift(today, months, days) or today)
        moved = _shift(testdata.birth_date(number), -months, -days + rng.randint(-1, 1))
        return number, self._keep(moved, testdata.birth_date(number), today)

    def _born_on(self, rng, today, day: dt.date):
        number = _number_near(day + dt.timedelta(days=rng.randint(-1, 1)))
        return number, self._keep(None, testdata.birth_date(number), today)

    def _keep(self, moved, born: dt.date, today: dt.date) -> dt.date:
        """`moved` when it is a usable today; else `today`, or the birth date if today is before it."""
        if moved is not None and moved >= max(born, self.start):
            return moved
        return max(today, born)


def _around(values, low: int, high: int) -> list[int]:
    """Each threshold and its two neighbours: `age >= 65` is decided between 64, 65 and 66."""
    return sorted({v + d for v in values for d in (-1, 0, 1)} & set(range(low, high + 1)))


def _number_near(day: dt.date) -> str:
    return testdata.nearest(day)


# ---------------------------------------------------------------------------------------- random answers

NO_ANSWER = object()  # no valid answer exists (an empty range): the walk stops at the question
_NONE = object()
DEFAULT_SPAN = 1000
TEXT_CAP = 200  # the longest random text when a question has no max_length
_WORDS = ("ont", "i", "halsen", "sedan", "igår", "feber", "hosta", "på", "nätterna", "åt", "ägg", "öra",
          "mycket", "lite", "Jönköping", "barnet", "sover", "dåligt")
_TRICKY = ("yes", "no", "Nej", "null", "~", "12", "010", "1,5", "-3", "2024-02-29", "a: b", "#ingen kommentar",
           "[x, y]", "- punkt", "'enkel'", '"dubbel"', "rad ett\nrad två", "tab\there", "100 %", "*stjärna",
           "&ankare", "!tagg", "@", "`", "{a: 1}", "ümlaut ø æ", "汉字", "emoji 🙂")
_FILES = ("intyg.pdf", "foto.jpg", "anteckning")


class Context:
    """What an answer may depend on: the random stream, the citizen's facts and today, earlier answers."""

    __slots__ = ("rng", "facts", "today", "given", "lean")

    def __init__(self, rng: random.Random, facts, given: dict):
        self.rng, self.facts, self.today, self.given = rng, facts, facts.today, given
        # How often this citizen says yes (and ticks an option). One rate per walk, not 50 % for every
        # question: a flow with four red flags in a row would otherwise end at one in 15 of 16 walks.
        self.lean = rng.choice(LEANS)

    def earlier(self, qids) -> list:
        """The answers already given to these questions (a plain read: `given.get` would make them up)."""
        given = self.given
        return [dict.__getitem__(given, q) for q in qids if dict.__contains__(given, q)]


class _Answers(dict):
    """Answers made up when the route first asks for them (`routing` reads answers with `.get`).

    One walk then makes exactly the answers on its route, and an answer can depend on those given
    before it (a peer). A question with no valid answer gets none: the walk stops there, pending.
    """

    __slots__ = ("makers", "context")

    def get(self, qid, default=None):
        value = dict.get(self, qid, _NONE)
        if value is not _NONE:
            return value
        maker = self.makers.get(qid)
        value = maker(self.context) if maker is not None else NO_ANSWER
        if value is NO_ANSWER:
            return default
        self[qid] = value
        return value


def answer_makers(program: Program, hints: Hints) -> dict:
    """question id -> (Context -> a valid answer, SKIPPED or NO_ANSWER), for every answerable question."""
    makers = {}
    for qid, q in program.questions.items():
        kind = q["type"]
        if kind == "info":
            continue
        make = _MAKERS[kind](q, hints)
        makers[qid] = make if q["required"] else _optional(make)
    return makers


def _optional(make):
    def maybe(c: Context):
        if c.rng.random() < P_SKIP:
            return SKIPPED
        value = make(c)
        return SKIPPED if value is NO_ANSWER else value
    return maybe


def _yes_no(q, hints):
    return lambda c: c.rng.random() < c.lean


def _acknowledge(q, hints):
    return lambda c: True


def _single(q, hints):
    codes = tuple(o["code"] for o in q["options"])
    return lambda c: c.rng.choice(codes)


def _multiple(q, hints):
    codes = tuple(o["code"] for o in q["options"] if not o["exclusive"])
    alone = tuple(frozenset([o["code"]]) for o in q["options"] if o["exclusive"])
    required = q["required"]

    def make(c: Context):
        rng = c.rng
        if alone and rng.random() < 0.2:
            return alone[0]
        chosen = frozenset(code for code in codes if rng.random() < c.lean)
        if not chosen and (required or rng.random() < 0.5):
            chosen = frozenset([rng.choice(codes)])
        return chosen
    return make


def _bounds(q, scale: int) -> tuple[int, int]:
    """The range of a number question in units of 1/scale (a default span where it is open)."""
    lo, hi = (Decimal(q[k]["number"]) if k in q else None for k in ("min", "max"))
    lo_u = math.ceil(lo * scale) if lo is not None else None
    hi_u = math.floor(hi * scale) if hi is not None else None
    if lo_u is None and hi_u is None:
        return -100 * scale, DEFAULT_SPAN * scale
    if lo_u is None:
        return hi_u - DEFAULT_SPAN * scale, hi_u
    return lo_u, hi_u if hi_u is not None else lo_u + DEFAULT_SPAN * scale


def _aimed_units(q, hints, scale: int, lo: int, hi: int) -> tuple[int, ...]:
    """Bounds, their neighbours, 0 and ±1, and every threshold the flow compares the answer with
    (and its neighbours), in units of 1/scale, inside the range."""
    units = {lo, lo + 1, hi - 1, hi, 0, scale, -scale}
    for t in hints.numbers.get(q["id"], ()):
        below, above = math.floor(t * scale), math.ceil(t * scale)
        units.update((below - 1, below, above, above + 1))
    return tuple(sorted(u for u in units if lo <= u <= hi))


def _number_maker(q, hints, places: int, halves: tuple[int, ...]):
    """A whole number (places 0, int) or a decimal with `places` decimals (Decimal), in range."""
    scale = 10 ** places
    lo, hi = _bounds(q, scale)
    aimed = _aimed_units(q, hints, scale, lo, hi)
    peers = tuple(sorted(hints.peers.get(q["id"], ())))
    to_value = (lambda u: u) if q["type"] == "integer" else (lambda u: Decimal(u).scaleb(-places))

    def make(c: Context):
        if lo > hi:
            return NO_ANSWER
        rng, unit = c.rng, None
        if peers and rng.random() < P_PEER:
            unit = _peer_units(c, peers, scale)
        if unit is None or not lo <= unit <= hi:
            r = rng.random()
            if r < P_AIMED:
                unit = rng.choice(aimed)
            elif halves and r < P_AIMED + 0.15:
                unit = _half(rng, rng.choice(halves), lo, hi)
            else:
                unit = rng.randint(lo, hi)
        return to_value(unit)
    return make


def _peer_units(c: Context, peers, scale: int) -> int | None:
    """Equal to, or one step from, an answer this one is combined with (`a - b`, `a < b`)."""
    values = [v for v in c.earlier(peers) if isinstance(v, (int, Decimal)) and not isinstance(v, bool)]
    if not values:
        return None
    return math.floor(c.rng.choice(values) * scale) + c.rng.randint(-1, 1)


def _half(rng, step: int, lo: int, hi: int) -> int:
    """A value halfway between two roundings (37.45 for one decimal), where `round` is tested."""
    base = rng.randint(lo // step, hi // step) * step + step // 2
    return base if lo <= base <= hi else rng.randint(lo, hi)


def _integer(q, hints):
    return _number_maker(q, hints, 0, ())


def _decimal(q, hints):
    rounds = hints.roundings.get(q["id"], set())
    allowed = q.get("decimals")
    places = allowed if allowed is not None else max([2] + [k + 1 for k in rounds])
    digits = {k for k in rounds if k < places} | ({places - 1} if places >= 1 else set())
    return _number_maker(q, hints, places, tuple(sorted(10 ** (places - k) for k in digits)))


def _text(q, hints):
    limit = q.get("max_length") or TEXT_CAP
    fits = lambda t: 0 < len(t) <= limit and t == t.strip()  # noqa: E731 - the parser strips
    tricky = tuple(t for t in _TRICKY if fits(t))
    compared = tuple(sorted(t for t in hints.texts.get(q["id"], ()) if fits(t)))
    longest = _filled(limit)

    def make(c: Context):
        rng = c.rng
        r = rng.random()
        if compared and r < 0.25:
            return rng.choice(compared)
        if r < 0.45 and tricky:
            return rng.choice(tricky)
        if r < 0.6:
            return longest
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 8)))
        return words[:limit].strip() or "x"
    return make


def _filled(length: int) -> str:
    """A text of exactly `length` characters, without spaces at its ends."""
    text = ("Ont i halsen åäö ÅÄÖ. " * (length // 20 + 1))[:length]
    return text[:-1] + "." if text.endswith(" ") else text


def _date(q, hints):
    anchors = tuple(sorted(hints.dates.get(q["id"], ()), key=repr))
    peers = tuple(sorted(hints.peers.get(q["id"], ())))
    low, high = q.get("min"), q.get("max")

    def make(c: Context):
        lo, hi = _date_range(low, high, c.today)
        if lo is None or lo > hi:
            return NO_ANSWER
        rng = c.rng
        if peers and rng.random() < P_PEER:
            near = [v for v in c.earlier(peers) if isinstance(v, dt.date)]
            day = _shift(rng.choice(near), 0, rng.randint(-1, 1)) if near else None
            if day is not None and lo <= day <= hi:
                return day
        if rng.random() < P_AIMED:
            aimed = _aimed_dates(c, anchors, lo, hi)
            return rng.choice(aimed)
        return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
    return make


def _date_range(low, high, today):
    """The valid range on `today`; an open side is ten years from the other (or from today)."""
    try:
        lo, hi = date_bound(low, today), date_bound(high, today)
        lo = lo or _shift(min(hi or today, today), -120, 0)
        hi = hi or _shift(max(lo, today), 120, 0)
    except RuntimeFault:
        return None, None
    return (lo, hi) if hi is not None else (None, None)


def _aimed_dates(c: Context, anchors, lo: dt.date, hi: dt.date) -> list:
    days = {lo, hi, _shift(lo, 0, 1), _shift(hi, 0, -1), c.today, _shift(c.today, 0, -1), _shift(c.today, 0, 1)}
    for base, months, offset in anchors:
        origin = c.today if base[0] == "today" else c.facts.birth_date if base[0] == "birth" else base[1]
        for delta in (-1, 0, 1):
            days.add(_shift(origin, months, offset + delta))
    return sorted(d for d in days if d is not None and lo <= d <= hi)


def _attachment(q, hints):
    names = _file_names(q.get("accept") or ())
    return lambda c: c.rng.choice(names) if names else NO_ANSWER


def _file_names(accept) -> tuple[str, ...]:
    """File names the answer parser accepts: one per extension that maps back to an accepted type.

    Common types use fixed extensions, so that the same seed names the same files on every
    machine; others ask the machine's table, as the parser does."""
    if not accept:
        return _FILES
    names = set()
    for media in accept:
        for ext in _EXTENSIONS.get(media) or mimetypes.guess_all_extensions(media, strict=False):
            name = f"bifogad{ext}"
            if mimetypes.guess_type(name, strict=False)[0] == media:
                names.add(name)
    return tuple(sorted(names))


_EXTENSIONS = {"image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",), "application/pdf": (".pdf",),
               "image/gif": (".gif",), "image/heic": (".heic",), "text/plain": (".txt",)}


_MAKERS = {"yes_no": _yes_no, "acknowledge": _acknowledge, "single": _single, "multiple": _multiple,
           "integer": _integer, "decimal": _decimal, "text": _text, "date": _date, "attachment": _attachment}


# ---------------------------------------------------------------------------------------- exploring

def explore(program: Program, n: int, seed: int, *, region: str | None = None,
            assertions: Assertions | None = None, out_dir: Path | None = None, gate=None) -> Exploration:
    """`n` random valid walk-throughs of `program`, reproducible with `seed`.

    `region`: the county code of the flow's home region ("13"); most citizens live there.
    `assertions`: called with every finished walk; each text it returns is a problem. The form's own
    `asserts` are always checked (see `asserts.violations`).
    `out_dir`: write a citizen file and an answers file for every problem (via `fsio`, atomically).
    `gate`: the flow's `api.GateSetup`; asserts that read `booked(...)` then read the gate evaluator's
    decision on every walk that books (`gate_decider`).
    """
    if region is not None and region not in COUNTY_CODES:
        raise ValueError("region must be a two-digit county code, such as \"13\"")
    outcomes = dict.fromkeys(program.outcomes, 0)
    found: dict[tuple[str, str], dict] = {}
    assertions = _checker(program, assertions, gate)
    start = time.perf_counter()
    for index, (citizen, answers, result) in enumerate(_runs(program, n, seed, region)):
        if isinstance(result, Walk) and result.outcome is not None:
            outcomes[result.outcome] += 1
        for kind, place, message in _problems_of(program, citizen, result, assertions):
            _note(found, index, kind, place, message, citizen, answers)
    seconds = time.perf_counter() - start
    problems = [_problem(program, entry, assertions) for entry in found.values()]
    if out_dir is not None:
        problems = [_with_files(program, p, number, seed, out_dir) for number, p in enumerate(problems, 1)]
    return Exploration(program.flow_id, n, seed, seconds, outcomes, tuple(problems))


@dataclass(frozen=True)
class Sample:
    """One random walk-through: the citizen, its answers as an answers file would give them (in route
    order; optional questions left out are absent), and the walk (None when formflow raised `error`)."""

    citizen: Citizen
    answers: dict
    walk: Walk | None
    error: Exception | None = None


def samples(program: Program, n: int, seed: int, *, region: str | None = None) -> Iterator[Sample]:
    """The walk-throughs `explore` makes, one by one (for tests, benchmarks and scenario seeds)."""
    for citizen, answers, result in _runs(program, n, seed, region):
        error = None if isinstance(result, Walk) else result
        yield Sample(citizen, _given(answers), None if error else result, error)


def _runs(program: Program, n: int, seed: int, region: str | None):
    """(citizen, answers as made up, the Walk or the exception out of walk()) for `n` random citizens."""
    rng = random.Random(seed)
    hints = read_hints(program)
    citizens, makers = Citizens(hints, region), answer_makers(program, hints)
    for _ in range(n):
        citizen = citizens.make(rng)
        facts = citizen.facts()
        answers = _Answers()
        answers.makers, answers.context = makers, Context(rng, facts, answers)
        try:
            result = walk(program, facts, answers, complete=True)
        except Exception as exc:  # noqa: BLE001 - an exception out of walk() is a bug in formflow: report it
            result = exc
        yield citizen, answers, result


def _given(answers: dict) -> dict:
    return {q: v for q, v in answers.items() if v is not SKIPPED}


def _problems_of(program: Program, citizen: Citizen, result, assertions) -> list[tuple[str, str, str]]:
    """(kind, place, message) of everything wrong with one walk."""
    if not isinstance(result, Walk):
        return [("crash", type(result).__name__, f"formflow failed: {type(result).__name__}: {result}")]
    if result.fault is not None:
        return [("fault", _at(result.fault.at), result.fault.message)]
    if result.pending is not None:
        q = program.questions[result.pending]
        return [("unfinished", f"question '{q['id']}'",
                 f"the route reaches '{q['id']}' (line {q['at']['line']}) but no answer to it is valid "
                 f"on {citizen.now.date()}")]
    if result.dead_end:
        place = _step(result.trace[-1]) if result.trace else "the start"
        return [("dead_end", place, f"the route ran out without reaching an end, after {place}")]
    if assertions is not None:
        return [("assertion", str(text), str(text)) for text in assertions(result, citizen)]
    return []


def _checker(program: Program, extra: Assertions | None, gate=None):
    """One function of (walk, citizen) for the form's asserts and the caller's `extra` checks."""
    from formflow.simulate.asserts import compile_asserts, reads_booking, violations

    compiled = compile_asserts(program.doc)
    if not compiled and extra is None:
        return None
    decide = gate_decider(program, gate) if compiled and reads_booking(program.doc) else None

    def check(walk: Walk, citizen) -> list:
        decision = decide(walk, citizen) if decide is not None else None
        found = [v.message for v in violations(program, compiled, walk, citizen.facts(), decision)] if compiled else []
        return found + (list(extra(walk)) if extra is not None else [])
    return check


def gate_decider(program: Program, gate):
    """(walk, citizen) -> the gate's decision, for walks that end in a booking (None otherwise).

    A random citizen's invitations come with the codes their letters carry (one per invitation), and
    they type the code of the first route, in order, whose invitation they hold — the citizen the
    region invited, booking as invited; no open invitations, lists or other bookings."""
    if gate is None or gate.config is None:
        return None
    from dataclasses import replace

    from formflow.booking.gate import evaluate
    from formflow.inputs.booking_state import BookingState, IssuedCode

    booking_outcomes = {b["outcome"] for b in gate.config["bookings"]}
    code_routes = [r["evidence"]["invitation_code"]["invitation"] for g in gate.config["gates"]
                   for r in g["routes"] if "invitation_code" in r["evidence"]]

    def decide(walk: Walk, citizen):
        if walk.outcome not in booking_outcomes:
            return None
        held = sorted(citizen.invitations)
        codes = tuple((name, f"KOD{n:03d}-{len(name):02d}") for n, name in enumerate(held))
        typed = next((dict(codes)[i.strip().casefold()] for i in code_routes if i.strip().casefold() in dict(codes)),
                     None)
        issued = tuple((name, IssuedCode(code)) for name, code in codes)
        who = replace(citizen, booking=BookingState(invitation_codes=issued))
        return evaluate(gate.config, program, walk, who, region=gate.region, code=typed)
    return decide


def _at(at) -> str:
    return f"line {at['line']}, column {at['column']}" if at else "an unknown place"


def _step(step) -> str:
    kind = step[0]
    if kind == "if":
        return f"condition #{step[1]}"
    return {"ask": "question", "let": "value", "page": "page"}.get(kind, kind) + f" '{step[1]}'"


def _note(found: dict, index: int, kind: str, place: str, message: str, citizen: Citizen, answers) -> None:
    entry = found.get((kind, place))
    if entry is None:
        found[(kind, place)] = {"kind": kind, "place": place, "message": message, "count": 1, "walk": index,
                                "citizen": citizen, "answers": _given(answers)}
    else:
        entry["count"] += 1


def _problem(program: Program, entry: dict, assertions) -> Problem:
    """Freeze a problem, after checking that its answers, as a file would give them, replay it."""
    try:
        result = walk(program, entry["citizen"].facts(), dict(entry["answers"]), complete=True)
    except Exception as exc:  # noqa: BLE001 - as in _runs
        result = exc
    again = _problems_of(program, entry["citizen"], result, assertions)
    replays = any(kind == entry["kind"] and place == entry["place"] for kind, place, _ in again)
    return Problem(entry["kind"], entry["place"], entry["message"], entry["count"], entry["walk"],
                   entry["citizen"], entry["answers"], replays)


def _with_files(program: Program, problem: Problem, number: int, seed: int, out_dir: Path) -> Problem:
    from dataclasses import replace

    from formflow.fsio import write_atomic

    stem = f"{program.flow_id}-{number:03d}-{problem.kind.replace('_', '-')}"
    citizen, answers = out_dir / f"{stem}.citizen.yaml", out_dir / f"{stem}.answers.yaml"
    comment = (f"formflow explore {program.flow_id} --seed {seed}: walk {problem.walk}, {problem.kind} at "
               f"{problem.place}\n{problem.message}\n"
               f"replay: formflow simulate <{program.flow_id}.flow> --citizen {citizen.name} --answers {answers.name}")
    write_atomic(citizen, yamlout.citizen(problem.citizen, comment).encode("utf-8"))
    write_atomic(answers, yamlout.mapping(problem.answers, comment).encode("utf-8"))
    return replace(problem, files=(citizen, answers))
