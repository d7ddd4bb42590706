"""What a clinician's PDF says, as immutable data: the renderer's only input.

The DSL side (later) turns a flow, its answers and the citizen's verified facts into a
`PdfDocument`; the renderer never sees the flow. Every text field is a plain `str`, citizen free
text included: escaping and bidi isolation are the renderer's job, so no caller can get them
wrong by passing pre-built markup.

The constructors check what would otherwise print wrongly on a clinician's desk (a flag that is
neither red nor green, a naive timestamp, a personnummer in the wrong shape). Such a mistake is a
bug in the caller, so it raises `ValueError` at construction rather than becoming a diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

FLAGS = ("red", "green", None)
_PNR = re.compile(r"(\d{8})[-+]?(\d{4})")  # 12 digits; samordningsnummer (day + 60) has the same shape
_NAME = re.compile(r"[a-z][a-z0-9_]*")  # template names become folder names: no dots, no slashes
_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


class FilledBy(str, Enum):
    """Who answered: the patient, or a guardian (vårdnadshavare) acting for a child."""

    PATIENT = "Patienten"
    GUARDIAN = "Vårdnadshavare"


@dataclass(frozen=True, slots=True)
class PdfRow:
    """One printed answer. `depth` > 0 is a follow-up under the row above it; `derived` is a
    value formflow computed (BMI), not something the citizen typed."""

    label: str
    answer: str
    flag: str | None = None  # "red" (deviating), "green" (normal) or None (not assessed)
    depth: int = 0
    derived: bool = False

    def __post_init__(self) -> None:
        _require_str(self.label, "label")
        _require_str(self.answer, "answer")
        if self.flag not in FLAGS:
            raise ValueError(f"flag must be 'red', 'green' or None, not {self.flag!r}")
        if not isinstance(self.depth, int) or isinstance(self.depth, bool) or self.depth < 0:
            raise ValueError(f"depth must be a whole number >= 0, not {self.depth!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class PdfHeader:
    """The facts printed at the top. The personnummer is stored as `YYYYMMDD-NNNN` whatever
    shape it was given in (12 digits, with or without `-`/`+`), so the PDF always shows one form."""

    personnummer: str
    filled_by: FilledBy
    submitted_at: datetime  # timezone-aware; printed in Europe/Stockholm
    valid_until: date
    name: str | None = None

    def __post_init__(self) -> None:
        match = _PNR.fullmatch(self.personnummer) if isinstance(self.personnummer, str) else None
        if not match:
            raise ValueError("personnummer must be 12 digits (YYYYMMDDNNNN or YYYYMMDD-NNNN)")
        object.__setattr__(self, "personnummer", f"{match[1]}-{match[2]}")
        object.__setattr__(self, "filled_by", FilledBy(self.filled_by))
        if not isinstance(self.submitted_at, datetime) or self.submitted_at.utcoffset() is None:
            raise ValueError("submitted_at must be a timezone-aware datetime")
        if not isinstance(self.valid_until, date) or isinstance(self.valid_until, datetime):
            raise ValueError("valid_until must be a date")
        if self.name is not None:
            _require_str(self.name, "name")


@dataclass(frozen=True, slots=True, kw_only=True)
class PdfDocument:
    """A whole declaration. `rows` keep their order; `deviating_count` defaults to the number of
    red rows (the DSL side may count otherwise, e.g. one per deviating question); `comment` is the
    citizen's free text, printed last. `flow_id`/`flow_version` go in the footer so a printed page
    can be traced back to the flow that produced it."""

    title: str
    header: PdfHeader
    rows: tuple[PdfRow, ...]
    comment: str | None = None
    deviating_count: int | None = None
    flow_id: str = ""
    flow_version: str = ""
    lang: str = "sv"  # None is taken as "sv"
    template: str = "health_declaration"

    def __post_init__(self) -> None:
        _require_str(self.title, "title")
        if not isinstance(self.header, PdfHeader):
            raise ValueError("header must be a PdfHeader")
        object.__setattr__(self, "rows", tuple(self.rows))
        if not all(isinstance(r, PdfRow) for r in self.rows):
            raise ValueError("rows must all be PdfRow")
        if self.comment is not None:
            _require_str(self.comment, "comment")
        if self.deviating_count is None:
            object.__setattr__(self, "deviating_count", sum(r.flag == "red" for r in self.rows))
        elif not isinstance(self.deviating_count, int) or self.deviating_count < 0:
            raise ValueError("deviating_count must be a whole number >= 0")
        if not _NAME.fullmatch(self.template):
            raise ValueError(f"template must be a plain name like 'health_declaration', not {self.template!r}")
        if self.lang is None:  # the flow's default language, which is Swedish
            object.__setattr__(self, "lang", "sv")
        if not isinstance(self.lang, str) or not _LANG.fullmatch(self.lang):
            raise ValueError(f"lang must be a language tag like 'sv', not {self.lang!r}")


def _require_str(value: object, field: str) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{field} must be a str, not {type(value).__name__}")
