"""The entitlement proof for people: FF714 for `formflow check`, gate properties for `formflow prove`.

FF714 is an error on a route that lets someone who is not entitled book a protected type (with
the counterexample in a note: facts, what the region's systems hold, the answers, the code typed
— never a personnummer), and on a route the analyser could not prove either way (a claim it
cannot back is not a proof). A gate with `accept_risk "..."` is the region's reviewed opt-out:
check stays quiet, `prove` still shows the verdict.
"""

from __future__ import annotations

from formflow.analysis.entitlement import ONLY, PASSABLE, SAT, UNSAT, Claim
from formflow.diagnostics.model import Label, make

HELP = ("make every route read what region.yaml entitles — a verified fact (citizen.birth_year, citizen.age, "
        "citizen.birth_date, citizen.has_invitation(\"...\")) or evidence bound to the personnummer "
        "(invitation_code, open_invitation, allow_list) — with its `from` date; answers may narrow a route, "
        "never open it. `formflow prove --out-dir` writes the counterexample as scenario files. If the region "
        "has decided to accept the risk, write `accept_risk \"why, and who decided\"` in the gate")


def diagnostics(engine, source) -> list:
    out = []
    booking_spans = {o.id: o.span for o in engine.flow.outcomes}
    for c in getattr(engine, "entitlement", ()):
        if c.kind != ONLY or c.status == UNSAT or c.gate.accept_risk is not None:
            continue
        where = f"route '{c.route.id}' of gate '{c.gate.id}'"
        secondary = (Label(booking_spans[c.outcome], f"books the protected type '{c.appointment}'"),)
        entitled = f"region.yaml entitles: {c.entitlement.describe()}"
        if c.status == SAT:
            out.append(make("FF714", f"{where} lets a citizen who is not entitled to '{c.appointment}' book it",
                            source, c.route.condition.span, "passes for someone not entitled", help=HELP,
                            secondary=secondary, notes=(f"counterexample: {story(c.example)}", entitled)))
        else:
            out.append(make("FF714", f"{where} cannot be proved to admit only citizens entitled to '{c.appointment}'",
                            source, c.route.condition.span, "not proved", help=HELP, secondary=secondary,
                            notes=(entitled, "the solver found a citizen the route may admit without being entitled, "
                                             "but none born on a day that has a Skatteverket test personnummer, or the "
                                             "gate evaluator did not confirm it; or it found no answer within its limit")))
    return out


def story(ex) -> str:
    """The counterexample in words, without personal data."""
    f, c = ex.facts, ex.citizen
    state = c.booking
    held = [f"a code for '{n}'" for n, _ in state.invitation_codes] + \
           [f"an open invitation '{n}'" for n, _ in state.open_invitations] + \
           [f"the personnummer on the list '{n}'" for n in state.allow_lists]
    invites = ", ".join(sorted(f.invitations)) or "none"
    answers = ", ".join(f"{q}={_shown(v)}" for q, v in ex.answers.items()) or "no answers"
    typed = "types that code" if ex.code else "types no code"
    return (f"born {f.birth_date.isoformat()} (aged {f.age} on {f.today.isoformat()}), county {f.region}, "
            f"invitations: {invites}; the region's systems hold {', '.join(held) or 'nothing else'}; "
            f"answers {answers}; {typed} — the gate evaluator allows the booking through route "
            f"'{ex.route_taken}', and the citizen is not entitled")


def _shown(value) -> str:
    from formflow.simulate import yamlout

    return yamlout.value_text(sorted(value) if isinstance(value, (set, frozenset)) else value)


def properties(engine, line_of) -> list:
    """Per protected booking, "booked only if entitled"; per route, "passable by an entitled citizen"."""
    from formflow.analysis.properties import PROVED, UNDECIDED, VIOLATED, Property

    out = []
    claims: list[Claim] = list(getattr(engine, "entitlement", ()))
    for outcome in dict.fromkeys(c.outcome for c in claims):
        mine = [c for c in claims if c.outcome == outcome]
        only = [c for c in mine if c.kind == ONLY]
        first = only[0]
        bad = next((c for c in only if c.status == SAT), None)
        unsure = next((c for c in only if c.status not in (SAT, UNSAT)), None)
        claim = (f"'{first.appointment}' is booked through gate '{first.gate.id}' only by citizens entitled to it "
                 f"({first.entitlement.describe()})")
        name = f"entitled {outcome}"
        span = next(o.span for o in engine.flow.outcomes if o.id == outcome)
        if bad is not None:
            risk = f"; the region accepts the risk: {first.gate.accept_risk}" if first.gate.accept_risk else ""
            out.append(Property("entitled", name, claim, bad.route.condition.span, VIOLATED,
                                f"route '{bad.route.id}' admits a citizen who is not entitled{risk}", bad.example))
        elif unsure is not None:
            out.append(Property("entitled", name, claim, unsure.route.condition.span, UNDECIDED,
                                f"route '{unsure.route.id}' could not be decided"))
        else:
            out.append(Property("entitled", name, claim, span, PROVED, f"every route of '{first.gate.id}' proved"))
        for c in (c for c in mine if c.kind == PASSABLE):
            verdict = {SAT: PROVED, UNSAT: VIOLATED}.get(c.status, UNDECIDED)
            detail = {VIOLATED: "no entitled citizen who reaches the booking passes it (the routes before it "
                                "taken first, or its condition and evidence exclude everyone entitled)",
                      UNDECIDED: "could not be decided"}.get(verdict, "")
            out.append(Property("entitled", f"entitled {outcome} route {c.route.id}",
                                f"route '{c.route.id}' of gate '{c.gate.id}' is taken by some citizen entitled to "
                                f"'{c.appointment}'", c.route.span, verdict, detail, c.example))
    return out
