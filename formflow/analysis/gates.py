"""Gate routes as properties: each route of a gate can be passed by someone whose walk books.

A gate is evaluated when a walk has ended in the booking outcome that names it (REFERENCE 12b).
So "route R of gate G can be passed" means: some complete route ends in that outcome, on a day
the route is open (`from`), with the route's condition true. The analyser proves it with a
witness — a citizen and answers that reach the booking and meet the condition — or shows that no
one who reaches the booking ever can: a route that protects nothing, or a gate nobody passes,
which FF715 catches only when the contradiction is written on the route's face.

Evidence (login, invitation codes, open invitations, allow-lists) lives in the region's systems,
not in the flow; the witness assumes the citizen has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.ir import model as M


@dataclass(frozen=True, eq=False)
class RouteClaim:
    """The subject of a `gate` goal: one route of the gate that one booking outcome names."""

    outcome: str
    gate: M.Gate
    route: M.GateRoute
    cond: object  # the route's condition and its opening date, as one IR expression (`opened`)

    @property
    def name(self) -> str:
        return f"gate {self.gate.id} route {self.route.id}"

    @property
    def claim(self) -> str:
        return f"route '{self.route.id}' of gate '{self.gate.id}' can be passed by a citizen whose route ends in " \
               f"'{self.outcome}'"



def opened(route: M.GateRoute):
    """The route's condition, and the day being on or after its opening date, as one IR expression."""
    if route.opens is None:
        return route.condition
    span = route.span
    today = M.Op(">=", (M.Today(span), M.Literal("date", route.opens, span)), "bool", span)
    return M.Op("and", (today, route.condition), "bool", span)


def route_claims(flow: M.Flow) -> list[RouteClaim]:
    """Every (booking outcome, gate route) pair of the flow, in outcome then route order."""
    gates = {g.id: g for g in flow.gates}
    out = []
    for o in flow.outcomes:
        gate = gates.get(o.booking.gate) if o.booking is not None and o.booking.gate else None
        if gate is not None:
            out += [RouteClaim(o.id, gate, r, opened(r)) for r in gate.routes]
    return out
