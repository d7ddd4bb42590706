"""Tokens of the flow language, lexed by one compiled regex.

The terminals are those of `dsl/formflow.lark`. Keywords, language codes and duration units all
look like ids; like lark's contextual lexer, the parser state decides: a word is a keyword only
where the grammar accepts that keyword, a language code only where a translation may follow,
and an id everywhere else.
"""

from __future__ import annotations

import re

TOKEN_RE = re.compile(r"""
    (?P<WS>[ \t\n]+)
  | (?P<COMMENT>\#[^\n]*)
  | (?P<LONG_STRING>\"\"\"(?:[^\\]|\\.)*?\"\"\")
  | (?P<STRING>"(?:[^"\\\n]|\\.)*+")
  | (?P<DATE>[0-9]{4}-[0-9]{2}-[0-9]{2})
  | (?P<DECIMAL>[0-9]+\.[0-9]+)
  | (?P<INT>[0-9]+)
  | (?P<WORD>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<COMPARE>==|!=|<=|>=|<|>)
  | (?P<SIGN>[+-])
  | (?P<MUL_OP>[*/])
  | (?P<PUNCT>[{}()\[\],:=.])
""", re.VERBOSE | re.DOTALL)

PUNCT_TYPES = {"{": "LBRACE", "}": "RBRACE", "(": "LPAR", ")": "RPAR", "[": "LSQB", "]": "RSQB",
               ",": "COMMA", ":": "COLON", "=": "EQUAL", ".": "DOT"}
LANG_RE = re.compile(r"[a-z]{2,3}")
DURATION_UNITS = frozenset({"day", "days", "week", "weeks", "month", "months", "year", "years"})


class Tok(str):
    """A token: its text, terminal type and character offsets (a str, like lark's Token)."""

    __slots__ = ("type", "start_pos", "end_pos")

    def __new__(cls, type_: str, value: str, start: int, end: int):
        self = str.__new__(cls, value)
        self.type = type_
        self.start_pos = start
        self.end_pos = end
        return self

    def __repr__(self) -> str:
        return f"Tok({self.type}, {str.__repr__(self)})"


def word_type(word: str, accepts, keywords: dict[str, str]) -> str:
    """The terminal a word is in a parser state that accepts the terminals `accepts`."""
    kw = keywords.get(word)
    if kw is not None and kw in accepts:
        return kw
    if "NAME" in accepts:
        return "NAME"
    if "LANG" in accepts and LANG_RE.fullmatch(word):
        return "LANG"
    if "DURATION_UNIT" in accepts and word in DURATION_UNITS:
        return "DURATION_UNIT"
    return kw or "NAME"
