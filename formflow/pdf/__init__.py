"""Clinician PDFs (health declarations) from plain data, rendered by weasyprint.

    doc = PdfDocument(title=..., header=PdfHeader(...), rows=(PdfRow(...), ...), comment=...)
    data = render_pdf(doc)                      # bytes, or PdfError(.diagnostic)
    write_pdf(doc, Path("out/0001.pdf"))        # atomic
    render_batch([(doc, path), ...], workers=4)  # one BatchResult per job

Importing this package does not import weasyprint; the first render does.
"""

from formflow.pdf.batch import BatchResult, render_batch
from formflow.pdf.limits import Limits
from formflow.pdf.model import FilledBy, PdfDocument, PdfHeader, PdfRow
from formflow.pdf.render import PdfError, render_pdf, write_pdf

__all__ = ["BatchResult", "FilledBy", "Limits", "PdfDocument", "PdfError", "PdfHeader", "PdfRow",
           "render_batch", "render_pdf", "write_pdf"]
