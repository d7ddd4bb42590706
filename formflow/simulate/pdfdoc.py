"""From a finished walk to the PDFs a clinician reads: the form's `pdfs`, filled in.

Runs on the compiled form like the rest of the simulator. Only what the route established is
printed: a row whose question the route did not ask (or left unanswered), or whose value it did
not compute, is left out — printouts that ignore skip logic are a known complaint about other
form tools. Colour rules and validity conditions are the form's own expressions, evaluated with
the walk's answers and the verified facts of the subject of care. Validity is calendar months
from the Swedish date of submission, clamped to the end of the month (31 August + 6 months is
28 or 29 February).
"""

from __future__ import annotations

from decimal import Decimal

from formflow.inputs.citizen import local_date
from formflow.pdf.model import FilledBy, PdfDocument, PdfHeader, PdfRow
from formflow.simulate.expressions import Env, compile_expr
from formflow.simulate.program import Program
from formflow.simulate.values import RuntimeFault, add_months, show
from formflow.simulate.walk import Walk

_WORDS = {"sv": ("Ja", "Nej"), "en": ("Yes", "No")}


def pdf_documents(program: Program, walk: Walk, citizen, lang: str | None = None) -> list[tuple[str, PdfDocument]]:
    """(pdf id, document) for every pdf of the form that the route gave something to print.

    A route that asked none of a pdf's rows (a citizen turned away at the first question) makes no
    document: an empty declaration would read to a clinician as "nothing to declare". Raises
    RuntimeFault if a condition fails.
    """
    lang = lang or program.languages[0]
    facts = citizen.facts()
    env = Env(dict(walk.answers), dict(walk.values), facts, facts.today)
    docs = ((spec["id"], _document(program, spec, walk, citizen, env, lang)) for spec in program.doc.get("pdfs", ()))
    return [(pdf_id, doc) for pdf_id, doc in docs if doc is not None]


def _document(program, spec, walk, citizen, env, lang) -> PdfDocument | None:
    rows = [row for row in (_row(program, r, walk, env, lang) for r in spec["rows"]) if row is not None]
    if not rows:
        return None
    if spec["include"] == "flagged":
        rows = [r for r in rows if r.flag == "red"]
    comment_id = spec.get("comment")
    comment = walk.answers.get(comment_id) if comment_id else None
    header = PdfHeader(personnummer=citizen.subject.formatted,
                       filled_by=FilledBy.GUARDIAN if citizen.proxy_for is not None else FilledBy.PATIENT,
                       submitted_at=citizen.now, valid_until=_valid_until(spec, env, citizen), name=citizen.name)
    return PdfDocument(title=program.text(spec["title"], lang), header=header, rows=tuple(rows),
                       comment=comment or None, flow_id=program.flow_id,
                       flow_version=program.doc["flow"]["version"], lang=lang, template=spec["template"])


def _row(program, spec, walk, env, lang) -> PdfRow | None:
    ref = spec["ref"]
    if spec["kind"] == "question":
        if ref not in walk.answers:
            return None
        question = program.questions[ref]
        label = program.text(spec.get("label") or question["label"], lang)
        answer = answer_text(program, question, walk.answers[ref], lang)
    else:
        if ref not in walk.values:
            return None
        label, answer = program.text(spec["label"], lang), number_text(walk.values[ref], lang)
    flag = None
    if "red_when" in spec:
        flag = "red" if _holds(spec["red_when"], env, f"the colour rule of '{ref}'") else "green"
    return PdfRow(label, answer, flag, 1 if "under" in spec else 0, spec["kind"] == "value")


def _holds(expr: dict, env: Env, what: str) -> bool:
    try:
        return bool(compile_expr(expr)(env))
    except RuntimeFault as exc:
        raise RuntimeFault(f"{what}: {exc}") from None


def _valid_until(spec, env, citizen):
    submitted = local_date(citizen.now)
    for rule in spec["validity"]:
        if "when" not in rule or _holds(rule["when"], env, "a validity condition"):
            return add_months(submitted, rule["months"])
    return submitted  # the checker requires a fallback; a hand-made form without one expires at once


def answer_text(program: Program, question: dict, value, lang: str) -> str:
    """An answer as a clinician reads it: Ja/Nej, option labels, numbers with unit and decimal comma."""
    yes, no = _WORDS.get(lang, _WORDS["en"])
    kind = question["type"]
    if kind in ("yes_no", "acknowledge"):
        return yes if value else no
    if kind in ("single", "multiple"):
        chosen = value if isinstance(value, frozenset) else {value}
        return ", ".join(program.text(o["label"], lang) for o in question["options"] if o["code"] in chosen)
    if kind in ("integer", "decimal"):
        unit = question.get("unit")
        return number_text(value, lang) + (f" {unit}" if unit else "")
    return show(value)


def number_text(value, lang: str) -> str:
    text = show(value)
    if lang == "sv" and isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        text = text.replace(".", ",")
    return text
