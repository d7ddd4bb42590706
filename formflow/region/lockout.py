"""region.yaml `code_lockout:` — how many wrong invitation codes a person may type, and for how long
they are then locked out. The region decides it once for every gate of its flows (a route's
`attempts N` may only lower the number); the rule itself is `formflow.booking.lockout`.

    code_lockout:
      attempts: 5          # wrong codes allowed per invitation category in any window (1–20)
      window_hours: 24     # the window (1–720 hours)
      locked_hours: 24     # how long the lock lasts after the code that reached the limit (0–720)

Every key may be left out; the defaults are the ones written above. A lock shorter than the window
does not loosen the limit: the lock lasts until the window allows another attempt.
"""

from __future__ import annotations

from formflow.booking.lockout import LockoutPolicy
from formflow.inputs.yamlnode import YNode, YScalar, as_map, check_keys

KEYS = ("attempts", "window_hours", "locked_hours")
MAX_ATTEMPTS = 20
MAX_HOURS = 24 * 30
BOUNDS = {"attempts": (1, MAX_ATTEMPTS, "attempts"), "window_hours": (1, MAX_HOURS, "hours"),
          "locked_hours": (0, MAX_HOURS, "hours")}


def read_code_lockout(reader, node: YNode | None) -> LockoutPolicy:
    """The policy, its problems (FF511 unknown key, FF706 out of range) added to the region reader's."""
    default = LockoutPolicy()
    if node is None or (isinstance(node, YScalar) and node.is_null):
        return default
    ymap = reader.take(as_map(node, reader.src, field="'code_lockout'"))
    if ymap is None:
        return default
    reader.diags += check_keys(ymap, reader.src, (), KEYS)
    values = {}
    for key, (low, high, unit) in BOUNDS.items():
        value = reader.value(ymap, key, lambda n, k=key, lo=low, hi=high, u=unit: reader.bounded_int(n, f"'{k}'", lo, hi, u))
        if value is not None:
            values[key] = value
    return LockoutPolicy(**{**default.as_json(), **values})
