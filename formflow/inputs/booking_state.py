"""What the region's booking and invitation systems know about a citizen: the `booking:` section
of a citizen file, read by `formflow gate evaluate` and by scenarios that expect a booking decision.

    booking:
      login: e_id                        # the login level of the session (default e_id; `none`: not logged in)
      invitation_codes:                  # codes on the letters or SMS the region sent this personnummer
        covid-fas1: "K7QX-4932"
        covid-fas2: {code: "M3RT-1187", valid_until: 2021-05-31}   # a code may carry its last valid day
      failed_code_attempts: {covid-fas1: 2}   # wrong codes just before `now`, per invitation (a shorthand
                                              # for scenarios; a booking system's record is `--state`)
      open_invitations:                  # öppen kallelse: the booking id it books against
        covid-dos2: "BK-2021-000123"
      allow_lists: [vaccinators_2021]    # lists the personnummer is on
      bookings:                          # the citizen's active bookings
        - {appointment_type: covid_vaccination, clinic: vc_laholm, start: 2021-04-20T10:00}

A gate configuration never holds codes or list members (they are personal data); this section
stands in for the systems that do, so that evidence rules can be walked through and tested.
Invitation names are normalised like `invitations` (casefolded); the codes are kept as written
and compared by `formflow.booking.evidence`. Times follow the rule of `booking.timeutil`.
A code's `valid_until` is a Swedish calendar day, inclusive: from the next day the code is expired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from formflow.diagnostics.model import Diagnostic, make
from formflow.inputs.yamlnode import YMap, YNode, as_date, as_int, as_list, as_map, as_text, check_keys, head
from formflow.source import Source

KEYS = ("login", "invitation_codes", "failed_code_attempts", "open_invitations", "allow_lists", "bookings")
LOGIN_LEVELS = ("e_id", "none")
BOOKING_KEYS = ("appointment_type", "clinic", "start")
CODE_KEYS = ("code", "valid_until")


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """A code the region issued for one invitation, and its last valid Swedish day (None: no end)."""

    code: str = field(repr=False)
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class ActiveBooking:
    appointment_type: str
    clinic: str
    start: datetime  # UTC
    spans: tuple = field(default=(), compare=False, repr=False)  # (appointment_type, clinic) in the file
    source: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BookingState:
    login: str = "e_id"
    invitation_codes: tuple[tuple[str, IssuedCode], ...] = field(default=(), repr=False)
    failed_code_attempts: tuple[tuple[str, int], ...] = ()
    open_invitations: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    allow_lists: tuple[str, ...] = ()
    bookings: tuple[ActiveBooking, ...] = ()

    def code_for(self, invitation: str) -> IssuedCode | None:
        return dict(self.invitation_codes).get(_name(invitation))

    def failures(self, invitation: str) -> int:
        return dict(self.failed_code_attempts).get(_name(invitation), 0)

    def booking_id(self, invitation: str) -> str | None:
        return dict(self.open_invitations).get(_name(invitation))


def _name(text: str) -> str:
    return text.strip().casefold()


def load_booking_state(node: YNode, source: Source) -> tuple[BookingState | None, list[Diagnostic]]:
    ymap, d = as_map(node, source, field="'booking'")
    if d:
        return None, [d]
    diags = check_keys(ymap, source, (), KEYS)
    reader = _Reader(source, diags)
    login = reader.login(ymap.get("login"))
    codes = reader.codes(ymap.get("invitation_codes"))
    failed = reader.counts(ymap.get("failed_code_attempts"))
    opened = reader.texts_by_name(ymap.get("open_invitations"), "open_invitations")
    lists = reader.names(ymap.get("allow_lists"))
    bookings = reader.bookings(ymap.get("bookings"))
    if diags:
        return None, diags
    return BookingState(login, codes, failed, opened, lists, bookings), []


class _Reader:
    def __init__(self, source: Source, diags: list[Diagnostic]):
        self.source, self.diags = source, diags

    def take(self, result):
        value, d = result
        if d is not None:
            self.diags.append(d)
        return value

    def login(self, node) -> str:
        if node is None or getattr(node, "is_null", False):
            return "e_id"
        text = self.take(as_text(node, self.source, field="'login'"))
        if text is not None and text not in LOGIN_LEVELS:
            self.diags.append(make("FF510", f"'{text}' is not a login level", self.source, head(node), "unknown level",
                                   help="write `login: e_id` (BankID, Freja eID Plus) or `login: none`"))
        return text or "e_id"

    def _map(self, node, what: str):
        if node is None or getattr(node, "is_null", False):
            return None
        return self.take(as_map(node, self.source, field=f"'{what}'"))

    def texts_by_name(self, node, what: str) -> tuple[tuple[str, str], ...]:
        ymap = self._map(node, what)
        if ymap is None:
            return ()
        out = {}
        for key_node, value in ymap.items:
            key = key_node.text
            text = self.take(as_text(value, self.source, field=f"the value of '{key}'"))
            if text is not None and not text.strip():
                self.diags.append(make("FF510", f"'{what}' of '{key}' is empty", self.source, head(value), "empty",
                                       help="write the code or booking id, or remove the line"))
            elif text is not None:
                out[_name(key)] = text
        return tuple(sorted(out.items()))

    def codes(self, node) -> tuple[tuple[str, IssuedCode], ...]:
        """`invitation: CODE` or `invitation: {code: CODE, valid_until: YYYY-MM-DD}`."""
        ymap = self._map(node, "invitation_codes")
        if ymap is None:
            return ()
        out = {}
        for key_node, value in ymap.items:
            key, valid_until = key_node.text, None
            if isinstance(value, YMap):
                problems = check_keys(value, self.source, ("code",), CODE_KEYS[1:])
                self.diags.extend(problems)
                if problems:
                    continue
                until = value.get("valid_until")
                if until is not None and not getattr(until, "is_null", False):
                    valid_until = self.take(as_date(until, self.source, field="'valid_until'"))
                value = value.get("code")
            text = self.take(as_text(value, self.source, field=f"the code of '{key}'"))
            if text is not None and not text.strip():
                self.diags.append(make("FF510", f"the code of '{key}' is empty", self.source, head(value), "empty",
                                       help="write the code, or remove the line"))
            elif text is not None:
                out[_name(key)] = IssuedCode(text, valid_until)
        return tuple(sorted(out.items()))

    def counts(self, node) -> tuple[tuple[str, int], ...]:
        ymap = self._map(node, "failed_code_attempts")
        if ymap is None:
            return ()
        out = {}
        for key_node, value in ymap.items:
            key = key_node.text
            n = self.take(as_int(value, self.source, field=f"the attempts of '{key}'"))
            if n is not None and n < 0:
                self.diags.append(make("FF510", "a number of attempts cannot be negative", self.source, head(value),
                                       "negative", help="write 0 or more"))
            elif n is not None:
                out[_name(key)] = n
        return tuple(sorted(out.items()))

    def names(self, node) -> tuple[str, ...]:
        if node is None or getattr(node, "is_null", False):
            return ()
        seq = self.take(as_list(node, self.source, field="'allow_lists'"))
        names = (self.take(as_text(item, self.source, field="a list name")) for item in (seq.items if seq else ()))
        return tuple(sorted({n.strip() for n in names if n and n.strip()}))

    def bookings(self, node) -> tuple[ActiveBooking, ...]:
        from formflow.booking.timeutil import read_instant

        if node is None or getattr(node, "is_null", False):
            return ()
        seq = self.take(as_list(node, self.source, field="'bookings'"))
        out = []
        for item in seq.items if seq else ():
            m = self.take(as_map(item, self.source, field="a booking"))
            problems = check_keys(m, self.source, BOOKING_KEYS, ()) if m is not None else []
            self.diags.extend(problems)
            if m is None or problems:
                continue
            kind = self.take(as_text(m.get("appointment_type"), self.source, field="'appointment_type'"))
            clinic = self.take(as_text(m.get("clinic"), self.source, field="'clinic'"))
            start = self.take(read_instant(m.get("start"), self.source, field="'start'"))
            if None not in (kind, clinic, start):
                spans = (m.get("appointment_type").span, m.get("clinic").span)
                out.append(ActiveBooking(kind, clinic, start, spans, self.source))
        return tuple(sorted(out, key=lambda b: (b.start, b.clinic)))


def region_problems(state: BookingState, region) -> list[Diagnostic]:
    """FF703 for an active booking whose clinic or appointment type the region does not have: a typo
    there would silently switch `one_active_booking` off for this citizen."""
    from formflow.check.suggest import did_you_mean

    out = []
    for b in state.bookings:
        for name, what, known, span in ((b.appointment_type, "appointment type",
                                         [t.id for t in region.appointment_types], b.spans[0]),
                                        (b.clinic, "clinic", [c.id for c in region.clinics], b.spans[1])):
            if name not in known:
                out.append(make("FF703", f"the region has no {what} '{name}'", b.source, span, f"unknown {what}",
                                help=did_you_mean(name, known) or f"the region's {what}s are: {', '.join(known)}"))
    from formflow.inputs.secrets import masked

    return masked(out, state.bookings[0].source) if out else out
