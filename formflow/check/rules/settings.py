"""FF409 duplicate settings, FF413 malformed `languages`, duplicate urgency levels."""

from __future__ import annotations

import re

_LANG = re.compile(r"[a-z]{2,3}")


def check(ctx):
    first: dict[str, object] = {}
    for setting in ctx.flow.settings:
        if setting.key in first:
            yield ctx.diag("FF409", f"`{setting.key.replace('_', ' ')}` is set twice", setting.span, "set again here",
                           help="keep one of them", secondary=((first[setting.key].span, "first set here"),))
        else:
            first[setting.key] = setting
    if "languages" in first:
        yield from _languages(ctx, first["languages"])
    if "urgency_levels" in first:
        yield from _levels(ctx, first["urgency_levels"])


def _languages(ctx, setting):
    seen = {}
    for ident in setting.value:
        if not _LANG.fullmatch(ident.name):
            yield ctx.diag("FF413", f"'{ident.name}' is not a language code", ident.span, "not a language code",
                           help="use ISO 639 codes in lower case: sv, en, fi, ar, so, ...")
        elif ident.name in seen:
            yield ctx.diag("FF413", f"language '{ident.name}' is listed twice", ident.span, "listed again",
                           help="list each language once", secondary=((seen[ident.name], "first listed here"),))
        seen.setdefault(ident.name, ident.span)


def _levels(ctx, setting):
    seen = {}
    for ident in setting.value:
        if ident.name in seen:
            yield ctx.diag("FF409", f"urgency level '{ident.name}' is listed twice", ident.span, "listed again",
                           help="list each level once, most urgent first", secondary=((seen[ident.name], "first listed here"),))
        seen.setdefault(ident.name, ident.span)
