"""From a solver model to a concrete citizen and answers, walked through the compiled form.

The solver's model is only a claim. Every example the analyser reports is turned into what a
citizen file and an answers file would say — a birth date, a region, invitations, `now`, and one
typed answer per question on the route — and walked by `formflow.simulate.walk` on the compiled
form, the artifact that ships. Only what that walk does counts: a witness is a route the walk
really took, a counterexample an assert that really fails on it (`goals.py` checks).

*Scenario-grade* examples are the ones written to files: the subject of care then has one of
Skatteverket's test personnummer (`testdata.nearest`, born on exactly the model's birth date, which
the query is constrained to), a guardian acting as proxy has another, `now` is noon Swedish time,
and every answer is read back through the simulator's own answer parser from the text the file
will hold.
"""

from __future__ import annotations

import bisect
import datetime as dt
import mimetypes
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache

import z3

from formflow import testdata
from formflow.analysis.encode import Encoder
from formflow.analysis.evaluate import no_valid_date
from formflow.inputs.citizen import Citizen, Facts, normalise_code
from formflow.simulate import yamlout
from formflow.simulate.answers import AnswerError, parse_choices, parse_scalar
from formflow.simulate.explore import make_citizen
from formflow.simulate.program import Program
from formflow.simulate.walk import Walk, walk
from formflow.source import Source

ADULT_YEARS = 40  # a birth date for a citizen whose age the flow never reads
GUARDIAN_YEARS = 35
WITNESS_DECIMALS = 6  # an unbounded decimal answer is looked for with at most this many decimals
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Example:
    """A concrete citizen and answer set, and what the compiled form did with them."""

    facts: Facts
    answers: dict  # question id -> typed answer, in flow order (optional ones left out are absent)
    walk: Walk
    citizen: Citizen | None = None  # scenario-grade: test personnummer, `now`

    @property
    def outcome(self) -> str | None:
        return self.walk.outcome


# ---------------------------------------------------------------- test personnummer

@cache
def test_birth_days() -> tuple[int, ...]:
    """Day numbers of the birth dates that have a Skatteverket test personnummer, sorted."""
    return tuple(sorted({testdata.birth_date(n).toordinal() for n in testdata.numbers()}))


def nearest_test_days(day: int, count: int) -> list[int]:
    """The `count` test birth dates nearest to `day`, nearest first (earlier first on a tie)."""
    days = test_birth_days()
    i = bisect.bisect_left(days, day)
    lo, hi, out = i - 1, i, []
    while len(out) < count and (lo >= 0 or hi < len(days)):
        if hi >= len(days) or (lo >= 0 and day - days[lo] <= days[hi] - day):
            out.append(days[lo])
            lo -= 1
        else:
            out.append(days[hi])
            hi += 1
    return out


@cache
def _intervals() -> tuple[tuple[int, int], ...]:
    days = test_birth_days()
    out, start, prev = [], days[0], days[0]
    for d in days[1:]:
        if d != prev + 1:
            out.append((start, prev))
            start = d
        prev = d
    out.append((start, prev))
    return tuple(out)


def born_on_a_test_day(birth):
    """The birth date is one that a test personnummer has (1,656 intervals between 1890 and 2023)."""
    return z3.Or([z3.And(birth >= a, birth <= b) for a, b in _intervals()])


# ---------------------------------------------------------------- model -> inputs

def facts_of(model, enc: Encoder, home_region: str) -> Facts:
    """`model`: what the solver found, read with `truth`, `integer` and `rational` (a
    `solver.ModelReader` or a `slices.Valuation`)."""
    today = dt.date.fromordinal(model.integer(enc.today))
    found = enc.fact_terms()
    if "birth" in found:
        birth = dt.date.fromordinal(model.integer(found["birth"]))
    else:
        birth = _test_birth_on_or_before(_years_before(today, ADULT_YEARS), today)
    proxy = "proxy" in found and model.truth(found["proxy"])
    region = enc.texts[model.integer(found["region"])] if "region" in found else home_region
    invitations = frozenset(key.split(":", 1)[1] for key, term in found.items()
                            if key.startswith("invitation:") and model.truth(term))
    return Facts(birth, region, proxy, invitations, today)


class ModelAnswers(dict):
    """The model's answers, read from it only when the route asks (`routing` reads with `.get`): a
    walk through a flow of a thousand questions reads the model for the questions on its route."""

    __slots__ = ("model", "enc", "others", "bad", "program", "today")

    def __init__(self, model, enc: Encoder, program: Program, today: dt.date):
        super().__init__()
        self.model, self.enc, self.others, self.bad = model, enc, _other_texts(enc), []
        self.program, self.today = program, today

    def get(self, qid, default=None):
        if dict.__contains__(self, qid):
            return dict.__getitem__(self, qid)
        a = self.enc.answers.get(qid)
        if a is None or (a.given is not self.enc.true and not self.model.truth(a.given)):
            return default  # not given: an optional question left unanswered
        if a.nonempty is not None and no_valid_date(self.program.questions[qid], self.today):
            return default  # no date is valid today: the walk stops here, as the citizen's would
        value = _value(self.model, a.question, a.value, self.enc, self.others)
        if value is None:
            self.bad.append(qid)  # no answer a file could hold: the walk stops here
            return default
        self[qid] = value
        return value


def _value(model, q, term, enc: Encoder, others):
    kind = q.type
    if kind in ("yes_no", "acknowledge"):
        return term is enc.true or model.truth(term)
    if kind == "single":
        return q.options[min(max(model.integer(term), 0), len(q.options) - 1)].code
    if kind == "multiple":
        return frozenset(code for code, b in term.items() if model.truth(b))
    if kind == "integer":
        return model.integer(term)
    if kind == "decimal":
        return _decimal(model.rational(term))
    if kind == "date":
        number = model.integer(term)
        return dt.date.fromordinal(number) if 1 <= number <= dt.date.max.toordinal() else None
    if kind == "text":
        index = model.integer(term)
        return enc.texts[index] if 0 <= index < len(enc.texts) else others(q, index)
    if kind == "attachment":
        return _file_name(q.accept)
    return None


def _decimal(fraction: Fraction | None) -> Decimal | None:
    """A rational from the model as an exact decimal, or None when it has no finite decimal form."""
    if fraction is None:
        return None
    if fraction.denominator == 1:
        return Decimal(fraction.numerator)
    d = fraction.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return None
    digits = 0
    while (fraction * 10 ** digits).denominator != 1:
        digits += 1
    return Decimal(int(fraction * 10 ** digits)).scaleb(-digits)


def _other_texts(enc: Encoder):
    """Texts written nowhere in the flow, one per index from N up: 'a', 'b', ..., 'aa', ..."""
    taken = set(enc.texts)

    def other(q, index: int) -> str:
        n, k = index - len(enc.texts), 0
        while True:
            text, m = "", k
            while True:
                text = _LETTERS[m % 26] + text
                m = m // 26 - 1
                if m < 0:
                    break
            k += 1
            if text in taken:
                continue
            if n == 0:
                return text
            n -= 1
    return other


def _file_name(accept) -> str:
    for media in accept or ():
        for ext in sorted(mimetypes.guess_all_extensions(media, strict=False)):
            name = f"bifogad{ext}"
            if mimetypes.guess_type(name, strict=False)[0] == media:
                return name
    return "bifogad.pdf" if not accept else "bifogad"


def _test_birth_on_or_before(wanted: dt.date, today: dt.date) -> dt.date:
    """The test birth date nearest to `wanted` that is not after `today` (today may be as early as
    the first test birth date: the universe starts there)."""
    for day in nearest_test_days(wanted.toordinal(), 8):
        if day <= today.toordinal():
            return dt.date.fromordinal(day)
    days = test_birth_days()
    return dt.date.fromordinal(days[max(bisect.bisect_right(days, today.toordinal()) - 1, 0)])


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# ---------------------------------------------------------------- the walk

def example(program: Program, model, enc: Encoder, home_region: str, *, scenario: bool) -> Example | None:
    """The model as a walk on the compiled form; None when it cannot be made concrete."""
    facts = facts_of(model, enc, home_region)
    given = ModelAnswers(model, enc, program, facts.today)
    result = walk(program, facts, given, complete=True)
    if given.bad:
        return None
    on_route = {q: given[q] for q in program.questions if q in result.answers}
    if not all(_answer_reads_back(program, q, v, facts.today) for q, v in on_route.items()):
        return None  # an answer the form would refuse (the walk takes typed answers on trust): it shows nothing
    citizen = None
    if scenario:
        citizen = citizen_of(facts)
        if citizen is None or not _reads_back(program, on_route, facts.today):
            return None
    return Example(facts, on_route, result, citizen)


def citizen_of(facts: Facts) -> Citizen | None:
    """A citizen file's content for the facts: test personnummer only, `now` at noon that day."""
    number = testdata.nearest(facts.birth_date)
    if testdata.birth_date(number) != facts.birth_date:
        return None
    if facts.is_proxy:
        guardian = testdata.nearest(_test_birth_on_or_before(_years_before(facts.today, GUARDIAN_YEARS), facts.today))
        if guardian == number:
            return None
        person, child = guardian, number
    else:
        person, child = number, None
    codes = [c for c in sorted(facts.invitations) if normalise_code(c)]
    return make_citizen(person, child, facts.region, codes, facts.today)


def _answer_reads_back(program: Program, qid: str, value, today: dt.date) -> bool:
    """One answer, written as the answers file writes it, is read back as the same valid answer
    (cheap enough for every example of `check`)."""
    question = program.questions[qid]
    try:
        if question["type"] == "multiple":
            return parse_choices(question, sorted(value)) == value
        return parse_scalar(question, _as_read(yamlout.scalar(value)), today) == value
    except (AnswerError, TypeError, ValueError):
        return False


@cache
def _as_read(written: str) -> str:
    """The text an answers file's loader hands the answer parser for a written scalar: a quoted
    one (`"JA"`, quoted so that YAML readers do not take it for a yes/no) without its quotes.
    Only quoted scalars need the YAML reader; the rest are read as written."""
    if written[:1] not in ('"', "'", "|", ">") and "\n" not in written:
        return written
    from formflow.inputs.yamlnode import parse
    from formflow.source import Source

    node, _ = parse(Source.from_text("answer.yaml", f"v: {written}\n"))
    value = node.get("v") if node is not None and hasattr(node, "get") else None
    return getattr(value, "text", written)


def _reads_back(program: Program, answers: dict, today: dt.date) -> bool:
    """The answers, written as an answers file writes them (`yamlout.mapping`), are read back by the
    answers-file reader (`yamlnode` + `scripted.typed_answers`) as the same valid answers. Going
    through the real reader, not `parse_scalar` on the written text, matters: a code such as `JA`
    or `null` is written quoted, and only the YAML reader removes the quotes."""
    from formflow.inputs import yamlnode
    from formflow.simulate.scripted import typed_answers

    if not answers:
        return True
    source = Source.from_text("answers.yaml", yamlout.mapping(answers))
    try:
        node, problems = yamlnode.parse(source)
        if node is None or problems:
            return False
        typed, problems, _ = typed_answers(program, node, source, today)
    except (AnswerError, TypeError, ValueError):
        return False
    return not problems and typed == answers
