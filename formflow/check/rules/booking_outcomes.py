"""FF719 booking attributes that do not fit together; FF201 duplicate gate or route ids; FF414 bad values.

A booking outcome (`kind booking`) may name an appointment type, the gate it books `through`, its
terms text, clinics, what is attached and a handoff. Those attributes on another kind of outcome
would silently do nothing, so they are errors, as is a gate without an appointment type to protect
or the name of a gate or pdf the flow does not declare.
"""

from __future__ import annotations

from formflow.check.booking_semantics import BOOKING_KEYS
from formflow.check.suggest import did_you_mean

LOGIN_LEVELS = ("e_id",)
HORIZON_UNITS = {"days": 1, "weeks": 7}
MAX_HORIZON_DAYS = 730
MAX_ATTEMPTS = 20


def check(ctx):
    gates = {g.id.name for g in ctx.flow.gates}
    pdfs = {p.id.name for p in ctx.flow.pdfs}
    for decl in ctx.flow.outcomes:
        yield from _outcome(ctx, decl, gates, pdfs)
    yield from _duplicate_ids(ctx)
    for gate in ctx.flow.gates:
        yield from _gate_values(ctx, gate)


def _outcome(ctx, decl, gates, pdfs):
    attrs = {a.key: a for a in decl.attrs}
    booking = [a for a in decl.attrs if a.key in BOOKING_KEYS]
    if booking and decl.kind.name != "booking":
        yield ctx.diag("FF719", f"'{booking[0].key.replace('_', ' ')}' belongs to a booking outcome, and "
                       f"'{decl.id.name}' is {decl.kind.name}", booking[0].span, "only for kind booking",
                       help=f"make the outcome `{decl.id.name}: booking`, or remove the booking attributes")
        return
    through = attrs.get("through")
    if through is not None and through.value.name not in gates:
        yield ctx.diag("FF719", f"the flow has no gate '{through.value.name}'", through.value.span, "unknown gate",
                       help=did_you_mean(through.value.name, gates) or "declare it: `gate <id> \"...\" { route ... }`")
    if through is not None and "appointment" not in attrs:
        yield ctx.diag("FF719", "a gate protects an appointment type, and this booking names none", through.span,
                       "no `appointment`", help="add `appointment <type>` (an appointment type of region.yaml)")
    for attr in decl.attrs:
        if attr.key == "attach_pdf" and attr.value.name not in pdfs:
            yield ctx.diag("FF719", f"the flow has no pdf '{attr.value.name}'", attr.value.span, "unknown pdf",
                           help=did_you_mean(attr.value.name, pdfs) or "declare it with a `pdf` block")


def _duplicate_ids(ctx):
    seen: dict[str, object] = {}
    for gate in ctx.flow.gates:
        first = seen.setdefault(gate.id.name, gate.id)
        if first is not gate.id:
            yield ctx.diag("FF201", f"there are two gates named '{gate.id.name}'", gate.id.span, "second gate",
                           help="give each gate its own id", secondary=((first.span, "first declared here"),))
        routes: dict[str, object] = {}
        for route in gate.routes:
            prior = routes.setdefault(route.id.name, route.id)
            if prior is not route.id:
                yield ctx.diag("FF201", f"gate '{gate.id.name}' has two routes named '{route.id.name}'",
                               route.id.span, "second route", help="give each route of a gate its own id",
                               secondary=((prior.span, "first declared here"),))


def _gate_values(ctx, gate):
    if not gate.routes:
        yield ctx.diag("FF715", f"gate '{gate.id.name}' has no route, so nobody can pass it", gate.id.span,
                       "no route", help="add `route <id> \"...\" when <condition>`")
    seen: set[str] = set()
    for attr in gate.settings:
        if attr.key in seen and attr.key != "message":  # one message of each kind: gate_citizen_texts
            yield ctx.diag("FF414", f"`{attr.key}` is given twice", attr.span, "given again", help="keep one")
        seen.add(attr.key)
        if attr.key == "horizon":
            yield from _horizon(ctx, attr)
        if attr.key == "accept_risk" and not attr.value.strip():
            yield ctx.diag("FF411", "an accepted risk needs its reason", attr.span, "empty reason",
                           help="say why self-declared answers are accepted here, and who decided it")
    for route in gate.routes:
        yield from _route_values(ctx, route)


def _horizon(ctx, attr):
    amount, unit = attr.value
    days = amount * HORIZON_UNITS.get(unit, 0)
    if not 1 <= days <= MAX_HORIZON_DAYS:
        yield ctx.diag("FF414", f"a booking horizon is 1 to {MAX_HORIZON_DAYS} days, in days or weeks", attr.span,
                       "not a usable horizon", help="write e.g. `horizon 14 days` or `horizon 6 weeks`")


def _route_values(ctx, route):
    seen: set[str] = set()
    for attr in route.attrs:
        if attr.key in seen and attr.key not in ("allow_list",):
            yield ctx.diag("FF414", f"`{attr.key}` is given twice in route '{route.id.name}'", attr.span,
                           "given again", help="keep one")
        seen.add(attr.key)
        if attr.key == "login" and attr.value.name not in LOGIN_LEVELS:
            yield ctx.diag("FF414", f"'{attr.value.name}' is not a login level", attr.value.span, "unknown level",
                           help="levels: e_id (BankID or Freja eID Plus, tillitsnivå 3)")
        if attr.key == "invitation_code":
            code, attempts = attr.value
            if not code.strip() or (attempts is not None and not 1 <= attempts <= MAX_ATTEMPTS):
                yield ctx.diag("FF414", f"an invitation code names its invitation and allows 1 to {MAX_ATTEMPTS} "
                               "attempts", attr.span, "not usable",
                               help='write e.g. `invitation_code "covid-fas1" attempts 5`')
        if attr.key in ("open_invitation", "allow_list") and not attr.value.strip():
            yield ctx.diag("FF414", f"`{attr.key}` needs a name", attr.span, "empty", help="name the invitation or list")
        if attr.key == "from":
            from formflow.check.semantics import valid_date

            if not valid_date(attr.value):
                yield ctx.diag("FF306", f"{attr.value} is not a date", attr.span, "no such day",
                               help="dates are written YYYY-MM-DD and must exist")
