"""A `PdfDocument` as HTML, through the template's jinja2 file.

The environment is as strict as jinja allows: autoescape for every template whatever its name,
`StrictUndefined` so a misspelt field fails the render instead of printing nothing (a blank where
a clinician expects a red flag is worse than no PDF), and a loader that sees only the template's
own folder. Citizen text is never template source — it is a value, so `{{ 7*7 }}` in an answer
prints as typed — and it reaches the template only as `text.Isolated`.

No weasyprint here: this module is cheap to import and its output can be opened in a browser
(`link_css=True`) to work on the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from formflow import __version__
from formflow.pdf.limits import Limits, truncate
from formflow.pdf.model import PdfDocument, PdfRow
from formflow.pdf.text import Isolated, clean, isolate
from formflow.resources import data_dir

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MAX_DEPTH = 4  # deeper follow-ups print at this indentation, still under their parent
MAX_NAME_CHARS = 200
PAGE, STYLESHEET = "declaration.html.j2", "declaration.css"  # every template folder has these two


def template_dir(template: str) -> Path:
    """The real path of `templates/<template>/`; the name was checked by `PdfDocument`."""
    folder = (data_dir("templates") / template).resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"formflow has no PDF template '{template}'")
    return folder


@cache
def environment(template: str) -> jinja2.Environment:
    """One environment per template, kept for the process: it caches the compiled template."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir(template)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True, slots=True)
class RowView:
    label: Isolated
    answer: Isolated
    flag: str | None
    depth: int
    derived: bool


def _row(row: PdfRow, limits: Limits) -> RowView:
    return RowView(_capped(row.label, limits), _capped(row.answer, limits), row.flag,
                   min(row.depth, MAX_DEPTH), row.derived)


def _capped(text: str, limit: Limits | int) -> Isolated:
    chars = limit if isinstance(limit, int) else limit.max_answer_chars
    return isolate(truncate(clean(text), chars))


def context(doc: PdfDocument, limits: Limits) -> dict:
    """Everything the template may read: cleaned, capped, formatted; nothing else."""
    head = doc.header
    return {
        "lang": doc.lang,
        "title": clean(doc.title),
        "name": _capped(head.name, MAX_NAME_CHARS) if head.name else None,
        "personnummer": head.personnummer,
        "filled_by": head.filled_by.value,
        "submitted_at": head.submitted_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M"),
        "valid_until": head.valid_until.isoformat(),
        "rows": [_row(r, limits) for r in doc.rows],
        "deviating_count": doc.deviating_count,
        "comment": _capped(doc.comment, limits) if doc.comment else None,
        "flow_id": clean(doc.flow_id),
        "flow_version": clean(doc.flow_version),
        "generator": f"formflow {__version__}",
    }


def render_html(doc: PdfDocument, limits: Limits = Limits(), *, link_css: bool = False) -> str:
    """The document's HTML. `link_css` adds a <link> to the stylesheet, for a browser preview or
    a plain weasyprint render; formflow's own render passes the parsed stylesheet instead."""
    page = environment(doc.template).get_template(PAGE)
    return page.render(**context(doc, limits), link_css=link_css, stylesheet=STYLESHEET)
