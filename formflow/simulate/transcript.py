"""A walk as the author reads it (text) and as tools read it (JSON).

The transcript shows the route in order — pages, the questions asked with their answers, the
conditions decided and where they are in the flow, derived values, triggers — then the outcome
and its message. The citizen is described by the facts the flow can read, never by the
personnummer: transcripts end up in CI logs. For the same reason a `private` transcript (the
one `formflow test` prints and writes to JUnit XML) shows free text — text answers and text
values — only as its length: a citizen's own words about their health are not test output.
"""

from __future__ import annotations

from formflow.simulate.program import Program
from formflow.simulate.terminal import indent, safe
from formflow.simulate.values import show, to_json
from formflow.simulate.walk import Walk


def describe_facts(facts) -> str:
    who = "a guardian answering for a child" if facts.is_proxy else "the citizen"
    return (f"{who}: age {facts.age} (born {facts.birth_year}), region {safe(str(facts.region))}, "
            f"today {facts.today}")


def private_text(value: str) -> str:
    """Free text as CI may see it: its length only."""
    return f"(free text, {len(value)} character{'s' if len(value) != 1 else ''})"


def _shown(value, private: bool) -> str:
    return private_text(value) if private and isinstance(value, str) else show(value)


def render_text(program: Program, walk: Walk, facts, lang: str = "sv", private: bool = False) -> str:
    title = program.text(program.doc["flow"]["title"], lang)
    lines = [f"flow {program.flow_id}: {safe(title)}", f"  {describe_facts(facts)}", "", "route:"]
    depth = 1
    for step in walk.trace:
        lines.append(_step_line(program, walk, step, lang, depth, private))
        if step[0] == "page":
            depth = 2
    lines.append("")
    lines.extend(_ending(program, walk, lang))
    return "\n".join(lines) + "\n"


def _step_line(program, walk, step, lang, depth, private) -> str:
    pad = "  " * depth
    kind = step[0]
    if kind == "page":
        page = next(p for p in program.doc["pages"] if p["id"] == step[1])
        return f"  page {step[1]}: {safe(program.text(page['title'], lang))}"
    if kind == "ask":
        q = program.questions[step[1]]
        label = safe(program.text(q["label"], lang))
        if q["type"] == "info":
            return f"{pad}i {step[1]}: {label}"
        text_answer = private and q["type"] == "text"
        answer = (_shown(walk.answers[step[1]], text_answer) if step[1] in walk.answers else "(not answered)")
        return f"{pad}? {step[1]}: {label}\n{pad}    = {safe(answer)}"
    if kind == "if":
        at = program.conditions[step[1]].at
        return f"{pad}if at line {at['line']}: {'true' if step[2] else 'false'}"
    if kind == "let":
        return f"{pad}let {step[1]} = {safe(_shown(walk.values[step[1]], private))}"
    return f"{pad}{kind} {step[1]}"


def _ending(program, walk, lang) -> list[str]:
    if walk.outcome is None:
        return ["outcome: none (the walk did not finish)"]
    outcome = program.outcomes[walk.outcome]
    out = [f"outcome: {walk.outcome} ({outcome['kind']}, urgency {outcome['urgency']})"]
    if walk.outcome != walk.end:
        out.append(f"  (more urgent than '{walk.end}', named by the end that was reached)")
    out.append(indent(program.text(outcome["message"], lang), "  "))
    return out


def to_json_data(program: Program, walk: Walk, facts) -> dict:
    return {
        "flow": program.flow_id,
        "citizen": {"age": facts.age, "birth_year": facts.birth_year, "is_proxy": facts.is_proxy,
                    "region": facts.region, "today": str(facts.today)},
        "route": [_step_json(program, step) for step in walk.trace],
        "asked": list(walk.asked),
        "answers": {q: to_json(v) for q, v in walk.answers.items()},
        "values": {k: to_json(v) for k, v in walk.values.items()},
        "triggered": list(walk.triggered),
        "end": walk.end,
        "outcome": walk.outcome,
        "outcome_kind": program.outcomes[walk.outcome]["kind"] if walk.outcome else None,
        "unused_answers": list(walk.unused),
        "pending": walk.pending,
    }


def _step_json(program, step) -> dict:
    kind = step[0]
    if kind == "if":
        at = program.conditions[step[1]].at
        return {"step": "if", "line": at["line"], "column": at["column"], "holds": step[2]}
    key = {"page": "page", "ask": "question", "let": "value", "trigger": "outcome", "end": "outcome"}[kind]
    return {"step": kind, key: step[1]}
