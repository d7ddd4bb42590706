"""FF410: the flow id should match the file name, since artifacts are named after the id."""

from __future__ import annotations

from pathlib import PurePath


def check(ctx):
    path = PurePath(ctx.source.name)
    if path.suffix == ".flow" and path.stem != ctx.flow.id.name:
        yield ctx.diag("FF410", f"flow '{ctx.flow.id.name}' is in a file named '{path.name}'", ctx.flow.id.span,
                       "flow id", help=f"rename the file to '{ctx.flow.id.name}.flow', or the flow to '{path.stem}'")
