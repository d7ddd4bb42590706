"""Keep invitation codes and booking ids out of diagnostics about citizen files.

A citizen file's `booking:` section holds the codes printed on a region's letters and the booking
ids of open invitations (`formflow.inputs.booking_state`). Both are bearer secrets: whoever has
the code can book in the citizen's name. A diagnostic anywhere in the file shows its source lines,
and CI keeps that output, so before diagnostics leave the loader every character under
`invitation_codes:` and `open_invitations:` is replaced by `*` in the source they quote — the
same length, so columns and carets stay right — and every masked word is replaced in their
messages too. Anything shaped like a personnummer or a reservnummer is masked the same way, wherever
it is in the file: a number with a wrong check digit is still most likely a real person's.
"""

from __future__ import annotations

import dataclasses
import re

from formflow.source import Source

SECRET_KEYS = ("invitation_codes", "open_invitations")
_KEY = re.compile(r"^(\s*)(" + "|".join(SECRET_KEYS) + r")\s*:(.*)$")
_KEEP = set(" \t{}[],:\"'")


_PERSONNUMMER = re.compile(r"(?<![0-9A-Za-z])(?:[0-9]{2})?[0-9]{6}[-+]?[0-9A-Za-z][0-9]{2}[0-9A-Za-z]"
                           r"(?![0-9A-Za-z])")


def personnummer_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of everything shaped like a personnummer, samordningsnummer or
    reservnummer (letters among the last four), valid or not."""
    return [(m.start(), m.end()) for m in _PERSONNUMMER.finditer(text)
            if sum(c.isdigit() for c in m.group()) >= 9]


def masked_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the secret parts of a citizen file's text: the values and keys of the
    mappings under the secret keys, in block or flow style, and personnummer-shaped text."""
    spans: list[tuple[int, int]] = []
    block_indent = None
    offset = 0
    for line in text.split("\n"):
        m = _KEY.match(line)
        indent = len(line) - len(line.lstrip())
        if m:
            spans.append((offset + m.start(3), offset + len(line)))
            block_indent = len(m.group(1))
        elif block_indent is not None and line.strip() and indent > block_indent:
            spans.append((offset + indent, offset + len(line)))
        elif line.strip() and not line.lstrip().startswith("#"):
            block_indent = None
        offset += len(line) + 1
    return spans + _flow_spans(text) + personnummer_spans(text)


_FLOW = re.compile(r"\b(" + "|".join(SECRET_KEYS) + r")\s*:\s*\{")


def _flow_spans(text: str) -> list[tuple[int, int]]:
    """The `{...}` after a secret key written inline (`booking: {invitation_codes: {a: b}}`)."""
    out = []
    for m in _FLOW.finditer(text):
        depth, i = 0, m.end() - 1
        while i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        out.append((m.end() - 1, i + 1))
    return out


def mask_text(text: str, spans: list[tuple[int, int]]) -> tuple[str, set[str]]:
    """The text with every secret character replaced by `*`, and the words that were masked."""
    chars = list(text)
    words: set[str] = set()
    for start, end in spans:
        words.update(w for w in re.findall(r"[^\s{}\[\],:\"'#]+", text[start:end]) if len(w) >= 4)
        for i in range(start, end):
            if chars[i] not in _KEEP:
                chars[i] = "*"
    return "".join(chars), words


def masked(diagnostics, source: Source | None) -> list:
    """`diagnostics` with `source`'s secrets masked in their snippets and messages."""
    if source is None:
        return list(diagnostics)
    spans = masked_spans(source.text)
    if not spans:
        return list(diagnostics)
    text, words = mask_text(source.text, spans)
    safe = Source.from_text(source.name, text)

    def clean(message: str) -> str:
        for word in sorted(words, key=len, reverse=True):
            message = message.replace(word, "***")
        return message

    out = []
    for d in diagnostics:
        if d.source is not source and (d.source is None or d.source.name != source.name):
            out.append(d)
            continue
        out.append(dataclasses.replace(
            d, source=safe, message=clean(d.message), help=clean(d.help), notes=tuple(clean(n) for n in d.notes),
            primary=dataclasses.replace(d.primary, message=clean(d.primary.message)) if d.primary else None,
            secondary=tuple(dataclasses.replace(label, message=clean(label.message)) for label in d.secondary)))
    return out
