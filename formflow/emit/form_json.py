"""IR → `<flow>.form.json`: everything a runtime needs to present and route the form.

Output is deterministic: dicts are built in a fixed order, json.dumps is called with fixed
settings, no timestamps, the source is named by file name only and identified by its SHA-256.
Numbers inside expressions and bounds are exact decimal strings, so that a runtime can compute
with decimals (BMI rounding must not depend on binary floating point).
"""

from __future__ import annotations

from formflow import __version__
from formflow.ir import model as M

FORMAT = "formflow/form"
FORMAT_VERSION = 1


def texts(t: M.Texts | None) -> dict | None:
    return None if t is None else dict(t.values)


def at(span, source_lines) -> dict:
    line, col = source_lines(span.start)
    return {"line": line, "column": col}


def expr(e) -> dict:
    if isinstance(e, M.Literal):
        if e.type == "duration":
            return {"op": "literal", "type": "duration", "amount": e.value[0], "unit": e.value[1]}
        return {"op": "literal", "type": e.type, "value": e.value}
    if isinstance(e, M.Today):
        return {"op": "today", "type": "date"}
    if isinstance(e, M.AnswerRef):
        return {"op": "answer", "type": e.type, "question": e.question}
    if isinstance(e, M.ValueRef):
        return {"op": "value", "type": e.type, "name": e.name}
    if isinstance(e, M.FactRef):
        out = {"op": "fact", "type": e.type, "name": e.name}
        if e.args:
            out["args"] = [expr(a) for a in e.args]
        return out
    if isinstance(e, M.Call):
        return {"op": "call", "type": e.type, "function": e.function, "args": [expr(a) for a in e.args]}
    if isinstance(e, M.Op):
        return {"op": e.op, "type": e.type, "args": [expr(a) for a in e.args]}
    if isinstance(e, M.Test):
        return {"op": e.op, "type": "bool", "subject": expr(e.subject), "codes": list(e.codes)}
    if isinstance(e, M.OutcomeRef):  # asserts only: the outcome the route ended in
        return {"op": "outcome", "type": "outcome", "attr": e.attr or "id"}
    raise TypeError(e)  # pragma: no cover


def bound(b: M.Bound | None) -> dict | None:
    if b is None:
        return None
    if b.kind == "today":
        return {"today": True, "amount": b.amount, "unit": b.unit or "days"}
    return {b.kind: b.value}


def question(q: M.Question, where) -> dict:
    out: dict = {"id": q.id, "type": q.type, "label": texts(q.label), "required": q.required, "page": q.page}
    optional = {
        "help": texts(q.help), "unit": q.unit, "min": bound(q.min), "max": bound(q.max), "decimals": q.decimals,
        "max_length": q.max_length, "accept": list(q.accept) or None, "terms": texts(q.terms),
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    if q.options:
        out["options"] = [option(o) for o in q.options]
    out["at"] = where(q.span)
    return out


def option(o: M.Option) -> dict:
    out = {"code": o.code, "label": texts(o.label), "exclusive": o.exclusive}
    if o.help is not None:
        out["help"] = texts(o.help)
    return out


def statement(s, where) -> dict:
    if isinstance(s, M.Ask):
        return {"do": "ask", "question": s.question}
    if isinstance(s, M.Compute):
        return {"do": "compute", "value": s.derived}
    if isinstance(s, M.End):
        return {"do": "end", "outcome": s.outcome, "at": where(s.span)}
    if isinstance(s, M.Trigger):
        return {"do": "trigger", "outcome": s.outcome, "at": where(s.span)}
    if isinstance(s, M.PageBlock):
        return {"do": "page", "page": s.page, "body": [statement(x, where) for x in s.body]}
    if isinstance(s, M.If):
        branches = [b for b in s.branches if b.condition is not None]
        out = {"do": "if", "branches": [{"when": expr(b.condition), "then": [statement(x, where) for x in b.body],
                                         "at": where(b.span)} for b in branches]}
        if s.branches[-1].condition is None:
            out["else"] = [statement(x, where) for x in s.branches[-1].body]
        return out
    raise TypeError(s)  # pragma: no cover


def form_document(flow: M.Flow, region: str, line_col) -> dict:
    """The form artifact as plain JSON data. `line_col` maps a source offset to (line, column)."""

    def where(span):
        line, col = line_col(span.start)
        return {"line": line, "column": col}

    doc: dict = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": {"name": "formflow", "version": __version__},
        "source": {"file": flow.source_name, "sha256": flow.source_sha256},
        "region": region,
        "flow": {"id": flow.id, "title": texts(flow.title), "version": flow.version,
                 "languages": list(flow.languages)},
        "urgency_levels": list(flow.urgency_levels),
        "pages": [{"id": p.id, "title": texts(p.title)} for p in flow.pages],
        "questions": [question(q, where) for q in flow.questions],
        "derived": [{"id": d.id, "type": d.type, "expr": expr(d.expr), "at": where(d.span)} for d in flow.derived],
        "outcomes": [outcome(o, flow.id) for o in flow.outcomes],
        "routing": [statement(s, where) for s in flow.body],
    }
    if flow.intro is not None:
        doc["flow"]["intro"] = texts(flow.intro)
    if flow.pdfs:
        doc["pdfs"] = [pdf(p, where) for p in flow.pdfs]
    if flow.asserts:
        doc["asserts"] = [assertion(a, where) for a in flow.asserts]
    return doc


def outcome(o: M.Outcome, flow_id: str) -> dict:
    out = {"id": o.id, "kind": o.kind, "urgency": o.urgency, "message": texts(o.message)}
    if o.booking is not None and o.booking.appointment:  # the rules themselves are in the gate config
        out["booking"] = {"appointment_type": o.booking.appointment, "gate": o.booking.gate,
                          "config": f"{flow_id}.gate.json"}
    return out


def assertion(a: M.Assertion, where) -> dict:
    """An author's property of every complete route, so that runtimes (explore, scenario runs) can
    check it on each walk of the artifact, as the analyser proves it over all of them."""
    out: dict = {"id": a.id}
    if a.description is not None:
        out["description"] = a.description
    if a.premise is not None:
        out["if"] = expr(a.premise)
    out["then"] = expr(a.conclusion)
    out["at"] = where(a.span)
    return out


def pdf(p: M.Pdf, where) -> dict:
    """A pdf declaration: what the runtime prints when a route ends (rows of unasked questions never)."""
    out: dict = {"id": p.id, "title": texts(p.title), "template": p.template, "include": p.include,
                 "rows": [pdf_row(r) for r in p.rows]}
    if p.comment is not None:
        out["comment"] = p.comment
    out["validity"] = [{"months": v.months, **({"when": expr(v.condition)} if v.condition is not None else {})}
                       for v in p.validity]
    out["at"] = where(p.span)
    return out


def pdf_row(r: M.PdfRow) -> dict:
    out: dict = {"ref": r.ref, "kind": r.kind}
    if r.label is not None:
        out["label"] = texts(r.label)
    if r.under is not None:
        out["under"] = r.under
    if r.red_when is not None:
        out["red_when"] = expr(r.red_when)
    return out


def dumps(doc: dict) -> bytes:
    """The one serialisation of every artifact: UTF-8, two-space indent, trailing newline.

    orjson rather than json: the standard library falls back to its pure-Python encoder whenever
    `indent` is set, which made serialisation the slowest step of compiling a large flow (about
    0.25 s for 1,000 questions against a few milliseconds here). Key order is the insertion order
    the emitters build, so output stays deterministic.
    """
    import orjson

    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
