"""How bad a diagnostic is: its own module, so that the catalogue (which gives every code its
severity) and the diagnostic model (which reads the catalogue) do not import each other."""

from __future__ import annotations

from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
