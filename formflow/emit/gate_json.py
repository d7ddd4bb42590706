"""IR + region → `<flow>.gate.json`: who may book what, on which evidence, under which rules.

The gate configuration is what a booking service enforces after a citizen's walk has ended in a
booking outcome. It is self-contained — the region's appointment types, clinics, booking-system
rules, terms texts and handoffs are copied in — so that a reviewer can read in one file exactly
what a flow unlocks, and a runtime needs no region.yaml. Route conditions are expression trees
in the same encoding as form.json; they are evaluated in the environment the walk ended in.

Never in it: personal data, invitation codes themselves or allow-list members. A route names the
invitation whose code must be entered, or the list the personnummer must be on; the codes and
lists live in the region's invitation system. Deterministic like every artifact (`form_json.dumps`).
"""

from __future__ import annotations

from formflow import __version__
from formflow.booking.lockout import DEFAULT_ATTEMPTS
from formflow.emit.form_json import expr, texts
from formflow.ir import model as M
from formflow.region.model import Region
from formflow.region.model import Texts as RegionTexts

FORMAT = "formflow/gate"
FORMAT_VERSION = 1
TIME_ZONE = "Europe/Stockholm"
# How an entered invitation code is compared with the issued one (formflow.booking.evidence).
CODE_NORMALISATION = ["unicode_nfkc", "remove_whitespace_and_hyphens", "upper_case"]
MAKE_BOOKING = "urn:riv:crm:scheduling:MakeBooking:1"


def has_bookings(flow: M.Flow) -> bool:
    """Whether a flow needs a gate configuration: some outcome books an appointment type."""
    return any(o.booking is not None and o.booking.appointment for o in flow.outcomes)


def gate_document(flow: M.Flow, region: Region, folder: str, line_col) -> dict:
    """The gate artifact as plain JSON data (the flow is checked: every name resolves)."""

    def where(span):
        line, col = line_col(span.start)
        return {"line": line, "column": col}

    bookings = [o for o in flow.outcomes if o.booking is not None and o.booking.appointment]
    used_clinics = [c for o in bookings for c in _clinics(o.booking, region)]
    systems = sorted({c.booking_system for c in used_clinics})
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": {"name": "formflow", "version": __version__},
        "source": {"file": flow.source_name, "sha256": flow.source_sha256},
        "form": f"{flow.id}.form.json",
        "flow": {"id": flow.id, "version": flow.version},
        "region": {"code": region.code, "name": region.name, "folder": folder},
        "time_zone": TIME_ZONE,
        "evidence_rules": {"code_normalisation": CODE_NORMALISATION,
                           "default_code_attempts": region.code_lockout.attempts,
                           "code_lockout": region.code_lockout.as_json()},
        "working_days": region.working_days.as_json(),
        "booking_systems": [_system(region.booking_system(s)) for s in systems],
        "bookings": [_booking(o, region, where, {x.id: x for x in flow.outcomes}) for o in bookings],
        "gates": [_gate(g, where, region.code_lockout.attempts) for g in flow.gates],
    }


def _clinics(booking: M.Booking, region: Region):
    if booking.clinics:
        return [region.clinic(c) for c in booking.clinics]
    return [c for c in region.clinics if region.offers(c, booking.appointment)]


def _system(rules) -> dict:
    return {"id": rules.id, "name": rules.name, "earliest_booking": rules.earliest_booking,
            "cancel_until_hours": rules.cancel_until_hours, "rebook_until_hours": rules.rebook_until_hours,
            "horizon_days": rules.horizon_days, "open_invitations": rules.open_invitations,
            "lead_minutes": rules.lead_minutes}


def _region_texts(t: RegionTexts) -> dict:
    return dict(t.items)


def _booking(o: M.Outcome, region: Region, where, outcomes: dict) -> dict:
    b = o.booking
    kind = region.appointment_type(b.appointment)
    out: dict = {
        "outcome": o.id,
        "appointment_type": {
            "id": kind.id, "local_name": kind.local_name, "standard_name": kind.standard_name,
            "snomed_ct": kind.snomed_code, "time_type_id": kind.time_type_id,
            "duration_minutes": kind.duration_minutes, "protected": kind.protected,
            "bookable_from": kind.bookable_from.isoformat() if kind.bookable_from else None,
            "bookable_until": kind.bookable_until.isoformat() if kind.bookable_until else None},
        "gate": b.gate,
        "clinics": [{"id": c.id, "name": c.name, "hsa_id": c.hsa_id, "booking_system": c.booking_system,
                     "horizon_days": region.horizon_days(c), "lead_minutes": region.lead_minutes(c)}
                    for c in _clinics(b, region)],
        "terms": _terms(region, b.terms),
        "attach": {"answers": b.attach_answers, "pdf": b.attach_pdf},
        "flags": [{"text": texts(f.text), **({"when": expr(f.condition)} if f.condition is not None else {})}
                  for f in b.flags],
        "handoff": _handoff(region, b.handoff),
        "make_booking": _make_booking(kind),
        "window": _window(b.window, where),
        "fallback": _fallback(b.fallback, outcomes),
        "at": where(o.span),
    }
    return out


def _window(w: M.Window | None, where) -> dict:
    """The booking's own window (booking.windows applies it with the clinics' and systems' rules)."""
    w = w or M.Window(None, None, None, False, ())
    return {"lead_minutes": w.lead_minutes, "within_hours": w.within_hours,
            "within_working_days": w.within_working_days, "today_only": w.today_only,
            "dates": [{"rule": d.rule, "date": expr(d.date), "days_apart": d.days_apart,
                       **({"when": expr(d.condition)} if d.condition is not None else {}), "at": where(d.span)}
                      for d in w.dates]}


def _fallback(f: M.Fallback | None, outcomes: dict) -> dict | None:
    if f is None:
        return None
    o = outcomes[f.outcome]
    return {"outcome": o.id, "kind": o.kind, "urgency": o.urgency, "message": texts(o.message), "text": texts(f.text)}


def _terms(region: Region, terms_id: str | None) -> dict | None:
    if terms_id is None:
        return None
    t = next(t for t in region.terms if t.id == terms_id)
    return {"id": t.id, "title": _region_texts(t.title), "text": _region_texts(t.text)}


def _handoff(region: Region, handoff_id: str | None) -> dict | None:
    if handoff_id is None:
        return None
    h = next(h for h in region.handoffs if h.id == handoff_id)
    return {"id": h.id, "kind": h.kind, "target": h.target, "label": _region_texts(h.label)}


def _make_booking(kind) -> dict:
    """Where each MakeBooking field comes from (formflow.booking.contract fills them)."""
    return {
        "contract": MAKE_BOOKING,
        "fields": [
            {"field": "healthcare_facility_med", "from": "clinic.hsa_id"},
            {"field": "requestedTimeslot.startTimeInclusive", "from": "slot.start", "format": "local:YYYYMMDDhhmmss"},
            {"field": "requestedTimeslot.endTimeExclusive", "from": "slot.end", "format": "local:YYYYMMDDhhmmss"},
            {"field": "requestedTimeslot.healthcare_facility", "from": "clinic.hsa_id"},
            {"field": "requestedTimeslot.bookingId", "from": "open_invitation.booking_id",
             "when": "the route taken requires an open invitation"},
            {"field": "requestedTimeslot.subject_of_care", "from": "citizen.subject_of_care",
             "format": "personnummer:12"},
            {"field": "requestedTimeslot.reason", "from": "flags", "when": "some flag applies"},
            {"field": "requestedTimeslot.healthcare_facility_name", "from": "clinic.name"},
            {"field": "requestedTimeslot.timeTypeName", "value": kind.local_name},
            {"field": "requestedTimeslot.timeTypeID", "value": kind.time_type_id},
        ],
    }


def _gate(g: M.Gate, where, attempts: int) -> dict:
    return {"id": g.id, "title": texts(g.title), "routes": [_route(r, where, attempts) for r in g.routes],
            "one_active_booking": g.one_active_booking, "horizon_days": g.horizon_days,
            "accept_risk": g.accept_risk, "citizen_texts": {kind: texts(t) for kind, t in g.citizen_texts},
            "at": where(g.span)}


def gate_config(g: M.Gate, where, attempts: int = DEFAULT_ATTEMPTS) -> dict:
    """One gate as the configuration holds it (the analyser decides its examples on this);
    `attempts`: the region's limit of wrong codes (`code_lockout.attempts`)."""
    return _gate(g, where, attempts)


def _route(r: M.GateRoute, where, attempts: int) -> dict:
    evidence: dict = {"login": r.login or "e_id"}  # verified facts come from the e-ID login: always required
    if r.invitation_code is not None:
        evidence["invitation_code"] = {"invitation": r.invitation_code,  # a route may lower the region's limit
                                       "attempts": min(r.code_attempts or attempts, attempts)}
    if r.open_invitation is not None:
        evidence["open_invitation"] = r.open_invitation
    if r.allow_lists:
        evidence["allow_lists"] = list(r.allow_lists)
    return {"id": r.id, "title": texts(r.title), "when": expr(r.condition), "opens": r.opens,
            "evidence": evidence, "at": where(r.span)}
