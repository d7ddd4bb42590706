"""Diagnostics are data: every stage returns them, none raises them.

A diagnostic carries a stable code (see `catalog`), a primary label (span + short text), optional
secondary labels (e.g. "first defined here") and a help line saying how to fix it. The severity
comes from the catalogue so that one code always means the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from formflow.diagnostics.catalog import CODES
from formflow.diagnostics.severity import Severity
from formflow.source import Source, Span

__all__ = ["Diagnostic", "Label", "Severity", "has_errors", "make"]


@dataclass(frozen=True, slots=True)
class Label:
    span: Span
    message: str = ""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    source: Source | None
    primary: Label | None
    secondary: tuple[Label, ...] = ()
    help: str = ""
    severity: Severity = Severity.ERROR
    notes: tuple[str, ...] = field(default=())

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def name(self) -> str:
        info = CODES.get(self.code)
        return info.name if info else ""

    def position(self) -> tuple[int, int] | None:
        if self.source is None or self.primary is None:
            return None
        return self.source.line_col(self.primary.span.start)

    def sort_key(self) -> tuple:
        pos = self.position() or (1 << 30, 0)  # summaries without a place come after the file's others
        return (self.source.name if self.source else "", pos, self.code, self.message)


def make(code: str, message: str, source: Source | None, span: Span | None, label: str = "",
         *, help: str = "", secondary: tuple[Label, ...] = (), notes: tuple[str, ...] = ()) -> Diagnostic:
    """Build a diagnostic whose severity comes from the catalogue entry of `code`."""
    severity = CODES[code].severity
    primary = Label(span, label) if span is not None else None
    return Diagnostic(code, message, source, primary, secondary, help, severity, notes)


def has_errors(diagnostics) -> bool:
    return any(d.is_error for d in diagnostics)
