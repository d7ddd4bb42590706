"""FF716: a gate that no booking outcome books through.

A gate protects nothing until an outcome names it (`through <gate>`); an unused gate is usually
a misspelt name on the outcome, which would leave the appointment type without its protection.
"""

from __future__ import annotations

from formflow.check.booking_semantics import outcome_gate


def check(ctx):
    used = {outcome_gate(d) for d in ctx.flow.outcomes}
    for gate in ctx.flow.gates:
        if gate.id.name not in used:
            yield ctx.diag("FF716", f"no booking outcome books through gate '{gate.id.name}'", gate.id.span,
                           "unused gate", help=f"add `through {gate.id.name}` to the booking outcome it protects, "
                                               "or remove the gate")
