"""A compiled form.json turned into something that can be walked: the simulator's input.

The simulator, scenario tests and `explore` all run on the *artifact* — the JSON document that
ships — not on the syntax tree, so a walk-through proves that the artifact is complete. The
document is validated against the published form schema before it is used; its routing is then
compiled once into nested closures (see `routing`), and its expressions into functions (see
`expressions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from formflow.simulate.routing import Condition, compile_routing


class FormInvalid(Exception):
    """The document is not a formflow form (wrong format, or it fails the schema)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Program:
    doc: dict
    questions: dict  # id -> question dict, in flow order
    outcomes: dict  # id -> outcome dict
    rank: dict  # outcome id -> urgency rank (0 = most urgent)
    conditions: tuple[Condition, ...]  # every `if`/`else if` condition, numbered in flow order
    run: object = field(repr=False)  # State -> bool (True when an `end` was reached)

    @property
    def flow_id(self) -> str:
        return self.doc["flow"]["id"]

    @property
    def languages(self) -> list[str]:
        return self.doc["flow"]["languages"]

    def text(self, texts: dict | None, lang: str) -> str:
        """A text in `lang`, falling back to the flow's first language."""
        if not texts:
            return ""
        return texts.get(lang) or texts[self.languages[0]]


def load_program(doc: dict, *, validate: bool = True) -> Program:
    """Validate a form document and compile it. Raises FormInvalid for anything not a formflow form."""
    if not isinstance(doc, dict) or doc.get("format") != "formflow/form":
        raise FormInvalid(["this is not a formflow form (its \"format\" is not \"formflow/form\")"])
    if validate:
        from formflow.emit.schema import validation_errors
        from formflow.simulate.form_guard import problems as guard_problems

        problems = guard_problems(doc) or validation_errors("form", doc)
        if problems:
            raise FormInvalid(problems)
    questions = {q["id"]: q for q in doc["questions"]}
    levels = doc["urgency_levels"]
    outcomes = {o["id"]: o for o in doc["outcomes"]}
    rank = {o["id"]: levels.index(o["urgency"]) for o in doc["outcomes"]}
    try:
        run, conditions = compile_routing(doc["routing"], questions, doc["derived"])
    except (KeyError, ValueError) as exc:
        raise FormInvalid([f"the routing cannot be compiled: {exc}"]) from exc
    return Program(doc, questions, outcomes, rank, conditions, run)
