"""What a gate's eligibility rests on: verified facts, or the citizen's own answers.

The Halland rule (FF714) asks whether *some* alternative of a route's condition can be met
without any verified fact — that is, whether a citizen could pass by answering questions alone.
Working on the condition as written (derived values inlined), with negation pushed inwards:

- `a or b` can be met on answers alone if either side can; `a and b` only if both can;
- a comparison that reads `citizen.age`, `citizen.birth_year` or `citizen.birth_date` and no
  answer is verified, whichever way it points (`citizen.age >= 80`, `not citizen.age < 80`);
- `citizen.has_invitation("...")` is verified where it must be true, and grants nothing where it
  must be false (`not citizen.has_invitation(...)` is met by everyone without the letter);
- `citizen.region` and `citizen.is_proxy` are verified but say nothing about priority (almost
  everyone meets them), so they do not count; nor do answers, `answered(...)` or `yes`.

No disjunctive normal form is built, so the cost is linear in the condition's size.
"""

from __future__ import annotations

from formflow.syntax import ast

RANKING_FACTS = ("age", "birth_year", "birth_date")
COMPARE = ("==", "!=", "<", "<=", ">", ">=")
MAX_DEPTH = 200


class Inliner:
    """Follows derived values (`let`) to their definitions, through the checker's name resolution."""

    def __init__(self, resolved: dict):
        self.resolved = resolved

    def let_value(self, e):
        sym = self.resolved.get(e) if isinstance(e, ast.Name) else None
        return sym.node.value if sym is not None and sym.kind == "let" else None


def self_declared(e, inline: Inliner, negated: bool = False, depth: int = 0) -> bool:
    """Can `e` (negated, if so) be true with no verified ranking fact behind it?"""
    if depth > MAX_DEPTH:
        return True  # too deep to tell: assume the worst
    d = depth + 1
    if isinstance(e, ast.Logical):
        parts = [self_declared(o, inline, negated, d) for o in e.operands]
        conjunction = (e.op == "and") != negated
        return all(parts) if conjunction else any(parts)
    if isinstance(e, ast.Unary) and e.op == "not":
        return self_declared(e.operand, inline, not negated, d)
    if isinstance(e, ast.Bool):
        return e.value != negated  # `yes` holds for everyone; `no` for no one
    if isinstance(e, ast.Fact):
        return not (e.attr.name == "has_invitation" and not negated)
    if isinstance(e, ast.Binary) and e.op in COMPARE:
        facts, answers = _reads(e, inline)
        return not (facts and not answers)
    value = inline.let_value(e)
    if value is not None:
        return self_declared(value, inline, negated, d)
    return True


def _reads(e, inline: Inliner, depth: int = 0) -> tuple[bool, bool]:
    """(reads a ranking fact, reads an answer) anywhere in `e`, derived values followed."""
    facts = answers = False
    stack = [(e, 0)]
    while stack:
        node, level = stack.pop()
        if level > MAX_DEPTH:
            return facts, True
        if isinstance(node, ast.Fact):
            facts |= node.attr.name in RANKING_FACTS
        elif isinstance(node, ast.Name):
            value = inline.let_value(node)
            if value is None:
                answers = True
            else:
                stack.append((value, level + 1))
        for child in _children(node):
            stack.append((child, level + 1))
    return facts, answers


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
