"""Strict YAML/JSON reading into a frozen tree with positions, and typed converters.

Why not `yaml.load`: a constructed YAML value has already been interpreted by YAML's rules, and
those rules are what surprise people. Under YAML 1.1 `no` is False, `010` is 8 and `12:30` is 750;
under any version a tag can construct arbitrary objects, an alias can expand a small file into a
huge one, and a duplicate key silently keeps one of two values. Here ruamel.yaml only *parses*
(events), and this module builds its own tree:

- Scalars are not interpreted. `YScalar.text` is the text as written; the consumer knows what it
  expects there and calls a converter (`as_bool`, `as_int`, `as_date`, ...). An answer `no` to a
  text question is the text "no"; to a yes/no question it is no.
- Quoting never changes a value, with one exception: an unquoted empty value, `~`, `null`, `Null`
  or `NULL` is *null* (`YScalar(text="", plain=True)`, `.is_null`), while `""` or `"null"` in
  quotes is a text. JSON is read by the same reader, so `"12"` and `12` are the same there too.
- Refused, each at its line and column: explicit tags (even `!!str`), anchors and aliases,
  duplicate keys, keys that are lists or mappings, a second document, nesting deeper than
  MAX_DEPTH, more than MAX_NODES values, files over MAX_BYTES, text that is not UTF-8. At most
  MAX_DIAGNOSTICS problems are reported per file. `parse` returns a tree only for a clean file.

Converters return `(value, None)` or `(None, diagnostic)`, never raise: diagnostics are data.

**No personal data in diagnostics.** Values in these files can be personnummer, names or a
citizen's free text. A message never quotes a value: it says what was expected and what kind of
thing was found, and the snippet under the caret shows the value (that is the user's own file).
Keys are quoted only when they look like identifiers (a letter or `_` first), since keys are field
names and question ids.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator, Union
from zoneinfo import ZoneInfo

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, ScalarEvent,
                                SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from ruamel.yaml.reader import ReaderError

from formflow.diagnostics.model import Diagnostic, Label, make
from formflow.source import Source, Span

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000
MAX_DIAGNOSTICS = 20
MAX_DIGITS = 15  # the language's own limit on significant digits in a number
STOCKHOLM = ZoneInfo("Europe/Stockholm")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


# ---------------------------------------------------------------------------------------- the tree

@dataclass(frozen=True, slots=True)
class YScalar:
    """A scalar as written. `plain` = unquoted and not a block scalar (`|`, `>`)."""

    text: str
    plain: bool
    span: Span

    @property
    def is_null(self) -> bool:
        return self.plain and self.text == ""


@dataclass(frozen=True, slots=True)
class YSeq:
    items: tuple["YNode", ...]
    span: Span


@dataclass(frozen=True, slots=True)
class YMap:
    """A mapping with scalar keys, unique by text, in file order."""

    items: tuple[tuple[YScalar, "YNode"], ...]
    span: Span

    def get(self, key: str) -> "YNode | None":
        for k, v in self.items:
            if k.text == key:
                return v
        return None

    def key_node(self, key: str) -> YScalar | None:
        return next((k for k, _ in self.items if k.text == key), None)

    def keys(self) -> tuple[str, ...]:
        return tuple(k.text for k, _ in self.items)


YNode = Union[YScalar, YSeq, YMap]


def head(node: YNode) -> Span:
    """Where a diagnostic about a whole node points: a scalar itself, a container's first character."""
    if isinstance(node, YScalar):
        return node.span
    return Span(node.span.start, node.span.start + 1)


def describe(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    return "nothing" if node.is_null else "a single value"


def shown_key(text: str) -> str:
    """A key quoted for a message, or a neutral word when it may not be a field name."""
    return f"'{text}'" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]{0,39}", text) else "this key"


# ---------------------------------------------------------------------------------------- reading

def decode(name: str, raw: bytes) -> tuple[Source | None, list[Diagnostic]]:
    """Strict UTF-8 (a leading BOM is dropped), at most MAX_BYTES."""
    if len(raw) > MAX_BYTES:
        msg = f"the file is larger than {MAX_BYTES:,} bytes, the limit for input files"
        return None, [make("FF502", msg, Source.from_text(name, "", raw), None,
                           help="check that this is the right file; split long scenario files")]
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return Source.from_text(name, body.decode("utf-8"), raw), []
    except UnicodeDecodeError as exc:
        good = body[: exc.start].decode("utf-8")
        src = Source.from_text(name, good + "\ufffd", raw)
        pos = len(src.text) - 1
        return None, [make("FF501", "the file is not valid UTF-8", src, Span(pos, pos + 1), "invalid byte here",
                           help="save the file as UTF-8 (in most editors: 'Save with encoding' → UTF-8)")]


def read_source(path: str | Path) -> tuple[Source | None, list[Diagnostic]]:
    """Read and decode one input file; a missing or unreadable file is FF901."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        return None, [make("FF901", f"{name}: it is a folder, not a file", None, None)]
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else type(exc).__name__
        return None, [make("FF901", f"{name}: {reason}", None, None, help="check the path and its permissions")]
    return decode(name, raw)


def load(path: str | Path) -> tuple[Source | None, YNode | None, list[Diagnostic]]:
    """read_source + parse: the source (for diagnostics later), the tree if clean, diagnostics."""
    source, diags = read_source(path)
    if source is None:
        return None, None, diags
    node, diags = parse(source)
    return source, node, diags


# ---------------------------------------------------------------------------------------- parsing

class _Stop(Exception):
    """Reading stops: a limit was reached (its diagnostic is already recorded)."""


def parse(source: Source) -> tuple[YNode | None, list[Diagnostic]]:
    """One YAML (or JSON) document into a tree; None with diagnostics if anything was refused."""
    builder = _Builder(source)
    events = YAML(typ="safe", pure=True).parse(source.text)
    try:
        root = builder.stream(iter(events))
    except _Stop:
        root = None
    except MarkedYAMLError as exc:
        builder.diags.append(_syntax_error(source, exc))
        root = None
    except ReaderError as exc:
        builder.diags.append(_reader_error(source, exc))
        root = None
    except YAMLError as exc:  # pragma: no cover - ruamel raises the two above for bad text
        builder.diags.append(make("FF504", "the file could not be read as YAML", source, Span(0, 0),
                                  help=type(exc).__name__))
        root = None
    return (root if not builder.diags else None), builder.diags


class _Builder:
    """Walks parser events (never composed nodes, so an alias is seen, never expanded)."""

    def __init__(self, source: Source):
        self.src = source
        self.diags: list[Diagnostic] = []
        self.nodes = 0
        self.last_end = 0
        self.events: Iterator = iter(())

    def next(self):
        return next(self.events)

    def report(self, diagnostic: Diagnostic) -> None:
        self.diags.append(diagnostic)
        if len(self.diags) >= MAX_DIAGNOSTICS:
            raise _Stop

    def stream(self, events: Iterator) -> YNode | None:
        self.events = events
        self.next()  # StreamStart
        event = self.next()
        if isinstance(event, StreamEndEvent):
            return YScalar("", True, Span(0, 0))  # an empty file (or only comments) holds null
        root = self.node(self.next(), 0)
        self.next()  # DocumentEnd
        event = self.next()
        if isinstance(event, DocumentStartEvent):
            span = Span(event.start_mark.index, max(event.start_mark.index + 1, event.end_mark.index))
            self.report(make("FF509", "a second YAML document starts here", self.src, span, "second document",
                             help="an input file holds one document; remove the '---' line and what follows, "
                                  "or move it to a file of its own"))
        return root

    def node(self, event, depth: int) -> YNode:
        self.nodes += 1
        span = Span(event.start_mark.index, event.end_mark.index)
        if self.nodes > MAX_NODES:
            self.diags.append(make("FF502", f"the file has more than {MAX_NODES:,} values", self.src,
                                   Span(span.start, span.start + 1), "too many values from here",
                                   help="split the file into smaller files"))
            raise _Stop
        self.refuse_properties(event)
        if isinstance(event, AliasEvent):
            return YScalar("", True, span)
        if isinstance(event, ScalarEvent):
            return self.scalar(event, span)
        if depth >= MAX_DEPTH:
            self.diags.append(make("FF503", f"lists and mappings nested deeper than {MAX_DEPTH} levels", self.src,
                                   Span(span.start, span.start + 1), "too deep from here",
                                   help="flatten the structure; real input files nest a few levels"))
            raise _Stop
        if isinstance(event, SequenceStartEvent):
            return self.sequence(event, span, depth + 1)
        return self.mapping(event, span, depth + 1)

    def refuse_properties(self, event) -> None:
        at = event.start_mark.index
        if isinstance(event, AliasEvent):
            self.report(make("FF506", "aliases are not allowed in input files", self.src,
                             Span(at, event.end_mark.index), "alias", help="write the value out again here"))
            return
        if event.anchor is not None:
            self.report(make("FF506", "anchors are not allowed in input files", self.src,
                             Span(at, at + 1 + len(event.anchor)), "anchor",
                             help="remove the '&name'; write a value out again where it is needed"))
        if event.tag is not None:
            self.report(make("FF505", "explicit tags are not allowed in input files", self.src,
                             self.tag_span(event), "tag",
                             help="remove the tag; the meaning of a value comes from where it stands "
                                  "(quote it if it contains special characters)"))

    def tag_span(self, event) -> Span:
        """The `!...` token itself (it comes after an anchor when both are written)."""
        text = self.src.text
        start = text.find("!", event.start_mark.index, max(event.end_mark.index, event.start_mark.index + 1))
        start = event.start_mark.index if start < 0 else start
        end = start
        while end < len(text) and not text[end].isspace() and text[end] not in ",[]{}":
            end += 1
        return Span(start, max(end, start + 1))

    def scalar(self, event: ScalarEvent, span: Span) -> YScalar:
        plain = event.style is None
        self.last_end = span.end
        if plain and event.value in _NULLS:
            if span.start == span.end:
                span = self.empty_span(span.start)
            return YScalar("", True, span)
        return YScalar(event.value, plain, span)

    def empty_span(self, at: int) -> Span:
        """An empty value: point at the ':' or '-' before it, not at the next line."""
        text = self.src.text
        while at > 0 and text[at - 1] in " \t\n":
            at -= 1
        return Span(max(at - 1, 0), max(at, 1)) if text else Span(0, 0)

    def sequence(self, start_event, span: Span, depth: int) -> YSeq:
        items: list[YNode] = []
        while not isinstance(event := self.next(), SequenceEndEvent):
            items.append(self.node(event, depth))
        return YSeq(tuple(items), self.container_span(start_event, event, span, items))

    def mapping(self, start_event, span: Span, depth: int) -> YMap:
        items: list[tuple[YScalar, YNode]] = []
        seen: dict[str, YScalar] = {}
        while not isinstance(event := self.next(), MappingEndEvent):
            key = self.node(event, depth)
            value = self.node(self.next(), depth)
            if not isinstance(key, YScalar):
                self.report(make("FF508", f"a mapping key must be a single value, not {describe(key)}",
                                 self.src, head(key), "not a single value",
                                 help="use a name, code or id as the key"))
                continue
            if key.text in seen:
                self.report(make("FF507", f"duplicate key {shown_key(key.text)}", self.src, key.span,
                                 "second time", secondary=(Label(seen[key.text].span, "first time"),),
                                 help="keep one of the two; YAML and JSON mappings hold each key once"))
                continue
            seen[key.text] = key
            items.append((key, value))
        return YMap(tuple(items), self.container_span(start_event, event, span, [v for _, v in items]))

    @staticmethod
    def container_span(start_event, end_event, span: Span, children: list) -> Span:
        """Flow collections end at their bracket; block ones at their last value (not at the next key)."""
        if start_event.flow_style:
            return Span(span.start, end_event.end_mark.index)
        end = max([span.end] + [c.span.end for c in children])
        return Span(span.start, end)


# ---------------------------------------------------------------------------------------- YAML errors

_TOKENS = [("'<stream end>'", "the end of the file"), ("<stream end>", "the end of the file"),
           ("'<document start>'", "'---'"), ("<block end>", "the end of the indented block"),
           ("'<block mapping start>'", "a mapping"), ("'<block sequence start>'", "a list"),
           ("'?'", "a key"), ("'-'", "a list item ('-')"), ("end of stream", "end of the file"),
           ("'<scalar>'", "a value")]
_CONTEXTS = {"flow sequence": "in the list that starts here", "flow mapping": "in the mapping that starts here",
             "block mapping": "in the mapping that starts here", "block collection": "in the block that starts here",
             "quoted scalar": "in the quoted text that starts here", "simple key": "in the key that starts here",
             "block scalar": "in the block text that starts here", "directive": "in the directive that starts here"}


def _clean(problem: str) -> str:
    problem = re.sub(r"\('([^']*)',\)", r"'\1'", problem or "the YAML reader cannot read this")
    for token, words in _TOKENS:
        problem = problem.replace(token, words)
    problem = problem.replace("found character '\\t' that cannot start any token", "a tab is not allowed here")
    return problem[:160]


def _syntax_error(source: Source, exc: MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    at = min(mark.index, len(source.text)) if mark is not None else 0
    secondary = ()
    context = exc.context or ""
    if exc.context_mark is not None and exc.problem_mark is not None and exc.context_mark.index != at:
        words = next((w for k, w in _CONTEXTS.items() if k in context), "")
        if words:
            c = min(exc.context_mark.index, len(source.text))
            secondary = (Label(Span(c, c + 1), words),)
    problem = exc.problem or context
    tab = "tab" in _clean(problem)
    hint = ("YAML indents with spaces; replace the tab with spaces" if tab else
            "check the indentation and the quotes on this line; a text containing ': ' or starting with "
            "a special character needs quotes")
    return make("FF504", _clean(problem), source, Span(at, at + 1), "here", help=hint, secondary=secondary)


def _reader_error(source: Source, exc: ReaderError) -> Diagnostic:
    at = exc.position if isinstance(exc.position, int) else 0
    character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return make("FF501", f"character U+{character:04X} is not allowed in YAML or JSON", source,
                Span(at, at + 1), "not allowed here",
                help="delete it; inside a double-quoted text write an escape such as \\t instead")


# ---------------------------------------------------------------------------------------- converters

Result = tuple  # (value, None) or (None, Diagnostic)


def _for(field: str) -> str:
    return f" for {field}" if field else ""


def wrong_type(node: YNode, source: Source, kind: str, field: str = "") -> Diagnostic:
    """FF510: the node is not what was expected at all (a list for a number, nothing for a text)."""
    found = describe(node)
    hint = "write a value after the ':'" if found == "nothing" else f"write {kind} here"
    return make("FF510", f"expected {kind}{_for(field)}, found {found}", source, head(node), found, help=hint)


def bad_value(node: YScalar, source: Source, kind: str, field: str, hint: str, code: str = "FF510") -> Diagnostic:
    return make(code, f"expected {kind}{_for(field)}", source, node.span, f"not {kind}", help=hint)


def _scalar(node: YNode, source: Source, kind: str, field: str) -> Result:
    if isinstance(node, YScalar) and not node.is_null:
        return node, None
    return None, wrong_type(node, source, kind, field)


def as_text(node: YNode, source: Source, *, field: str = "") -> Result:
    """Any single value, as written. Null is not a text (write "" for an empty text)."""
    s, d = _scalar(node, source, "a text", field)
    return (s.text, None) if s else (None, d)


_BOOLS = {"yes": True, "ja": True, "true": True, "no": False, "nej": False, "false": False}


def as_bool(node: YNode, source: Source, *, field: str = "") -> Result:
    """yes/no, ja/nej, true/false in any case, quoted or not."""
    s, d = _scalar(node, source, "yes or no", field)
    if d:
        return None, d
    value = _BOOLS.get(s.text.casefold())
    if value is None:
        return None, bad_value(s, source, "yes or no", field, "write yes or no (ja/nej and true/false also work)")
    return value, None


_INT = re.compile(r"[+-]?(0|[1-9][0-9]*)")
_DEC = re.compile(r"[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?")


def _number_hint(text: str, whole: bool) -> str:
    """Why a text is not a number as formflow writes numbers: the specific mistake, if recognisable."""
    t = text.strip().lower()
    if re.fullmatch(r"[+-]?\.?(nan|inf|infinity)", t):
        return "a number is expected here; 'not a number' and infinity are not allowed"
    if re.fullmatch(r"[+-]?0[xob][0-9a-f_]+", t):
        return "write the number in decimal digits"
    if "_" in t and re.fullmatch(r"[+-]?[0-9_.]+", t):
        return "write the number without '_'"
    if re.fullmatch(r"[+-]?[0-9.]+e[+-]?[0-9]+", t):
        return "write the number out, without an exponent"
    if re.fullmatch(r"[+-]?0[0-9]+(\.[0-9]+)?", t):
        return "remove the leading zero (YAML 1.1 readers would read a number with a leading zero as octal)"
    if re.fullmatch(r"[+-]?[0-9]+,[0-9]+", t):
        return ("write a whole number, without decimals" if whole else
                "use a decimal point, not a comma: 37.5, not 37,5")
    if re.fullmatch(r"[+-]?[0-9]*\.[0-9]*", t):
        if whole:
            return "write a whole number, without decimals"
        return "write digits on both sides of the decimal point: 0.5, not .5 or 5."
    return "write a whole number such as 42" if whole else "write a number such as 37.5 (a decimal point, not a comma)"


def _too_many_digits(text: str) -> bool:
    digits = re.sub(r"[^0-9]", "", text).lstrip("0")
    return len(digits) > MAX_DIGITS


def as_int(node: YNode, source: Source, *, field: str = "") -> Result:
    """ASCII digits with an optional sign; no leading zeros, underscores, bases or decimals."""
    s, d = _scalar(node, source, "a whole number", field)
    if d:
        return None, d
    if not _INT.fullmatch(s.text):
        return None, bad_value(s, source, "a whole number", field, _number_hint(s.text, whole=True))
    if _too_many_digits(s.text):
        return None, bad_value(s, source, "a whole number", field, f"at most {MAX_DIGITS} digits")
    return int(s.text), None


def as_decimal(node: YNode, source: Source, *, field: str = "") -> Result:
    """An exact Decimal from the digits as written, with a decimal point.

    A decimal comma is refused rather than accepted: `1,000` would otherwise mean 1 to a Swede and
    1000 to an English writer, and a value must never be guessed.
    """
    s, d = _scalar(node, source, "a number", field)
    if d:
        return None, d
    if not _DEC.fullmatch(s.text):
        return None, bad_value(s, source, "a number", field, _number_hint(s.text, whole=False))
    if _too_many_digits(s.text):
        return None, bad_value(s, source, "a number", field, f"at most {MAX_DIGITS} significant digits")
    value = Decimal(s.text)
    return (abs(value) if value.is_zero() else value), None


_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"
                       r"(Z|[+-][0-9]{2}:[0-9]{2})?")


def _days_hint(year: int, month: int) -> str:
    if not 1 <= month <= 12:
        return "the month is 01–12"
    following = date(year + month // 12, month % 12 + 1, 1)
    return f"that month has {(following - timedelta(days=1)).day} days in that year"


def _make_date(node: YScalar, source: Source, field: str, y: str, m: str, dd: str) -> Result:
    try:
        return date(int(y), int(m), int(dd)), None
    except ValueError:
        return None, make("FF513", f"the date{_for(field)} does not exist", source, node.span, "no such date",
                          help=_days_hint(int(y), int(m)) if int(y) >= 1 else "check the year")


def as_date(node: YNode, source: Source, *, field: str = "") -> Result:
    """YYYY-MM-DD, a date that exists."""
    s, d = _scalar(node, source, "a date", field)
    if d:
        return None, d
    m = _DATE.fullmatch(s.text)
    if not m:
        return None, bad_value(s, source, "a date (YYYY-MM-DD)", field, "write the date as 2024-05-31", "FF513")
    return _make_date(s, source, field, *m.groups())


def as_datetime_local(node: YNode, source: Source, *, field: str = "") -> Result:
    """YYYY-MM-DDThh:mm[:ss] (or a space for T) in Swedish time, or with an offset / Z; aware result.

    A local time in the spring-forward gap does not exist; one in the autumn fold is ambiguous
    unless written with its offset. Both are errors: a scenario must mean one instant.
    """
    kind = "a date and time (YYYY-MM-DDThh:mm)"
    s, d = _scalar(node, source, "a date and time", field)
    if d:
        return None, d
    m = _DATETIME.fullmatch(s.text)
    if not m:
        hint = ("add a time: 2024-05-31T09:00" if _DATE.fullmatch(s.text) else
                "write the date and time as 2024-05-31T09:00 (Swedish time), or with an offset: +02:00")
        return None, bad_value(s, source, kind, field, hint, "FF513")
    day, d = _make_date(s, source, field, *m.group(1, 2, 3))
    if d:
        return None, d
    hh, mm, ss = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
    if hh > 23 or mm > 59 or ss > 59:
        return None, bad_value(s, source, kind, field, "hours are 00–23, minutes and seconds 00–59", "FF513")
    naive = datetime(day.year, day.month, day.day, hh, mm, ss)
    if m.group(7):
        return _with_offset(s, source, field, naive, m.group(7))
    return _localize(s, source, field, naive)


def _with_offset(node: YScalar, source: Source, field: str, naive: datetime, offset: str) -> Result:
    if offset == "Z":
        return naive.replace(tzinfo=timezone.utc).astimezone(STOCKHOLM), None
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    if hours > 23 or minutes > 59:
        return None, bad_value(node, source, "a date and time", field, "the offset is -23:59 to +23:59", "FF513")
    delta = timedelta(hours=hours, minutes=minutes) * (-1 if offset[0] == "-" else 1)
    return naive.replace(tzinfo=timezone(delta)).astimezone(STOCKHOLM), None


def _localize(node: YScalar, source: Source, field: str, naive: datetime) -> Result:
    first = naive.replace(tzinfo=STOCKHOLM, fold=0)
    if first.astimezone(timezone.utc).astimezone(STOCKHOLM).replace(tzinfo=None) != naive:
        return None, make("FF513", f"this local time{_for(field)} does not exist in Sweden", source, node.span,
                          "skipped when summer time starts",
                          help="clocks go from 02:00 to 03:00 on the last Sunday in March; pick a time "
                               "outside 02:00–02:59, or give an offset")
    if first.utcoffset() != naive.replace(tzinfo=STOCKHOLM, fold=1).utcoffset():
        return None, make("FF513", f"this local time{_for(field)} occurs twice in Sweden", source, node.span,
                          "ambiguous when summer time ends",
                          help="add the offset: +02:00 for the first time (summer time), +01:00 for the "
                               "second (winter time)")
    return first, None


def as_list(node: YNode, source: Source, *, field: str = "") -> Result:
    return (node, None) if isinstance(node, YSeq) else (None, wrong_type(node, source, "a list", field))


def as_map(node: YNode, source: Source, *, field: str = "") -> Result:
    if isinstance(node, YMap):
        return node, None
    return None, wrong_type(node, source, "a mapping (key: value lines)", field)


def check_keys(ymap: YMap, source: Source, required: Iterable[str] = (),
               optional: Iterable[str] = ()) -> list[Diagnostic]:
    """Unknown keys (with did-you-mean) and missing required keys, in file order."""
    required, optional = tuple(required), tuple(optional)
    known = required + optional
    out = []
    for key, _ in ymap.items:
        if key.text not in known:
            out.append(make("FF511", f"unknown key {shown_key(key.text)}", source, key.span, "unknown key",
                            help=_suggest(key.text, known)))
    present = set(ymap.keys())
    for name in required:
        if name not in present:
            out.append(make("FF512", f"missing key '{name}'", source, head(ymap), f"'{name}' is required here",
                            help=f"add a line `{name}: ...` to this mapping"))
    return out


def _suggest(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key.casefold(), known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"the keys here are: {', '.join(known)}" if known else "no keys are expected here"
