"""The value types of the language, and what the language knows about questions, facts and functions.

Types are small frozen values. A choice type remembers its question so that `pain is severe`
can be checked against that question's options.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Type:
    kind: str  # bool int decimal text date duration choice choices attachment none unknown
    question: str = ""  # for choice/choices: the question whose options are the codes

    def __str__(self) -> str:
        return DISPLAY.get(self.kind, self.kind)

    @property
    def comparable(self) -> bool:
        """Attachments and information texts have no value to compare."""
        return self.kind not in ("attachment", "none")

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "decimal")


BOOL, INT, DECIMAL, TEXT, DATE, DURATION = (Type(k) for k in ("bool", "int", "decimal", "text", "date", "duration"))
ATTACHMENT, NONE, UNKNOWN = Type("attachment"), Type("none"), Type("unknown")

DISPLAY = {
    "bool": "yes/no", "int": "whole number", "decimal": "number", "text": "text", "date": "date",
    "duration": "duration", "choice": "single choice", "choices": "multiple choice",
    "attachment": "attachment", "none": "information (no answer)", "unknown": "unknown",
}

def article(thing) -> str:
    """'a yes/no', 'an attachment': messages name types and question kinds with their article."""
    text = str(thing)
    return ("an " if text[:1] in "aeiou" else "a ") + text


QUESTION_TYPES = ("yes_no", "single", "multiple", "integer", "decimal", "text", "date", "acknowledge",
                  "info", "attachment")

# Which attributes each question type accepts (FF304).
ALLOWED_ATTRS = {
    "yes_no": {"help", "optional"},
    "single": {"help", "optional"},
    "multiple": {"help", "optional"},
    "integer": {"help", "optional", "unit", "min", "max"},
    "decimal": {"help", "optional", "unit", "min", "max", "decimals"},
    "text": {"help", "optional", "max_length"},
    "date": {"help", "optional", "min", "max"},
    "acknowledge": {"help", "terms"},
    "info": {"help"},
    "attachment": {"help", "optional", "accept"},
}
CHOICE_TYPES = ("single", "multiple")


def question_value_type(qtype: str, qid: str) -> Type:
    return {
        "yes_no": BOOL, "acknowledge": BOOL, "integer": INT, "decimal": DECIMAL, "text": TEXT,
        "date": DATE, "attachment": ATTACHMENT, "info": NONE,
        "single": Type("choice", qid), "multiple": Type("choices", qid),
    }.get(qtype, UNKNOWN)


OUTCOME_KINDS = ("emergency", "self_care", "chat", "video", "visit", "booking", "not_eligible", "information")
DEFAULT_URGENCY_LEVELS = ("immediate", "within_hours", "same_day", "within_days", "routine", "none")
DEFAULT_URGENCY = {"emergency": "immediate"}  # every other kind defaults to the least urgent level

# Verified facts of the logged-in citizen: name -> (type, argument types or None if not callable).
FACTS: dict[str, tuple[Type, tuple[Type, ...] | None]] = {
    "age": (INT, None),
    "birth_date": (DATE, None),
    "birth_year": (INT, None),
    "is_proxy": (BOOL, None),
    "region": (TEXT, None),
    "has_invitation": (BOOL, (TEXT,)),
}

FUNCTIONS = {
    "round": "round(number, digits): half up, digits 0–6",
    "min": "min(a, b, ...): the smallest of numbers or dates",
    "max": "max(a, b, ...): the largest of numbers or dates",
    "abs": "abs(number)",
    "count": "count(condition, ...): how many conditions are true",
    "answered": "answered(question): whether the question has an answer",
    "add_months": "add_months(date, months): calendar months, clamped to the month's end",
    "years_between": "years_between(from, to): completed years between two dates",
    "booked": "booked([appointment_type[, route]]): in an assert, whether the gate allowed the booking",
}

KEYWORDS = frozenset({
    "flow", "version", "languages", "intro", "urgency", "urgency_levels", "outcome", "page", "question", "help",
    "optional", "unit", "min", "max", "max_length", "decimals", "accept", "terms", "option", "exclusive",
    "today", "let", "if", "else", "end", "trigger", "or", "and", "not", "is", "in", "has", "any", "all", "yes", "no",
    "citizen",
})
