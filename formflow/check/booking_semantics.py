"""Typing of the conditions of gates and booking flags, as read when the booking is made.

A gate is evaluated when a route has ended in a booking outcome that names it, and a flag when
its own outcome is reached. So they may read what is available at *every* `end` (or `trigger`) of
those outcomes — the walker records that set for booking outcomes in `Semantics.end_avail` — and
anything else only behind `answered(...)`, exactly as in routing (FF204/FF205 otherwise).
Verified facts are always readable. The rules in `check/rules/booking_*.py` turn the types into
diagnostics; this module only records them.
"""

from __future__ import annotations

BOOKING_KEYS = frozenset({"appointment", "through", "terms", "clinics", "attach_answers", "attach_pdf", "flag",
                          "handoff", "window", "when_full"})
DATE_RULES = ("not_before", "before", "not_within")  # window rules that compute a date from answers and facts


def is_booking_decl(decl) -> bool:
    """Whether an outcome declaration carries booking attributes (`appointment`, `through`, ...)."""
    return any(a.key in BOOKING_KEYS for a in decl.attrs)


def outcome_gate(decl) -> str | None:
    attr = next((a for a in decl.attrs if a.key == "through"), None)
    return attr.value.name if attr is not None else None


def booking_conditions(walker, flow) -> None:
    """Type every route condition and flag condition; record them as conditions (FF302 applies)."""
    walker.seen.update(walker.symbols.by_id)
    for gate in flow.gates:
        users = [d.id.name for d in flow.outcomes if outcome_gate(d) == gate.id.name]
        walker.avail = _common(walker.sem.end_avail, users)
        for route in gate.routes:
            walker.sem.conditions.append((route.condition, walker.expr(route.condition)))
    for decl in flow.outcomes:
        flags = [a.value[1] for a in decl.attrs if a.key == "flag" and a.value[1] is not None]
        walker.avail = _common(walker.sem.end_avail, [decl.id.name])
        for condition in flags:
            walker.sem.conditions.append((condition, walker.expr(condition)))
        _window_dates(walker, decl)
    walker.avail = set()


def window_date(attr):
    """The date expression of a window's date rule (None for the other rules)."""
    rule, value, _ = attr.value
    if rule not in DATE_RULES:
        return None
    return value[1] if rule == "not_within" else value


def _window_dates(walker, decl) -> None:
    """Type each date rule of a booking window (read when the slots are offered, like a flag) and its
    condition; a fallback outcome named by `when_full` counts as used."""
    for attr in decl.attrs:
        if attr.key == "when_full":
            walker.sem.used.add(attr.value[0].name)
        if attr.key != "window" or window_date(attr) is None:
            continue
        from formflow.check.semantics import when_true

        expr, condition, guards = window_date(attr), attr.value[2], []
        if condition is not None:  # `when answered(q)`: the date may read q
            walker.sem.conditions.append((condition, walker.expr(condition)))
            guards = walker.add(when_true(condition))
        walker.sem.window_dates.append((attr, expr, walker.expr(expr)))
        walker.avail.difference_update(guards)


def _common(end_avail: dict, outcomes: list[str]) -> set[str]:
    sets = [end_avail[o] for o in outcomes if o in end_avail]
    return set.intersection(*sets) if sets else set()
