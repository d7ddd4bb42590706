"""Free-text answers out of what `formflow test` prints and writes to JUnit XML.

A scenario's answers may hold a citizen's own words about their health (a text question's
answer), and test output is kept and published by CI. The transcript of a failed scenario shows
free text only as its length (`transcript.private_text`); this module does the same for the
snippets of diagnostics that quote the answers: every character of a text question's answer is
replaced by `*` in the source they quote, so that columns and carets stay right.
"""

from __future__ import annotations

import dataclasses

from formflow.inputs.yamlnode import YMap, YScalar
from formflow.source import Source


def text_answer_spans(program, node) -> list[tuple[int, int]]:
    """(start, end) offsets of the answers to text questions in an answers mapping."""
    if not isinstance(node, YMap):
        return []
    spans = []
    for key, value in node.items:
        question = program.questions.get(key.text)
        if question is not None and question["type"] == "text" and isinstance(value, YScalar):
            spans.append((value.span.start, value.span.end))
    return spans


def without_free_text(diagnostics, program, node, source: Source | None) -> tuple:
    """`diagnostics` with the text answers in `source` masked in the snippets they quote."""
    spans = text_answer_spans(program, node) if source is not None else []
    if not spans:
        return tuple(diagnostics)
    chars = list(source.text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            if chars[i] not in " \t\n\"'":
                chars[i] = "*"
    safe = Source.from_text(source.name, "".join(chars))
    return tuple(dataclasses.replace(d, source=safe) if d.source is source else d for d in diagnostics)
