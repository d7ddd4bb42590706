"""What every `formflow` command shares: output formats, colour, diagnostics output, exit codes,
and turning a bug into one line (FF905) instead of a traceback.

cli.py and the sub-apps (formflow/region/command.py) print diagnostics the same way through
`report`, so a region.yaml problem looks exactly like a flow problem.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import Enum

import typer


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class OutFormat(str, Enum):
    """Output of commands that print one result (a decision, a proof list): text or json."""

    text = "text"
    json = "json"


def usage(message: str):
    """A usage error: the message on stderr and exit code 2, as everywhere in formflow."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


STATE = {"debug": False, "color": Color.auto}
MAX_SHOWN_PER_FILE = 50  # text output; json and github formats list every diagnostic


def use_color() -> bool:
    if STATE["color"] is Color.always:
        return True
    if STATE["color"] is Color.never or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def report(diagnostics, fmt: Format, files: int, extra: dict | None = None, redact: bool = False) -> None:
    """Print diagnostics in `fmt`. `redact`: mask anything shaped like a personnummer — for
    diagnostics whose snippets are lines of citizen, answers or scenario files, which end up in CI logs."""
    from formflow.diagnostics import render
    from formflow.simulate.terminal import safe

    diagnostics = list(diagnostics)
    echo = _redacting_echo if redact else typer.echo
    if fmt is Format.json:
        echo(render.render_json(diagnostics, extra))
        return
    if fmt is Format.github:
        for d in diagnostics:
            echo(render.render_github(d))
        return
    color = use_color()
    shown: dict[str, int] = {}
    for d in diagnostics:
        name = d.source.name if d.source else ""
        shown[name] = shown.get(name, 0) + 1
        if shown[name] <= MAX_SHOWN_PER_FILE:
            echo(render.render_text(d, color) + "\n", color=color)
    for name, count in shown.items():
        if count > MAX_SHOWN_PER_FILE:
            typer.echo(f"... and {count - MAX_SHOWN_PER_FILE} more in {safe(name) or 'the run'} "
                       "(--format json lists them all)\n")
    errors = sum(1 for d in diagnostics if d.is_error)
    typer.echo(render.summary_line(errors, len(diagnostics) - errors, files))


def _redacting_echo(text: str, **kwargs) -> None:
    from formflow.simulate.report import mask

    typer.echo(mask(text), **kwargs)


def exit_code(diagnostics, strict: bool) -> int:
    diagnostics = list(diagnostics)
    if any(d.is_error for d in diagnostics):
        return 1
    return 1 if strict and diagnostics else 0


def guard(fn):
    """Turn an unexpected exception into FF905 with a one-line message (a traceback with --debug)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `formflow ... | head`: the reader has gone; say nothing more (Python's SIGPIPE advice)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(1)
        except Exception as exc:  # a bug in formflow, not in the user's input
            if STATE["debug"]:
                raise
            typer.echo(f"error[FF905]: formflow failed unexpectedly ({type(exc).__name__}); "
                       "run again with --debug for the traceback, and report it", err=True)
            raise typer.Exit(1)

    return wrapper


