"""One walk through a form: the route a citizen with these facts and answers takes, and its outcome.

A walk is a pure function of (form, facts, answers): the same inputs always take the same route.
That is what makes "going back" in the interactive simulator simple and faithful to the real
service — change an answer, walk again from the start, and answers to questions that are no longer
on the route are simply not used (they are reported in `unused`).
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.simulate.expressions import Env, RouteAnswers, RouteValues
from formflow.simulate.program import Program
from formflow.simulate.routing import SKIPPED, Fault, State


@dataclass(frozen=True)
class Walk:
    trace: tuple  # the route, see routing.py
    answers: dict  # answers used on the route (question id -> value)
    values: dict  # derived values computed on the route
    triggered: tuple[str, ...]
    end: str | None  # the outcome named by the `end` that was reached
    outcome: str | None  # the outcome the citizen gets: the most urgent of `end` and the triggered ones
    pending: str | None  # a question on the route that has no answer yet
    unused: tuple[str, ...]  # answers given to questions that the route never asked
    fault: Fault | None = None  # a runtime error; the walk stopped where it happened

    @property
    def asked(self) -> tuple[str, ...]:
        return tuple(step[1] for step in self.trace if step[0] == "ask")

    @property
    def complete(self) -> bool:
        return self.outcome is not None and self.fault is None

    @property
    def dead_end(self) -> bool:
        """The routing ran out without reaching an `end` (the checker's FF405 should prevent this)."""
        return self.outcome is None and self.pending is None and self.fault is None


def winner(program: Program, end: str, triggered) -> str:
    """The outcome of a route: the most urgent; a tie goes to `end`, then to the earliest trigger."""
    best, best_rank = end, program.rank[end]
    for outcome in triggered:
        if program.rank[outcome] < best_rank:
            best, best_rank = outcome, program.rank[outcome]
    return best


def walk(program: Program, facts, answers: dict, *, complete: bool = True) -> Walk:
    """Walk the form. `complete`: a missing optional answer means "left unanswered" (scripted runs);
    otherwise the walk stops at it as at any unanswered question (the interactive simulator asks)."""
    state = State(Env(RouteAnswers(), RouteValues(), facts, facts.today), answers, complete)
    fault = None
    try:
        program.run(state)
    except Fault as exc:
        fault = exc
    except RecursionError:  # pragma: no cover - nesting is limited to 64 levels by the parser
        fault = Fault("the routing is nested too deeply to walk", None)
    outcome = winner(program, state.end, state.triggered) if state.end is not None and fault is None else None
    finished = state.pending is None and fault is None  # otherwise later answers may still be used
    unused = _unused(state, answers) if finished else ()
    return Walk(tuple(state.trace), dict(state.env.answers), dict(state.env.values), tuple(state.triggered), state.end,
                outcome, state.pending, unused, fault)


def _unused(state: State, answers: dict) -> tuple[str, ...]:
    """Answers given to questions the route never asked. Most answers were used (they are in
    `env.answers`), so the trace is searched only when some were not."""
    used = state.env.answers
    if len(used) == len(answers):  # every answer given was used (`used` holds given answers only)
        return ()
    left = [q for q in answers if q not in used and answers[q] is not SKIPPED]
    if not left:
        return ()
    asked = {step[1] for step in state.trace if step[0] == "ask"}
    return tuple(q for q in left if q not in asked)
