"""Swedish personnummer and samordningsnummer, relative to a reference date.

The `personnummer` package checks what it does correctly: the Luhn check digit over the 10-digit
form and the date (with 60 subtracted from the day of a samordningsnummer). It infers the century
of a 10-digit number from the *machine's* clock, though, and a scenario must give the same answer
on every machine and in every year. So the century is inferred here, from the reference date (the
citizen's `now`), and the library only ever sees the 12-digit form:

- `YYMMDD-NNNN` or `YYMMDDNNNN`: the most recent century in which the birth date is not after the
  reference date.
- `YYMMDD+NNNN`: the person turns 100 or more in the year of the reference date (Skatteverket
  changes the hyphen to a plus from the start of that year), so the most recent birth year that
  is at least 100 years before the reference year.

Problems are reported one at a time, most basic first (spaces around the number, a reservnummer,
format, birth number 000, date, birth date after the reference date, check digit), each with its
own message. Spaces around a number are refused rather than stripped: a quoted `" 19800101-…"` is
a copy-paste slip that the e-ID never produces. A reservnummer (a region's reserve number for
someone without a personnummer, such as `19800101-T123`: a letter among the last four) is its
own class: nobody logs in to 1177 with one, so the message says that instead of "not a
personnummer". **No message ever contains the
number**, and `PersonalNumber`'s repr hides it too, so that it cannot leak into logs or test output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from personnummer import personnummer as _lib

from formflow.diagnostics.model import Diagnostic, make
from formflow.inputs.yamlnode import Result, YNode, as_text
from formflow.source import Source

_TWELVE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})-?([0-9]{3})([0-9])")
_TEN = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})([-+]?)([0-9]{3})([0-9])")
FORMAT_HELP = "write YYYYMMDD-NNNN, or YYMMDD-NNNN (YYMMDD+NNNN from the year the person turns 100)"


@dataclass(frozen=True, slots=True)
class PersonalNumber:
    """A valid personnummer or samordningsnummer (`coordination`), as its 12 digits."""

    digits12: str = field(repr=False)
    birth_date: date = field(repr=False)
    coordination: bool = False

    @property
    def formatted(self) -> str:
        """YYYYMMDD-NNNN (a samordningsnummer keeps its day + 60)."""
        return f"{self.digits12[:8]}-{self.digits12[8:]}"


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a text is not a valid number: words for a diagnostic, never the number itself."""

    message: str
    label: str
    help: str


_RESERV = re.compile(r"(?:[0-9]{2})?[0-9]{6}[-+]?(?=[0-9]{0,3}[A-Za-z])[0-9A-Za-z]{4}")
SPACES = Problem("this personnummer has spaces around it", "spaces around the number",
                 "remove the spaces (and the quotes, if any): formflow does not strip them")
RESERVNUMMER = Problem("this is a reservnummer, not a personnummer or samordningsnummer",
                       "a reservnummer (a letter among the last four)",
                       "a citizen logs in to the e-service with e-ID, which needs a personnummer or "
                       "samordningsnummer; use one of Skatteverket's test personnummer")
BAD_FORMAT = Problem("this is not a personnummer or samordningsnummer", "not in a personnummer format",
                     FORMAT_HELP)
SERIAL_000 = Problem("the birth number of this personnummer is 000, which is never assigned", "birth number 000",
                     "check the three digits before the last digit")
NO_SUCH_DATE = Problem("the birth date in this personnummer does not exist", "no such birth date",
                       "check the date digits (a samordningsnummer adds 60 to the day)")
IN_FUTURE = Problem("the birth date in this personnummer is after the reference date", "born after 'now'",
                    "check the number, and the date and time of 'now'")
BAD_CHECKSUM = Problem("the check digit of this personnummer does not match", "wrong check digit",
                       "check every digit; the last digit is computed from the nine before it")


def parse_personnummer(text: str, reference: date) -> tuple[PersonalNumber | None, Problem | None]:
    """A personnummer or samordningsnummer, its century inferred relative to `reference`."""
    if text != text.strip():
        return None, SPACES
    if _RESERV.fullmatch(text):
        return None, RESERVNUMMER
    if m := _TWELVE.fullmatch(text):
        year, month, day, serial, check = m.groups()
        explicit_year = int(year)
    elif m := _TEN.fullmatch(text):
        yy, month, day, sep, serial, check = m.groups()
        explicit_year = None
    else:
        return None, BAD_FORMAT
    if serial == "000":
        return None, SERIAL_000
    coordination = int(day) > 60
    birth_day = int(day) - 60 if coordination else int(day)
    if explicit_year is None:
        explicit_year = infer_year(int(yy), int(month), birth_day, sep == "+", reference)
    try:
        born = date(explicit_year, int(month), birth_day)
    except ValueError:
        return None, NO_SUCH_DATE
    if born > reference:
        return None, IN_FUTURE
    digits12 = f"{explicit_year:04d}{month}{day}{serial}{check}"
    if not _luhn_ok(digits12):
        return None, BAD_CHECKSUM
    return PersonalNumber(digits12, born, coordination), None


def infer_year(yy: int, month: int, day: int, plus: bool, reference: date) -> int:
    """The full birth year of a 10-digit number (see the module docstring).

    Compared as (month, day) tuples, so that a 29 February or a month 13 still gets a year and is
    then reported as a date that does not exist.
    """
    if plus:
        latest = reference.year - 100
        return latest - (latest - yy) % 100
    year = reference.year - (reference.year - yy) % 100
    if year == reference.year and (month, day) > (reference.month, reference.day):
        year -= 100
    return year


def _luhn_ok(digits12: str) -> bool:
    """The library's check digit (and date) validation of a 12-digit number."""
    return _lib.valid(digits12)


def as_personnummer(node: YNode, source: Source, reference: date, *, field: str = "") -> Result:
    """A YAML value as a PersonalNumber (FF514 with the specific problem, at the value)."""
    text, d = as_text(node, source, field=field)
    if d:
        return None, d
    number, problem = parse_personnummer(text, reference)
    if problem:
        return None, problem_diagnostic(problem, node, source)
    return number, None


def problem_diagnostic(problem: Problem, node: YNode, source: Source) -> Diagnostic:
    return make("FF514", problem.message, source, node.span, problem.label, help=problem.help)
