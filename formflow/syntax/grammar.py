"""The lark LALR parser for `dsl/formflow.lark`, built once per process.

Building the LALR tables takes longer than parsing a typical flow, so lark's cache is used: the
tables are stored in the user's cache folder keyed by the grammar's hash and lark's version, and
a changed grammar simply gets a new cache file. If the cache folder is not writable the parser is
built in memory; nothing fails.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from lark import Lark

from formflow.resources import grammar_path


def _cache_file(grammar: str) -> str | bool:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "formflow"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, delete=True)
        probe.close()
    except OSError:
        return False
    import lark

    key = hashlib.sha256(f"{lark.__version__}\0{grammar}".encode()).hexdigest()[:20]
    return str(folder / f"grammar-{key}.lark-cache")


_current_builder: contextvars.ContextVar = contextvars.ContextVar("formflow_builder")


class _Dispatch:
    """The inline transformer given to lark once: forwards every rule to the current parse's
    Builder, so that per-file state (source, diagnostics) needs no global and no parser rebuild."""

    def __getattr__(self, rule: str):
        from formflow.syntax.builder import Builder

        if rule.startswith("_") or not callable(getattr(Builder, rule, None)):
            raise AttributeError(rule)

        def callback(children):
            return getattr(_current_builder.get(), rule)(children)

        return callback


def parse_with(builder, text: str, on_error):
    token = _current_builder.set(builder)
    try:
        return parser().parse(text, on_error=on_error)
    finally:
        _current_builder.reset(token)


@cache
def parser() -> Lark:
    grammar = grammar_path().read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        keep_all_tokens=True,
        maybe_placeholders=False,
        cache=_cache_file(grammar),
        transformer=_Dispatch(),
    )
