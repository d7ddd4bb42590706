"""FF714, the Halland rule: a protected appointment type is booked only through a gate.

In 2021 Region Halland closed covid-19 web booking because its only gate was a self-declared
"Tillhör du någon av dessa grupper? Ja/Nej" (seed 003). A protected type (region.yaml
`protected: yes`) booked with no gate is an error here. Whether each route of its gate admits
only the citizens region.yaml entitles is not a syntactic question — one innocent conjunct
(`citizen.age >= 18 and said_yes`) defeats any rule that looks for a verified fact — so the
analyser proves it for every citizen, answer set, code typed and day
(`formflow.analysis.entitlement`), and reports FF714 with a counterexample when it fails.
"""

from __future__ import annotations

from formflow.check.booking_semantics import is_booking_decl, outcome_gate


def check(ctx):
    region = ctx.region.region if ctx.region is not None else None
    if region is None:
        return  # FF718 says so
    for decl in ctx.flow.outcomes:
        if not is_booking_decl(decl) or decl.kind.name != "booking":
            continue
        appointment = next((a for a in decl.attrs if a.key == "appointment"), None)
        kind = region.appointment_type(appointment.value.name) if appointment is not None else None
        if kind is None or not kind.protected or outcome_gate(decl) is not None:
            continue
        yield ctx.diag("FF714", f"'{kind.id}' is a protected appointment type, booked here with no gate",
                       appointment.span, "protected, no gate",
                       help="book it `through` a gate whose routes admit only the citizens region.yaml entitles "
                            "(cohorts, invitations, allow-lists, age, county)")
