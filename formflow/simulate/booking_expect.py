"""Scenarios about booking: what the citizen does at the gate, and the decision expected.

    - name: an invited household contact books with the code from the letter
      citizen_file: citizens/household_fas1.yaml
      answers_file: answers/healthy_first_dose.yaml
      gate:                                  # optional: what happens at the gate
        code: "hk7q 4932"                    # the invitation code the citizen types
        slots_file: slots/april_2021.yaml    # free times, as the booking system returns them
        state_file: state/locked.json        # the booking system's record before (booking.state_file)
        tries: [HK7Q-0000, HK7Q-1111]        # codes typed before `code`, in turn, at `now`
        clinic: vc_hyltebruk                 # the clinic the citizen chooses among the booking's
        slot: 2021-04-12T13:00               # the slot they choose: its id or Swedish start time
      expect:
        outcome: book_vaccination
        booking:
          allowed: yes                       # required
          route: phase_1                     # the route taken (null: none)
          reasons: [wrong code]              # each text appears in a reason of the decision, of a route, or
                                             # why the booking cannot be made (a chosen slot not offered)
          flags: ["Hälsodeklaration: andra dosen"]   # exactly these flag texts travel with the booking
          offered: 3                         # how many slots are offered (needs slots_file)
          first_slot: 2021-04-12T13:00       # the earliest offered, Swedish time
          citizen_message: "försök kvar"     # appears in the author's text the citizen reads (null: none)
          chosen_slot: 2021-04-12T13:00      # the slot booked: the citizen's choice, or the first offered
          refused: {too_early: 2}            # how many slots were refused for each reason named
          fallback: nurse_chat               # the outcome offered when nothing is free (null: none)
          no_free_times: "Inga tider"        # appears in what the citizen reads when nothing is free

The decision is `formflow gate evaluate`'s, on the compiled gate configuration
(`formflow.booking.gate`), so a scenario pins down what the booking service will enforce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from formflow.diagnostics.model import Diagnostic, make
from formflow.inputs.yamlnode import YMap, as_bool, as_int, as_list, as_map, as_text, check_keys, head

GATE_KEYS = ("code", "slots_file", "state_file", "tries", "clinic", "slot")
KEYS = ("allowed", "route", "reasons", "flags", "offered", "first_slot", "citizen_message", "chosen_slot", "refused",
        "fallback", "no_free_times")
SLOT_KEYS = ("offered", "first_slot", "chosen_slot", "refused", "fallback", "no_free_times")


@dataclass(frozen=True)
class GateInput:
    code: str | None = None
    slots_file: Path | None = None
    state_file: Path | None = None
    tries: tuple[str, ...] = ()
    clinic: str | None = None
    slot: str | None = None


@dataclass(frozen=True)
class BookingExpectation:
    allowed: bool
    route: object = ...  # a route id, None (no route), or ... (not checked)
    reasons: tuple[str, ...] = ()
    flags: tuple[str, ...] | None = None
    offered: int | None = None
    first_slot: datetime | None = None  # UTC
    route_span: object = field(default=None, compare=False)  # where `route` is written, for FF609
    citizen_message: object = ...  # a text the citizen's message contains, None (no message), or ...
    chosen_slot: datetime | None = None  # UTC
    refused: tuple[tuple[str, int], ...] | None = None
    fallback: object = ...  # an outcome id, None (no fallback), or ...
    no_free_times: str | None = None
    present: frozenset = frozenset()  # the keys written, for needs_slots


def read_gate_input(node, source, path: Path, problems: list[Diagnostic]) -> GateInput | None:
    if node is None:
        return None
    ymap, d = as_map(node, source, field="'gate'")
    if d:
        problems.append(d)
        return None
    problems += check_keys(ymap, source, (), GATE_KEYS)
    code = _text(ymap, "code", source, problems)
    slots = _text(ymap, "slots_file", source, problems)
    state = _text(ymap, "state_file", source, problems)
    tries = _texts(ymap, "tries", source, lambda r: problems.append(r[1]) if r[1] else None)
    clinic, slot = _text(ymap, "clinic", source, problems), _slot_choice(ymap, source, problems)
    return GateInput(code, path.parent / slots if slots else None, path.parent / state if state else None, tries,
                     clinic, slot)


def _slot_choice(ymap: YMap, source, problems) -> str | None:
    """A slot id, or a Swedish start time (a YAML date-time, read as written)."""
    node = ymap.get("slot")
    if node is None:
        return None
    text, d = as_text(node, source, field="'slot'")
    problems += [d] if d else []
    return text


def _text(ymap: YMap, key: str, source, problems) -> str | None:
    node = ymap.get(key)
    if node is None:
        return None
    text, d = as_text(node, source, field=f"'{key}'")
    problems += [d] if d else []
    return text


def read_booking_expectation(node, source, diags: list[Diagnostic]) -> BookingExpectation | None:
    from formflow.booking.timeutil import read_instant

    ymap, d = as_map(node, source, field="'booking'")
    if d:
        diags.append(d)
        return None
    problems = check_keys(ymap, source, ("allowed",), KEYS)
    take = lambda result: problems.append(result[1]) if result[1] else None  # noqa: E731
    allowed = _get(ymap, "allowed", lambda n: as_bool(n, source, field="'allowed'"), take)
    route = ...
    if ymap.get("route") is not None:
        route = None if getattr(ymap.get("route"), "is_null", False) else \
            _get(ymap, "route", lambda n: as_text(n, source, field="'route'"), take)
    reasons = _texts(ymap, "reasons", source, take)
    flags = _texts(ymap, "flags", source, take) if ymap.get("flags") is not None else None
    offered = _get(ymap, "offered", lambda n: as_int(n, source, field="'offered'"), take)
    first = _get(ymap, "first_slot", lambda n: read_instant(n, source, field="'first_slot'"), take)
    told = ...
    if ymap.get("citizen_message") is not None:
        told = None if getattr(ymap.get("citizen_message"), "is_null", False) else \
            _get(ymap, "citizen_message", lambda n: as_text(n, source, field="'citizen_message'"), take)
    chosen = _get(ymap, "chosen_slot", lambda n: read_instant(n, source, field="'chosen_slot'"), take)
    refused = _counts(ymap, source, take)
    fallback = ...
    if ymap.get("fallback") is not None:
        fallback = None if getattr(ymap.get("fallback"), "is_null", False) else \
            _get(ymap, "fallback", lambda n: as_text(n, source, field="'fallback'"), take)
    full = _get(ymap, "no_free_times", lambda n: as_text(n, source, field="'no_free_times'"), take)
    diags += problems
    if problems:
        return None
    where = ymap.get("route").span if ymap.get("route") is not None else None
    return BookingExpectation(allowed, route, reasons or (), flags, offered, first, where, told, chosen, refused,
                              fallback, full, frozenset(ymap.keys()))


def _counts(ymap: YMap, source, take) -> tuple[tuple[str, int], ...] | None:
    node = ymap.get("refused")
    if node is None:
        return None
    m, d = as_map(node, source, field="'refused'")
    if d:
        take((None, d))
        return None
    out = []
    for key, value in m.items:
        n, d = as_int(value, source, field=f"'refused: {key.text}'")
        take((n, d))
        if n is not None:
            out.append((key.text, n))
    return tuple(out)


def _get(ymap: YMap, key: str, convert, take):
    node = ymap.get(key)
    if node is None:
        return None
    result = convert(node)
    take(result)
    return result[0]


def _texts(ymap: YMap, key: str, source, take) -> tuple[str, ...]:
    node = ymap.get(key)
    if node is None:
        return ()
    seq, d = as_list(node, source, field=f"'{key}'")
    if d:
        take((None, d))
        return ()
    out = []
    for item in seq.items:
        text, d = as_text(item, source, field=f"an item of '{key}'")
        take((text, d))
        if text is not None:
            out.append(text)
    return tuple(out)


def unknown_route(expect: BookingExpectation, config: dict, source) -> Diagnostic | None:
    """FF609 when `route` names no route of the flow's gates (it could never match)."""
    from formflow.check.suggest import did_you_mean

    known = [r["id"] for g in config["gates"] for r in g["routes"]]
    if expect.route is ... or expect.route is None or expect.route in known:
        return None
    return make("FF609", f"the flow's gates have no route '{expect.route}'", source, expect.route_span,
                "unknown route", help=did_you_mean(expect.route, known) or "routes: " + ", ".join(known))


def needs_slots(expect: BookingExpectation) -> bool:
    return bool(expect.present & set(SLOT_KEYS))


def missing_slots(node, source) -> Diagnostic:
    return make("FF512", f"{', '.join(repr(k) for k in SLOT_KEYS)} need a slots file", source, head(node),
                "no slots to offer",
                help="add `gate: {slots_file: slots/<file>.yaml}` to the scenario")


def compare_booking(expect: BookingExpectation, d) -> list[tuple[str, str, str]]:
    """(what, expected, actual) for every part of the booking expectation that does not hold."""
    from formflow.booking.timeutil import to_local

    out = []
    shown = "allowed" if d.allowed else "denied"
    if expect.allowed != d.allowed:
        why = "; ".join((d.reasons + tuple(r for route in d.routes for r in route.reasons))[:3])
        out.append(("booking", "allowed" if expect.allowed else "denied", f"{shown} ({why})" if why else shown))
    if expect.route is not ... and expect.route != d.route:
        out.append(("booking route", expect.route or "none", d.route or "none"))
    said = list(d.reasons) + [r for route in d.routes for r in route.reasons] + list(d.booking_problems)
    for text in expect.reasons:
        if not any(text.casefold() in r.casefold() for r in said):
            out.append(("booking reason", f"a reason containing '{text}'", "; ".join(said) or "no reasons"))
    told = d.citizen_message
    if expect.citizen_message is None and told is not None:
        out.append(("booking citizen_message", "none", told))
    elif expect.citizen_message not in (None, ...) and (told is None or expect.citizen_message.casefold()
                                                        not in told.casefold()):
        out.append(("booking citizen_message", f"a text containing '{expect.citizen_message}'", told or "none"))
    if expect.flags is not None and tuple(expect.flags) != d.flags:
        out.append(("booking flags", _list(expect.flags), _list(d.flags)))
    offered = d.slots.offered if d.slots is not None else ()
    if expect.offered is not None and expect.offered != len(offered):
        out.append(("booking offered", f"{expect.offered} slots", f"{len(offered)}"))
    if expect.first_slot is not None:
        first = offered[0].start if offered else None
        if first != expect.first_slot:
            out.append(("booking first_slot", f"{to_local(expect.first_slot):%Y-%m-%d %H:%M}",
                        f"{to_local(first):%Y-%m-%d %H:%M}" if first else "no slot offered"))
    if expect.chosen_slot is not None and d.booking_problems:
        out.append(("booking problem", "none", "; ".join(d.booking_problems)))
    return out + _compare_choice(expect, d.slots)


def _compare_choice(expect: BookingExpectation, offer) -> list[tuple[str, str, str]]:
    """The slot chosen, the refusals by reason, the fallback and the no-free-times text."""
    from formflow.booking.timeutil import to_local

    out = []
    chosen = offer.chosen if offer is not None else None
    if expect.chosen_slot is not None and (chosen is None or chosen.start != expect.chosen_slot):
        out.append(("booking chosen_slot", f"{to_local(expect.chosen_slot):%Y-%m-%d %H:%M}",
                    f"{to_local(chosen.start):%Y-%m-%d %H:%M} at {chosen.clinic}" if chosen else "no slot chosen"))
    counts = dict(offer.refused) if offer is not None else {}
    for reason, n in expect.refused or ():
        if counts.get(reason, 0) != n:
            out.append((f"booking refused {reason}", str(n), str(counts.get(reason, 0))))
    taken = offer.fallback["outcome"] if offer is not None and offer.fallback else None
    if expect.fallback is not ... and expect.fallback != taken:
        out.append(("booking fallback", expect.fallback or "none", taken or "none"))
    told = offer.no_free_times if offer is not None else None
    if expect.no_free_times is not None and (told is None or expect.no_free_times.casefold() not in told.casefold()):
        out.append(("booking no_free_times", f"a text containing '{expect.no_free_times}'", told or "slots were offered"))
    return out


def _list(items) -> str:
    return "[" + ", ".join(items) + "]"
