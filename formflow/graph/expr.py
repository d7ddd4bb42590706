"""Branch conditions in readable form: `age >= 65 and not pregnant`, options by their code.

Precedence-aware, so parentheses appear only where the reading needs them.
"""

from __future__ import annotations

from formflow.ir import model as M

_BINARY = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "+": "+", "-": "−", "*": "×", "/": "/"}
_LEVEL = {"or": 1, "and": 2, "not": 3, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4,
          "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}
_WORDS = {
    "en": {"and": "and", "or": "or", "not": "not", "yes": "yes", "no": "no", "is": "is", "is_not": "is not",
           "in": "is one of", "has": "includes", "has_any": "includes any of", "has_all": "includes all of",
           "today": "today"},
    "sv": {"and": "och", "or": "eller", "not": "inte", "yes": "ja", "no": "nej", "is": "är", "is_not": "är inte",
           "in": "är en av", "has": "innehåller", "has_any": "innehåller någon av", "has_all": "innehåller alla av",
           "today": "i dag"},
}


def text(expr, lang: str = "en") -> str:
    """The condition as one line of text in `lang` (no escaping: the renderers do that)."""
    return _Reader(_WORDS.get(lang, _WORDS["en"])).text(expr, 0)


class _Reader:
    """Reads an expression aloud with one language's words for its operators."""

    def __init__(self, words: dict[str, str]):
        self.w = words

    def text(self, e, outer: int) -> str:
        if isinstance(e, M.Op):
            level = _LEVEL.get(e.op, 8)
            if e.op == "not":
                out = self.w["not"] + " " + self.text(e.args[0], level)
            elif e.op == "neg":
                out = "−" + self.text(e.args[0], level)
            elif e.op in ("and", "or"):
                out = f" {self.w[e.op]} ".join(self.text(a, level) for a in e.args)
            else:
                out = f" {_BINARY.get(e.op, e.op)} ".join(self.text(a, level + 1) for a in e.args)
            return f"({out})" if level < outer else out
        if isinstance(e, M.Test):
            out = f"{self.text(e.subject, 9)} {self.w.get(e.op, e.op)} {', '.join(e.codes)}"
            return f"({out})" if outer > 3 else out
        return self._atom(e)

    def _atom(self, e) -> str:
        if isinstance(e, M.Literal):
            if e.type == "bool":
                return self.w["yes"] if e.value else self.w["no"]
            if e.type == "duration":
                amount, unit = e.value
                return f"{amount} {unit}"
            return str(e.value)
        if isinstance(e, M.AnswerRef):
            return e.question
        if isinstance(e, M.ValueRef):
            return e.name
        if isinstance(e, M.FactRef):
            args = f"({', '.join(self.text(a, 0) for a in e.args)})" if e.args else ""
            return f"citizen.{e.name}{args}"  # the DSL's own name, in every language
        if isinstance(e, M.Call):
            return f"{e.function}({', '.join(self.text(a, 0) for a in e.args)})"
        if isinstance(e, M.Today):
            return self.w["today"]
        if isinstance(e, M.OutcomeRef):
            return "outcome" + (f".{e.attr}" if e.attr else "")
        return "?"
