"""Evidence a gate route can require beyond its condition: login level, an invitation code, an
open invitation, a place on an allow-list. Each check says why it failed, in words a clinic's
staff can repeat to the citizen on the phone.

Invitation codes are printed on the region's letter or sent by SMS, bound to one personnummer.
What the citizen types is normalised before it is compared: Unicode NFKC (full-width digits and
letters become plain ones), every space and hyphen removed (`K7QX-4932`, `k7qx 4932`), upper case.
The comparison takes the same time whatever the input (`hmac.compare_digest`), so the code cannot
be guessed character by character from response times. After `attempts` wrong codes the route
locks: a locked route refuses even the right code, and the citizen is sent to the phone, where
staff can check identity. A code for another personnummer is simply a wrong code.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from dataclasses import dataclass

from formflow.inputs.booking_state import BookingState

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def normalise_code(text: str) -> str:
    """An entered or issued invitation code in the form they are compared in."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def same_code(entered: str, issued: str) -> bool:
    a, b = normalise_code(entered).encode("utf-8"), normalise_code(issued).encode("utf-8")
    return bool(a) and hmac.compare_digest(a, b)


@dataclass(frozen=True)
class CodeCheck:
    passed: bool
    reason: str | None
    attempts_left: int | None  # after this check; None when no code was compared
    needs_code: bool = False  # the citizen has a code but has not entered it yet


def check_code(state: BookingState, invitation: str, attempts: int, entered: str | None) -> CodeCheck:
    """Whether `entered` is the code of `invitation` for this citizen, with the lockout applied."""
    failures = state.failures(invitation)
    if failures >= attempts:
        return CodeCheck(False, f"locked after {failures} wrong codes for invitation '{invitation}': "
                                "the citizen must call to book", 0)
    issued = state.code_for(invitation)
    if issued is None:
        return CodeCheck(False, f"no code for invitation '{invitation}' is registered for this personnummer", None)
    if entered is None or not normalise_code(entered):  # nothing but spaces and hyphens is no attempt
        return CodeCheck(False, f"needs the code from invitation '{invitation}' (letter or SMS)", None, True)
    if same_code(entered, issued):
        return CodeCheck(True, None, attempts - failures)
    left = attempts - failures - 1
    if left == 0:
        return CodeCheck(False, f"wrong code for invitation '{invitation}'; the route is now locked", 0)
    return CodeCheck(False, f"wrong code for invitation '{invitation}', {left} "
                            f"attempt{'s' if left != 1 else ''} left", left)


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
