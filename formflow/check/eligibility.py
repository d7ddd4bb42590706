"""Reading a gate route's condition on its face: which facts it reads, and whether it contradicts itself.

Used by FF715 (a gate whose every route is `no`, or puts bounds on one fact that exclude each
other) and FF717 (a route that reads `citizen.region`). Derived values (`let`) are followed through
the checker's name resolution. Whether a route admits only the entitled (FF714) is not read here:
a syntactic rule cannot tell (`citizen.age >= 18 and said_yes` reads a verified fact and admits
anyone), so the analyser proves it (`formflow.analysis.entitlement`).
"""

from __future__ import annotations

from formflow.syntax import ast

MAX_DEPTH = 200


class Inliner:
    """Follows derived values (`let`) to their definitions, through the checker's name resolution."""

    def __init__(self, resolved: dict):
        self.resolved = resolved

    def let_value(self, e):
        sym = self.resolved.get(e) if isinstance(e, ast.Name) else None
        return sym.node.value if sym is not None and sym.kind == "let" else None


def _children(node) -> tuple:
    if isinstance(node, ast.Binary):
        return (node.left, node.right)
    if isinstance(node, ast.Logical):
        return node.operands
    if isinstance(node, ast.Unary):
        return (node.operand,)
    if isinstance(node, (ast.Call, ast.Fact)):
        return tuple(node.args or ())
    if isinstance(node, ast.Test):
        return (node.subject,)
    return ()


def reads_fact(e, name: str, inline: Inliner) -> bool:
    """Whether `e` reads `citizen.<name>`, derived values followed."""
    stack, level = [e], 0
    while stack and level < 10_000:
        node = stack.pop()
        level += 1
        if isinstance(node, ast.Fact) and node.attr.name == name:
            return True
        value = inline.let_value(node)
        if value is not None:
            stack.append(value)
        stack.extend(_children(node))
    return False


def never_true(e, inline: Inliner) -> bool:
    """Whether a condition is a conjunction that no one can meet: `no`, or contradictory whole-number
    bounds on the same fact (`citizen.age >= 80 and citizen.age < 65`). Only literal bounds are read."""
    bounds: dict[str, list[int]] = {}
    for part in _conjuncts(e, inline):
        if isinstance(part, ast.Bool) and not part.value:
            return True
        bound = _bound(part)
        if bound is None:
            continue
        fact, lo, hi = bound
        low, high = bounds.setdefault(fact, [-10**9, 10**9])
        bounds[fact] = [max(low, lo), min(high, hi)]
    return any(lo > hi for lo, hi in bounds.values())


def _conjuncts(e, inline: Inliner, depth: int = 0) -> list:
    if depth > MAX_DEPTH:
        return []
    if isinstance(e, ast.Logical) and e.op == "and":
        return [p for o in e.operands for p in _conjuncts(o, inline, depth + 1)]
    value = inline.let_value(e)
    if value is not None:
        return _conjuncts(value, inline, depth + 1)
    return [e]


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _bound(e) -> tuple[str, int, int] | None:
    """`citizen.age >= 80` as ("age", 80, +inf); None for anything else."""
    if not isinstance(e, ast.Binary) or e.op not in _FLIP:
        return None
    left, op, right = e.left, e.op, e.right
    if isinstance(left, ast.Number):
        left, op, right = right, _FLIP[op], left
    if not (isinstance(left, ast.Fact) and left.attr.name in ("age", "birth_year") and left.args is None
            and isinstance(right, ast.Number) and right.is_integer):
        return None
    n = int(right.raw)
    return {"<": (left.attr.name, -10**9, n - 1), "<=": (left.attr.name, -10**9, n),
            ">": (left.attr.name, n + 1, 10**9), ">=": (left.attr.name, n, 10**9),
            "==": (left.attr.name, n, n)}.get(op)
