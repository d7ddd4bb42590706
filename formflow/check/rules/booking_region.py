"""FF711 unknown appointment type, FF712 unknown clinic, FF713 unknown terms text, FF719 unknown
handoff, and FF719 for an open invitation on booking systems without them; FF718 when the flow books but its
region configuration cannot be read.

A booking outcome's names are ids of the flow's region.yaml (dsl/REGION.md): a misspelt id would
compile into a gate configuration that books nothing, or books the wrong type. Without a readable
region.yaml none of them can be checked, and no gate configuration can be written: that is said
once, at the first booking declaration, instead of guessing.
"""

from __future__ import annotations

from formflow.check.booking_semantics import is_booking_decl
from formflow.check.suggest import did_you_mean


def check(ctx):
    decls = [d for d in ctx.flow.outcomes if is_booking_decl(d)]
    if not decls and not ctx.flow.gates:
        return
    context = ctx.region
    if context is None or context.region is None:
        first = min([d.span for d in decls] + [g.span for g in ctx.flow.gates], key=lambda s: s.start)
        if context is None:
            message, help = ("the flow books, but no region.yaml was found above it",
                             "keep the flow in regions/<region>/flows/ beside the region's region.yaml (dsl/REGION.md)")
        else:
            message, help = (f"the flow books, but {context.path} has errors",
                             f"run `formflow region check` on the region '{context.folder}' and fix what it reports")
        yield ctx.diag("FF718", message, first, "needs the region configuration", help=help)
        return
    for decl in decls:
        yield from _names(ctx, decl, context.region)
        yield from _open_invitations(ctx, decl, context.region)


def _open_invitations(ctx, decl, region):
    """FF719: a route that books against an open invitation's booking id needs booking systems that
    take one (`open_invitations: yes`); otherwise the MakeBooking request could never be sent."""
    attrs = {a.key: a for a in decl.attrs}
    gate = next((g for g in ctx.flow.gates if "through" in attrs and g.id.name == attrs["through"].value.name), None)
    kind = region.appointment_type(attrs["appointment"].value.name) if "appointment" in attrs else None
    if gate is None or kind is None:
        return
    named = [region.clinic(i.name) for i in attrs["clinics"].value] if "clinics" in attrs else \
        [c for c in region.clinics if region.offers(c, kind.id)]
    lacking = sorted(c.id for c in named if c is not None and not region.rules_for(c).open_invitations)
    for route in gate.routes:
        for attr in route.attrs:
            if attr.key == "open_invitation" and lacking:
                yield ctx.diag("FF719", f"route '{route.id.name}' books against an open invitation, but the booking "
                               f"system of {', '.join(lacking)} takes no booking id", attr.span,
                               "no open invitations there",
                               help="set `open_invitations: yes` for that booking system in region.yaml if it "
                                    "supports them, or limit the booking with `clinics` to clinics whose system does")


def _names(ctx, decl, region):
    attrs = {a.key: a for a in decl.attrs}
    kind = None
    if "appointment" in attrs:
        ident = attrs["appointment"].value
        kind = region.appointment_type(ident.name)
        if kind is None:
            known = [t.id for t in region.appointment_types]
            yield ctx.diag("FF711", f"region '{region.name}' has no appointment type '{ident.name}'", ident.span,
                           "unknown appointment type",
                           help=did_you_mean(ident.name, known) or "appointment types: " + ", ".join(known))
    if "clinics" in attrs:
        for ident in attrs["clinics"].value:
            yield from _clinic(ctx, region, ident, kind)
    if "terms" in attrs:
        ident = attrs["terms"].value
        known = [t.id for t in region.terms]
        if ident.name not in known:
            yield ctx.diag("FF713", f"region '{region.name}' has no terms text '{ident.name}'", ident.span,
                           "unknown terms text", help=did_you_mean(ident.name, known)
                           or ("terms texts: " + ", ".join(known) if known else "add it under `terms:` in region.yaml"))
    if "handoff" in attrs:
        ident = attrs["handoff"].value
        known = [h.id for h in region.handoffs]
        if ident.name not in known:
            yield ctx.diag("FF719", f"region '{region.name}' has no handoff '{ident.name}'", ident.span,
                           "unknown handoff", help=did_you_mean(ident.name, known)
                           or ("handoffs: " + ", ".join(known) if known else "add it under `handoffs:` in region.yaml"))


def _clinic(ctx, region, ident, kind):
    clinic = region.clinic(ident.name)
    if clinic is None:
        known = [c.id for c in region.clinics]
        yield ctx.diag("FF712", f"region '{region.name}' has no clinic '{ident.name}'", ident.span, "unknown clinic",
                       help=did_you_mean(ident.name, known) or "clinics: " + ", ".join(known))
    elif kind is not None and not region.offers(clinic, kind.id):
        yield ctx.diag("FF712", f"clinic '{clinic.id}' does not offer '{kind.id}'", ident.span, "not offered here",
                       help=f"list it under the clinic's appointment_types in region.yaml, or remove '{clinic.id}'")
