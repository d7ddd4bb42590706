"""The Halland rule as a proof: every gate route of a protected type admits only the entitled.

For every booking outcome that books a protected appointment type through a gate, and every
route of that gate, the analyser asks the solver whether there is a citizen, a day, a set of
answers and a code typed such that the walk ends in that booking, the route passes — its cohort
is open (`from`), its condition holds, its evidence is there — and yet the citizen is not
entitled to the type as region.yaml declares it (`region.entitlement`). Unsatisfiable is the
proof (FF714 stays quiet); satisfiable gives a counterexample that the real gate evaluator
(`booking.gate.evaluate`, the one engine) must allow for a citizen who is not entitled, or it is
not reported as one.

What evidence establishes (and so what the solver may assume when a route passes):

- `invitation_code "X"`: a code for invitation X is registered for this personnummer and the
  citizen typed it — the region invited them to X, nothing more. A wrong code, a locked route, a
  code for someone else or no registered code never passes, so "every code typed" reduces to the
  one that matches;
- `open_invitation "X"`: an open invitation X is registered for them;
- `allow_list "A" allow_list "B"`: the personnummer is on A *or* on B (the lists are any-of);
- the e-ID login is always required and proves who the citizen is, which the facts rest on.

The route's condition is encoded as in an assert (an answer the walk did not give makes a
comparison false), which is true whenever the simulator finds it true: the query can only be
wider than the gate, so "unsatisfiable" is a proof for the gate as it runs. Answers may narrow a
route; they never appear in the entitlement, so they can never widen it.

In `prove` mode each route also gets a witness: an *entitled* citizen who reaches the booking
and passes that route (the routes before it failing, so the evaluator really takes it) — so a
route nobody entitled can pass is visible.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

import z3

from formflow.analysis.encode import Cond, conj, negate
from formflow.analysis.gates import opened
from formflow.analysis.solver import SAT, UNKNOWN, UNSAT, Item
from formflow.analysis.witness import Example, test_birth_days
from formflow.ir import model as M

ONLY, PASSABLE = "only", "passable"


@dataclass(frozen=True)
class GateExample(Example):
    """An example with what the booking and invitation systems hold, the code typed, and the gate's
    decision on it (made by the real gate evaluator)."""

    code: str | None = None
    route_taken: str | None = None
    is_entitled: bool = False
    config: dict = field(default=None, repr=False, compare=False)  # the gate configuration it was decided on
    entitlement: object = field(default=None, repr=False, compare=False)
    decision: object = field(default=None, repr=False, compare=False)  # booking.gate.Decision (None: no booking)
    violated: bool = False  # for an assert's example: whether the assert fails on it

    @property
    def gate_summary(self) -> str:
        state = self.citizen.booking
        held = [f"code for {n}" for n, _ in state.invitation_codes] + \
               [f"open invitation {n}" for n, _ in state.open_invitations] + [f"list {n}" for n in state.allow_lists]
        typed = f"types {self.code}" if self.code else "types no code"
        if self.entitlement is None:
            decided = "no booking" if self.decision is None else \
                (f"allowed through '{self.route_taken}'" if self.decision.allowed else "denied")
            return f"holds {', '.join(held) or 'no evidence'}; {typed}; gate: {decided}"
        who = "entitled" if self.is_entitled else "NOT entitled"
        return f"holds {', '.join(held) or 'no evidence'}; {typed}; gate: allowed through '{self.route_taken}' ({who})"


@dataclass(eq=False)
class Claim:
    kind: str  # only: route passes -> entitled | passable: an entitled citizen passes the route
    outcome: str
    appointment: str
    gate: M.Gate
    route: M.GateRoute
    entitlement: object  # region.entitlement.Entitlement
    items: list  # [the walk ends in the booking, the route passes (1-2 items), entitled or not]
    prefer: list = ()  # the routes before it fail: tried first, so a counterexample is taken through this route
    status: str | None = None  # sat | unsat | unknown
    example: GateExample | None = None


class Evidence:
    """Solver variables for what the region's systems hold about the citizen (per name), and for the
    code typed: `typed` is the index of the invitation whose code was typed (any other value: a wrong
    code, or none). Codes of different invitations are taken to differ."""

    def __init__(self, enc):
        self.enc = enc
        self.codes: dict[str, object] = {}
        self.locked: dict[str, object] = {}
        self.opens: dict[str, object] = {}
        self.lists: dict[str, object] = {}
        self.typed = enc.int("evidence.typed")
        self.routes: dict[int, object] = {}

    def _var(self, table: dict, prefix: str, name: str):
        if name not in table:
            table[name] = self.enc.bool(f"evidence.{prefix}({name})")
        return table[name]

    def code(self, invitation: str):
        return self._var(self.codes, "code", invitation.strip().casefold())

    def right_code(self, invitation: str):
        """A code is registered for the invitation, the citizen typed it, and the route is not locked."""
        name = invitation.strip().casefold()
        issued = self.code(name)
        index = list(self.codes).index(name)
        return z3.And(issued, self.typed == index, z3.Not(self._var(self.locked, "locked", name)))

    def open(self, invitation: str):
        return self._var(self.opens, "open", invitation.strip().casefold())

    def listed(self, name: str):
        return self._var(self.lists, "list", name.strip())


def evidence_of(enc) -> Evidence:
    """The one set of evidence variables of an encoding (claims and `booked(...)` share them)."""
    found = getattr(enc, "_evidence", None)
    if found is None:
        found = enc._evidence = Evidence(enc)
    return found


def build(engine) -> list[Claim]:
    """The claims of every protected booking's gate routes, encoded before the solver is prepared
    (called from `goals.Engine._build`, so that every fact's universe constraint is in place)."""
    enc, flow = engine.enc, engine.flow
    gates = {g.id: g for g in flow.gates}
    evidence = evidence_of(enc)
    engine.evidence = evidence
    claims = []
    for o in flow.outcomes:
        b = o.booking
        gate = gates.get(b.gate) if b is not None and b.gate else None
        if gate is None or not b.protected or b.entitled is None:
            continue
        entitled = Cond(entitlement_expr(enc, evidence, b.entitled))
        ends = Item(conj(engine.paths.outcome_is(o.id), engine.nofault.cond), ("outcome", o.id))
        passes = [route_items(enc, evidence, r) for r in gate.routes]
        for i, r in enumerate(gate.routes):
            earlier = [Item(negate(conj(*(item.cond for item in p)))) for p in passes[:i]]
            claims.append(Claim(ONLY, o.id, b.appointment, gate, r, b.entitled,
                                [ends, *passes[i], Item(negate(entitled), ("not entitled", b.appointment))], earlier))
            if engine.scenario:
                claims.append(Claim(PASSABLE, o.id, b.appointment, gate, r, b.entitled,
                                    [ends, *passes[i], Item(entitled, ("entitled", b.appointment)), *earlier]))
    return claims


def route_items(enc, evidence: Evidence, r: M.GateRoute) -> list[Item]:
    """The route passes: open on the day, its condition (as in an assert), its evidence."""
    cond = enc.cond(opened(r), in_assert=True)
    needs = []
    if r.invitation_code is not None:
        needs.append(evidence.right_code(r.invitation_code))
    if r.open_invitation is not None:
        needs.append(evidence.open(r.open_invitation))
    if r.allow_lists:
        needs.append(z3.Or([evidence.listed(n) for n in r.allow_lists]))
    items = [Item(cond, ("route", r.id))]
    if needs:
        items.append(Item(Cond(z3.And(needs) if len(needs) > 1 else needs[0]), ("evidence", r.id)))
    return items


def booked_expr(enc, names: tuple):
    """`booked()`, `booked(type)`, `booked(type, route)`: the walk ends in a booking outcome (of that
    type) and the gate allows it (through that route: the first, in order, that passes) — for a
    citizen logged in with e-ID and holding no other booking of the type."""
    evidence = evidence_of(enc)
    gates = {g.id: g for g in enc.flow.gates}
    cases = []
    for i, o in enumerate(enc.flow.outcomes):
        b = o.booking
        if b is None or not b.appointment or (names and b.appointment != names[0]):
            continue
        gate = gates.get(b.gate) if b.gate else None
        if gate is None:
            if not b.protected and len(names) < 2:
                cases.append(enc.outcome == i)  # open booking: always allowed
            continue
        passes = [_passes(enc, evidence, r) for r in gate.routes]
        taken = [z3.And(p, *[z3.Not(q) for q in passes[:k]]) for k, p in enumerate(passes)]
        if len(names) == 2:
            taken = [t for t, r in zip(taken, gate.routes) if r.id == names[1]]
        cases.append(z3.And(enc.outcome == i, z3.Or(taken) if taken else enc.false))
    return z3.Or(cases) if cases else enc.false


def _passes(enc, evidence: Evidence, r: M.GateRoute):
    if id(r) not in evidence.routes:
        evidence.routes[id(r)] = z3.And([i.cond.expr for i in route_items(enc, evidence, r)])
    return evidence.routes[id(r)]


def entitlement_expr(enc, evidence: Evidence, entitlement):
    return z3.Or([_alternative(enc, evidence, a) for a in entitlement.alternatives])


def _alternative(enc, evidence: Evidence, a):
    parts = []
    if a.opens is not None:
        parts.append(enc.today >= a.opens.toordinal())
    if a.birth_year is not None:
        parts += _within(enc.calendar.year(enc.birth), a.birth_year)
    if a.born is not None:
        parts += _within(enc.birth, tuple(d.toordinal() if d else None for d in a.born))
    if a.age is not None:
        parts += _within(enc.age, a.age)
    if a.invitation is not None:
        parts.append(z3.Or(enc.invitation(a.invitation), evidence.code(a.invitation), evidence.open(a.invitation)))
    if a.allow_list is not None:
        parts.append(evidence.listed(a.allow_list))
    if a.county:
        parts.append(z3.Or([enc.region == enc.text_index[c] for c in a.county]))
    return z3.And(parts) if parts else enc.true


def _within(term, bounds) -> list:
    low, high = bounds
    return ([term >= low] if low is not None else []) + ([term <= high] if high is not None else [])


# ---------------------------------------------------------------- solving and confirming

def settle(engine, claims: list[Claim]) -> None:
    """Solve every claim with scenario-grade examples (test personnummer), each example decided by
    the real gate evaluator: a counterexample counts only if it is allowed and not entitled, a
    witness only if the route is taken and the citizen entitled.

    First, per booking, one small query without the routing: "some route passes for someone not
    entitled". Unsatisfiable — the usual answer for a gate that reads what the region entitles —
    proves every route of it at once (the routing can only narrow who reaches the booking)."""
    if not claims:
        return
    _all_at_once(engine, [c for c in claims if c.kind == ONLY])
    previous, days = engine.scenario, engine.test_days
    engine.scenario, engine.test_days = True, frozenset(test_birth_days())
    try:
        for claim in claims:
            if claim.status is not None:
                continue
            result = engine._solve(None, claim.items)
            claim.status = result.status
            if result.status == SAT:
                claim.example = _confirmed(engine, claim, result.model)
                if claim.prefer:  # the same through this very route, when the routes before it can fail
                    again = engine._solve(None, claim.items + list(claim.prefer))
                    found = _confirmed(engine, claim, again.model) if again.status == SAT else None
                    claim.example = found or claim.example
                if claim.example is None:
                    claim.status = UNKNOWN  # the model does not reproduce: never reported as a verdict
    finally:
        engine.scenario, engine.test_days = previous, days


def _all_at_once(engine, only: list[Claim]) -> None:
    for outcome in dict.fromkeys(c.outcome for c in only):
        mine = [c for c in only if c.outcome == outcome]
        some = z3.Or([z3.And([i.cond.expr for i in c.items[1:-1]]) for c in mine])
        reads = frozenset().union(*(i.cond.reads for c in mine for i in c.items[1:-1]))
        if any(i.cond.hard for c in mine for i in c.items):
            continue
        if engine.solver.check(None, [Item(Cond(some, reads)), mine[0].items[-1]]).status == UNSAT:
            for c in mine:
                c.status = UNSAT


def _confirmed(engine, claim: Claim, model) -> GateExample | None:
    from formflow.booking.gate import evaluate
    from formflow.region.entitlement import entitled

    ex = engine._example(model)
    if ex is None or ex.citizen is None or not ex.walk.complete or ex.walk.outcome != claim.outcome:
        return None
    state, typed = _state(engine, model)
    citizen = replace(ex.citizen, booking=state)
    config = _config(claim)
    decision = evaluate(config, engine.program, ex.walk, citizen, region=None, code=typed)
    is_entitled = entitled(claim.entitlement, citizen)
    if claim.kind == ONLY and not (decision.allowed and not is_entitled):
        return None
    if claim.kind == PASSABLE and not (decision.allowed and decision.route == claim.route.id and is_entitled):
        return None
    return GateExample(ex.facts, ex.answers, ex.walk, citizen, typed, decision.route, is_entitled, config,
                       claim.entitlement, decision)


def _state(engine, model) -> tuple:
    """(BookingState, the code typed) of a model: what the region's systems hold, made concrete —
    a made-up code per registered invitation, locked routes as that many failed attempts."""
    from formflow.inputs.booking_state import BookingState, IssuedCode

    ev = evidence_of(engine.enc)
    codes = {name: _code(name, n) for n, (name, var) in enumerate(ev.codes.items()) if model.truth(var)}
    issued = {name: IssuedCode(code) for name, code in codes.items()}
    attempts = {}
    for g in engine.flow.gates:
        for r in g.routes:
            if r.invitation_code is not None:
                name = r.invitation_code.strip().casefold()
                attempts[name] = max(attempts.get(name, 0), r.code_attempts or 5)
    failed = {name: attempts.get(name, 5) for name, var in ev.locked.items() if model.truth(var)}
    opens = {name: _booking_id(name) for name, var in ev.opens.items() if model.truth(var)}
    lists = tuple(sorted(name for name, var in ev.lists.items() if model.truth(var)))
    names, index = list(ev.codes), model.integer(ev.typed)
    typed = codes.get(names[index]) if 0 <= index < len(names) else None
    return BookingState("e_id", tuple(sorted(issued.items())), tuple(sorted(failed.items())),
                        tuple(sorted(opens.items())), lists, ()), typed


@dataclass(frozen=True)
class _Verified:
    """A citizen as the gate evaluator reads one, for an example without a citizen file (check mode):
    the facts, what the region's systems hold, and noon Swedish time on the example's day."""

    verified: object
    booking: object

    def facts(self):
        return self.verified

    @property
    def subject(self):
        """No personnummer: the example's attempts are keyed by a placeholder (the record is fresh)."""
        return SimpleNamespace(digits12="0" * 12)

    @property
    def now(self):
        from formflow.inputs.yamlnode import STOCKHOLM

        return dt.datetime.combine(self.verified.today, dt.time(12), tzinfo=STOCKHOLM)


def with_decision(engine, model, ex):
    """An example whose asserts read `booked(...)`: the gate evaluator's decision on its walk, with
    the evidence of the model (a GateExample; its decision None when the walk books nothing)."""
    from formflow.booking.gate import evaluate

    state, typed = _state(engine, model)
    citizen = replace(ex.citizen, booking=state) if ex.citizen is not None else None
    config = _flow_config(engine.flow)
    decision = None
    if ex.walk.complete and any(b["outcome"] == ex.walk.outcome for b in config["bookings"]):
        decision = evaluate(config, engine.program, ex.walk, citizen or _Verified(ex.facts, state), region=None,
                            code=typed)
    return GateExample(ex.facts, ex.answers, ex.walk, citizen, typed, decision.route if decision else None, False,
                       config, None, decision)


def _flow_config(flow) -> dict:
    """Every booking of the flow and every gate, as `_config` writes one."""
    from formflow.emit.gate_json import gate_config

    return {"bookings": [{"outcome": o.id, "gate": o.booking.gate, "flags": [],
                          "appointment_type": {"id": o.booking.appointment, "protected": o.booking.protected}}
                         for o in flow.outcomes if o.booking is not None and o.booking.appointment],
            "gates": [gate_config(g, lambda span: {"line": 0, "column": 0}) for g in flow.gates]}


def _config(claim: Claim) -> dict:
    """The gate configuration the evaluator decides on, as compile writes it (`emit.gate_json`);
    only the part a decision reads (no clinics, slots or texts of the region)."""
    from formflow.emit.gate_json import gate_config

    return {"bookings": [{"outcome": claim.outcome, "gate": claim.gate.id, "flags": [],
                          "appointment_type": {"id": claim.appointment, "protected": True}}],
            "gates": [gate_config(claim.gate, lambda span: {"line": 0, "column": 0})]}


def _code(invitation: str, number: int) -> str:
    """A made-up code for a counterexample's letter (no real code is ever known to formflow); the
    `number`th invitation's, so that codes of different invitations differ, as the proof assumes
    (the gate compares a typed code with every invitation's)."""
    letters = "".join(c for c in invitation.upper() if c in string.ascii_uppercase + string.digits)[:4] or "KOD"
    return f"{letters.ljust(4, 'X')}-{number:04d}"


def _booking_id(invitation: str) -> str:
    return "BK-" + ("".join(c for c in invitation.upper() if c.isalnum())[:8] or "X") + "-0001"


__all__ = ["build", "settle", "Claim", "GateExample", "ONLY", "PASSABLE", "SAT", "UNSAT", "UNKNOWN"]
