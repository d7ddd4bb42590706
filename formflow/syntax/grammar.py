"""lark's LALR tables for `dsl/formflow.lark`, built once per process (see `lalr.py` for the driver).

Building the LALR tables takes longer than parsing a typical flow, so lark's cache is used: the
tables are stored in the user's cache folder keyed by the grammar's hash and lark's version, and
a changed grammar simply gets a new cache file. If the cache folder is not writable the parser is
built in memory; nothing fails.
"""

from __future__ import annotations

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
    )
