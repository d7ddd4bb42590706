"""Answers and citizen files written as YAML that formflow's strict reader reads back exactly.

`explore` writes the citizen and the answers of every problem it finds, so that
`formflow simulate FLOW --citizen C --answers A` replays it. The strict reader
(`formflow.inputs.yamlnode`) never interprets a scalar — the consumer does — so any YAML that
parses would do; but these files are also read by people and by other YAML tools, where `no`,
`12`, `2024-01-01` or `null` unquoted mean something else. So a text is written plain only when
it cannot be mistaken for anything but a text, and double-quoted (with escapes for everything
YAML forbids raw) otherwise. Numbers are written exactly (a Decimal keeps its digits, never an
exponent), dates as YYYY-MM-DD, lists of codes in flow style: `[fever, cough]`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# A plain scalar that YAML 1.1 and 1.2 readers both take as a text: starts with a letter or `_`,
# no characters that are syntax in block or flow context, not a word that some reader turns into
# a bool or null.
_PLAIN = re.compile(r"[A-Za-z_\u00c0-\u024f][A-Za-z0-9_\u00c0-\u024f.\-]*")
_SPECIAL_WORDS = frozenset({"y", "n", "yes", "no", "ja", "nej", "true", "false", "on", "off", "null", "nan",
                            "inf", "infinity"})
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def text(value: str) -> str:
    """A text as a YAML scalar: plain when unambiguous, else double-quoted."""
    if _PLAIN.fullmatch(value) and value.casefold() not in _SPECIAL_WORDS:
        return value
    return '"' + "".join(_escape(ch) for ch in value) + '"'


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u2028\u2029\ufeff" or 0xD800 <= code <= 0xDFFF:
        return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"
    return ch


def _comment(line: str) -> str:
    """A comment line keeps printable characters only: a raw control character makes YAML invalid."""
    return "".join(_escape(ch) if ch not in ("\\", '"') else ch for ch in line)


def scalar(value) -> str:
    """One value of an answers or citizen file, as YAML text."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, dt.datetime):
        return _datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return text(value)
    raise TypeError(f"cannot write a {type(value).__name__} as an answer")


def _datetime(value: dt.datetime) -> str:
    """Swedish local time as the citizen file's `now` reads it; the offset only where the local time
    alone would be ambiguous (the repeated hour when summer time ends)."""
    if value.tzinfo is not None:
        local = value.astimezone(STOCKHOLM)
        naive = local.replace(tzinfo=None)
        other = naive.replace(tzinfo=STOCKHOLM, fold=1 - local.fold)
        ambiguous = other.utcoffset() != local.utcoffset()
    else:
        naive, ambiguous, local = value, False, value
    out = naive.isoformat(timespec="seconds" if naive.second else "minutes")
    return out + local.isoformat()[-6:] if ambiguous else out


def _decimal(value: Decimal) -> str:
    """Exact digits with a decimal point, never an exponent; -0 is 0."""
    if not value.is_finite():
        raise ValueError("only finite numbers can be written")
    return format(abs(value) if value.is_zero() else value, "f")


def value_text(value) -> str:
    """A scalar, or a list (a set of codes is sorted, so that the file is stable) in flow style."""
    if isinstance(value, (frozenset, set)):
        value = sorted(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    return scalar(value)


def mapping(items: dict, comment: str = "") -> str:
    """A mapping, one `key: value` line each, in the given order, after an optional comment."""
    lines = [f"# {_comment(line)}".rstrip() for line in comment.splitlines()] if comment else []
    lines += [f"{text(str(key))}: {value_text(value)}" for key, value in items.items()]
    return "\n".join(lines) + "\n" if lines else "{}\n"


def citizen(person, comment: str = "") -> str:
    """A citizen file (see `formflow.inputs.citizen`) for a `Citizen`: only what it holds."""
    items = {"personnummer": person.person.formatted}
    if person.proxy_for is not None:
        items["proxy_for"] = person.proxy_for.formatted
    items.update(region=person.region, invitations=list(person.invitations), now=person.now)
    if person.name:
        items["name"] = person.name
    return mapping(items, comment)
