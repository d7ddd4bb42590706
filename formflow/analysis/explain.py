"""Words for what the analyser found: an unsatisfiable core as labels, an example as a short story.

Labels point at the author's lines: the earlier condition that already decided the question, the
`end` that every route takes first, the range of a question. Examples are told by their facts
(age, birth date, region, proxy, invitations, today) and answers — never by a personnummer, as in
every report formflow prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.analysis.paths import Origin
from formflow.analysis.witness import Example
from formflow.inputs.citizen import age_on
from formflow.ir import model as M
from formflow.simulate.values import show
from formflow.source import Span

MAX_ANSWERS_SHOWN = 12


@dataclass(frozen=True)
class Reason:
    span: Span | None  # None: a fact of the universe, shown as a note
    text: str


def reasons(origins, flow: M.Flow, skip: Span | None = None) -> tuple[Reason, ...]:
    """Labels for the origins of a core, in flow order; `skip`: the span the diagnostic is about.
    `origins` None: there is no core (the solvers disagreed, see `goals.Engine.why`)."""
    out: list[Reason] = []
    for origin in origins or ():
        if isinstance(origin, Origin):
            text = {"holds": "this is true on every route that gets there",
                    "failed": "this is false on every route that gets there",
                    "not-ended": "routes that end here never get there",
                    "answerable": "has a valid answer only on some days",
                    "no-fault": "routes on which this faults stop here",
                    "faults": "this faults here"}[origin.kind]
            out += [Reason(span, text) for span in origin.spans if span != skip]
        elif isinstance(origin, tuple) and origin[0] == "range":
            q = flow.question(origin[1])
            out.append(Reason(q.span, f"the answers '{q.id}' accepts"))
        elif isinstance(origin, tuple) and origin[0] == "universe":
            out.append(Reason(None, origin[1]))
    unique = {(r.span, r.text): r for r in out}
    return tuple(sorted(unique.values(), key=lambda r: (r.span is None, r.span.start if r.span else 0, r.text)))


def story(ex: Example, flow: M.Flow) -> str:
    """A citizen and answers in one paragraph: what the note of a diagnostic says."""
    f = ex.facts
    age = age_on(f.birth_date, f.today)
    who = f"a citizen aged {age} (born {f.birth_date.isoformat()})"
    if f.is_proxy:
        who += ", answered for by a guardian as proxy"
    parts = [who, f"region {f.region}", f"today {f.today.isoformat()}"]
    if f.invitations:
        parts.append("invitations " + ", ".join(sorted(f.invitations)))
    answers = [f"{q} = {show(v)}" for q, v in ex.answers.items()]
    if len(answers) > MAX_ANSWERS_SHOWN:
        answers = answers[:MAX_ANSWERS_SHOWN] + [f"... ({len(ex.answers) - MAX_ANSWERS_SHOWN} more)"]
    text = "; ".join(parts) + ("; answers: " + ", ".join(answers) if answers else "; no answers")
    w = ex.walk
    if w.outcome is not None:
        kind = next(o.kind for o in flow.outcomes if o.id == w.outcome)
        text += f"; outcome {w.outcome} ({kind})"
    elif w.fault is not None:
        text += f"; the walk stops: {w.fault.message}"
    return text
