"""Stage 1: bytes → source text → syntax tree, with every problem as a diagnostic."""

from __future__ import annotations

from dataclasses import dataclass

from lark.exceptions import UnexpectedInput

from formflow.diagnostics.model import Diagnostic, has_errors
from formflow.source import Source
from formflow.syntax import ast, errors, preflight
from formflow.syntax.builder import Builder
from formflow.syntax.grammar import parse_with, parser


@dataclass(frozen=True)
class ParseResult:
    source: Source | None
    flow: ast.Flow | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.flow is not None and not has_errors(self.diagnostics)


def parse_bytes(name: str, raw: bytes) -> ParseResult:
    decoded = preflight.decode(name, raw)
    if decoded.source is None:
        return ParseResult(None, None, decoded.diagnostics)
    return parse_source(decoded.source)


def parse_text(name: str, text: str) -> ParseResult:
    return parse_source(Source.from_text(name, text))


def parse_source(source: Source) -> ParseResult:
    found = preflight.scan(source) + preflight.nesting(source)
    if found:
        return ParseResult(source, None, tuple(found))
    lark = parser()
    _learn_keywords(lark)
    builder = Builder(source)
    recovery = errors.Recovery(source)
    try:
        flow = parse_with(builder, source.text, recovery)
        tree_ok = isinstance(flow, ast.Flow)
    except UnexpectedInput:
        flow, tree_ok = None, False
    except RecursionError:  # pragma: no cover - guarded by preflight.nesting and MAX_EXPR_DEPTH
        flow, tree_ok = None, False
    diagnostics = list(recovery.diagnostics) + builder.diagnostics
    if not tree_ok and not diagnostics:
        diagnostics.extend(recovery.diagnostics)
    if recovery.truncated:
        from formflow.diagnostics.model import make

        diagnostics.append(make("FF101", f"stopped after {len(recovery.diagnostics)} syntax errors",
                                source, None, help="fix the errors above and run again"))
    return ParseResult(source, flow if tree_ok and not recovery.diagnostics else None, tuple(diagnostics))


def _learn_keywords(lark) -> None:
    if errors.KEYWORD_TERMINALS:
        return
    for term in lark.terminals:
        value = getattr(term.pattern, "value", "")
        if term.pattern.type == "str" and value.isidentifier():
            errors.KEYWORD_TERMINALS[term.name] = value
