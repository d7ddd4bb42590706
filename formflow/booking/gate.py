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
   of its evidence is there (`booking.evidence`). A code typed is held against the gate's code
   categories once (`booking.codes`): a guess counts against every code route tried, whether
   or not its condition holds and whether or not the person has a code (`booking.lockout`).
4. With `one_active_booking`, a citizen who already has a future booking of the type is refused;
   whether that booking may still be cancelled is reported (`booking.cancel`: exactly 24 hours
   before is still allowed).
5. With slots, the offered ones are listed (`booking.slots`: booking-system windows, the horizon
   — the gate's or the clinic's, whichever is shorter — the clinic's lead time and the type's
   bookable period; then the booking's own window, `booking.windows`), every refused slot with its
   reason in words. The citizen may choose a clinic among the booking's clinics and a slot (by id
   or Swedish start time); otherwise the first offered is taken, and the MakeBooking request is
   built for it (`booking.contract`). When nothing is offered, the decision says so in the author's
   words and names the booking's fallback outcome (`when_full`), if it has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from formflow.booking import codes as C
from formflow.booking import evidence as E
from formflow.booking import lockout as L
from formflow.booking.lockout import GateState
from formflow.booking.cancel import may_cancel
from formflow.booking.slots import Slot, refusal
from formflow.booking.windows import Refusal, limits, window_refusal
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
    locked_until: datetime | None = None  # UTC: the route's invitation category is locked until then


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
    refused: tuple[tuple[str, int], ...]  # reason -> how many slots, in the order of the first slot refused for it
    horizon_days: int | None  # the gate's horizon when it is shorter than the booking system's
    elsewhere: int = 0  # slots of another appointment type, or at a clinic this booking does not use
    refused_slots: tuple[tuple[Slot, Refusal], ...] = ()  # every slot of the booking not offered, and why
    chosen: Slot | None = None  # the slot the MakeBooking request is for: the citizen's choice, or the first
    clinic: str | None = None  # the clinic the citizen chose (None: every clinic of the booking)
    no_free_times: str | None = None  # what the citizen reads when nothing is offered (the author's text)
    fallback: dict | None = None  # the fallback outcome when nothing is offered: outcome, kind, urgency, message


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
    citizen_message: str | None = None  # the author's text about the code typed, in the walk's language
    state: GateState | None = field(default=None, repr=False)  # the record after this evaluation


def _deny(walk, reason: str, **extra) -> Decision:
    return Decision(False, walk.outcome, extra.pop("appointment_type", None), extra.pop("gate", None), None,
                    (reason,), **extra)


def evaluate(config: dict, program, walk, citizen, *, region, code: str | None = None, slots=None,
             lang: str | None = None, state: GateState | None = None, choice: "Choice | None" = None) -> Decision:
    """The gate decision for `citizen` after `walk` (a finished walk of `program`); `region` is the one
    the flow was compiled against (its clinics' booking systems decide the cancel rule of a booking).

    `state` is the booking system's record of attempts and used codes (`booking.lockout`); the
    decision carries the record as it is after this evaluation (`Decision.state`), so evaluations
    chain. Without one, a fresh record is started. `choice` is the clinic and slot the citizen
    chose (with slots); without one the first slot offered is taken."""
    state = state or GateState.new()
    lang = lang or program.languages[0]
    ask = _Booking(program, lang, slots, choice or Choice())
    decision = _evaluate(config, program, walk, citizen, region, code, ask, lang, state)
    return decision if decision.state is not None else replace(decision, state=state)


@dataclass(frozen=True)
class Choice:
    """What the citizen chose in the web booking: a clinic id, and a slot (its id, or its Swedish start
    time `YYYY-MM-DDTHH:MM`)."""

    clinic: str | None = None
    slot: str | None = None


@dataclass(frozen=True)
class _Booking:
    program: object
    lang: str
    slots: object  # the slots fixture, or None
    choice: Choice


def _evaluate(config, program, walk, citizen, region, code, ask, lang, state) -> Decision:
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
        return _allowed(config, booking, walk, citizen, None, None, (), ask, region, flags, env)
    gate = next(g for g in config["gates"] if g["id"] == booking["gate"])
    policy_for = _policies(config, gate, region)
    person = state.person_key(citizen.subject.digits12)
    state = _prior_attempts(state, citizen, person, policy_for)
    rnd = C.assess(_code_invitations(gate), citizen.booking, code if citizen.booking.login == "e_id" else None,
                   state, policy_for, person, to_utc(citizen.now), local_date(citizen.now))
    applies = {r["id"]: _applies(r, env, local_date(citizen.now)) for r in gate["routes"]}
    results = _routes(gate, applies, citizen, rnd, lang, program)
    rnd, state = C.count(rnd, _tried(gate, results), state, policy_for, to_utc(citizen.now))
    results = _routes(gate, applies, citizen, rnd, lang, program)  # the same routes pass; the code reasons change
    taken = next((r for r in results if r.passed), None)
    told = _told(gate, results, rnd, program, lang)
    state = state.pruned(to_utc(citizen.now), policy_for(""))
    if taken is None:
        return _deny(walk, f"no route of gate '{gate['id']}' is passed", routes=results, state=state,
                     citizen_message=told, **common)
    decision = _allowed(config, booking, walk, citizen, gate, taken, results, ask, region, flags, env)
    if decision.allowed:
        state = _use_code(state, gate, taken, rnd)
    return replace(decision, state=state)


def _policies(config: dict, gate: dict, region):
    """The lockout of each invitation category: the gate configuration's (the region's, copied in at
    compile time), its attempts lowered where a route of the category says `attempts N`."""
    rules = config.get("evidence_rules", {}).get("code_lockout")
    base = L.LockoutPolicy(**rules) if rules else getattr(region, "code_lockout", None) or L.LockoutPolicy()
    limits: dict[str, int] = {}
    for route in gate["routes"]:
        spec = route["evidence"].get("invitation_code")
        if spec is not None:
            inv = spec["invitation"]
            limits[inv] = min(limits.get(inv, base.attempts), spec.get("attempts") or base.attempts)
    policies = {inv: replace(base, attempts=n) for inv, n in limits.items()}
    return lambda inv: policies.get(inv, base)


def _code_invitations(gate: dict) -> list[str]:
    return list(dict.fromkeys(r["evidence"]["invitation_code"]["invitation"] for r in gate["routes"]
                              if "invitation_code" in r["evidence"]))


def _tried(gate: dict, results) -> list[str]:
    """The code categories of the routes tried: up to and including the one passed."""
    out = []
    for route, result in zip(gate["routes"], results):
        if result.reasons[:1] and result.reasons[0].startswith("not tried:"):
            break
        if "invitation_code" in route["evidence"]:
            out.append(route["evidence"]["invitation_code"]["invitation"])
    return out


def _prior_attempts(state, citizen, person, policy_for):
    """The citizen file's `failed_code_attempts` (a scenario's shorthand): wrong codes a second
    before `now`."""
    now = to_utc(citizen.now)
    for inv, n in citizen.booking.failed_code_attempts:
        if n:
            record = state.of(person, inv)
            earlier = L.Attempts(record.failed_at + (now - timedelta(seconds=1),) * n, record.locked_until)
            state = state.with_attempts(person, inv, earlier)
    return state


def _use_code(state, gate, taken, rnd):
    """A booking made with a code uses it up (single use)."""
    route = next(r for r in gate["routes"] if r["id"] == taken.id)
    spec = route["evidence"].get("invitation_code")
    if spec is None or rnd.typed is None:
        return state
    return state.with_used(rnd.person, state.code_digest(spec["invitation"], rnd.typed))


def _told(gate, results, rnd, program, lang) -> str | None:
    """The author's text for the citizen about their code (None: nothing to say, or no text)."""
    tried = set(_tried(gate, results))
    status = C.for_citizen([s for inv, s in rnd.statuses.items() if inv in tried])
    if status is None:
        return None
    return citizen_text(gate, status, program, lang)


def citizen_text(gate: dict, status, program, lang) -> str | None:
    """The gate's text for a code status in `lang`, its placeholders filled in (Swedish local time)."""
    kind = {C.LOCKED: "locked", C.USED: "code_used", C.EXPIRED: "code_expired"}.get(status.kind, "wrong_code")
    if status.kind == C.WRONG and status.attempts_left == 0:
        kind = "locked"
    texts = gate.get("citizen_texts", {}).get(kind)
    if texts is None:
        return None
    values = {"attempts_left": str(status.attempts_left if status.attempts_left is not None else ""),
              "locked_until": to_local(status.locked_until).strftime("%Y-%m-%d %H:%M") if status.locked_until else "",
              "valid_until": status.valid_until.isoformat() if status.valid_until else ""}
    text = program.text(texts, lang)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _holds(tree: dict, env) -> bool:
    try:
        return bool(compile_expr(tree)(env))
    except Fault:
        return False


def _routes(gate: dict, applies, citizen, rnd, lang, program) -> tuple[RouteResult, ...]:
    """Every route's result, in order; after the first that passes the rest are not tried, so no
    code is compared (and no attempt counted) on a route the citizen does not need."""
    out: list[RouteResult] = []
    for route in gate["routes"]:
        taken = next((r for r in out if r.passed), None)
        if taken is not None:
            out.append(RouteResult(route["id"], program.text(route["title"], lang), False,
                                   (f"not tried: route '{taken.id}' was passed first",)))
        else:
            out.append(_route(route, applies[route["id"]], citizen, rnd, lang, program))
    return tuple(out)


def _applies(route: dict, env, today: date) -> tuple[str, ...]:
    """Why the route does not apply to this citizen today (empty: its cohort is open, its condition holds)."""
    reasons = []
    if route["opens"] is not None and today < date.fromisoformat(route["opens"]):
        reasons.append(f"opens on {route['opens']}")
    try:
        holds = bool(compile_expr(route["when"])(env))
    except Fault:
        reasons.append("its condition reads an answer this walk did not give")
    else:
        if not holds:
            reasons.append("its condition does not hold for this citizen")
    return tuple(reasons)


def _route(route: dict, applies: tuple[str, ...], citizen, rnd, lang, program) -> RouteResult:
    reasons, state, ev = list(applies), citizen.booking, route["evidence"]
    title = program.text(route["title"], lang)
    login = E.check_login(state, ev.get("login", "e_id"))
    if login:  # without the login nobody is identified: no code is compared, no attempt counted
        return RouteResult(route["id"], title, False, tuple(reasons) or (login,))
    status = rnd.statuses.get(ev["invitation_code"]["invitation"]) if "invitation_code" in ev else None
    if reasons:  # evidence is asked for only where the route applies; a code typed is still an attempt
        shown = status if rnd.typed is not None else None
        if shown is not None:
            reasons.append(shown.reason())
        return RouteResult(route["id"], title, False, tuple(reasons), False,
                           shown.attempts_left if shown is not None else None, _lock(shown))
    if status is not None and status.kind != C.VALID:
        reasons.append(status.reason())
    if "open_invitation" in ev:
        missing = E.check_open_invitation(state, ev["open_invitation"])
        reasons += [missing] if missing else []
    listed = E.check_allow_lists(state, ev.get("allow_lists", []))
    reasons += [listed] if listed else []
    return RouteResult(route["id"], title, not reasons, tuple(reasons),
                       bool(status and status.kind == C.NEEDS_CODE), status.attempts_left if status else None,
                       _lock(status))


def _lock(status) -> datetime | None:
    return status.locked_until if status is not None and status.attempts_left == 0 else None


def _allowed(config, booking, walk, citizen, gate, taken, results, ask, region, flags, env) -> Decision:
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
    if ask.slots is not None:
        offer = _offer(config, booking, gate, ask.slots, region, now, env)
        offer, problem = _choose(offer, booking, ask)
        problems = (problem,) if problem else ()
        if offer.chosen is not None:
            payload, problems = _make_booking(gate, taken, offer.chosen, citizen, region, flags)
    return Decision(True, walk.outcome, kind["id"], gate["id"] if gate else None, route, (), results, flags, active,
                    offer, payload, problems)


def _active(region, b, now) -> ActiveCheck:
    """An active booking (its clinic is the region's: FF703 otherwise) and whether it may be cancelled."""
    decision = may_cancel(b.start, now, region.rules_for(region.clinic(b.clinic)))
    return ActiveCheck(b.clinic, b.start, decision.allowed, decision.deadline)


def _offer(config, booking, gate, slots, region, now, env) -> SlotOffer:
    kind_id = booking["appointment_type"]["id"]
    clinics = {c["id"] for c in booking["clinics"]}
    gate_days = gate["horizon_days"] if gate is not None else None
    window = limits(booking["window"], config.get("working_days"), env, now)
    offered, refused, elsewhere = [], [], 0
    for slot in slots:
        if slot.appointment_type != kind_id or slot.clinic not in clinics:
            elsewhere += 1
            continue
        why = _refusal(slot, region, now, gate_days, kind_id, window)
        if why is None:
            offered.append(slot)
        else:
            refused.append((slot, why))
    offered.sort(key=_order)
    refused.sort(key=lambda item: _order(item[0]))
    counts: dict[str, int] = {}
    for _, why in refused:
        counts[why.reason] = counts.get(why.reason, 0) + 1
    return SlotOffer(tuple(offered), tuple(counts.items()), gate_days, elsewhere, tuple(refused))


def _order(slot: Slot):
    return slot.start, slot.clinic, slot.id or ""


def _refusal(slot, region, now, gate_days, kind_id, window) -> Refusal | None:
    """The booking system's reason (booking.slots), else the booking window's (booking.windows)."""
    clinic = region.clinic(slot.clinic)
    horizon = min(gate_days, region.horizon_days(clinic)) if gate_days is not None else None
    why = refusal(slot, region, now, horizon_days=horizon, unlocked=(kind_id,))
    if why is not None:
        return Refusal(why, _SYSTEM_WORDS.get(why, why.replace("_", " ")).format(
            lead=region.lead_minutes(clinic), horizon=horizon or region.horizon_days(clinic),
            system=region.rules_for(clinic).name))
    return window_refusal(slot.start, window)


_SYSTEM_WORDS = {
    "booked": "already booked", "past": "has started", "lead_time": "starts less than {lead} minutes from now "
    "(the clinic's lead time)", "before_earliest_booking": "{system} books from the next day",
    "beyond_horizon": "more than {horizon} days ahead", "outside_bookable_period": "outside the type's bookable period",
    "ambiguous_local_time": "in the hour that occurs twice when summer time ends"}


def _choose(offer: SlotOffer, booking: dict, ask: _Booking) -> tuple[SlotOffer, str | None]:
    """The citizen's clinic and slot among those offered; the first offered when they chose none.
    With nothing to offer, the author's text and the fallback outcome."""
    choice, offered, problem = ask.choice, offer.offered, None
    if choice.clinic is not None:
        ids = [c["id"] for c in booking["clinics"]]
        if choice.clinic not in ids:
            return offer, f"clinic '{choice.clinic}' is not one of this booking's clinics: {', '.join(ids)}"
        offered = tuple(s for s in offered if s.clinic == choice.clinic)
    chosen = offered[0] if offered else None
    if choice.slot is not None:
        chosen = next((s for s in offered if _is(s, choice.slot)), None)
        if chosen is None:
            problem = _not_offered(offer, choice)
    replace_with = dict(offered=offered, chosen=chosen, clinic=choice.clinic)
    if not offered:
        fallback = booking.get("fallback")
        text = ask.program.text(fallback["text"], ask.lang) if fallback else "no free times"
        told = dict(fallback, text=text, message=ask.program.text(fallback["message"], ask.lang)) if fallback else None
        replace_with.update(no_free_times=text, fallback=told)
    return replace(offer, **replace_with), problem


def _is(slot: Slot, wanted: str) -> bool:
    """Whether the citizen's choice names this slot: its id, or its Swedish start time."""
    if slot.id is not None and slot.id == wanted:
        return True
    shown = to_local(slot.start)
    return wanted.replace(" ", "T") in (f"{shown:%Y-%m-%dT%H:%M}", f"{shown:%Y-%m-%dT%H:%M:%S}")


def _not_offered(offer: SlotOffer, choice: Choice) -> str:
    """Why the chosen slot cannot be booked: refused (and why), at another clinic, or unknown."""
    refused = next((why for s, why in offer.refused_slots if _is(s, choice.slot)), None)
    if refused is not None:
        return f"the slot chosen ({choice.slot}) is not offered: {refused.detail}"
    if any(_is(s, choice.slot) for s in offer.offered):
        return f"the slot chosen ({choice.slot}) is at another clinic than '{choice.clinic}'"
    return f"no slot of this booking is {choice.slot}"


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
