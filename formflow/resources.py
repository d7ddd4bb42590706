"""Where formflow finds its grammar, schemas and templates.

In a source checkout they live at the top level (`dsl/`, `templates/`) and in `formflow/schemas/`;
in an installed wheel they are packaged under `formflow/_data/` so that no generic top-level name
(`dsl`, `templates`) lands in site-packages. Only this module knows the two layouts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder `dsl`, `templates` or `schemas`, installed or in a checkout."""
    if name == "schemas":
        return _PACKAGE / "schemas"
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"formflow's {name}/ folder is missing from the installation ({installed})")


def grammar_path() -> Path:
    return data_dir("dsl") / "formflow.lark"


def schema_path(artifact: str) -> Path:
    return data_dir("schemas") / f"{artifact}.schema.json"
