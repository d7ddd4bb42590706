"""A pdf row's colour rule (`red when ...`) over every complete route: can it be red, can it be green?

A row is printed when its question was answered (its value computed) on the route, and the rule
is then read with the simulator's own expression code (`simulate.pdfdoc`). A rule that can never
be true prints every answer green — the red flag the author meant never reaches the clinician
(`red when bmi > 100000`); one that is always true flags every answer and tells nothing. The
checker (FF419, `check/rules/colour_rules.py`) decides the rules that read only their own answer
by trying its domain; the analyser decides every rule, whatever it reads, with the solver, and
backs each "can be" with a walk on the compiled form that prints the row in that colour.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import z3

from formflow.analysis.encode import Cond, conj, negate
from formflow.analysis.explain import Reason, reasons
from formflow.analysis.goals import Engine, Goal
from formflow.analysis.solver import SAT, UNKNOWN, UNSAT, Item
from formflow.emit.form_json import expr as to_json
from formflow.ir import model as M
from formflow.simulate.asserts import end_env
from formflow.simulate.expressions import compile_expr
from formflow.simulate.values import RuntimeFault


@dataclass(eq=False)
class Colour:
    """One colour rule and what the analyser found about it."""

    pdf: M.Pdf
    row: M.PdfRow
    red: Goal  # some complete route prints the row red
    green: Goal  # ... and some prints it green

    @property
    def name(self) -> str:
        return f"colour {self.pdf.id} {self.row.ref}"

    @property
    def own_answer_only(self) -> bool:
        """The rule reads nothing but the row's own answer (the checker decides those: FF419)."""
        from formflow.analysis.encode import nodes

        reads = {n.question for n in nodes(self.row.red_when) if isinstance(n, M.AnswerRef)}
        others = [n for n in nodes(self.row.red_when) if isinstance(n, (M.ValueRef, M.FactRef, M.Today))]
        return self.row.kind == "question" and reads <= {self.row.ref} and not others


@dataclass(frozen=True, eq=False)
class Rule:
    """A colour rule as solver terms: whether reading it faults, and its value."""

    pdf: M.Pdf
    row: M.PdfRow
    defined: Cond
    value: Cond


def encode(flow: M.Flow, enc) -> list[Rule]:
    """Every colour rule as terms — before the solver is prepared, so that the facts a rule reads
    (and their place in the universe) are part of its background."""
    return [Rule(pdf, row, *enc.evaluated(row.red_when)) for pdf in flow.pdfs for row in pdf.rows
            if row.red_when is not None]


def settle(engine: Engine, rules: list[Rule]) -> list[Colour]:
    """Both colours of every rule, each a query backed by a walk (after `engine.run()`). The walks
    the analyser has already made are tried first: most rules are shown both ways by one of them,
    without a query. In `check`, a rule that reads only its own answer is left to the checker
    (FF419 tries its domain exactly), so it is not solved at all."""
    out = []
    walked = list({id(g.example): g.example for g in engine.goals if g.example is not None}.values())
    for rule in rules:
        row, defined, value = rule.row, rule.defined, rule.value
        base = [Item(conj(engine.paths.complete, engine.nofault.cond), None), Item(_printed(engine, row), None)]
        red = Goal("colour", row, base + [Item(Cond(z3.And(defined.expr, value.expr), defined.reads | value.reads,
                                                    value.hard), None)])
        green = Goal("colour", row, base + [Item(conj(defined, negate(value)), None)])
        colour = Colour(rule.pdf, row, red, green)
        if engine.scenario or not colour.own_answer_only:
            for goal, wanted in ((red, True), (green, False)):
                _settle(engine, goal, row, wanted, walked)
        out.append(colour)
    return out


def _printed(engine: Engine, row: M.PdfRow) -> Cond:
    if row.kind == "question":
        return engine.enc.answered(row.ref)
    return engine.enc.computed.get(row.ref, Cond(engine.enc.false))  # a value no route computes is never printed


def _settle(engine: Engine, goal: Goal, row: M.PdfRow, wanted: bool, walked: list) -> None:
    shown = next((ex for ex in walked if (ex.citizen is not None or not engine.scenario)
                  and shows(engine, row, ex, wanted)), None)
    if shown is not None:  # a walk already made prints the row in this colour
        goal.status, goal.example, goal.confirmed = SAT, shown, True
        return
    result = engine._solve(None, goal.items)
    goal.status = result.status
    if result.status != SAT:
        return
    ex = engine._example(result.model)
    if ex is not None and shows(engine, row, ex, wanted):
        goal.example, goal.confirmed = ex, True
    else:
        goal.status = UNKNOWN  # the solver's example does not print it so: never report it
        goal.note = "the solver's example does not print the row in that colour on the compiled form"


def shows(engine: Engine, row: M.PdfRow, ex, wanted: bool) -> bool:
    """The walk is complete, prints the row, and its colour rule is `wanted` (the simulator's code)."""
    w = ex.walk
    if not w.complete or (row.ref not in (w.answers if row.kind == "question" else w.values)):
        return False
    try:
        return bool(compile_expr(to_json(row.red_when))(end_env(engine.program, w, ex.facts))) == wanted
    except RuntimeFault:
        return False


def explanation(engine: Engine, goal: Goal, span) -> tuple[Reason, ...]:
    return reasons(engine.why(goal), engine.flow, span) if goal.status == UNSAT else ()


def diagnostics(engine: Engine, colours: list[Colour], source) -> list:
    """FF419 for a rule that is red on no complete route that prints the row, or on every one
    (rules reading only their own answer are the checker's)."""
    from formflow.analysis.diagnose import _diag

    out = []
    for c in colours:
        if c.own_answer_only:  # the checker's FF419 (its domain is tried exactly there)
            continue
        span, ref = c.row.red_when.span, c.row.ref
        if c.red.status == UNSAT and c.green.status == SAT:
            out.append(_diag("FF419", f"the colour rule of '{ref}' can never apply", source, span,
                             "never true on a route that prints the row", because=explanation(engine, c.red, span),
                             help="every answer is printed green, so the clinician never sees this flag: check the "
                                  "limits against the values the routes allow"))
        elif c.green.status == UNSAT and c.red.status == SAT:
            out.append(_diag("FF419", f"the colour rule of '{ref}' applies to every answer", source, span,
                             "true on every route that prints the row", because=explanation(engine, c.green, span),
                             help="a row that is always red tells the clinician nothing; check the condition"))
    return out


def properties(engine: Engine, colours: list[Colour], line_of) -> list:
    """Two properties per rule: it can be red, and it can be green, where the row is printed."""
    from formflow.analysis.properties import Property, _property

    out: list[Property] = []
    for c in colours:
        line = line_of(c.row.red_when.span.start)
        for goal, word in ((c.red, "red"), (c.green, "green")):
            prop = _property(engine, goal, "colour", f"{c.name} {word}",
                             f"the colour rule at line {line} prints '{c.row.ref}' {word} on some route",
                             c.row.red_when.span, line_of, possible_is_good=True)
            if prop.verdict == "violated":
                prop = replace(prop, detail=f"'{c.row.ref}' is never printed {word}: the rule is "
                                            f"{'never' if word == 'red' else 'always'} true where the row is printed")
            out.append(prop)
    return out


__all__ = ["Colour", "settle", "shows", "explanation", "diagnostics", "properties"]
