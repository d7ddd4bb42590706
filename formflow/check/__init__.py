"""Stage 2: check a syntax tree with every rule and, if it is clean, lower it to the IR."""

from __future__ import annotations

from dataclasses import dataclass

from formflow.check.context import CheckContext
from formflow.check.rules import ALL_RULES
from formflow.diagnostics.model import Diagnostic, has_errors
from formflow.source import Source
from formflow.syntax import ast


@dataclass(frozen=True)
class CheckResult:
    context: CheckContext
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def check_flow(source: Source, flow: ast.Flow, region=None) -> CheckResult:
    """`region`: the flow's region (a `RegionContext`), which booking outcomes and gates are checked against."""
    ctx = CheckContext(source, flow, region)
    found: list[Diagnostic] = []
    for rule in ALL_RULES:
        found.extend(rule.check(ctx))
    found.sort(key=Diagnostic.sort_key)
    return CheckResult(ctx, tuple(found))
