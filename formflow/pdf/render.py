"""A `PdfDocument` to PDF bytes or a PDF file: weasyprint, bounded, failures as diagnostics.

weasyprint is imported only when a PDF is rendered — here inside functions, and by `fetcher`,
which only this module imports, lazily — so `import formflow` (and every command that never
renders a PDF) does not pay its second of start-up. What can be shared between documents
is built once per process and template, in the parent, before any child is forked:
the fetcher, the `FontConfiguration` (fontconfig's font list) and the parsed stylesheet (a
`weasyprint.CSS`). A first small render warms Pango's font caches the same way. Each child then
inherits all of it for free (see benchmarks/README.md for what it saves).

Every failure is a `PdfError` carrying a diagnostic — FF906 when weasyprint fails, FF907 when a
limit is hit, FF903 when the file cannot be written — with no personal data in it: a render's
exception shows only its type name.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from formflow.diagnostics.model import Diagnostic, make
from formflow.fsio import FileProblem, write_atomic
from formflow.pdf import isolate
from formflow.pdf.html import STYLESHEET, render_html, template_dir
from formflow.pdf.limits import Limits, size_problem
from formflow.pdf.model import FilledBy, PdfDocument, PdfHeader, PdfRow

PDF_UA = "pdf/ua-1"  # tagged, with title and language: readable by screen readers


class PdfError(Exception):
    """A document that could not be rendered or written; `.diagnostic` says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(frozen=True, slots=True)
class Job:
    """What a child needs to render one document (picklable, though fork does not pickle it)."""

    doc: PdfDocument
    limits: Limits
    pdf_ua: bool


def render_pdf(doc: PdfDocument, *, limits: Limits = Limits(), pdf_ua: bool = True) -> bytes:
    """The PDF of `doc`. `pdf_ua` makes it a tagged PDF/UA-1 (about 10% slower to render).
    Raises `PdfError` when the document is too large, the render fails or a limit is hit."""
    job = checked(doc, limits, pdf_ua)
    if not isolate.available():
        return _in_process(job)
    try_warm_up(doc.template)
    outcome = isolate.run_one(pdf_bytes, job, timeout_s=limits.timeout_s, memory_mb=limits.memory_mb)
    if outcome.status != isolate.OK:
        raise PdfError(outcome_diagnostic(outcome, limits))
    return outcome.value


def write_pdf(doc: PdfDocument, path: Path, *, limits: Limits = Limits(), pdf_ua: bool = True) -> None:
    """Render `doc` and write it to `path` atomically (temporary file beside it, then rename):
    on any failure no new file is left at `path` or beside it (an older PDF there is untouched).
    The caller chooses `path`; it must never be made from citizen data (names, personnummer)."""
    write_file(path, render_pdf(doc, limits=limits, pdf_ua=pdf_ua))


def write_file(path: Path, data: bytes) -> None:
    try:
        write_atomic(Path(path), data)
    except FileProblem as exc:
        raise PdfError(make("FF903", f"{path}: cannot write the PDF: {exc}", None, None,
                            help="check that the folder exists and is writable")) from None


def checked(doc: PdfDocument, limits: Limits, pdf_ua: bool) -> Job:
    """The job for `doc`, or `PdfError` at once when a library is too old to render safely, its
    template is missing or it is too big."""
    problem = dependency_diagnostic()
    if problem is not None:
        raise PdfError(problem)
    try:
        template_dir(doc.template)
    except FileNotFoundError as exc:
        raise PdfError(failed_diagnostic(str(exc))) from None
    problem = size_problem(doc, limits)
    if problem:
        raise PdfError(limit_diagnostic(problem))
    return Job(doc, limits, pdf_ua)


def dependency_diagnostic():
    """FF909 when jinja2 or weasyprint is older than the versions with the fixes formflow relies on."""
    from formflow.pdf.versions import too_old

    old = too_old()
    if not old:
        return None
    return make("FF909", "PDFs are not rendered with " + "; ".join(old), None, None,
                help="upgrade them, e.g. `pip install -U 'jinja2>=3.1.6' 'weasyprint>=70'`")


def _in_process(job: Job) -> bytes:
    """Where processes cannot be forked: the same render, bounded by the size limits only."""
    try:
        return pdf_bytes(job)
    except MemoryError:
        raise PdfError(limit_diagnostic("rendering ran out of memory")) from None
    except Exception as exc:  # noqa: BLE001 - weasyprint's failures become a diagnostic
        raise PdfError(failed_diagnostic(type(exc).__name__)) from None


# --- weasyprint ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Renderer:
    """Everything shared by the documents of one template in one process."""

    base_url: str
    fetcher: object  # fetcher.TemplateFetcher
    font_config: object  # weasyprint.text.fonts.FontConfiguration
    css: object  # weasyprint.CSS, parsed once


@cache
def _renderer(template: str) -> _Renderer:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from formflow.pdf.fetcher import TemplateFetcher

    folder = template_dir(template)
    fetcher = TemplateFetcher(folder)
    fonts = FontConfiguration()
    css = weasyprint.CSS(url=(folder / STYLESHEET).as_uri(), url_fetcher=fetcher, font_config=fonts)
    return _Renderer(folder.as_uri() + "/", fetcher, fonts, css)


def pdf_bytes(job: Job) -> bytes:
    """The render itself, in whichever process runs it."""
    import weasyprint

    logging.getLogger("weasyprint").propagate = False  # its messages may quote document text
    shared = _renderer(job.doc.template)
    html = weasyprint.HTML(string=render_html(job.doc, job.limits), base_url=shared.base_url,
                           url_fetcher=shared.fetcher)
    with _fixed_font_timestamps():
        return html.write_pdf(stylesheets=[shared.css], font_config=shared.font_config,
                              pdf_variant=PDF_UA if job.pdf_ua else None)


@contextmanager
def _fixed_font_timestamps():
    """Same document, same bytes: fontTools stamps each embedded font subset with the current
    time unless SOURCE_DATE_EPOCH is set (the reproducible-builds convention). A value the user
    set is kept; otherwise 0 for the duration of the render."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


@cache
def warm_up(template: str) -> None:
    """Build the shared objects and render one tiny page, once per process and template, so that
    forked children start with fonts loaded and stylesheet parsed."""
    from datetime import date, datetime, timezone

    header = PdfHeader(personnummer="189001019802", filled_by=FilledBy.PATIENT,
                       submitted_at=datetime(2000, 1, 1, tzinfo=timezone.utc), valid_until=date(2000, 1, 1))
    doc = PdfDocument(title="formflow", header=header, rows=(PdfRow("å ⚠ ✓", "ا ש"),), template=template)
    pdf_bytes(Job(doc, Limits(), True))


def try_warm_up(template: str) -> None:
    """Warm up if possible; if even the tiny page fails, each child reports the failure itself."""
    try:
        warm_up(template)
    except Exception:  # noqa: BLE001 - the real render reports it, as a diagnostic
        pass


# --- diagnostics -----------------------------------------------------------------------------

def limit_diagnostic(why: str) -> Diagnostic:
    return make("FF907", f"PDF not rendered: {why}", None, None,
                help="a declaration is a few pages; check what produced this document, "
                     "or raise the limit (formflow.pdf.Limits) if it is genuinely this large")


def failed_diagnostic(detail: str) -> Diagnostic:
    return make("FF906", f"PDF rendering failed ({detail})", None, None,
                help="nothing was written; this is likely a bug in the template or in formflow")


def outcome_diagnostic(outcome: isolate.Outcome, limits: Limits) -> Diagnostic:
    """The diagnostic for a child that did not deliver a PDF."""
    if outcome.status == isolate.TIMEOUT:
        return limit_diagnostic(f"rendering took longer than {limits.timeout_s:g} s and was stopped")
    if outcome.status == isolate.MEMORY:
        budget = f"more than {limits.memory_mb:,} MB of" if limits.memory_mb is not None else "more"
        return limit_diagnostic(f"rendering needed {budget} memory")
    if outcome.status == isolate.CRASH and limits.memory_mb is not None:
        return failed_diagnostic(f"{outcome.detail}; it may have hit its memory limit "
                                 f"of {limits.memory_mb:,} MB")
    return failed_diagnostic(outcome.detail)
