"""FF411 empty texts, FF212 undeclared translation languages, FF412 duplicate translations,
FF403 missing translations (reported per language, at most ten times, then summarised)."""

from __future__ import annotations

from formflow.check.texts import iter_texts

MAX_MISSING_REPORTS = 10


def check(ctx):
    base, *others = ctx.languages
    missing_count = {lang: 0 for lang in others}
    for text, owner in iter_texts(ctx.flow):
        if not text.value.strip():
            yield ctx.diag("FF411", f"{owner} is empty", text.span, "empty text", help="write the text")
        yield from _translations(ctx, text, owner, base)
        present = {t.lang.name for t in text.translations}
        for lang in others:
            if lang not in present:
                missing_count[lang] += 1
                if missing_count[lang] <= MAX_MISSING_REPORTS:
                    yield ctx.diag("FF403", f"{owner} has no '{lang}' translation", text.span, f"no {lang} text",
                                   help=f'add it beside the text: "..." {lang} "..."')
    for lang, count in missing_count.items():
        if count > MAX_MISSING_REPORTS:
            yield ctx.diag("FF403", f"... and {count - MAX_MISSING_REPORTS} more texts have no '{lang}' translation",
                           None, help=f"translate every text into '{lang}', or remove it from `languages`")


def _translations(ctx, text, owner, base):
    seen = {}
    for tr in text.translations:
        lang = tr.lang.name
        if lang == base or lang in seen:
            yield ctx.diag("FF412", f"{owner} has two '{lang}' texts", tr.lang.span, "given again",
                           help="keep one" if lang != base else f"the text without a code is already '{base}'",
                           secondary=(((seen[lang], "first given here"),) if lang in seen else ()))
        elif lang not in ctx.languages:
            yield ctx.diag("FF212", f"'{lang}' is not one of the flow's languages", tr.lang.span, "undeclared language",
                           help=f"add it to `languages {', '.join(ctx.languages + (lang,))}`, or remove the translation")
        elif not tr.value.strip():
            yield ctx.diag("FF411", f"the '{lang}' text of {owner} is empty", tr.span, "empty text", help="write the text")
        seen.setdefault(lang, tr.lang.span)
