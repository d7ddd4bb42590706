"""Generate `dsl/ERRORS.md`, the documented explanation of every diagnostic code, from the catalogue.

    python -m formflow.diagnostics.docs > dsl/ERRORS.md

The test suite fails when the file in the repository differs from what this prints.
"""

from __future__ import annotations

from formflow.diagnostics.catalog import CODES, wrap_example

GROUPS = [("0", "Source text"), ("1", "Syntax"), ("2", "Names"), ("3", "Types"),
          ("4", "Structure and content"),
          ("5", "Input files: answers, citizens, scenarios, region configuration"),
          ("6", "Simulation and scenario tests"), ("7", "Booking and gates"),
          ("8", "Analysis and proofs"), ("9", "Files, artifacts and internal errors")]


def render() -> str:
    out = ["# formflow diagnostic codes", "",
           "Generated from `formflow/diagnostics/catalog.py` by `python -m formflow.diagnostics.docs`; "
           "do not edit by hand. `formflow explain CODE` prints the same text.", ""]
    out += ["| code | name | severity | summary |", "|---|---|---|---|"]
    out += [f"| [{c.code}](#{c.code.lower()}) | {c.name} | {c.severity.value} | {c.summary} |" for c in CODES.values()]
    for digit, title in GROUPS:
        if not any(code[2] == digit for code in CODES):
            continue
        out += ["", f"## {title} ({'FF' + digit}xx)"]
        for c in CODES.values():
            if c.code[2] != digit:
                continue
            out += ["", f"### {c.code}", "", f"**{c.name}** ({c.severity.value}) — {c.summary}", "", c.explanation]
            if c.bad:
                out += ["", "Bad:", "", "```", wrap_example(c.bad).rstrip(), "```", "", "Good:", "", "```",
                        wrap_example(c.good).rstrip(), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render())
