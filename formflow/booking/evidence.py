"""Evidence a gate route can require beyond its condition: login level, an invitation code, an
open invitation, a place on an allow-list. Each check says why it failed, in words a clinic's
staff can repeat to the citizen on the phone.

Invitation codes are printed on the region's letter or sent by SMS, bound to one personnummer.
What the citizen types is normalised before it is compared: Unicode NFKC (full-width digits and
letters become plain ones), every space and hyphen removed (`K7QX-4932`, `k7qx 4932`), upper case.
The comparison takes the same time whatever the input (`hmac.compare_digest`), so the code cannot
be guessed character by character from response times. A code for another personnummer is
simply a wrong code. Attempts, the lockout and single use are `booking.codes` and `booking.lockout`.
"""

from __future__ import annotations

import hmac
import re
import unicodedata

from formflow.inputs.booking_state import BookingState

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def normalise_code(text: str) -> str:
    """An entered or issued invitation code in the form they are compared in."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def same_code(entered: str, issued: str) -> bool:
    a, b = normalise_code(entered).encode("utf-8"), normalise_code(issued).encode("utf-8")
    return bool(a) and hmac.compare_digest(a, b)


def check_login(state: BookingState, level: str | None) -> str | None:
    if level is None or state.login == level:
        return None
    return "needs a login with e-ID (BankID or Freja eID Plus)"


def check_open_invitation(state: BookingState, invitation: str) -> str | None:
    """Why the citizen cannot book against the open invitation (None: they have its booking id)."""
    if state.booking_id(invitation) is None:
        return f"no open invitation '{invitation}' is registered for this personnummer"
    return None


def check_allow_lists(state: BookingState, lists: list[str]) -> str | None:
    if not lists or set(lists) & set(state.allow_lists):
        return None
    return "the personnummer is not on " + " or ".join(f"the list '{n}'" for n in lists)
