"""A name read by an expression, and whether its value is there where it is read.

Kept apart from `semantics` (which records reads) and `functions` (which records the reads of
`answered(...)`), so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.check.symbols import Symbol
from formflow.syntax import ast


@dataclass(frozen=True)
class Read:
    node: ast.Name
    symbol: Symbol
    status: str  # ok | before (asked later) | maybe (only on some routes) | optional (unguarded)
