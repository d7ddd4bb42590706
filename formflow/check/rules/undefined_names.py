"""FF202: a name that refers to nothing; FF216: `end`/`trigger` naming something that is not an outcome."""

from __future__ import annotations

from formflow.check.suggest import did_you_mean
from formflow.check.types import article


def check(ctx):
    sem = ctx.semantics
    values = [s.id for s in ctx.symbols.by_id.values() if s.kind in ("question", "let")]
    for node, expected in sem.unresolved:
        pool = [s.id for s in ctx.symbols.of_kind("question")] if expected == "question" else values
        yield ctx.diag("FF202", f"'{node.name}' is not defined", node.span,
                       "no question or derived value has this id",
                       help=did_you_mean(node.name, pool) or _no_match_help(node.name))
    outcomes = [s.id for s in ctx.symbols.of_kind("outcome")]
    for stmt, sym in sem.outcome_refs:
        verb = "end" if type(stmt).__name__ == "End" else "trigger"
        ref = stmt.outcome
        if sym is None:
            yield ctx.diag("FF202", f"there is no outcome '{ref.name}'", ref.span, "unknown outcome",
                           help=did_you_mean(ref.name, outcomes) or f"declare it: `outcome {ref.name}: information \"...\"`")
        elif sym.kind != "outcome":
            kind = "derived value" if sym.kind == "let" else sym.kind
            yield ctx.diag("FF216", f"`{verb}` needs an outcome; '{ref.name}' is {article(kind)}", ref.span, "not an outcome",
                           help=did_you_mean(ref.name, outcomes) or "outcomes: " + ", ".join(outcomes))


def _no_match_help(name: str) -> str:
    if name in ("age", "birth_year", "birth_date", "region", "is_proxy"):
        return f"verified facts are read as `citizen.{name}`"
    return "define it with `question` or `let` above this line"
