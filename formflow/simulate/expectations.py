"""A scenario's `expect`, typed against the compiled flow, and compared with a walk.

Every name in an expectation must exist in the flow (outcome, question, derived value, outcome
kind) and every expected value must fit its derived value's type: an expectation that cannot hold
would make a scenario pass or fail for the wrong reason, so it is a diagnostic (FF609, with the
nearest name) and the scenario is not run. `pdf` is read and compared by `pdf_expect`, `booking`
by `booking_expect` (on the decision of the flow's gate configuration).

Semantics, as documented in the reference (section 18):

- `outcome`, `outcome_kind`: the outcome the citizen gets (after triggers), and its kind.
- `asked`: each of these questions is on the route; `not_asked`: none of these is. Other questions
  may or may not be asked — list what the story is about, not the whole route.
- `values`: derived value → its value on the route; `null` means "not computed on this route".
- `triggered`: exactly these outcomes were triggered on the route (order and repeats do not
  matter); `[]` means none was.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from formflow.diagnostics.model import Diagnostic, Label, make
from formflow.inputs.yamlnode import (YMap, YScalar, YSeq, as_bool, as_date, as_decimal, as_int, as_list, as_text,
                                      check_keys, head)
from formflow.simulate.booking_expect import read_booking_expectation
from formflow.simulate.pdf_expect import compare_pdf, read_pdf_expectation
from formflow.simulate.program import Program
from formflow.simulate.values import show
from formflow.simulate.walk import Walk
from formflow.source import Source

KEYS = ("outcome", "outcome_kind", "asked", "not_asked", "values", "triggered", "pdf", "booking")
KINDS = ("emergency", "self_care", "chat", "video", "visit", "booking", "not_eligible", "information")
NOT_COMPUTED = "(not computed on this route)"  # the expected value `null`, and a value the route never set
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,63}")
_DURATION = re.compile(r"(-?[0-9]+) (days|weeks|months|years)")


@dataclass(frozen=True)
class Expectation:
    outcome: str | None = None
    outcome_kind: str | None = None
    asked: tuple[str, ...] = ()
    not_asked: tuple[str, ...] = ()
    values: tuple[tuple[str, object], ...] = ()  # (derived value, typed value or NOT_COMPUTED)
    triggered: tuple[str, ...] | None = None  # None: not checked
    pdf: object = None  # a pdf_expect.PdfExpectation, or None: not checked
    booking: object = None  # a booking_expect.BookingExpectation, or None: not checked


@dataclass(frozen=True)
class Mismatch:
    """One expectation that does not hold, as a line of the diff."""

    what: str  # "outcome", "asked", "value bmi", ...
    expected: str
    actual: str
    summary: str = ""  # the line, when "expected ..., got ..." does not read well

    def line(self) -> str:
        return self.summary or f"{self.what}: expected {self.expected}, got {self.actual}"


# ---------------------------------------------------------------------------------------- reading

def read_expectation(program: Program, node: YMap, source: Source) -> tuple[Expectation | None, list[Diagnostic]]:
    """The typed expectation, or None and every problem (unknown names with did-you-mean, types)."""
    diags = check_keys(node, source, (), KEYS)
    if not any(node.get(k) is not None for k in ("outcome", "outcome_kind")):
        diags.append(make("FF512", "missing key 'outcome'", source, head(node), "'outcome' is required here",
                          help="say which outcome the citizen gets: `outcome: <id>` (or `outcome_kind: <kind>`)"))
    names = _Names(program, node, source, diags)
    outcome = names.one("outcome", program.outcomes, "outcome")
    kind = names.one("outcome_kind", dict.fromkeys(KINDS), "outcome kind")
    asked = names.many("asked", program.questions, "question")
    not_asked = names.many("not_asked", program.questions, "question")
    triggered = names.many("triggered", program.outcomes, "outcome") if node.get("triggered") is not None else None
    values = _values(program, node.get("values"), source, diags)
    pdf = read_pdf_expectation(program, node.get("pdf"), source, diags) if node.get("pdf") is not None else None
    booking = read_booking_expectation(node.get("booking"), source, diags) if node.get("booking") is not None else None
    diags += _contradictions(program, node, source, outcome, kind, asked, not_asked)
    if booking is not None and booking.allowed and outcome is not None and "booking" not in program.outcomes[outcome]:
        diags.append(make("FF609", f"a booking cannot be allowed after '{outcome}', which books nothing", source,
                          node.key_node("booking").span, "contradicts `outcome`",
                          help="expect `allowed: no`, or the booking outcome the route ends in"))
    if diags:
        return None, diags
    return Expectation(outcome, kind, asked, not_asked, values, triggered, pdf, booking), []


def _suggest(name: str, known, what: str, program: Program) -> str:
    if what == "derived value" and name in program.questions:
        return f"'{name}' is a question, not a derived value: check it with `asked`"
    near = difflib.get_close_matches(name, list(known), n=1)
    if near:
        return f"did you mean '{near[0]}'?"
    return f"the flow's {what}s are: {', '.join(known)}" if len(known) <= 12 else f"check the {what}s of the flow"


def _unknown(scalar: YScalar, known, what: str, source: Source, program: Program) -> Diagnostic:
    # Names are ids; anything else is not echoed (it could be personal data typed in the wrong place).
    shown = f"'{scalar.text}'" if _ID.fullmatch(scalar.text) else ""
    if what == "outcome kind":
        message = f"{shown or 'this'} is not an outcome kind"
    else:
        message = f"the flow '{program.flow_id}' has no {what} {shown}" if shown else \
            f"the flow '{program.flow_id}' has no such {what}"
    return make("FF609", message, source, scalar.span, f"no such {what}",
                help=_suggest(scalar.text, known, what, program))


class _Names:
    """Reads names under the keys of one `expect`, reporting unknown ones against the program."""

    def __init__(self, program: Program, node: YMap, source: Source, diags: list):
        self.program, self.node, self.source, self.diags = program, node, source, diags

    def one(self, key: str, known, what: str) -> str | None:
        value = self.node.get(key)
        if value is None:
            return None
        text, d = as_text(value, self.source, field=f"'{key}'")
        if d is None and text not in known:
            d = _unknown(value, known, what, self.source, self.program)
        if d:
            self.diags.append(d)
            return None
        return text

    def many(self, key: str, known, what: str) -> tuple[str, ...]:
        value = self.node.get(key)
        if value is None:
            return ()
        seq, d = as_list(value, self.source, field=f"'{key}'")
        if d:
            self.diags.append(d)
            return ()
        out = []
        for item in seq.items:
            text, d = as_text(item, self.source, field=f"a {what} id")
            if d is None and text not in known:
                d = _unknown(item, known, what, self.source, self.program)
            if d:
                self.diags.append(d)
            elif text not in out:
                out.append(text)
        return tuple(out)


def _values(program: Program, node, source: Source, diags: list) -> tuple[tuple[str, object], ...]:
    if node is None:
        return ()
    if not isinstance(node, YMap):
        diags.append(make("FF510", "expected a mapping (derived value: value) for 'values'", source, head(node),
                          "not a mapping", help="write one `name: value` line per derived value"))
        return ()
    types = {d["id"]: d["type"] for d in program.doc["derived"]}
    out = []
    for key, value in node.items:
        if key.text not in types:
            diags.append(_unknown(key, types, "derived value", source, program))
            continue
        typed, d = typed_value(types[key.text], value, source, key.text)
        if d:
            diags.append(d)
        else:
            out.append((key.text, typed))
    return tuple(out)


def typed_value(kind: str, node, source: Source, name: str):
    """An expected value of a derived value's type: (value, None) or (None, FF609)."""
    if isinstance(node, YScalar) and node.is_null:
        return NOT_COMPUTED, None
    field = f"'{name}'"
    if kind == "choices":
        return _choices(node, source, field)
    converter = {"bool": as_bool, "int": as_int, "decimal": as_decimal, "date": as_date}.get(kind, as_text)
    value, d = converter(node, source, field=field)
    if d is None and kind == "duration":
        value, d = _duration(node, value, source, field)
    if d is not None:
        d = make("FF609", f"the expected value of '{name}' does not fit its type ({_TYPE_WORDS.get(kind, kind)})",
                 source, d.primary.span if d.primary else head(node), d.primary.message if d.primary else "",
                 help=d.help)
    return value, d


_TYPE_WORDS = {"bool": "yes/no", "int": "a whole number", "decimal": "a number", "date": "a date YYYY-MM-DD",
               "text": "a text", "duration": "a duration such as 6 weeks", "choices": "a list of option codes",
               "choice": "an option code"}


def _duration(node, text: str, source: Source, field: str):
    m = _DURATION.fullmatch(text.strip())
    if not m:
        return None, make("FF510", f"expected a duration for {field}", source, node.span, "not a duration",
                          help="write it like 6 weeks (days, weeks, months or years)")
    return (int(m.group(1)), m.group(2)), None


def _choices(node, source: Source, field: str):
    seq, d = as_list(node, source, field=field)
    if d:
        return None, d
    codes = []
    for item in seq.items:
        text, d = as_text(item, source, field=field)
        if d:
            return None, d
        codes.append(text)
    return frozenset(codes), None


def _contradictions(program, node: YMap, source, outcome, kind, asked, not_asked) -> list[Diagnostic]:
    out = []
    for q in sorted(set(asked) & set(not_asked), key=asked.index):
        spans = [_item_span(node.get(k), q) for k in ("asked", "not_asked")]
        out.append(make("FF609", f"'{q}' is both in 'asked' and in 'not_asked'", source, spans[1], "not asked",
                        secondary=(Label(spans[0], "asked"),), help="keep it in one of the two lists"))
    if outcome and kind and program.outcomes[outcome]["kind"] != kind:
        out.append(make("FF609", f"the outcome '{outcome}' is of kind {program.outcomes[outcome]['kind']}, not {kind}",
                        source, node.get("outcome_kind").span, "contradicts 'outcome'",
                        help="remove outcome_kind, or correct it"))
    return out


def _item_span(seq, name: str):
    if isinstance(seq, YSeq):
        for item in seq.items:
            if isinstance(item, YScalar) and item.text == name:
                return item.span
    return head(seq)


# ---------------------------------------------------------------------------------------- comparing

def compare(program: Program, expect: Expectation, walk: Walk, citizen=None) -> tuple[Mismatch, ...]:
    """Every expectation that does not hold for this (finished) walk, in the order of the keys.
    `citizen` (the verified citizen) is needed only for `pdf` expectations."""
    out: list[Mismatch] = []
    out += _outcome(program, expect, walk)
    asked = set(walk.asked)
    missing = [q for q in expect.asked if q not in asked]
    if missing:
        names = ", ".join(missing)
        out.append(Mismatch("asked", f"{names} asked", "not asked",
                            f"{names} {'was' if len(missing) == 1 else 'were'} not asked (expected in 'asked')"))
    extra = [q for q in expect.not_asked if q in asked]
    if extra:
        names = ", ".join(extra)
        out.append(Mismatch("not_asked", f"{names} not asked", "asked",
                            f"{names} {'was' if len(extra) == 1 else 'were'} asked (expected in 'not_asked')"))
    for name, expected in expect.values:
        actual = walk.values.get(name, NOT_COMPUTED)
        if not _same(expected, actual):
            out.append(_value_mismatch(name, expected, actual))
    if expect.triggered is not None:
        got = tuple(dict.fromkeys(walk.triggered))
        if set(got) != set(expect.triggered):
            out.append(Mismatch("triggered", _list(expect.triggered), _list(got)))
    if expect.pdf is not None and citizen is not None:
        out += [Mismatch(what, expected, actual) for what, expected, actual in
                compare_pdf(program, expect.pdf, walk, citizen)]
    return tuple(out)


def _outcome(program: Program, expect: Expectation, walk: Walk) -> list[Mismatch]:
    actual = walk.outcome
    kind = program.outcomes[actual]["kind"] if actual else None
    out = []
    if expect.outcome is not None and expect.outcome != actual:
        shown = f"{actual} ({kind})" if actual else "no outcome"
        out.append(Mismatch("outcome", f"{expect.outcome} ({program.outcomes[expect.outcome]['kind']})", shown))
    elif expect.outcome_kind is not None and expect.outcome_kind != kind:
        out.append(Mismatch("outcome_kind", expect.outcome_kind, f"{kind} (outcome {actual})" if actual else "none"))
    return out


def _same(expected, actual) -> bool:
    if expected is NOT_COMPUTED or actual is NOT_COMPUTED:
        return expected is actual
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return expected == actual


def _value_mismatch(name: str, expected, actual) -> Mismatch:
    """A value that differs; free text only by its length and the first character that differs,
    because test output is kept by CI and a text value may be a citizen's own words."""
    def text(value) -> bool:
        return isinstance(value, str) and value is not NOT_COMPUTED

    if not (text(expected) or text(actual)):
        return Mismatch(f"value {name}", _shown(expected), _shown(actual))
    if not (text(expected) and text(actual)):
        return Mismatch(f"value {name}", _private(expected), _private(actual))
    at = next((i for i, (a, b) in enumerate(zip(expected, actual)) if a != b), min(len(expected), len(actual)))
    return Mismatch(f"value {name}", _private(expected), f"{_private(actual)}, different from character {at + 1}")


def _private(value) -> str:
    if isinstance(value, str) and value is not NOT_COMPUTED:
        return f"a text of {len(value)} character{'s' if len(value) != 1 else ''}"
    return _shown(value)


def _shown(value) -> str:
    return value if value is NOT_COMPUTED else show(value)


def _list(names) -> str:
    return "[" + ", ".join(names) + "]"
