"""FF741 a booking window that is out of range or can never offer a slot, FF742 a date rule whose
value is not a date, FF743 a `when_full` fallback that cannot be shown.

A window narrows the slots a booking offers (REFERENCE 12b): a lead time, a window in hours or
working days, today only, and date rules computed from answers and facts. A window no slot can
ever fit (a 30-hour lead time within 24 hours, today only where the booking system books from the
next day) would silently turn a booking into "no free times" for every citizen, so it is an error
at the line that makes it impossible. Reading an answer the route may not have given is FF204/FF205,
as for a flag (check.booking_semantics types the expressions).
"""

from __future__ import annotations

from formflow.booking.working_days import MAX_WORKING_DAYS
from formflow.check.suggest import did_you_mean
from formflow.region.model import NEXT_DAY

MAX_LEAD_MINUTES = 7 * 24 * 60
MAX_HOURS = 30 * 24
MAX_APART_DAYS = 365
UNIT_DAYS = {"days": 1, "weeks": 7}
SINGLE = ("lead_minutes", "within_hours", "within_working_days", "today_only")
BOUNDS = {"lead_minutes": (0, MAX_LEAD_MINUTES, "`window lead N minutes` is 0 to {} minutes", "window lead 30 minutes"),
          "within_hours": (1, MAX_HOURS, "`window within N hours` is 1 to {} hours", "window within 24 hours"),
          "within_working_days": (1, MAX_WORKING_DAYS, "`window within N working_days` is 1 to {} working days",
                                  "window within 3 working_days")}


def check(ctx):
    for decl in ctx.flow.outcomes:
        windows = [a for a in decl.attrs if a.key == "window"]
        yield from _needs_appointment(ctx, decl)
        yield from _values(ctx, windows)
        yield from _impossible(ctx, decl, {a.value[0]: a for a in windows})
        for attr in (a for a in decl.attrs if a.key == "when_full"):
            yield from _fallback(ctx, decl, attr)
    yield from _date_types(ctx)


def _needs_appointment(ctx, decl):
    attrs = [a for a in decl.attrs if a.key in ("window", "when_full")]
    if attrs and decl.kind.name == "booking" and not any(a.key == "appointment" for a in decl.attrs):
        yield ctx.diag("FF741", "a window narrows the slots of an appointment type, and this booking names none",
                       attrs[0].span, "no `appointment`", help="add `appointment <type>` (an appointment type of region.yaml)")


def _values(ctx, windows):
    seen: dict[str, object] = {}
    for attr in windows:
        rule, value, _ = attr.value
        if rule in SINGLE and rule in seen:
            yield ctx.diag("FF414", f"`window {_shown(rule)}` is given twice", attr.span, "given again",
                           help="keep one", secondary=((seen[rule].span, "first here"),))
        seen.setdefault(rule, attr)
        if rule in BOUNDS:
            low, high, message, example = BOUNDS[rule]
            if not low <= value <= high:
                yield ctx.diag("FF741", message.format(high), attr.span, "out of range", help=f"write e.g. `{example}`")
        if rule == "not_within":
            (amount, unit), _ = value
            days = amount * UNIT_DAYS.get(unit, 0)
            if not 1 <= days <= MAX_APART_DAYS:
                yield ctx.diag("FF741", f"`window not_within N days of <date>` keeps 1 to {MAX_APART_DAYS} days "
                               "apart, in days or weeks", attr.span, "not a usable distance",
                               help="write e.g. `window not_within 7 days of other_vaccine_date`")


def _impossible(ctx, decl, rules):
    """Rules that exclude each other: no slot could ever be offered."""
    lead, hours, today = (rules.get(k) for k in ("lead_minutes", "within_hours", "today_only"))
    if lead is not None and hours is not None and lead.value[1] >= hours.value[1] * 60:
        yield ctx.diag("FF741", f"a slot must start at least {lead.value[1]} minutes from now and within "
                       f"{hours.value[1]} hours: no slot can do both", lead.span, "lead time too long",
                       help="shorten the lead time or widen the window",
                       secondary=((hours.span, "the window"),))
    if lead is not None and today is not None and lead.value[1] >= 24 * 60:
        yield ctx.diag("FF741", f"a lead time of {lead.value[1]} minutes ends after today, and the window is today only",
                       lead.span, "lead time too long", help="shorten the lead time, or drop `window today_only`",
                       secondary=((today.span, "today only"),))
    if today is not None:
        yield from _today_next_day(ctx, decl, today)


def _today_next_day(ctx, decl, today):
    """`today_only` where every clinic's booking system books from the next day at the earliest."""
    region = ctx.region.region if ctx.region is not None else None
    attrs = {a.key: a for a in decl.attrs}
    if region is None or "appointment" not in attrs:
        return
    kind = attrs["appointment"].value.name
    clinics = [region.clinic(i.name) for i in attrs["clinics"].value] if "clinics" in attrs else \
        [c for c in region.clinics if region.offers(c, kind)]
    clinics = [c for c in clinics if c is not None and region.booking_system(c.booking_system) is not None]
    if clinics and all(region.rules_for(c).earliest_booking == NEXT_DAY for c in clinics):
        systems = sorted({c.booking_system for c in clinics})
        yield ctx.diag("FF741", f"the window is today only, and {', '.join(systems)} books from the next day",
                       today.span, "never offers a slot",
                       help="book this outcome at clinics whose booking system is `same_day`, or drop `window today_only`")


def _fallback(ctx, decl, attr):
    target, _ = attr.value
    outcomes = {d.id.name: d for d in ctx.flow.outcomes}
    if decl.kind.name != "booking":
        return  # FF719 (booking_outcomes) already says `when_full` belongs to a booking outcome
    if target.name not in outcomes:
        yield ctx.diag("FF743", f"the flow has no outcome '{target.name}' to fall back to", target.span,
                       "unknown outcome", help=did_you_mean(target.name, list(outcomes)) or
                       "name an outcome of the flow, e.g. a chat or a `visit` that says to call")
    elif outcomes[target.name].kind.name == "booking":
        yield ctx.diag("FF743", f"'{target.name}' books too, and it may be just as full", target.span,
                       "a booking outcome", help="fall back to an outcome that needs no free time: a chat, a call, "
                                                 "information")


def _date_types(ctx):
    for attr, expr, kind in ctx.semantics.window_dates:
        if kind.kind not in ("date", "unknown"):
            yield ctx.diag("FF742", f"`window {attr.value[0]}` needs a date, and this is {kind}", expr.span,
                           f"{kind}, not a date",
                           help="use a date answer or value, e.g. `previous_dose_date + 42 days`")


def _shown(rule: str) -> str:
    return {"lead_minutes": "lead", "within_hours": "within ... hours", "within_working_days": "within ... working_days",
            "today_only": "today_only"}[rule]
