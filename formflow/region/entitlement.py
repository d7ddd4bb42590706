"""Who is *entitled* to a protected appointment type: the region's declaration, in verified terms.

In region.yaml every protected appointment type says who may have it (`entitled:`), as a list of
alternatives — anyone who meets one alternative is entitled, and an alternative is met when all
of its terms hold. The terms are the things the region's own systems verify, never an answer:

    entitled:
      - {birth_year: {max: 1941}, from: 2021-02-01}   # a birth-year cohort, open from a Swedish date
      - {born: {max: 1956-12-31}, from: 2021-03-22}   # a birth-date cohort
      - {invitation: covid-fas1}                      # invited by the region (letter, SMS, open invitation)
      - {allow_list: vaccinators_2021}                # the personnummer is on a list
      - {age: {min: 65}}                              # completed years on the day, from the personnummer
      - {county: ["13"]}                              # registered in one of these counties

Why these and nothing else: a gate route is *proved* against this declaration (`formflow
check`, FF714) for every citizen, answer set, code typed and day, so the declaration must be
something a booking service can decide without asking the citizen.

What "invited to X" means, and what each kind of gate evidence establishes: the region's
invitation system records an invitation for the personnummer — as `citizen.has_invitation("X")`
(the verified fact), as a code issued for X (`invitation_code "X"` compares the typed code with
*that* code, so a right code proves the invitation X and nothing else), or as an open invitation X
(`open_invitation "X"`, booked against its booking id). An allow-list proves membership of that
list only. Invitation names are compared casefolded, as everywhere else; list names exactly,
as the booking state holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from formflow.source import Span

TERMS = ("birth_year", "born", "age", "invitation", "allow_list", "county", "from")


@dataclass(frozen=True, slots=True)
class Entitled:
    """One alternative: every term that is set must hold (None: no such term)."""

    birth_year: tuple[int | None, int | None] | None = None  # inclusive min, max
    born: tuple[date | None, date | None] | None = None  # inclusive earliest, latest birth date
    age: tuple[int | None, int | None] | None = None  # completed years on the Swedish date of `now`
    invitation: str | None = None  # casefolded
    allow_list: str | None = None
    county: tuple[str, ...] = ()  # any of these county codes
    opens: date | None = None  # the Swedish date the alternative opens
    span: Span | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        """In words, for messages: "born 1956 or earlier, from 2021-03-22"."""
        parts = []
        if self.birth_year is not None:
            parts.append(_range("born", self.birth_year, "in"))
        if self.born is not None:
            parts.append(_range("born", tuple(d.isoformat() if d else None for d in self.born), "on"))
        if self.age is not None:
            parts.append(_range("aged", self.age, ""))
        if self.invitation is not None:
            parts.append(f"invited to '{self.invitation}'")
        if self.allow_list is not None:
            parts.append(f"on the list '{self.allow_list}'")
        if self.county:
            parts.append("registered in county " + " or ".join(self.county))
        if self.opens is not None:
            parts.append(f"from {self.opens.isoformat()}")
        return ", ".join(parts) or "everyone"


@dataclass(frozen=True, slots=True)
class Entitlement:
    """Who may have an appointment type: anyone who meets one of the alternatives."""

    alternatives: tuple[Entitled, ...]
    span: Span | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        return "; or ".join(a.describe() for a in self.alternatives)


def _range(word: str, bounds, prep: str) -> str:
    low, high = bounds
    prep = f"{prep} " if prep else ""
    if low is not None and high is not None:
        return f"{word} {prep}{low}" if low == high else f"{word} {prep}{low} to {high}"
    if high is not None:
        return f"{word} {prep}{high} or earlier" if word == "born" else f"{word} {high} or under"
    return f"{word} {prep}{low} or later" if word == "born" else f"{word} {low} or over"


# ---------------------------------------------------------------------------------------- deciding

def invited(citizen, invitation: str) -> bool:
    """Whether the region's systems record the invitation for the subject of care, in any form."""
    name = invitation.strip().casefold()
    state = citizen.booking
    return (citizen.facts().has_invitation(name) or state.code_for(name) is not None
            or state.booking_id(name) is not None)


def meets(alt: Entitled, citizen) -> bool:
    """Whether `citizen` (a loaded citizen file, with its booking section) meets one alternative."""
    facts = citizen.facts()
    checks = (
        alt.opens is None or facts.today >= alt.opens,
        alt.birth_year is None or _within(facts.birth_year, alt.birth_year),
        alt.born is None or _within(facts.birth_date, alt.born),
        alt.age is None or _within(facts.age, alt.age),
        alt.invitation is None or invited(citizen, alt.invitation),
        alt.allow_list is None or alt.allow_list in citizen.booking.allow_lists,
        not alt.county or facts.region in alt.county,
    )
    return all(checks)


def entitled(entitlement: Entitlement, citizen) -> bool:
    """Whether the citizen is entitled: the runtime reading of the declaration that FF714 proves
    every gate route against (tests hold the proof to it)."""
    return any(meets(a, citizen) for a in entitlement.alternatives)


def _within(value, bounds) -> bool:
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)
