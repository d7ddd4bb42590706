"""Label escaping: flow texts must never end a label, start graph syntax, a link or markup.

Both escapers work on an allow-list: letters and digits of any script (å ä ö), space and a few
harmless punctuation marks pass; everything else is written as an entity (Mermaid: `#NNN;`) or a
backslash escape inside a quoted DOT string. Line breaks and other control or format characters
(bidi overrides included) never reach the output — a label stays on one line, so a `%%` comment or a
`click` directive in a text cannot start a line of its own.
"""

from __future__ import annotations

import unicodedata

_SAFE = frozenset(" .,:?!-_+=/'()…⚠≤≥≠−×")


def _clean(text: str) -> str:
    return "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " and c != "\n" else c for c in text)


def mermaid_label(text: str) -> str:
    """The inside of a Mermaid `"..."` label; lines joined with `<br>` that the escaper writes itself."""
    return "<br>".join(_mermaid_line(line) for line in _clean(text).split("\n"))


def _mermaid_line(line: str) -> str:
    return "".join(c if c.isalnum() or c in _SAFE else f"#{ord(c)};" for c in line)


def dot_label(text: str) -> str:
    """The inside of a DOT `"..."` string (never an HTML `<...>` label); lines joined by `\\n`."""
    return "\\n".join(_dot_line(line) for line in _clean(text).split("\n"))


def _dot_line(line: str) -> str:
    return line.replace("\\", "\\\\").replace('"', '\\"')
