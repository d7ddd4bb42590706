"""Stage 1: bytes → source text → syntax tree, with every problem as a diagnostic."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from formflow.diagnostics.model import Diagnostic, has_errors, make
from formflow.source import Source
from formflow.syntax import ast, errors, lalr, limits, preflight
from formflow.syntax.builder import Builder


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
    return parse_source(Source.from_text(name, unicodedata.normalize("NFC", text)))


def parse_source(source: Source) -> ParseResult:
    found = preflight.scan(source) + preflight.nesting(source)
    found = found or limits.scan(source)
    if found:
        return ParseResult(source, None, tuple(found))
    errors.learn_keywords(lalr.table().keywords)
    builder = Builder(source)
    recovery = errors.Recovery(source)
    try:
        flow = lalr.parse(source.text, builder, recovery)
    except lalr.ParseError:
        flow = None
    diagnostics = list(recovery.diagnostics) + builder.diagnostics
    if recovery.truncated:
        diagnostics.append(make("FF101", f"stopped after {len(recovery.diagnostics)} syntax errors",
                                source, None, help="fix the errors above and run again"))
    ok = isinstance(flow, ast.Flow) and not recovery.diagnostics
    return ParseResult(source, flow if ok else None, tuple(diagnostics))
