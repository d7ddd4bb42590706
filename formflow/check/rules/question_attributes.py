"""FF213 unknown question type, FF304 attribute not allowed for the type, FF414 bad attribute values."""

from __future__ import annotations

import re

from formflow.check import types as T
from formflow.check.suggest import did_you_mean

_MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9.+*-]+")
LIMITS = {"max_length": (1, 100_000), "decimals": (0, 6)}


def check(ctx):
    for sym in ctx.symbols.all:
        if sym.kind == "question":
            yield from _question(ctx, sym.node)


def _question(ctx, q):
    qtype = q.type.name
    if qtype not in T.QUESTION_TYPES:
        yield ctx.diag("FF213", f"'{qtype}' is not a question type", q.type.span, "unknown type",
                       help=did_you_mean(qtype, T.QUESTION_TYPES) or "types: " + ", ".join(T.QUESTION_TYPES))
        return
    allowed = T.ALLOWED_ATTRS[qtype]
    seen = {}
    for attr in q.attrs:
        if attr.key not in allowed:
            yield ctx.diag("FF304", f"`{attr.key}` does not apply to {T.article(qtype)} question", attr.span,
                           "not for this type", help=f"{T.article(qtype)} question takes: {', '.join(sorted(allowed))}")
            continue
        if attr.key in seen:
            yield ctx.diag("FF414", f"`{attr.key}` is given twice", attr.span, "given again", help="keep one",
                           secondary=((seen[attr.key], "first given here"),))
        seen.setdefault(attr.key, attr.span)
        yield from _value(ctx, attr)


def _value(ctx, attr):
    if attr.key in LIMITS:
        low, high = LIMITS[attr.key]
        if not low <= attr.value <= high:
            yield ctx.diag("FF414", f"`{attr.key}` must be between {low} and {high}", attr.span, f"{attr.value} is out of range",
                           help=f"choose a value from {low} to {high}")
    elif attr.key == "accept":
        for media in attr.value:
            if not _MEDIA_TYPE.fullmatch(media):
                yield ctx.diag("FF414", f"'{media}' is not a media type", attr.span, "not a media type",
                               help='write media types such as "image/jpeg", "image/png" or "application/pdf"')
    elif attr.key == "unit" and not attr.value.strip():
        yield ctx.diag("FF411", "the unit is empty", attr.span, "empty", help='write the unit, e.g. unit "kg"')
