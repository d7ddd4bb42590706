"""`python -m formflow`: the same as the `formflow` command.

In an installed wheel the typer application ships as `formflow/cli.py`; in a source checkout it
is the top-level `cli.py` (the wheel maps one onto the other, so no top-level `cli` module is
installed).
"""

from __future__ import annotations


def main() -> None:
    try:
        from formflow.cli import app
    except ModuleNotFoundError as exc:
        if exc.name != "formflow.cli":
            raise
        from cli import app
    app(prog_name="formflow")


if __name__ == "__main__":
    main()
