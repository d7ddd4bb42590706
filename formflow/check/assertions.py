"""Typing of `assert` declarations: the walker's expressions, read as at the end of a route.

An assert is a property of every *complete* route, so it is read when the route has ended: any
question or derived value of the flow may be named in it, also one that some routes never ask
(a test or comparison on an answer the route did not give is simply false, see the reference,
"Properties: assert"). So none of FF203/FF204/FF205 applies here; everything else (types, names,
options) is checked exactly as in routing. `outcome` itself is checked by `rules/assertions.py`.
"""

from __future__ import annotations


def assert_conditions(walker, assertion) -> None:
    """Type the premise and conclusion of one assert, with every answer and value readable."""
    readable = {s.id for s in walker.symbols.all if s.kind in ("question", "let")}
    walker.seen.update(walker.symbols.by_id)
    walker.avail = set(readable)
    for part in (assertion.premise, assertion.conclusion):
        if part is not None:
            walker.sem.conditions.append((part, walker.expr(part)))
    walker.avail = set()
