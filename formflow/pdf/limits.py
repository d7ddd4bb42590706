"""How much one PDF may ask of the machine, and the cheap checks made before rendering.

A declaration is a few pages. Anything far beyond that is a bug upstream or hostile input, and
weasyprint's layout time grows with the text, so one such document must not stall a batch of a
thousand. Two kinds of bound:

* size, checked here in microseconds before any rendering: a single answer longer than
  `max_answer_chars` is cut with a visible note (the clinician sees that text is missing); more
  than `max_rows` rows or `max_total_chars` characters in all refuses the document, because
  silently dropping rows could hide a deviating answer;
* time and memory, enforced on the render itself (`isolate.py`): `timeout_s` of wall time and
  `memory_mb` of resident memory beyond what the rendering process started with. A five-page
  declaration needs 20–50 MB; the default leaves room for a thousand rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.pdf.model import PdfDocument


@dataclass(frozen=True, slots=True)
class Limits:
    max_answer_chars: int = 10_000
    max_rows: int = 1_000
    max_total_chars: int = 200_000
    timeout_s: float = 60.0
    memory_mb: int | None = 1_024  # None: no memory limit


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with a Swedish note saying how much was left out."""
    if len(text) <= limit:
        return text
    more = f"{len(text) - limit:,}".replace(",", "\u00a0")  # Swedish digit groups: 12 345
    return f"{text[:limit]} [… {more} tecken till]"


def size_problem(doc: PdfDocument, limits: Limits) -> str | None:
    """Why `doc` is too big to render, in words without personal data; None when it fits."""
    if len(doc.rows) > limits.max_rows:
        return f"the document has {len(doc.rows):,} rows; at most {limits.max_rows:,} are rendered"
    total = sum(min(len(r.label), limits.max_answer_chars) + min(len(r.answer), limits.max_answer_chars)
                for r in doc.rows)
    total += min(len(doc.comment or ""), limits.max_answer_chars)
    if total > limits.max_total_chars:
        return (f"the document has {total:,} characters of text (after cutting long answers); "
                f"at most {limits.max_total_chars:,} are rendered")
    return None
