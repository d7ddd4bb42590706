"""What every check rule gets: the flow, its declarations and the facts of the semantic walk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from formflow.check import types as T
from formflow.check.semantics import Semantics, analyse
from formflow.check.symbols import Symbols, collect
from formflow.diagnostics.model import Diagnostic, Label, make
from formflow.source import Source, Span
from formflow.syntax import ast


@dataclass
class CheckContext:
    source: Source
    flow: ast.Flow
    region: object = None  # a check.region_context.RegionContext: the region.yaml the flow belongs to, if any

    @cached_property
    def symbols(self) -> Symbols:
        return collect(self.flow)

    @cached_property
    def semantics(self) -> Semantics:
        return analyse(self.flow, self.symbols)

    @cached_property
    def languages(self) -> tuple[str, ...]:
        setting = self.flow.setting("languages")
        if setting is None:
            return ("sv",)
        seen: list[str] = []
        for ident in setting.value:  # malformed codes are FF413 and not languages at all
            if ident.name not in seen and re.fullmatch(r"[a-z]{2,3}", ident.name):
                seen.append(ident.name)
        return tuple(seen) or ("sv",)

    @cached_property
    def urgency_levels(self) -> tuple[str, ...]:
        setting = self.flow.setting("urgency_levels")
        if setting is None:
            return T.DEFAULT_URGENCY_LEVELS
        return tuple(dict.fromkeys(i.name for i in setting.value))

    def diag(self, code: str, message: str, span: Span | None, label: str = "", *, help: str = "",
             secondary: tuple[tuple[Span, str], ...] = ()) -> Diagnostic:
        return make(code, message, self.source, span, label, help=help,
                    secondary=tuple(Label(s, m) for s, m in secondary))
