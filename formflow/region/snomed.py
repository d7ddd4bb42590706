"""SNOMED CT identifiers (SCTIDs) of standardised appointment types.

Booking by need ("boka utifrån behov") finds appointments through standardised types that carry a
SNOMED CT concept id — "Vaccination mot covid-19" is 72791000052103 in the Swedish extension — so
a mistyped code would silently hide a region's appointments from the search. An SCTID is checked
without a terminology server, by its structure:

    <item identifier> [<namespace, 7 digits>] <partition, 2 digits> <check digit>

- 6 to 18 digits, the first not 0.
- The check digit is Verhoeff's dihedral check over all digits (SNOMED CT's choice: it catches
  every single-digit error and every swap of adjacent digits).
- The partition identifier (the two digits before the check digit) says what the id names and
  where it was made: `00` a concept of the international release, `10` a concept of an extension
  (its 7 digits before the partition are the namespace: 1000052 is Sweden's). `01`/`11` are
  descriptions and `02`/`12` relationships — valid ids, but not of a concept, so not an
  appointment type.

Not checked: that the concept exists or is active in a given release (that needs the release).
"""

from __future__ import annotations

import re

from formflow.diagnostics.model import make
from formflow.inputs.yamlnode import Result, YNode, as_text
from formflow.source import Source

_PERMUTE_1 = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)


def _permutations() -> tuple[tuple[int, ...], ...]:
    """Verhoeff's position permutations: p(0) = identity, p(i+1)(j) = p(1)(p(i)(j)).

    Derived rather than typed out: a table typed from memory with one row wrong still accepts
    most codes and is very hard to spot.
    """
    rows = [tuple(range(10))]
    for _ in range(7):
        rows.append(tuple(_PERMUTE_1[j] for j in rows[-1]))
    return tuple(rows)


def _dihedral() -> tuple[tuple[int, ...], ...]:
    """Multiplication in the dihedral group D5: 0–4 rotations, 5–9 reflections."""
    def mul(a: int, b: int) -> int:
        if a < 5 and b < 5:
            return (a + b) % 5
        if a < 5:
            return 5 + (a + b - 5) % 5
        if b < 5:
            return 5 + (a - 5 - b) % 5
        return (a - b) % 5
    return tuple(tuple(mul(a, b) for b in range(10)) for a in range(10))


_P = _permutations()
_D = _dihedral()
_INVERSE = tuple(next(b for b in range(10) if _D[a][b] == 0) for a in range(10))
_DIGITS = re.compile(r"[1-9][0-9]{5,17}")
CONCEPT_PARTITIONS = {"00": "international", "10": "extension"}
OTHER_PARTITIONS = {"01": "a description", "11": "a description", "02": "a relationship", "12": "a relationship"}
SWEDISH_NAMESPACE = "1000052"


def verhoeff_ok(digits: str) -> bool:
    """Whether the last digit is the Verhoeff check digit of the others."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def check_digit(digits: str) -> str:
    """The Verhoeff check digit to append to `digits`."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[(i + 1) % 8][int(ch)]]
    return str(_INVERSE[c])


def partition(sctid: str) -> str:
    return sctid[-3:-1]


def namespace(sctid: str) -> str | None:
    """The 7-digit namespace of an extension id (partition 1x), else None."""
    return sctid[-10:-3] if partition(sctid).startswith("1") else None


def concept_problem(text: str) -> tuple[str, str] | None:
    """None for a valid concept id, else (message, help)."""
    if not _DIGITS.fullmatch(text):
        return ("a SNOMED CT id has 6 to 18 digits and does not start with 0",
                "write the concept id's digits only, e.g. 72791000052103 (quotes are fine)")
    part = partition(text)
    if part in OTHER_PARTITIONS:
        return (f"this SNOMED CT id names {OTHER_PARTITIONS[part]}, not a concept",
                "use the concept id (its second and third last digits are 00 or 10)")
    if part not in CONCEPT_PARTITIONS:
        return ("this is not a SNOMED CT id: its partition digits (second and third last) are not 00 or 10",
                "check the digits; a concept id ends in 00 or 10 and a check digit")
    if part == "10" and len(text) < 11:
        return ("an extension's SNOMED CT id is too short to hold its 7-digit namespace",
                "check the digits; Swedish extension ids end in 1000052 + 10 + a check digit")
    if not verhoeff_ok(text):
        return ("the check digit of this SNOMED CT id does not match",
                f"check every digit; the last digit is a Verhoeff check digit (these digits would end in "
                f"{check_digit(text[:-1])})")
    return None


def as_snomed_concept(node: YNode, source: Source, *, field: str = "") -> Result:
    """A YAML value as a SNOMED CT concept id (FF702 with the specific problem, at the value)."""
    text, d = as_text(node, source, field=field)
    if d:
        return None, d
    problem = concept_problem(text)
    if problem:
        return None, make("FF702", problem[0], source, node.span, "not a valid SNOMED CT concept id",
                          help=problem[1])
    return text, None
