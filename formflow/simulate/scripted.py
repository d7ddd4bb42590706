"""A walk from an answers file: typed answers, the walk, and diagnostics for everything off.

Used by `formflow simulate FLOW --answers FILE`, by scenario tests and by gate evaluation. Every
problem is a diagnostic pointing into the answers file: an unknown question id (with the nearest
id), an answer of the wrong type or out of range, an answer the route never uses, a required
question on the route left unanswered.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from formflow.diagnostics.model import Diagnostic, has_errors, make
from formflow.inputs.yamlnode import YMap, YScalar, YSeq
from formflow.simulate.answers import AnswerError, parse_choices, parse_scalar
from formflow.simulate.program import Program
from formflow.simulate.walk import Walk, walk


@dataclass(frozen=True)
class Scripted:
    walk: Walk | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.walk is not None and not has_errors(self.diagnostics)


def typed_answers(program: Program, node, source, today) -> tuple[dict, list[Diagnostic], dict]:
    """Answers from a YAML mapping: (answers, diagnostics, key spans by question id)."""
    if not isinstance(node, YMap):
        span = getattr(node, "span", None)
        return {}, [make("FF602", "the answers must be a mapping of question id to answer", source, span,
                         "expected `question_id: answer` lines")], {}
    answers, problems, spans = {}, [], {}
    for key, value in node.items:
        spans[key.text] = key.span
        question = program.questions.get(key.text)
        if question is None:
            problems.append(_unknown(program, key, source))
            continue
        try:
            answers[key.text] = _typed(question, value, today)
        except AnswerError as exc:
            problems.append(make("FF602", f"invalid answer to '{key.text}': {exc.message}", source,
                                 getattr(value, "span", key.span), exc.message, help=exc.help))
    return answers, problems, spans


def _typed(question: dict, value, today):
    if question["type"] == "multiple":
        if isinstance(value, YSeq) and all(isinstance(v, YScalar) for v in value.items):
            return parse_choices(question, [v.text for v in value.items])
        if isinstance(value, YScalar) and not value.is_null:
            return parse_choices(question, [value.text])
        raise AnswerError("expected a list of option codes", "write them as [code1, code2]")
    if not isinstance(value, YScalar):
        raise AnswerError("expected a single value, not a list or mapping")
    return parse_scalar(question, value.text, today)


def _unknown(program, key, source) -> Diagnostic:
    near = difflib.get_close_matches(key.text, list(program.questions), n=1)
    return make("FF601", f"the flow '{program.flow_id}' has no question '{key.text}'", source, key.span,
                "no such question", help=f"did you mean '{near[0]}'?" if near else "check the question ids in the flow")


def run_scripted(program: Program, facts, node, source) -> Scripted:
    """Type the answers, walk, and report what the walk shows about them."""
    answers, problems, spans = typed_answers(program, node, source, facts.today)
    if has_errors(problems):
        return Scripted(None, tuple(problems + _missing(program, facts, answers, spans, source)))
    result = walk(program, facts, answers, complete=True)
    problems += [make("FF603", f"'{q}' is answered but the route never asks it", source, spans[q],
                      "not on this route", help="the route ended before it or took another branch")
                 for q in result.unused]
    problems += walk_problems(program, result, source)
    return Scripted(result, tuple(problems))


def _missing(program: Program, facts, answers: dict, spans: dict, source) -> list[Diagnostic]:
    """The first required question the route reaches with no answer at all, found by walking the
    valid answers: reported with the other problems, so that one run shows everything to fix. (A
    question whose answer was refused is not "missing"; its refusal is already reported.)"""
    result = walk(program, facts, answers, complete=True)
    refused = set(spans) - set(answers)
    if result.pending is None or result.pending in spans or refused & set(result.asked):
        return []  # past a refused answer the route is not known
    return walk_problems(program, result, source)[:1]


def walk_problems(program: Program, result: Walk, source) -> list[Diagnostic]:
    """Diagnostics for a walk that did not finish: a missing answer, a runtime fault, a dead end."""
    if result.pending is not None:
        q = program.questions[result.pending]
        return [make("FF604", f"the route reaches '{q['id']}' (flow line {q['at']['line']}) but it has no answer",
                     source, None, help=f"add `{q['id']}: ...` — {_expected(q)}")]
    if result.fault is not None:
        where = f" at flow line {result.fault.at['line']}" if result.fault.at else ""
        return [make("FF605", f"the form failed{where}: {result.fault.message}", source, None)]
    if result.dead_end:
        return [make("FF606", "the route ran out without reaching an end", source, None)]
    return []


def _expected(q: dict) -> str:
    kind = q["type"]
    if kind in ("single", "multiple"):
        codes = ", ".join(o["code"] for o in q["options"])
        return f"{'one of' if kind == 'single' else 'a list of'}: {codes}"
    return {"yes_no": "yes or no", "acknowledge": "yes", "integer": "a whole number", "decimal": "a number",
            "date": "a date YYYY-MM-DD", "text": "a text", "attachment": "a file name"}.get(kind, kind)
