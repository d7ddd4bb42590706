"""HSA-ids: the identities of care units in the national directory (Katalogtjänst HSA).

A booking names its care unit by HSA-id (`healthcare_facility` in crm:scheduling), so a wrong
HSA-id sends a citizen's booking nowhere. The format, as Inera documents it:

    SE<organisation number, 10 digits, no hyphen>-<suffix>

- `SE`, the country code, in capitals.
- The organisation number (organisationsnummer) of the directory owner, e.g. Region Halland's
  232100-0115 written `2321000115`. Its last digit is a Luhn check digit over the other nine,
  computed as for a personnummer; a mistyped digit is caught here.
- A hyphen, then a suffix of at least one character: ASCII letters `A`–`Z`, `a`–`z` and digits
  `0`–`9`. `å`, `ä`, `ö` and `@` are expressly not allowed (nor spaces, hyphens or other signs).
- At most 31 characters in all.

One older form is accepted too: some directory owners register their units with the
organisation number's century prefix `16` (Region Skåne's units are `SE162321000255-…`). The
prefix is only accepted as exactly `16` followed by a valid 10-digit number; any other 12 digits
are refused, so a personnummer cannot pass for an organisation number by accident.

Not checked: that the id exists in the directory (that needs the directory itself), and the
third digit of the organisation number (≥ 2 for legal persons) — sole traders' organisation
numbers are their personnummer, so the digit can be lower for private caregivers.

Messages never repeat the id; the snippet under the caret shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from formflow.diagnostics.model import make
from formflow.inputs.yamlnode import Result, YNode, as_text
from formflow.source import Source

MAX_LENGTH = 31
_SHAPE = re.compile(r"SE(16)?([0-9]{10})-(.+)")
_SUFFIX = re.compile(r"[A-Za-z0-9]+")
EXAMPLE = "SE2321000115-E10001"


@dataclass(frozen=True, slots=True)
class HsaProblem:
    """Why a text is not an HSA-id: a message and a hint, never the id itself."""

    message: str
    help: str


def luhn_ok(digits: str) -> bool:
    """The Luhn check over a string of digits (the last digit is the check digit)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def hsa_problem(text: str) -> HsaProblem | None:
    """None for a valid HSA-id, else the first problem, most basic first."""
    if len(text) > MAX_LENGTH:
        return HsaProblem(f"an HSA-id has at most {MAX_LENGTH} characters, this one has {len(text)}",
                          "shorten the suffix after the hyphen")
    m = _SHAPE.fullmatch(text)
    if not m:
        return _shape_problem(text)
    org, suffix = m.group(2), m.group(3)
    if not luhn_ok(org):
        return HsaProblem("the check digit of the organisation number in this HSA-id does not match",
                          "check the 10 digits after SE; the last one is a Luhn check digit "
                          "(Region Halland is 2321000115)")
    if not _SUFFIX.fullmatch(suffix):
        return HsaProblem("the part after the hyphen may only contain letters A–Z, a–z and digits",
                          "å, ä, ö, @, spaces and other signs are not allowed in an HSA-id")
    return None


def _shape_problem(text: str) -> HsaProblem:
    if text[:2].upper() == "SE" and text[:2] != "SE":
        return HsaProblem("an HSA-id starts with SE in capitals", f"write it as {EXAMPLE}")
    if not text.startswith("SE"):
        return HsaProblem("an HSA-id starts with the country code SE", f"write it as {EXAMPLE}")
    digits = re.match(r"[0-9]*", text[2:]).group(0)
    if len(digits) == 12 and not digits.startswith("16"):
        return HsaProblem("the organisation number in an HSA-id has 10 digits",
                          "write the organisation number without a century prefix: SE2321000115-…")
    if len(digits) not in (10, 12):
        return HsaProblem("the organisation number in an HSA-id has 10 digits, without a hyphen",
                          f"write SE, the 10 digits, a hyphen and the unit's code: {EXAMPLE}")
    return HsaProblem("an HSA-id has a hyphen and at least one letter or digit after the organisation number",
                      f"write SE, the 10 digits, a hyphen and the unit's code: {EXAMPLE}")


def organisation_number(hsa_id: str) -> str:
    """The 10-digit organisation number of a valid HSA-id."""
    m = _SHAPE.fullmatch(hsa_id)
    if not m:
        raise ValueError("not an HSA-id")
    return m.group(2)


def as_hsa_id(node: YNode, source: Source, *, field: str = "") -> Result:
    """A YAML value as an HSA-id (FF701 with the specific problem, at the value)."""
    text, d = as_text(node, source, field=field)
    if d:
        return None, d
    problem = hsa_problem(text)
    if problem:
        return None, make("FF701", problem.message, source, node.span, "not a valid HSA-id", help=problem.help)
    return text, None
