"""Syntax errors in the author's words, and recovery so that one run reports several.

The parser knows expected *terminals* (`COLON`, `NAME`, `LBRACE`); authors need "':' after the question
id", "a statement (question, let, if, ...)" and the block they are in. Recovery is simple and
predictable: when exactly one punctuation token is missing it is inserted, otherwise the offending
token is skipped (a missing id gets a placeholder, so the rest of the line still parses). An error
right after the previous one, or within three tokens of it in the same parser state, is taken as its
echo and not reported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from formflow.diagnostics.model import Diagnostic, make
from formflow.source import Source, Span

MAX_SYNTAX_ERRORS = 20
CASCADE_DISTANCE = 3  # an error fewer tokens than this after the last one is taken as its echo

KEYWORD_TERMINALS: dict[str, str] = {}  # terminal name -> keyword text, filled from the parse table


def learn_keywords(keywords: dict[str, str]) -> None:
    if not KEYWORD_TERMINALS:
        KEYWORD_TERMINALS.update({term: word for word, term in keywords.items()})

FRIENDLY = {
    "NAME": "an id",
    "LANG": "a language code",
    "INT": "a whole number",
    "DECIMAL": "a number",
    "DATE": "a date (YYYY-MM-DD)",
    "STRING": "a text in quotes",
    "LONG_STRING": "a text in quotes",
    "DURATION_UNIT": "a unit (days, weeks, months, years)",
    "COMPARE": "a comparison (==, !=, <, <=, >, >=)",
    "SIGN": "'+'/'-'",
    "MUL_OP": "'*'/'/'",
    "$END": "the end of the file",
}
# Groups of keywords that are summarised by one phrase when most of them are expected together.
GROUPS = [
    ("a statement (question, let, if, end, trigger, page)", {"question", "let", "if", "end", "trigger", "page"}),
    ("a question setting (help, optional, unit, min, max, max_length, decimals, accept, terms)",
     {"help", "optional", "unit", "min", "max", "max_length", "decimals", "accept", "terms"}),
    ("a flow setting (version, languages, intro, urgency_levels) or outcome",
     {"version", "languages", "intro", "urgency_levels", "outcome"}),
    ("an operator (and, or, is, in, has, +, -, *, /, ==, <, ...)", {"and", "or", "is", "in", "has"}),
]
PUNCTUATION = {"COLON": ":", "LBRACE": "{", "RBRACE": "}", "LPAR": "(", "RPAR": ")", "LSQB": "[",
               "RSQB": "]", "COMMA": ",", "EQUAL": "=", "DOT": "."}
_OPENER = re.compile(r'[{}]|"""(?:[^\\]|\\.)*?"""|"(?:[^"\\\n]|\\.)*"?|#[^\n]*', re.S)


def describe_expected(expected: set[str]) -> str:
    words = []
    names = set(expected)
    for phrase, group in GROUPS:
        present = {t for t in names if KEYWORD_TERMINALS.get(t) in group}
        if len(present) >= 3:
            words.append(phrase)
            names -= present
    for t in sorted(names, key=_order):
        desc = _describe_terminal(t)
        if desc not in words:
            words.append(desc)
    if len(words) > 6:
        words = words[:6] + [f"{len(words) - 6} more"]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _order(t: str) -> tuple[int, str]:
    return (0 if t in KEYWORD_TERMINALS else 1 if t in PUNCTUATION else 2, t)


def _describe_terminal(t: str) -> str:
    if t in KEYWORD_TERMINALS:
        return f"'{KEYWORD_TERMINALS[t]}'"
    if t in PUNCTUATION:
        return f"'{PUNCTUATION[t]}'"
    return FRIENDLY.get(t, t.lower())


def describe_token(tok) -> str:
    if tok.type == "$END":
        return "end of file"
    if tok.type in KEYWORD_TERMINALS:
        return f"keyword '{tok}'"
    if tok.type in ("STRING", "LONG_STRING"):
        shown = str(tok) if len(tok) <= 30 else str(tok)[:27] + '..."'
        return f"text {shown}"
    if tok.type in ("NAME", "LANG"):
        return f"'{tok}'"
    return f"'{tok}'"


def enclosing_block(source: Source, offset: int) -> str:
    """The header line of the innermost `{` that is still open at `offset`."""
    stack: list[int] = []
    for m in _OPENER.finditer(source.text, 0, offset):
        if m.group() == "{":
            stack.append(m.start())
        elif m.group() == "}" and stack:
            stack.pop()
    if not stack:
        return ""
    line, _ = source.line_col(stack[-1])
    header = source.line_text(line).strip()
    if len(header) > 48:
        header = header[:45] + "..."
    return f"in `{header}` (line {line})"


@dataclass
class Recovery:
    """The error callback of the LALR driver: reports, then says how to go on."""

    source: Source
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _last_shifted: int = -CASCADE_DISTANCE
    _last_stack: tuple = ()
    _calls: int = 0
    truncated: bool = False

    def __call__(self, kind: str, info) -> str:
        self._calls += 1
        if len(self.diagnostics) >= MAX_SYNTAX_ERRORS or self._calls > 5000:
            self.truncated = True
            return "stop"
        if kind == "char":
            pos, shifted = info
            self._last_shifted = shifted
            return self._character(pos)
        tok, expected, shifted, stack = info
        since = shifted - self._last_shifted
        cascade = since == 0 or (since < CASCADE_DISTANCE and stack == self._last_stack)
        self._last_shifted, self._last_stack = shifted, stack
        if tok.type == "$END":
            if not self.diagnostics:
                self._report_end(expected)
            return "stop"
        if not cascade:
            self._report_token(tok, expected)
        if len(expected) == 1:
            (missing,) = expected
            if missing in PUNCTUATION or missing == "NAME":
                return "insert:" + missing
        return "skip"

    def _report_end(self, expected: set[str]) -> None:
        pos = len(self.source.text.rstrip())
        span = Span(max(0, pos - 1), pos) if pos else Span(0, 0)
        where = enclosing_block(self.source, len(self.source.text))
        msg = "the file ends too early" + (f": a block is still open {where}" if where else "")
        self.diagnostics.append(make("FF104", msg, self.source, span, "the file ends here",
                                     help=f"expected {describe_expected(expected)}"))

    def _report_token(self, tok, expected: set[str]) -> None:
        span = Span(tok.start_pos, tok.end_pos)
        where = enclosing_block(self.source, tok.start_pos)
        msg = f"unexpected {describe_token(tok)}" + (f" {where}" if where else "")
        self.diagnostics.append(make("FF101", msg, self.source, span, f"expected {describe_expected(expected)}",
                                     help=_hint(tok, expected)))

    def _character(self, pos: int) -> str:
        text = self.source.text
        if text[pos] == '"':
            self.diagnostics.append(make(
                "FF102", "this text has no closing quote", self.source, Span(pos, pos + 1),
                "the text starts here", help='end the text with " on the same line, or use """ for a text over several lines'))
            return "skip-line"
        where = enclosing_block(self.source, pos)
        help = ("statements end at the end of the line; no ';' is needed" if text[pos] == ";"
                else "delete it, or put it inside a text in quotes")
        self.diagnostics.append(make(
            "FF103", f"unexpected character '{text[pos]}'" + (f" {where}" if where else ""), self.source,
            Span(pos, pos + 1), "not part of the language", help=help))
        return "skip"


def _hint(tok, expected: set[str]) -> str:
    keywords = [KEYWORD_TERMINALS[t] for t in expected if t in KEYWORD_TERMINALS]
    if tok.type in ("NAME", "LANG") and keywords:
        close = difflib.get_close_matches(str(tok), keywords, n=1, cutoff=0.75)
        if close:
            return f"did you mean '{close[0]}'?"
    if expected == {"COLON"}:
        return "write ':' between the id and its type, as in `question fever: yes_no \"...\"`"
    if tok.type in ("STRING", "LONG_STRING") and "LANG" in expected:
        return "a translation is written with its language code first, as in `\"Feber\" en \"Fever\"`"
    if tok.type in ("NAME", "LANG") and str(tok) in ("elif", "elseif", "else_if"):
        return "write `else if`"
    if tok.type in KEYWORD_TERMINALS and "NAME" in expected:
        return f"'{tok}' is a keyword and cannot be used as an id here"
    return f"expected {describe_expected(expected)}"
