"""FF717 (warning): a gate that requires the citizen's home region.

In 2021 the Parliamentary Ombudsman (JO) criticised a region for hard-blocking people registered
in other regions from vaccination booking: care is to be given also to those who are not
residents. A gate reading `citizen.region` makes residence a condition for booking at all.
Inform non-residents instead, or route them in the flow with a message (an outcome), and let the
gate decide on priority.
"""

from __future__ import annotations

from formflow.check.eligibility import Inliner, reads_fact


def check(ctx):
    inline = Inliner(ctx.semantics.resolved)
    for gate in ctx.flow.gates:
        for route in gate.routes:
            if reads_fact(route.condition, "region", inline):
                yield ctx.diag("FF717", f"route '{route.id.name}' of gate '{gate.id.name}' requires the home region",
                               route.condition.span, "reads citizen.region",
                               help="do not hard-block non-residents (JO 2021): tell them where to book with an "
                                    "outcome, and let the gate decide on priority only")
