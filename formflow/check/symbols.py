"""Declarations of a flow: every question, derived value, page and outcome, in source order.

Questions, lets, pages and outcomes share one namespace (a name in an expression or after `end`
must mean one thing). The first declaration of an id wins; later ones are reported by FF201.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from formflow.syntax import ast


@dataclass(frozen=True)
class Symbol:
    kind: str  # question | let | page | outcome
    id: str
    node: object
    order: int  # position in a pre-order walk of the flow (outcomes first, at negative orders)


@dataclass(frozen=True)
class Symbols:
    by_id: dict[str, Symbol]
    all: tuple[Symbol, ...]  # including duplicates, in order

    def get(self, name: str) -> Symbol | None:
        return self.by_id.get(name)

    def value(self, name: str) -> Symbol | None:
        """What a name in an expression means: a question or derived value of that id if there is
        one (a page or outcome sharing the id is already FF201 and need not echo at every read)."""
        sym = self.by_id.get(name)
        if sym is None or sym.kind in ("question", "let"):
            return sym
        return next((s for s in self.all if s.id == name and s.kind in ("question", "let")), sym)

    def of_kind(self, kind: str) -> list[Symbol]:
        return [s for s in self.by_id.values() if s.kind == kind]


def walk_statements(body: tuple) -> Iterator[object]:
    """Every statement in pre-order, nested bodies included."""
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, ast.Page):
            stack.extend(reversed(stmt.body))
        elif isinstance(stmt, ast.If):
            for branch in reversed(stmt.branches):
                stack.extend(reversed(branch.body))


def collect(flow: ast.Flow) -> Symbols:
    found: list[Symbol] = []
    for i, decl in enumerate(flow.outcomes):
        found.append(Symbol("outcome", decl.id.name, decl, i - len(flow.outcomes)))
    for order, stmt in enumerate(walk_statements(flow.body)):
        if isinstance(stmt, ast.Question):
            found.append(Symbol("question", stmt.id.name, stmt, order))
        elif isinstance(stmt, ast.Let):
            found.append(Symbol("let", stmt.id.name, stmt, order))
        elif isinstance(stmt, ast.Page):
            found.append(Symbol("page", stmt.id.name, stmt, order))
    by_id: dict[str, Symbol] = {}
    for sym in found:
        by_id.setdefault(sym.id, sym)
    return Symbols(by_id, tuple(found))
