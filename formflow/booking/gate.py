"""Evaluate a gate configuration (`<flow>.gate.json`) for one citizen after one walk.

The decision is made on the artifact a booking service would enforce, not on the DSL: the walk
runs on the compiled form, and the gate's route conditions are the expression trees of the gate
configuration, evaluated in the environment the walk ended in (its answers, derived values and
the citizen's verified facts).

Order of the rules, each giving its reasons in words:

1. The walk must end in a booking outcome; otherwise there is nothing to book.
2. Without a gate, an unprotected type is open booking; a protected one is refused (the checker's
   FF714 keeps such a flow from compiling; refusing here is the second lock).
3. Every route is tried and reported; the **first** route, in the order written, that passes is
   taken. A route passes when it is open (`opens`, a Swedish date), its condition holds and all
   of its evidence is there (`booking.evidence`).
4. With `one_active_booking`, a citizen who already has a future booking of the type is refused;
   whether that booking may still be cancelled is reported (`booking.cancel`: exactly 24 hours
   before is still allowed).
5. With slots, the offered ones are listed (`booking.slots`: booking-system windows, the horizon
   — the gate's or the booking system's, whichever is shorter — and the type's bookable period),
   and the MakeBooking request for the first is built (`booking.contract`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from formflow.booking import evidence as E
from formflow.booking.cancel import may_cancel
from formflow.booking.slots import Slot, refusal
from formflow.booking.timeutil import local_date, to_local, to_utc
from formflow.simulate.expressions import Env, compile_expr
from formflow.simulate.values import RuntimeFault as Fault


@dataclass(frozen=True)
class RouteResult:
    id: str
    title: str
    passed: bool
    reasons: tuple[str, ...]
    needs_code: bool = False
    attempts_left: int | None = None


@dataclass(frozen=True)
class ActiveCheck:
    """An existing booking of the type, and whether the citizen may still cancel it."""

    clinic: str
    start: datetime  # UTC
    may_cancel: bool
    cancel_deadline: datetime  # UTC


@dataclass(frozen=True)
class SlotOffer:
    offered: tuple[Slot, ...]
    refused: tuple[tuple[str, int], ...]  # reason -> how many slots, in the order of `slots.refusal`
    horizon_days: int | None  # the gate's horizon when it is shorter than the booking system's
    elsewhere: int = 0  # slots of another appointment type, or at a clinic this booking does not use


@dataclass(frozen=True)
class Decision:
    allowed: bool
    outcome: str | None
    appointment_type: str | None
    gate: str | None
    route: str | None
    reasons: tuple[str, ...]
    routes: tuple[RouteResult, ...] = ()
    flags: tuple[str, ...] = ()
    active: tuple[ActiveCheck, ...] = ()
    slots: SlotOffer | None = None
    make_booking: dict | None = field(default=None, repr=False)  # holds a personnummer
    booking_problems: tuple[str, ...] = ()


def _deny(walk, reason: str, **extra) -> Decision:
    return Decision(False, walk.outcome, extra.pop("appointment_type", None), extra.pop("gate", None), None,
                    (reason,), **extra)


def evaluate(config: dict, program, walk, citizen, *, region, code: str | None = None, slots=None,
             lang: str | None = None) -> Decision:
    """The gate decision for `citizen` after `walk` (a finished walk of `program`); `region` is the one
    the flow was compiled against (its clinics' booking systems decide the cancel rule of a booking)."""
    lang = lang or program.languages[0]
    if not walk.complete:
        missing = f"question '{walk.pending}' has no answer" if walk.pending else "the walk stopped at a fault"
        return _deny(walk, f"the walk is not finished: {missing}")
    booking = next((b for b in config["bookings"] if b["outcome"] == walk.outcome), None)
    if booking is None:
        kind = program.outcomes[walk.outcome]["kind"]
        return _deny(walk, f"the walk ended in '{walk.outcome}' ({kind}), which books nothing")
    kind = booking["appointment_type"]
    env = Env(dict(walk.answers), dict(walk.values), citizen.facts(), local_date(citizen.now))
    flags = tuple(program.text(f["text"], lang) for f in booking["flags"] if "when" not in f or _holds(f["when"], env))
    common = dict(appointment_type=kind["id"], gate=booking["gate"], flags=flags)
    if booking["gate"] is None:
        if kind["protected"]:
            return _deny(walk, f"'{kind['id']}' is protected and this booking has no gate", **common)
        return _allowed(config, booking, walk, citizen, None, None, (), slots, region, flags)
    gate = next(g for g in config["gates"] if g["id"] == booking["gate"])
    results = _routes(gate, env, citizen, code, lang, program)
    taken = next((r for r in results if r.passed), None)
    if taken is None:
        return _deny(walk, f"no route of gate '{gate['id']}' is passed", routes=results, **common)
    return _allowed(config, booking, walk, citizen, gate, taken, results, slots, region, flags)


def _holds(tree: dict, env) -> bool:
    try:
        return bool(compile_expr(tree)(env))
    except Fault:
        return False


def _routes(gate: dict, env, citizen, code, lang, program) -> tuple[RouteResult, ...]:
    """Every route's result, in order; after the first that passes the rest are not tried, so no
    code is compared (and no attempt counted) on a route the citizen does not need."""
    out: list[RouteResult] = []
    for route in gate["routes"]:
        taken = next((r for r in out if r.passed), None)
        if taken is not None:
            out.append(RouteResult(route["id"], program.text(route["title"], lang), False,
                                   (f"not tried: route '{taken.id}' was passed first",)))
        else:
            out.append(_route(route, env, citizen, code, lang, program))
    return tuple(out)


def _route(route: dict, env, citizen, code, lang, program) -> RouteResult:
    reasons, state, ev = [], citizen.booking, route["evidence"]
    today = local_date(citizen.now)
    if route["opens"] is not None and today < date.fromisoformat(route["opens"]):
        reasons.append(f"opens on {route['opens']}")
    try:
        holds = bool(compile_expr(route["when"])(env))
    except Fault:
        holds, reasons = False, reasons + ["its condition reads an answer this walk did not give"]
    else:
        if not holds:
            reasons.append("its condition does not hold for this citizen")
    if reasons:  # evidence is asked for only where the route applies: its cohort is open, its condition holds
        return RouteResult(route["id"], program.text(route["title"], lang), False, tuple(reasons))
    login = E.check_login(state, ev.get("login", "e_id"))
    if login:  # without the login nobody is identified: no code is compared, no attempt counted
        return RouteResult(route["id"], program.text(route["title"], lang), False, (login,))
    check = None
    if "invitation_code" in ev:
        spec = ev["invitation_code"]
        check = E.check_code(state, spec["invitation"], spec["attempts"], code)
        reasons += [check.reason] if check.reason else []
    if "open_invitation" in ev:
        missing = E.check_open_invitation(state, ev["open_invitation"])
        reasons += [missing] if missing else []
    listed = E.check_allow_lists(state, ev.get("allow_lists", []))
    reasons += [listed] if listed else []
    return RouteResult(route["id"], program.text(route["title"], lang), not reasons, tuple(reasons),
                       bool(check and check.needs_code), check.attempts_left if check else None)


def _allowed(config, booking, walk, citizen, gate, taken, results, slots, region, flags) -> Decision:
    kind = booking["appointment_type"]
    now = to_utc(citizen.now)
    active = tuple(_active(region, b, now) for b in citizen.booking.bookings
                   if b.appointment_type == kind["id"] and b.start > now)
    route = taken.id if taken else None
    if gate is not None and gate["one_active_booking"] and active:
        first = to_local(active[0].start)
        return Decision(False, walk.outcome, kind["id"], gate["id"], route,
                        (f"already has a booking of '{kind['id']}' on {first:%Y-%m-%d %H:%M}; "
                         "one active booking per citizen",), results, flags, active)
    offer = payload = None
    problems: tuple[str, ...] = ()
    if slots is not None:
        offer = _offer(config, booking, gate, slots, region, now)
        if offer.offered:
            payload, problems = _make_booking(gate, taken, offer.offered[0], citizen, region, flags)
    return Decision(True, walk.outcome, kind["id"], gate["id"] if gate else None, route, (), results, flags, active,
                    offer, payload, problems)


def _active(region, b, now) -> ActiveCheck:
    """An active booking (its clinic is the region's: FF703 otherwise) and whether it may be cancelled."""
    decision = may_cancel(b.start, now, region.rules_for(region.clinic(b.clinic)))
    return ActiveCheck(b.clinic, b.start, decision.allowed, decision.deadline)


def _offer(config, booking, gate, slots, region, now) -> SlotOffer:
    kind_id = booking["appointment_type"]["id"]
    clinics = {c["id"] for c in booking["clinics"]}
    gate_days = gate["horizon_days"] if gate is not None else None
    offered, refused, elsewhere = [], {}, 0
    for slot in slots:
        if slot.appointment_type != kind_id or slot.clinic not in clinics:
            elsewhere += 1
            continue
        system = region.rules_for(region.clinic(slot.clinic))
        horizon = min(gate_days, system.horizon_days) if gate_days is not None else None
        why = refusal(slot, region, now, horizon_days=horizon, unlocked=(kind_id,))
        if why is None:
            offered.append(slot)
        else:
            refused[why] = refused.get(why, 0) + 1
    offered.sort(key=lambda s: (s.start, s.clinic, s.id or ""))
    return SlotOffer(tuple(offered), tuple(refused.items()), gate_days, elsewhere)


def _make_booking(gate, taken, slot, citizen, region, flags):
    from formflow.booking.contract import make_booking

    route = next((r for r in gate["routes"] if r["id"] == taken.id), None) if gate and taken else None
    invitation = route["evidence"].get("open_invitation") if route else None
    booking_id = citizen.booking.booking_id(invitation) if invitation else None
    clinic = region.clinic(slot.clinic)
    kind = region.appointment_type(slot.appointment_type)
    result = make_booking(region, clinic, kind, citizen.subject, slot.start, slot.end,
                          reason="; ".join(flags) or None, booking_id=booking_id)
    return result.payload, result.problems
