"""A scenario's `expect: pdf:` — what the clinician's PDF says for this route.

Checked against the document the walk produces (the renderer's own tests prove that the document
is what the PDF prints), so a scenario run stays fast: no PDF is rendered to check it.

    pdf:
      contains: ["Blöder lätt", "BMI"]       # texts printed somewhere (title, header, rows, comment)
      not_contains: ["Graviditet"]           # e.g. a question the route did not ask
      red: ["Tar du blodförtunnande?"]       # row labels flagged red (deviating) ...
      green: ["Har du astma?"]               # ... and green (normal)
      deviating: 2                           # "Antal avvikande svar"
      valid_until: 2025-02-28
      filled_by: guardian                    # or patient
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.diagnostics.model import make
from formflow.inputs.yamlnode import YMap, as_date, as_int, as_list, as_text, check_keys

KEYS = ("id", "contains", "not_contains", "red", "green", "deviating", "valid_until", "filled_by")
FILLED_BY = {"patient": "Patienten", "guardian": "Vårdnadshavare"}


@dataclass(frozen=True)
class PdfExpectation:
    id: str | None = None
    contains: tuple[str, ...] = ()
    not_contains: tuple[str, ...] = ()
    red: tuple[str, ...] = ()
    green: tuple[str, ...] = ()
    deviating: int | None = None
    valid_until: object = None
    filled_by: str | None = None


def read_pdf_expectation(program, node, source, diags: list):
    """The typed `pdf:` expectation (None after recording problems in `diags`)."""
    pdfs = [p["id"] for p in program.doc.get("pdfs", ())]
    if not isinstance(node, YMap):
        diags.append(make("FF510", "expected a mapping for 'pdf'", source, node.span, "not a mapping",
                          help="write `pdf: {contains: [...], red: [...]}`"))
        return None
    problems = check_keys(node, source, (), KEYS)
    if not pdfs:
        problems.append(make("FF609", f"the flow '{program.flow_id}' has no pdf", source, node.span, "no pdf here",
                             help="declare a `pdf` in the flow, or remove this expectation"))
    fields = {key: _field(key, node.get(key), source, problems) for key in KEYS if node.get(key) is not None}
    chosen = fields.get("id")
    if chosen is not None and chosen not in pdfs:
        problems.append(make("FF609", f"the flow '{program.flow_id}' has no pdf '{chosen}'", source,
                             node.get("id").span, "no such pdf", help="the flow's pdfs are: " + ", ".join(pdfs)))
    diags += problems
    return None if problems else PdfExpectation(**fields)


def _field(key, node, source, problems):
    if key in ("contains", "not_contains", "red", "green"):
        seq, d = as_list(node, source, field=key)
        values = []
        for item in (seq.items if seq else ()):
            text, d2 = as_text(item, source, field=key)
            d = d or d2
            values.append(text)
        result = tuple(values)
    elif key == "deviating":
        result, d = as_int(node, source, field=key)
    elif key == "valid_until":
        result, d = as_date(node, source, field=key)
    elif key == "filled_by":
        result, d = as_text(node, source, field=key)
        if not d and result not in FILLED_BY:
            d = make("FF510", "filled_by is patient or guardian", source, node.span, "not patient or guardian")
    else:
        result, d = as_text(node, source, field=key)
    if d:
        problems.append(d)
    return result


def compare_pdf(program, expect: PdfExpectation, walk, citizen) -> list[tuple[str, str, str]]:
    """(what, expected, actual) for every part of the expectation that does not hold."""
    from formflow.simulate.pdfdoc import pdf_documents

    docs = dict(pdf_documents(program, walk, citizen))
    doc = docs[expect.id] if expect.id else next(iter(docs.values()))
    text = document_text(doc)
    out = [("pdf contains", repr(s), "not printed") for s in expect.contains if s not in text]
    out += [("pdf does not contain", repr(s), "printed") for s in expect.not_contains if s in text]
    flags = {row.label: row.flag for row in doc.rows}
    out += [(f"pdf row {s!r}", colour, _flag(flags, s)) for colour, names in (("red", expect.red), ("green", expect.green))
            for s in names if flags.get(s) != colour]
    if expect.deviating is not None and doc.deviating_count != expect.deviating:
        out.append(("pdf deviating answers", str(expect.deviating), str(doc.deviating_count)))
    if expect.valid_until is not None and doc.header.valid_until != expect.valid_until:
        out.append(("pdf valid until", str(expect.valid_until), str(doc.header.valid_until)))
    if expect.filled_by is not None and doc.header.filled_by.value != FILLED_BY[expect.filled_by]:
        out.append(("pdf filled in by", expect.filled_by, doc.header.filled_by.value))
    return out


def _flag(flags: dict, label: str) -> str:
    if label not in flags:
        return "not printed"
    return flags[label] or "no colour"


def document_text(doc) -> str:
    """Everything the document prints, one item per line (what `contains` searches)."""
    lines = [doc.title, doc.header.personnummer, doc.header.filled_by.value, str(doc.header.valid_until)]
    lines += [f"{row.label}: {row.answer}" for row in doc.rows]
    if doc.comment:
        lines.append(doc.comment)
    return "\n".join(lines)
