"""FF714, the Halland rule: a protected appointment type must not open on self-declared answers.

In 2021 Region Halland closed covid-19 web booking because its only gate was a self-declared
"Tillhör du någon av dessa grupper? Ja/Nej" (seed 003). A protected type (region.yaml
`protected: yes`) booked with no gate, or through a gate with a route that some citizen could
pass on answers alone (see `check.eligibility`), is an error — unless the gate says, in words,
that the region accepts that risk (`accept_risk "..."`). A route that requires evidence bound to
the personnummer (an invitation code, an open invitation, an allow-list) is verified whatever its
condition says.
"""

from __future__ import annotations

from formflow.check.booking_semantics import is_booking_decl, outcome_gate
from formflow.check.eligibility import Inliner, self_declared

VERIFYING_EVIDENCE = ("invitation_code", "open_invitation", "allow_list")
HELP = ("read a verified fact in every alternative (citizen.age, citizen.birth_year, "
        "citizen.has_invitation(\"...\")), or require evidence (invitation_code, open_invitation, allow_list); "
        "if the region has decided to accept the risk, write `accept_risk \"why, and who decided\"` in the gate")


def check(ctx):
    region = ctx.region.region if ctx.region is not None else None
    if region is None:
        return  # FF718 says so
    gates = {g.id.name: g for g in ctx.flow.gates}
    inline = Inliner(ctx.semantics.resolved)
    for decl in ctx.flow.outcomes:
        if not is_booking_decl(decl) or decl.kind.name != "booking":
            continue
        appointment = next((a for a in decl.attrs if a.key == "appointment"), None)
        kind = region.appointment_type(appointment.value.name) if appointment is not None else None
        if kind is None or not kind.protected:
            continue
        gate_id = outcome_gate(decl)
        if gate_id is None:
            yield ctx.diag("FF714", f"'{kind.id}' is a protected appointment type, booked here with no gate",
                           appointment.span, "protected, no gate",
                           help="book it `through` a gate whose routes read verified facts")
            continue
        gate = gates.get(gate_id)
        if gate is None or gate.setting("accept_risk") is not None:
            continue
        for route in gate.routes:
            if any(a.key in VERIFYING_EVIDENCE for a in route.attrs):
                continue
            if self_declared(route.condition, inline):
                yield ctx.diag("FF714", f"route '{route.id.name}' of gate '{gate.id.name}' can be passed on "
                               f"self-declared answers alone, and '{kind.id}' is protected", route.condition.span,
                               "some alternative reads no verified fact", help=HELP,
                               secondary=((appointment.span, "a protected appointment type"),))
