"""Checks on raw bytes and characters, before the parser sees anything.

Why here and not in the grammar: the things refused here are invisible or misleading to a human
reader (a right-to-left override that reverses what a reviewer sees, a zero-width space inside an
id, a Cyrillic 'е' that looks like 'e'), so they must be reported with their exact position and
name, whether they sit in code or in a text. Limits on size and nesting depth also live here: the
LALR parser is iterative, but every later pass walks the tree, and a file with ten thousand
nested parentheses must get a diagnostic, not a RecursionError.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from formflow.diagnostics.model import Diagnostic, make
from formflow.source import Source, Span

MAX_SOURCE_BYTES = 4 * 1024 * 1024
MAX_NESTING = 64

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible everywhere (also in texts). ZWJ/ZWNJ are allowed inside texts: Persian, Arabic and
# Indic scripts need them; they are refused in code only.
ALWAYS_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\u180e")
JOINERS = frozenset("\u200c\u200d")

# Letters that are easy to mistake for ASCII in an id; the hint names the ASCII letter meant.
LOOKALIKES = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "А": "A", "В": "B", "Е": "E", "К": "K",
    "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "Ү": "Y",
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "Α": "A",
    "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ı": "i", "ſ": "s", "ℓ": "l",
}
TRANSLITERATE = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O", "é": "e", "ü": "u"})


@dataclass(frozen=True)
class Decoded:
    source: Source | None
    diagnostics: tuple[Diagnostic, ...]


def decode(name: str, raw: bytes) -> Decoded:
    """Strict UTF-8 (a leading BOM is dropped), normalised to NFC; refuse files over the size limit."""
    if len(raw) > MAX_SOURCE_BYTES:
        msg = f"the file is {len(raw):,} bytes; flows are limited to {MAX_SOURCE_BYTES:,} bytes"
        empty = Source.from_text(name, "", raw)
        return Decoded(None, (make("FF006", msg, empty, None,
                                   help="split the flow into smaller flows, or check that this is a flow file"),))
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    body = raw[bom:]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = body[: exc.start].decode("utf-8")
        src = Source.from_text(name, good + "\ufffd", raw)
        pos = len(good)
        return Decoded(None, (make(
            "FF001", f"the file is not valid UTF-8: byte 0x{body[exc.start]:02x} at byte offset {bom + exc.start}",
            src, Span(pos, pos + 1), "invalid byte here",
            help="save the file as UTF-8 (in most editors: 'Save with encoding' → UTF-8)"),))
    # NFC: a text typed with combining accents (NFD, as some macOS tools write it) and the same
    # text typed precomposed look identical and must compile to the same bytes.
    return Decoded(Source.from_text(name, unicodedata.normalize("NFC", text), raw), ())


_TEXT_OR_COMMENT = re.compile(r'"""(?:[^\\]|\\.)*?"""|"(?:[^"\\]|\\.)*+"?|#[^\n]*', re.S)
_SUSPICIOUS = re.compile(r"[^\t\n\x20-\x7e]")
# Refused (or, for the joiners, refused in code) wherever they are, texts included.
_ANYWHERE = re.compile("[" + re.escape("".join(chr(c) for c in range(32) if chr(c) not in "\t\n"))
                       + "\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS | ALWAYS_INVISIBLE | JOINERS)) + "]")
_BRACKETS = re.compile(r'[(){}\[\]]|"""(?:[^\\]|\\.)*?"""|"(?:[^"\\]|\\.)*+"?|#[^\n]*', re.S)


def scan(source: Source) -> list[Diagnostic]:
    """Refuse control, bidi and invisible characters everywhere, non-ASCII outside texts/comments.

    Regexes find the few suspicious characters; only those are classified, so a large clean
    file costs a few C-level scans — and so does a long Swedish text, whose letters are
    suspicious only outside texts and comments.
    """
    text = source.text
    if not _SUSPICIOUS.search(text):
        return []
    regions = [(m.start(), m.end(), m.group()[0]) for m in _TEXT_OR_COMMENT.finditer(text)]
    hits = {m.start() for m in _ANYWHERE.finditer(text)}
    code_start = 0
    for start, end, _ in regions + [(len(text), len(text), "")]:
        hits.update(m.start() for m in _SUSPICIOUS.finditer(text, code_start, start))
        code_start = end
    starts = [r[0] for r in regions]
    out: list[Diagnostic] = []
    for i in sorted(hits):
        k = bisect.bisect_right(starts, i) - 1
        state = "code"
        if k >= 0 and regions[k][0] <= i < regions[k][1]:
            state = "string" if regions[k][2] == '"' else "comment"
        bad = _bad_char(source, i, text[i], state)
        if bad is not None:
            out.append(bad)
    return out


def _bad_char(source: Source, i: int, ch: str, state: str) -> Diagnostic | None:
    span = Span(i, i + 1)
    code_point = f"U+{ord(ch):04X}"
    if ch < " " and ch not in "\t\n" or "\x7f" <= ch <= "\x9f":
        return make("FF002", f"control character {code_point} in the source", source, span,
                    "control character here", help="delete it; only tab and newline are allowed")
    if ch in BIDI_CONTROLS:
        return make("FF003", f"bidirectional control character {code_point} ({_uname(ch)})", source, span,
                    "it can reorder how this line is displayed",
                    help="delete it; right-to-left text displays correctly without control characters")
    if ch in ALWAYS_INVISIBLE or (ch in JOINERS and state == "code"):
        return make("FF004", f"invisible character {code_point} ({_uname(ch)})", source, span,
                    "invisible character here", help="delete it")
    if state == "code" and not ch.isascii():
        return _non_ascii_code(source, span, ch, code_point)
    return None


def _non_ascii_code(source: Source, span: Span, ch: str, code_point: str) -> Diagnostic:
    if ch in LOOKALIKES:
        hint = f"'{ch}' is {_uname(ch)}, which looks like the ASCII letter '{LOOKALIKES[ch]}'; type '{LOOKALIKES[ch]}'"
    elif unicodedata.category(ch) == "Nd":
        hint = f"'{ch}' is {_uname(ch)}; numbers use the digits 0–9 only"
    elif ch.translate(TRANSLITERATE) != ch:
        hint = f"ids use a–z, 0–9 and _; write '{ch.translate(TRANSLITERATE)}' for '{ch}' (texts in quotes may use any letter)"
    else:
        hint = "ids and keywords use ASCII letters, digits 0–9 and _; put other characters inside a text in quotes"
    return make("FF005", f"non-ASCII character '{ch}' ({code_point}) outside a text", source, span,
                "not allowed here", help=hint)


def _uname(ch: str) -> str:
    return unicodedata.name(ch, "unnamed character")


def nesting(source: Source) -> list[Diagnostic]:
    """Refuse brackets and braces nested deeper than MAX_NESTING, counted outside texts."""
    depth = 0
    for m in _BRACKETS.finditer(source.text):
        ch = m.group()
        if ch in "({[":
            depth += 1
            if depth > MAX_NESTING:
                return [make("FF007", f"nesting deeper than {MAX_NESTING} levels", source,
                             Span(m.start(), m.end()), "too deep from here",
                             help="split the expression with `let`, or flatten the if-blocks with `else if`")]
        elif ch in ")}]":
            depth = max(0, depth - 1)
    return []
