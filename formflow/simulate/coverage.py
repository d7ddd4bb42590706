"""How much of a flow its scenarios exercise: questions, condition directions, outcomes.

Counted from the traces of all walks of a flow's scenarios (every scenario file that names it):

- **questions**: questions (info texts included) shown on at least one route, of all questions;
- **branches**: condition directions taken, of two per condition — every `if` and `else if`
  condition must be seen both true and false (an `else` is the last condition being false);
- **outcomes**: outcomes some citizen got (after triggers), of all outcomes.

A flow's **coverage** is the *lowest* of the three percentages, so that a complete count in one
cannot hide a gap in another; `min_coverage` is compared with it. Percentages are exact fractions,
shown rounded *down* to one decimal, so 99.96% never shows as 100.0%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from formflow.diagnostics.model import Diagnostic, make
from formflow.simulate.program import Program


@dataclass(frozen=True)
class Tally:
    covered: int
    total: int

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.covered, self.total) if self.total else Fraction(1)

    def __str__(self) -> str:
        return f"{self.covered}/{self.total} {percent(self.fraction)}"


@dataclass(frozen=True)
class BranchGap:
    """A condition not seen in both directions: `missing` is "true", "false" or "true and false"."""

    line: int
    column: int
    missing: str

    def __str__(self) -> str:
        return f"line {self.line}:{self.column} never {self.missing}"


@dataclass(frozen=True)
class FlowCoverage:
    flow: str  # region.flow
    path: str  # the flow file
    scenarios: int  # walks counted
    questions: Tally
    branches: Tally
    outcomes: Tally
    never_asked: tuple[str, ...]
    branch_gaps: tuple[BranchGap, ...]
    unreached: tuple[str, ...]

    @property
    def combined(self) -> Fraction:
        return min(self.questions.fraction, self.branches.fraction, self.outcomes.fraction)

    def gaps(self) -> list[str]:
        """What no scenario reaches, one line per kind."""
        out = []
        if self.never_asked:
            out.append("never asked: " + ", ".join(self.never_asked))
        if self.branch_gaps:
            out.append("conditions: " + "; ".join(str(g) for g in self.branch_gaps))
        if self.unreached:
            out.append("outcomes never reached: " + ", ".join(self.unreached))
        return out


def percent(value: Fraction) -> str:
    tenths = math.floor(value * 1000)
    return f"{tenths // 10}.{tenths % 10}%"


def flow_coverage(program: Program, walks, flow: str, path: str) -> FlowCoverage:
    """Coverage of one flow by the given walks (finished or not: a partial route still counts)."""
    asked: set[str] = set()
    directions: set[tuple[int, bool]] = set()
    reached: set[str] = set()
    count = 0
    for walk in walks:
        count += 1
        asked.update(step[1] for step in walk.trace if step[0] == "ask")
        directions.update((step[1], step[2]) for step in walk.trace if step[0] == "if")
        if walk.outcome is not None:
            reached.add(walk.outcome)
    never = tuple(q for q in program.questions if q not in asked)
    gaps = tuple(_gap(c, directions) for c in program.conditions if _gap(c, directions) is not None)
    unreached = tuple(o for o in program.outcomes if o not in reached)
    conditions = len(program.conditions)
    return FlowCoverage(flow, path, count,
                        Tally(len(program.questions) - len(never), len(program.questions)),
                        Tally(len(directions), 2 * conditions),
                        Tally(len(program.outcomes) - len(unreached), len(program.outcomes)),
                        never, gaps, unreached)


def _gap(condition, directions) -> BranchGap | None:
    missing = [word for word, holds in (("true", True), ("false", False)) if (condition.index, holds) not in directions]
    if not missing:
        return None
    return BranchGap(condition.at["line"], condition.at["column"], " and ".join(missing))


def is_below(coverage: FlowCoverage, minimum: float | None) -> bool:
    """Exact: 93.75% is below a minimum of 93.8, and 100% is never below 100."""
    return minimum is not None and coverage.combined * 100 < Fraction(str(minimum))


def below_minimum(coverages, minimum: float | None) -> list[Diagnostic]:
    """FF610 for every flow whose coverage is below `minimum` (a percentage, 0–100)."""
    return [make("FF610", f"the scenarios of {c.flow} cover {percent(c.combined)} of it, below the minimum "
                          f"of {minimum:g}%", None, None, notes=tuple([f"flow file {c.path}"] + c.gaps()),
                 help="add scenarios that reach what is listed") for c in coverages if is_below(c, minimum)]


def render_table(coverages) -> str:
    """The coverage table, then what each flow's scenarios never reach."""
    rows = [("flow", "scenarios", "questions", "branches", "outcomes", "coverage")]
    for c in coverages:
        rows.append((c.flow, str(c.scenarios), str(c.questions), str(c.branches), str(c.outcomes),
                     percent(c.combined)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for c in coverages:
        gaps = c.gaps()
        if gaps:
            lines.append("")
            lines.append(f"{c.flow}:")
            lines.extend(f"  {g}" for g in gaps)
    return "\n".join(lines) + "\n"
