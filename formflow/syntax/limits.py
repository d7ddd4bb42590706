"""Size limits of a flow's parts, checked on the raw tokens before the parser builds anything.

Why before parsing: every later stage (the checker, the analyser, compile) costs more than
linear in some of these sizes — a 3 MB label, or a flow of 100,000 questions, takes minutes and
gigabytes there. One regex pass over the text is cheap, and it can point at the exact place a
limit is crossed. The limits are far above any real 1177 form and are documented in the
REFERENCE (section "Limits"); ids are also limited because they become file names, JSON keys
and answer codes in other systems.
"""

from __future__ import annotations

from formflow.diagnostics.model import Diagnostic, make
from formflow.source import Source, Span
from formflow.syntax.lexer import TOKEN_RE

MAX_ID = 64  # characters of an id (flow, question, option, outcome, page, derived value...)
MAX_TEXT = 5000  # characters of one text in quotes (a title, label, help, message, translation)
MAX_OPTIONS = 200  # options of one question
MAX_QUESTIONS = 10_000  # questions of one flow: the largest size benchmarked (linear up to it)


def scan(source: Source) -> list[Diagnostic]:
    """FF008 for each id or text over its limit, and for the first option or question past the
    count limits (one diagnostic each: the rest would say the same)."""
    out: list[Diagnostic] = []
    questions = options = 0
    for m in TOKEN_RE.finditer(source.text):
        kind = m.lastgroup
        if kind in ("WS", "COMMENT"):
            continue
        word = m.group()
        span = Span(m.start(), m.end())
        if kind == "WORD":
            if len(word) > MAX_ID:
                out.append(_too_long(source, span, f"this id is {len(word):,} characters", MAX_ID, "an id",
                                     "use a short id; the text in quotes is what the citizen reads"))
            if word == "question":
                questions += 1
                options = 0
                if questions == MAX_QUESTIONS + 1:
                    out.append(_count(source, span, f"more than {MAX_QUESTIONS:,} questions in one flow",
                                      "split the form into several flows"))
            elif word == "option":
                options += 1
                if options == MAX_OPTIONS + 1:
                    out.append(_count(source, span, f"more than {MAX_OPTIONS} options in one question",
                                      "group the options, or ask in two steps"))
        elif kind in ("STRING", "LONG_STRING"):
            quote = 3 if kind == "LONG_STRING" else 1
            length = len(word) - 2 * quote
            if length > MAX_TEXT:
                out.append(_too_long(source, Span(span.start, span.start + quote), f"this text is {length:,} characters",
                                     MAX_TEXT, "a text", "shorten it, or link to a page with the details"))
    return out


def _too_long(source: Source, span: Span, message: str, limit: int, what: str, help: str) -> Diagnostic:
    return make("FF008", f"{message}; {what} is limited to {limit:,}", source, span, "too long from here",
                help=help)


def _count(source: Source, span: Span, message: str, help: str) -> Diagnostic:
    return make("FF008", message, source, span, "one too many", help=help)
