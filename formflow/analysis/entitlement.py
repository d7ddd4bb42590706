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

import string
from dataclasses import dataclass, field, replace

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

    @property
    def gate_summary(self) -> str:
        state = self.citizen.booking
        held = [f"code for {n}" for n, _ in state.invitation_codes] + \
               [f"open invitation {n}" for n, _ in state.open_invitations] + [f"list {n}" for n in state.allow_lists]
        typed = f"types {self.code}" if self.code else "types no code"
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
    """Solver variables for what the region's systems hold about the citizen (per name)."""

    def __init__(self, enc):
        self.enc = enc
        self.codes: dict[str, object] = {}
        self.opens: dict[str, object] = {}
        self.lists: dict[str, object] = {}

    def _var(self, table: dict, prefix: str, name: str):
        if name not in table:
            table[name] = self.enc.bool(f"evidence.{prefix}({name})")
        return table[name]

    def code(self, invitation: str):
        return self._var(self.codes, "code", invitation.strip().casefold())

    def open(self, invitation: str):
        return self._var(self.opens, "open", invitation.strip().casefold())

    def listed(self, name: str):
        return self._var(self.lists, "list", name.strip())


def build(engine) -> list[Claim]:
    """The claims of every protected booking's gate routes, encoded before the solver is prepared
    (called from `goals.Engine._build`, so that every fact's universe constraint is in place)."""
    enc, flow = engine.enc, engine.flow
    gates = {g.id: g for g in flow.gates}
    evidence = Evidence(enc)
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
        needs.append(evidence.code(r.invitation_code))
    if r.open_invitation is not None:
        needs.append(evidence.open(r.open_invitation))
    if r.allow_lists:
        needs.append(z3.Or([evidence.listed(n) for n in r.allow_lists]))
    items = [Item(cond, ("route", r.id))]
    if needs:
        items.append(Item(Cond(z3.And(needs) if len(needs) > 1 else needs[0]), ("evidence", r.id)))
    return items


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
    from formflow.inputs.booking_state import BookingState
    from formflow.region.entitlement import entitled

    ex = engine._example(model)
    if ex is None or ex.citizen is None or not ex.walk.complete or ex.walk.outcome != claim.outcome:
        return None
    ev = engine.evidence
    codes = {name: _code(name) for name, var in sorted(ev.codes.items()) if model.truth(var)}
    opens = {name: _booking_id(name) for name, var in sorted(ev.opens.items()) if model.truth(var)}
    lists = tuple(sorted(name for name, var in ev.lists.items() if model.truth(var)))
    state = BookingState("e_id", tuple(codes.items()), (), tuple(opens.items()), lists, ())
    citizen = replace(ex.citizen, booking=state)
    typed = codes.get(claim.route.invitation_code.strip().casefold()) if claim.route.invitation_code else None
    config = _config(claim)
    decision = evaluate(config, engine.program, ex.walk, citizen, region=None, code=typed)
    is_entitled = entitled(claim.entitlement, citizen)
    if claim.kind == ONLY and not (decision.allowed and not is_entitled):
        return None
    if claim.kind == PASSABLE and not (decision.allowed and decision.route == claim.route.id and is_entitled):
        return None
    return GateExample(ex.facts, ex.answers, ex.walk, citizen, typed, decision.route, is_entitled, config,
                       claim.entitlement)


def _config(claim: Claim) -> dict:
    """The gate configuration the evaluator decides on, as compile writes it (`emit.gate_json`);
    only the part a decision reads (no clinics, slots or texts of the region)."""
    from formflow.emit.gate_json import gate_config

    return {"bookings": [{"outcome": claim.outcome, "gate": claim.gate.id, "flags": [],
                          "appointment_type": {"id": claim.appointment, "protected": True}}],
            "gates": [gate_config(claim.gate, lambda span: {"line": 0, "column": 0})]}


def _code(invitation: str) -> str:
    """A made-up code for a counterexample's letter (no real code is ever known to formflow)."""
    letters = "".join(c for c in invitation.upper() if c in string.ascii_uppercase + string.digits)[:4] or "KOD"
    return f"{letters.ljust(4, 'X')}-0000"


def _booking_id(invitation: str) -> str:
    return "BK-" + ("".join(c for c in invitation.upper() if c.isalnum())[:8] or "X") + "-0001"


__all__ = ["build", "settle", "Claim", "GateExample", "ONLY", "PASSABLE", "SAT", "UNSAT", "UNKNOWN"]
