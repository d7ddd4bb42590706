"""PDF declarations: a known template, printable rows, a text comment, sound validity.

A clinician reads the PDF, so every mistake here would print: a row for a question that does not
exist (FF202), a row that has nothing to print (an info text), a follow-up filed under a row that
is not above it, a comment that is not free text, a setting given twice or a validity with no
fallback (FF418), a template that is not installed (FF417). The conditions themselves are typed
and checked for availability with the routing's rules (see `semantics.pdf_conditions`); whether a
colour rule can ever apply is checked in `colour_rules`.
"""

from __future__ import annotations

from formflow.check.suggest import did_you_mean
from formflow.resources import data_dir

SETTINGS_ONCE = ("template", "include", "comment")
INCLUDES = ("all", "flagged")


def templates() -> list[str]:
    root = data_dir("templates")
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def check(ctx):
    seen: dict[str, object] = {}
    for pdf in ctx.flow.pdfs:
        if pdf.id.name in seen:
            yield ctx.diag("FF201", f"the pdf '{pdf.id.name}' is declared twice", pdf.id.span, "second declaration",
                           help="give each pdf its own id", secondary=((seen[pdf.id.name], "first declared here"),))
        seen.setdefault(pdf.id.name, pdf.id.span)
        yield from _settings(ctx, pdf)
        yield from _rows(ctx, pdf)


def _settings(ctx, pdf):
    given: dict[str, object] = {}
    for item in pdf.items:
        if item.key in SETTINGS_ONCE and item.key in given:
            yield ctx.diag("FF418", f"`{item.key}` is given twice in the pdf '{pdf.id.name}'", item.span, "again",
                           help=f"keep one `{item.key}`", secondary=((given[item.key], "first given here"),))
        given.setdefault(item.key, item.span)
    template = pdf.item("template")
    if template is not None and template.value.name not in templates():
        known = templates()
        yield ctx.diag("FF417", f"there is no pdf template '{template.value.name}'", template.value.span,
                       "unknown template", help=did_you_mean(template.value.name, known) or
                       "installed templates: " + ", ".join(known))
    include = pdf.item("include")
    if include is not None and include.value.name not in INCLUDES:
        yield ctx.diag("FF418", f"`include {include.value.name}` is not a choice", include.value.span, "unknown",
                       help="write `include all` (every row, the default) or `include flagged` (red rows only)")
    yield from _comment(ctx, pdf)
    yield from _validity(ctx, pdf)


def _comment(ctx, pdf):
    comment = pdf.item("comment")
    if comment is None:
        return
    sym = ctx.symbols.get(comment.value.name)
    if sym is None or sym.kind != "question":
        yield ctx.diag("FF202", f"there is no question '{comment.value.name}'", comment.value.span, "unknown question",
                       help=did_you_mean(comment.value.name, [s.id for s in ctx.symbols.of_kind("question")]) or
                       "`comment` names a text question")
    elif sym.node.type.name != "text":
        yield ctx.diag("FF418", f"the comment '{sym.id}' is a {sym.node.type.name} question, not free text",
                       comment.value.span, "not a text question", help="`comment` names a text question")


def _validity(ctx, pdf):
    valid = [i for i in pdf.items if i.key == "valid"]
    plain = [i for i in valid if i.value[2] is None]
    for item in valid:
        amount, unit, _ = item.value
        if unit not in ("months", "years") or amount < 1 or amount > 120:
            yield ctx.diag("FF418", "a validity is a whole number of months or years, 1–120 months", item.span,
                           "not calendar months", help="write `valid 12 months` or `valid 1 year`")
    if len(plain) > 1:
        yield ctx.diag("FF418", "the pdf has two validities without `when`", plain[1].span, "second fallback",
                       help="keep one `valid` without `when`; the others need a condition")
    if not valid:
        yield ctx.diag("FF418", f"the pdf '{pdf.id.name}' has no validity", pdf.id.span, "no `valid`",
                       help="add `valid 12 months` (and e.g. `valid 6 months when citizen.age < 18`)")
    elif not plain:
        yield ctx.diag("FF418", "every validity of the pdf has a condition, so some declarations would have none",
                       valid[-1].span, "no fallback", help="add one `valid ...` without `when`: it applies when no `when` holds")


def _rows(ctx, pdf):
    placed: set[str] = set()
    for row in pdf.rows:
        sym = ctx.symbols.value(row.ref.name)
        if sym is None or sym.kind not in ("question", "let"):
            yield ctx.diag("FF202", f"there is no question or derived value '{row.ref.name}'", row.ref.span,
                           "unknown name", help=did_you_mean(row.ref.name, [s.id for s in ctx.symbols.all
                                                                          if s.kind in ("question", "let")]) or
                           "a row names a question or a `let` value of the flow")
        elif sym.kind == "question" and sym.node.type.name == "info":
            yield ctx.diag("FF418", f"'{row.ref.name}' is an information text and has no answer to print",
                           row.ref.span, "info question", help="remove the row")
        elif sym.kind == "let" and row.label is None:
            yield ctx.diag("FF418", f"the row for the derived value '{row.ref.name}' has no label", row.ref.span,
                           "needs a label", help=f'write `row {row.ref.name} label "..."`: a clinician reads the label')
        if row.ref.name in placed:
            yield ctx.diag("FF418", f"'{row.ref.name}' has two rows in the pdf '{pdf.id.name}'", row.ref.span,
                           "second row", help="keep one row per answer")
        if row.under is not None and row.under.name not in placed:
            yield ctx.diag("FF418", f"'{row.under.name}' is not a row above this one", row.under.span,
                           "no such row above", help="a follow-up is printed under a row listed before it")
        placed.add(row.ref.name)
