"""Citizen text made safe to print: no invisible reordering, no markup, its own bidi isolate.

Free text is typed by anyone with an e-ID. Two things could make a clinician misread it:

* bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) reorder
  what is displayed around them — "Trojan Source" for PDFs; a right-to-left override in an
  answer could visually swap "Nej" and the next question. They are removed. Arabic, Persian and
  Hebrew display correctly without them: the Unicode bidi algorithm orders each paragraph from
  its letters alone.
* control characters (NUL, ESC, C1) have no printed meaning; they are removed too. Line and
  paragraph separators become ordinary newlines.

What is left reaches a template only as an `Isolated`, whose one HTML form is the escaped text
inside `<bdi dir=…>`. Jinja calls `__html__`, so `{{ row.answer }}` cannot print it unescaped or
unisolated even by accident. The direction is computed here from the first strong letter (what
`dir="auto"` would do) because weasyprint ignores `dir="auto"` and `unicode-bidi: isolate`; its
isolation comes from giving each such string its own block (see declaration.css), which Pango
lays out as a separate bidi paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markupsafe import escape

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_DROP = re.compile("[" + BIDI_CONTROLS + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """`text` without bidi or control characters; newlines kept, lone surrogates replaced."""
    text = _NEWLINES.sub("\n", text)
    text = _SURROGATE.sub("\ufffd", text)  # would make the HTML unencodable
    return _DROP.sub("", text)


def direction(text: str) -> str:
    """'rtl' when the first strong letter is Hebrew/Arabic-script, else 'ltr' (HTML dir=auto)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@dataclass(frozen=True, slots=True)
class Isolated:
    """A cleaned string that renders as its own escaped, direction-isolated `<bdi>`."""

    text: str
    dir: str

    def __html__(self) -> str:
        return f'<bdi dir="{self.dir}">{escape(self.text)}</bdi>'

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def isolate(text: str) -> Isolated:
    cleaned = clean(text)
    return Isolated(cleaned, direction(cleaned))
