"""`formflow graph FLOW`: the routing of a flow as a diagram for clinicians (mounted by cli.py).

    formflow graph FLOW [--format mermaid|dot] [--out FILE] [--lang sv] [--pages]

Exit codes: 0 written; 1 the flow has errors (shown as diagnostics) or the output cannot be
written; 2 usage error (no such file, a language the flow does not have). The flow is checked
against its region but not analysed: a diagram of a 1,000-question flow takes well under a second.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from formflow.console import Format
from formflow.console import guard as _guard
from formflow.console import report as _report
from formflow.console import usage as _usage
from formflow.simulate.terminal import safe


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"


@_guard
def graph(flow: Path = typer.Argument(..., help="A .flow file (its region.yaml above it is read)."),
          format: GraphFormat = typer.Option(GraphFormat.mermaid, "--format", "-f", help="mermaid or dot."),
          out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here (atomically) instead of stdout."),
          lang: Optional[str] = typer.Option(None, "--lang", help="Language of the labels (default: the flow's first)."),
          pages: bool = typer.Option(False, "--pages", help="Group questions by the page they are on.")):
    """Draw the routing of a flow: questions, branch conditions, triggers and outcomes coloured by urgency."""
    from formflow.fsio import FileProblem, write_atomic

    if not flow.is_file():
        _usage(f"{flow}: no such flow file")
    result = _checked(flow)
    if not result.ok:
        _report(result.diagnostics, Format.text, 1)
        raise typer.Exit(1)
    if lang is not None and lang not in result.flow.languages:
        _usage(f"the flow has no language '{lang}'; it has {', '.join(result.flow.languages)}")
    text = render(result.flow, format.value, lang, pages)
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        write_atomic(out, text.encode("utf-8"))
    except FileProblem as exc:
        typer.echo(safe(f"error: cannot write {out}: {exc}"), err=True)
        raise typer.Exit(1)
    typer.echo(safe(f"wrote {out}"), err=True)


def render(flow, fmt: str = "mermaid", lang: str | None = None, pages: bool = False) -> str:
    """The diagram of a lowered flow as text in `fmt` (mermaid | dot)."""
    from formflow.graph import dot, mermaid
    from formflow.graph.build import build

    return (dot if fmt == "dot" else mermaid).render(build(flow, lang, pages))


def _checked(path: Path):
    import time

    from formflow import api
    from formflow.fsio import FileProblem, read_bytes

    try:
        raw = read_bytes(path)
    except FileProblem as exc:
        _usage(f"cannot read {path}: {exc}")
    with api.gc_paused():
        return api._check_source(str(path), raw, path, time.perf_counter(), analyse=False)
