"""What the form schema cannot say about a hand-edited form.json, checked before it is walked.

A form.json from `formflow compile` always passes these; one edited by hand (or by another tool)
may not, and the simulator must refuse it as a document (FF607, with the JSON path) rather than
fail in the middle of a walk:

- a key written twice in one object (`"required": true, "required": false`): JSON parsers keep
  one of the two silently, so what is walked may not be what the author reads;
- nesting deeper than any compiled flow has (expressions 200 objects, blocks 64): the simulator
  compiles expressions and blocks recursively, like the checker's limits promise it may;
- a date that does not exist (`2024-02-30`) in a question bound or a date literal.

Everything here is iterative: a document nested ten thousand levels deep is refused, not a
RecursionError.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

MAX_EXPRESSION_DEPTH = 200  # "op" objects; a compiled expression has at most 100 operator levels
MAX_BLOCK_DEPTH = 64  # as the checker's (syntax/preflight.MAX_NESTING)
MAX_JSON_DEPTH = 900  # anything deeper cannot come from a compiled flow at all
_PARSE_RECURSION = 2500  # enough for the parser to read a document MAX_JSON_DEPTH deep and more


class _Pairs(dict):
    """An object that had a key written twice (the repeated keys kept in `repeated`)."""

    repeated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, object]]) -> dict:
    out = _Pairs(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        out.repeated = tuple(k for k, _ in pairs if k in seen or seen.add(k))
    return out


def parse_form(data: bytes) -> object:
    """JSON as Python data, with objects that remember keys written twice (see `problems`).
    Raises ValueError for bad JSON, RecursionError for absurdly deep JSON (some 2,000 levels:
    deep enough that `problems` can name the path of anything deeper than a form may be)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _PARSE_RECURSION))
    try:
        return json.loads(data, object_pairs_hook=_object)
    finally:
        sys.setrecursionlimit(limit)


def problems(doc: object, limit: int = 10) -> list[str]:
    """`path: problem` for each thing above, at most `limit` of them."""
    out: list[str] = []
    stack: list[tuple[object, str, int, int, int]] = [(doc, "", 0, 0, 0)]
    while stack and len(out) < limit:
        node, path, depth, exprs, blocks = stack.pop()
        if depth > MAX_JSON_DEPTH:
            out.append(f"{_at(path)}: nested more than {MAX_JSON_DEPTH} levels deep")
            continue
        if isinstance(node, list):
            stack.extend((v, f"{path}/{i}", depth + 1, exprs, blocks) for i, v in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict):
            continue
        for key in getattr(node, "repeated", ()):
            out.append(f"{_at(path)}: the key \"{key}\" is written twice")
        exprs += "op" in node
        blocks += node.get("do") in ("if", "page")
        if exprs > MAX_EXPRESSION_DEPTH:
            out.append(f"{_at(path)}: an expression nested more than {MAX_EXPRESSION_DEPTH} levels deep")
            continue
        if blocks > MAX_BLOCK_DEPTH:
            out.append(f"{_at(path)}: blocks nested more than {MAX_BLOCK_DEPTH} levels deep")
            continue
        out.extend(_date_problems(node, path))
        stack.extend((v, f"{path}/{k}", depth + 1, exprs, blocks) for k, v in reversed(list(node.items())))
    return out[:limit]


def _at(path: str) -> str:
    """A JSON path as schema errors show it: `questions/3/max`, or `(document)`; a very deep one
    with its middle left out."""
    parts = path.strip("/").split("/") if path.strip("/") else []
    if len(parts) > 16:
        parts = parts[:8] + [f"…({len(parts) - 14} more)…"] + parts[-6:]
    return "/".join(parts) or "(document)"


def _date_problems(node: dict, path: str) -> list[str]:
    """A bound `{"date": ...}` or a date literal `{"op": "literal", "type": "date", "value": ...}`
    whose date does not exist."""
    if set(node) == {"date"}:
        key = "date"
    elif node.get("op") == "literal" and node.get("type") == "date":
        key = "value"
    else:
        return []
    value = node.get(key)
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return [f"{_at(path + '/' + key)}: {json.dumps(value)[:40]} is not a date that exists"]
    return []
