"""The versions of the libraries that render PDFs, checked before any PDF is rendered.

A PDF holds a citizen's answers, and two libraries stand between those answers and the file
system or the network: jinja2 renders them into HTML (autoescaped, sandboxed: 3.1.6 closed a
sandbox breakout through `|attr` and format strings, CVE-2025-27516, after 3.1.5 closed two more,
CVE-2024-56201 and CVE-2024-56326), and weasyprint lays the HTML out under formflow's locked URL
fetcher (70 is the first version whose every load goes through that fetcher: see pyproject.toml).
pyproject.toml declares these minimums, but an environment can still hold older versions (a pinned
lock file, a system package), and there the guards formflow relies on are missing. So rendering
is refused, with the versions found and needed, rather than done without them. Versions are read
from the installed metadata, without importing either library.
"""

from __future__ import annotations

import re
from importlib import metadata

MINIMUM = {"jinja2": (3, 1, 6), "weasyprint": (70,)}


def parse(version: str) -> tuple[int, ...]:
    """The leading numeric release of a version string: "3.1.6" → (3, 1, 6), "70.0rc1" → (70, 0)."""
    numbers = []
    for part in version.split("."):
        match = re.match(r"[0-9]+", part)
        if match is None:
            break
        numbers.append(int(match.group()))
        if match.end() != len(part):
            break
    return tuple(numbers)


def too_old(installed: dict[str, str | None] | None = None) -> list[str]:
    """`name version (needs at least x.y.z)` for each library below its minimum or missing."""
    out = []
    for name, minimum in MINIMUM.items():
        version = installed.get(name) if installed is not None else _installed(name)
        needed = ".".join(map(str, minimum))
        if version is None:
            out.append(f"{name} is not installed (needs at least {needed})")
        elif parse(version) < minimum:
            out.append(f"{name} {version} (needs at least {needed})")
    return out


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
