"""FF715: a gate that nobody can pass.

Every route of the gate is a contradiction on its face — `no`, or bounds on the same verified
fact that exclude each other (`citizen.age >= 80 and citizen.age < 65`). Such a gate books nobody
and is almost always a reversed comparison. (A gate with no routes at all is reported by
`booking_outcomes`.) Deeper reasoning over answers and dates is the analyser's job.
"""

from __future__ import annotations

from formflow.check.eligibility import Inliner, never_true


def check(ctx):
    inline = Inliner(ctx.semantics.resolved)
    for gate in ctx.flow.gates:
        if not gate.routes:
            continue
        if all(never_true(r.condition, inline) for r in gate.routes):
            yield ctx.diag("FF715", f"no citizen can pass gate '{gate.id.name}': every route contradicts itself",
                           gate.id.span, "can never be passed",
                           help="check the comparisons: `>=` and `<` may be the wrong way round",
                           secondary=tuple((r.condition.span, "never true") for r in gate.routes[:5]))
