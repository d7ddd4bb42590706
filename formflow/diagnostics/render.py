"""Diagnostics for people (ruff's layout), for tools (JSON) and for CI (GitHub annotations).

Text layout:

    error[FF202]: 'fevr' is not defined
      --> regions/x/flows/y.flow:12:6
       |
    12 |   if fevr {
       |      ^^^^ no question or derived value has this id
       |
       = help: did you mean 'fever'?

Every name, message, label and help is printed through `terminal.safe`: a file or folder name
with ESC, BEL or a right-to-left override in it (`ESC[2J` clears the screen) is shown as visible
`<U+001B>` text, in text and github output alike; JSON escapes them as `\u001b`.

Columns are counted in characters. The caret line is built from the source line itself: tabs are
expanded to the next multiple of four on both lines, wide (East Asian) characters take two cells
and combining marks none, so the caret sits under the right character in a terminal.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Iterable

from formflow.diagnostics.model import Diagnostic, Label, Severity
from formflow.simulate.terminal import safe

TAB = 4
_COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "bold": "\x1b[1m", "blue": "\x1b[1;34m",
           "dim": "\x1b[2m", "reset": "\x1b[0m"}


def _cell_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display(line: str, start: int, end: int) -> tuple[str, int, int]:
    """The line with tabs expanded, and the display columns of [start, end) in it."""
    out: list[str] = []
    col = 0
    first = last = None
    for i, ch in enumerate(line + " "):
        if i == start:
            first = col
        if i == end:
            last = col
        if i == len(line):
            break
        if ch == "\t":
            width = TAB - col % TAB
            out.append(" " * width)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            shown = f"<U+{ord(ch):04X}>"  # never echo a control, bidi or invisible character
            width = len(shown)
            out.append(shown)
        else:
            width = _cell_width(ch)
            out.append(ch)
        col += width
    first = col if first is None else first
    last = max((col if last is None else last), first + 1)
    return "".join(out), first, last


class _Style:
    def __init__(self, color: bool):
        self.color = color

    def __call__(self, name: str, text: str) -> str:
        return f"{_COLORS[name]}{text}{_COLORS['reset']}" if self.color else text


def render_text(diagnostic: Diagnostic, color: bool = False) -> str:
    s = _Style(color)
    sev = diagnostic.severity.value
    lines = [s(sev, f"{sev}[{diagnostic.code}]") + s("bold", f": {safe(diagnostic.message)}")]
    src = diagnostic.source
    if src is None:
        pass
    elif diagnostic.primary is None:
        lines.append(s("blue", "  --> ") + safe(src.name))
    else:
        labels = [(diagnostic.primary, "^", sev)] + [(lab, "-", "blue") for lab in diagnostic.secondary]
        gutter = max(len(str(src.line_col(lab.span.start)[0])) for lab, _, _ in labels)
        line, col = src.line_col(diagnostic.primary.span.start)
        lines.append(" " * gutter + s("blue", "--> ") + f"{safe(src.name)}:{line}:{col}")
        lines.append(" " * gutter + s("blue", " |"))
        by_line: dict[int, list] = {}
        for item in sorted(labels, key=lambda x: x[0].span.start):
            by_line.setdefault(src.line_col(item[0].span.start)[0], []).append(item)
        for line_labels in by_line.values():
            lines.extend(_snippet(src, line_labels, gutter, s))
        lines.append(" " * gutter + s("blue", " |"))
    for note in diagnostic.notes:
        lines.append(s("blue", "   = ") + f"note: {safe(note)}")
    if diagnostic.help:
        lines.append(s("blue", "   = ") + s("bold", "help: ") + safe(diagnostic.help))
    return "\n".join(lines)


MAX_SNIPPET = 160  # characters of a source line shown; a longer line is cut around its labels
_CONTEXT = 40  # characters kept before the first label of a cut line


def _window(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The part [start, end) of a line to show: all of it when it is short, else the labels with
    some context, at most MAX_SNIPPET characters (a 5,000-character line is not printed whole)."""
    if len(text) <= MAX_SNIPPET:
        return 0, len(text)
    low = min(a for a, _ in spans)
    start = max(0, min(low - _CONTEXT, len(text) - MAX_SNIPPET))
    return start, min(len(text), start + MAX_SNIPPET)


def _snippet(src, labels, gutter: int, s) -> list[str]:
    """One source line, then a caret line for each label on it (in column order)."""
    line, _ = src.line_col(labels[0][0].span.start)
    text = src.line_text(line)
    spans = []
    for label, _, _ in labels:
        _, col = src.line_col(label.span.start)
        end_line, _ = src.line_col(max(label.span.start, label.span.end - 1))
        start = col - 1
        spans.append((start, len(text) if end_line != line else start + max(1, label.span.end - label.span.start)))
    cut_start, cut_end = _window(text, spans)
    before = "…" if cut_start > 0 else ""
    after = "…" if cut_end < len(text) else ""
    part = text[cut_start:cut_end]
    out = []
    shown = ""
    for (label, mark, style), (start, end) in zip(labels, spans):
        start = min(max(start - cut_start, 0), len(part))
        end = min(end - cut_start, len(part) + (1 if not after else 0))
        shown, first, last = display(part, start, max(end, start + 1))
        first, last = first + len(before), last + len(before)
        caret = " " * first + s(style, mark * (last - first) + (" " + safe(label.message) if label.message else ""))
        out.append(" " * gutter + s("blue", " |") + " " + caret)
    return [s("blue", f"{line:>{gutter}} |") + " " + before + shown + after] + out


def summary_line(errors: int, warnings: int, files: int) -> str:
    def n(k, word):
        return f"{k} {word}{'' if k == 1 else 's'}"

    if not errors and not warnings:
        return f"{n(files, 'file')} checked: no problems"
    return f"{n(errors, 'error')}, {n(warnings, 'warning')} in {n(files, 'file')}"


def to_json(diagnostic: Diagnostic) -> dict:
    out: dict = {"code": diagnostic.code, "name": diagnostic.name, "severity": diagnostic.severity.value,
                 "message": diagnostic.message, "file": diagnostic.source.name if diagnostic.source else None}
    if diagnostic.primary is not None and diagnostic.source is not None:
        out["span"] = _span_json(diagnostic.source, diagnostic.primary)
        out["labels"] = [_span_json(diagnostic.source, lab) for lab in diagnostic.secondary]
    out["help"] = diagnostic.help or None
    return out


def _span_json(src, label: Label) -> dict:
    line, col = src.line_col(label.span.start)
    end_line, end_col = src.line_col(label.span.end)
    return {"line": line, "column": col, "end_line": end_line, "end_column": end_col, "label": label.message}


def render_json(diagnostics: Iterable[Diagnostic], extra: dict | None = None) -> str:
    items = [to_json(d) for d in diagnostics]
    errors = sum(1 for d in items if d["severity"] == "error")
    doc = {"diagnostics": items, "summary": {"errors": errors, "warnings": len(items) - errors}}
    if extra:
        doc.update(extra)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(doc, ensure_ascii=False, indent=2))


# What json.dumps leaves raw but a terminal acts on: DEL, C1 controls, bidi and invisible format
# characters, line and paragraph separators. They can only occur inside JSON strings, where the
# \uXXXX escape means the same character.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command: `::error file=...,line=...::message`."""
    level = "error" if diagnostic.severity is Severity.ERROR else "warning"
    props = [f"title={_gh_escape(f'{diagnostic.code} {diagnostic.name}', True)}"]
    if diagnostic.source is not None:
        props.insert(0, f"file={_gh_escape(safe(diagnostic.source.name), True)}")
        if diagnostic.primary is not None:
            line, col = diagnostic.source.line_col(diagnostic.primary.span.start)
            end_line, end_col = diagnostic.source.line_col(diagnostic.primary.span.end)
            props[1:1] = [f"line={line}", f"col={col}", f"endLine={end_line}", f"endColumn={end_col}"]
    message = diagnostic.message + (f" (help: {diagnostic.help})" if diagnostic.help else "")
    message = re.sub(r"[^\r\n]+", lambda m: safe(m.group()), message)  # line breaks have their own escapes
    return f"::{level} {','.join(props)}::{_gh_escape(message)}"
