"""What a citizen may answer to each question type, as the real service would check it.

One parser serves the interactive prompt (a line the citizen typed) and answer files (a YAML
scalar or list), so the two can never disagree about what is a valid answer. Every refusal says
what was expected, in words a form author understands; none quotes the answer back, because an
answer may be a personnummer or free text about someone's health.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import unicodedata
from decimal import Decimal

from formflow.simulate.values import add_duration, show

YES = {"yes", "ja", "true", "y", "j"}
NO = {"no", "nej", "false", "n"}
_INTEGER = re.compile(r"[+-]?(0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"[+-]?(0|[1-9][0-9]*)([.,][0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class AnswerError(Exception):
    def __init__(self, message: str, help: str = ""):
        super().__init__(message)
        self.message = message
        self.help = help


def parse_scalar(question: dict, text: str, today: dt.date):
    """A typed, checked answer from one piece of text. Raises AnswerError."""
    kind = question["type"]
    parser = _PARSERS.get(kind)
    if parser is None:
        raise AnswerError(f"a question of type {kind} takes a list of options, not a single value"
                          if kind == "multiple" else f"an {kind} question has no answer",
                          _choices_hint(question) if kind == "multiple" else "")
    return parser(question, text.strip(), today)


def parse_choices(question: dict, codes: list[str]) -> frozenset:
    """A multiple-choice answer from option codes: known codes, no repeats, the exclusive one alone."""
    known = {o["code"]: o for o in question["options"]}
    chosen = []
    for code in (c.strip() for c in codes):
        if code not in known:
            raise AnswerError(f"'{_safe(code)}' is not an option of '{question['id']}'", _choices_hint(question))
        if code in chosen:
            raise AnswerError(f"the option '{code}' is chosen twice")
        chosen.append(code)
    if not chosen and question["required"]:
        raise AnswerError("choose at least one option", _choices_hint(question))
    exclusive = [c for c in chosen if known[c]["exclusive"]]
    if exclusive and len(chosen) > 1:
        raise AnswerError(f"the option '{exclusive[0]}' cannot be combined with other options")
    return frozenset(chosen)


def _yes_no(question, text, today):
    word = text.casefold()
    if word in YES:
        return True
    if word in NO:
        if question["type"] == "acknowledge":
            raise AnswerError("this must be accepted to go on: the only answer is yes")
        return False
    raise AnswerError("expected yes or no" if question["type"] == "yes_no" else "expected yes (accept)",
                      "write yes or no (ja/nej and true/false work too)")


def _single(question, text, today):
    codes = [o["code"] for o in question["options"]]
    if text in codes:
        return text
    raise AnswerError(f"'{_safe(text)}' is not an option of '{question['id']}'", _choices_hint(question))


def _integer(question, text, today):
    if not _INTEGER.fullmatch(text):
        raise AnswerError("expected a whole number", "write digits only, such as 42 (no leading zeros)")
    return _in_range(question, int(text))


def _decimal(question, text, today):
    if not _DECIMAL.fullmatch(text):
        raise AnswerError("expected a number", "write it like 37.5 or 37,5")
    value = Decimal(text.replace(",", "."))
    places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
    allowed = question.get("decimals")
    if allowed is not None and places > allowed:
        raise AnswerError(f"at most {allowed} decimal{'s are' if allowed != 1 else ' is'} allowed"
                          if allowed else "a whole number is expected here")
    return _in_range(question, value)


def _in_range(question, value):
    low, high = (_number_bound(question.get(k)) for k in ("min", "max"))
    if (low is not None and value < low) or (high is not None and value > high):
        raise AnswerError(f"the answer must be {_range_words(low, high)}"
                          + (f" {question['unit']}" if question.get("unit") else ""))
    return value


def _number_bound(bound):
    return None if bound is None else Decimal(bound["number"])


def _range_words(low, high) -> str:
    if low is not None and high is not None:
        return f"between {show(low)} and {show(high)}"
    return f"at least {show(low)}" if low is not None else f"at most {show(high)}"


DEFAULT_MAX_LENGTH = 5000  # a text question without max_length (REFERENCE, Limits)
# Characters that show nothing but are neither spaces nor format characters (category Cf, which
# holds the zero-width space, joiners, word joiner, byte order mark, soft hyphen and bidi marks).
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def is_blank(text: str) -> bool:
    """Whether a text shows nothing: only spaces, zero-width and other invisible characters."""
    return all(c.isspace() or c in _BLANK_LOOKING or unicodedata.category(c) == "Cf" for c in text)


def text_limit(question) -> int:
    """The longest answer a text question takes: its max_length, or the default."""
    limit = question.get("max_length") if isinstance(question, dict) else question.max_length
    return DEFAULT_MAX_LENGTH if limit is None else limit


def text_answer_problem(question, text: str) -> AnswerError | None:
    """Why an (already stripped) text is not a valid answer, or None. `question` is the compiled
    question or the analyser's; both must agree with what the service accepts."""
    limit = text_limit(question)
    if len(text) > limit:
        return AnswerError(f"the text is {len(text)} characters; at most {limit} are allowed")
    required = question["required"] if isinstance(question, dict) else question.required
    if required and is_blank(text):
        return AnswerError("the text is empty" if not text else "the text has only invisible characters",
                           "write something, or leave the question out if it is optional")
    return None


def _text(question, text, today):
    problem = text_answer_problem(question, text)
    if problem is not None:
        raise problem
    return text


def _date(question, text, today):
    if not _DATE.fullmatch(text):
        raise AnswerError("expected a date written YYYY-MM-DD")
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise AnswerError("that date does not exist") from None
    low, high = (date_bound(question.get(k), today) for k in ("min", "max"))
    if (low and value < low) or (high and value > high):
        words = (f"between {low} and {high}" if low and high else f"on or after {low}" if low else f"on or before {high}")
        raise AnswerError(f"the date must be {words}")
    return value


def date_bound(bound, today: dt.date) -> dt.date | None:
    """A date question's bound, on the walk's `today` (a `today - 12 months` bound moves with it)."""
    if bound is None:
        return None
    if "today" in bound:
        return add_duration(today, bound["amount"], bound["unit"])
    return dt.date.fromisoformat(bound["date"])


def _attachment(question, text, today):
    if not text or "/" in text or "\\" in text:
        raise AnswerError("expected a file name, such as photo.jpg")
    accept = question.get("accept")
    media = mimetypes.guess_type(text, strict=False)[0]
    if accept and media not in accept:
        raise AnswerError(f"this question accepts {', '.join(accept)}", "give a file name with a matching extension")
    return text


def _choices_hint(question) -> str:
    codes = [o["code"] for o in question.get("options", ())]
    return "the options are: " + ", ".join(codes)


def _safe(text: str) -> str:
    """Option codes are ASCII ids; anything else is not echoed (it may be personal data)."""
    return text if re.fullmatch(r"[A-Za-z0-9_]{1,40}", text) else "this answer"


_PARSERS = {"yes_no": _yes_no, "acknowledge": _yes_no, "single": _single, "integer": _integer,
            "decimal": _decimal, "text": _text, "date": _date, "attachment": _attachment}
