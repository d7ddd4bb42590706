"""Helpers for tests that walk flows: compile a flow text to a Program, make verified facts.

Every personnummer here is from Skatteverket's test list (formflow/testdata), picked by birth date.
"""

from __future__ import annotations

import datetime as dt

import orjson

from formflow import api, testdata
from formflow.diagnostics.catalog import wrap_example
from formflow.inputs.citizen import Facts
from formflow.simulate.program import Program, load_program


def program(text: str) -> Program:
    """The Program of a flow text (a body snippet is wrapped like the catalogue's examples)."""
    file = api.check_source("example.flow", wrap_example(text).encode("utf-8"))
    result = api.compile_result(file)
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    return load_program(orjson.loads(result.artifacts[0].data))


def facts(born: dt.date = dt.date(1980, 1, 30), today: dt.date = dt.date(2024, 3, 1), *, proxy: bool = False,
          region: str = "13", invitations=()) -> Facts:
    return Facts(born, region, proxy, frozenset(invitations), today)


def person_born(born: dt.date) -> str:
    """A Skatteverket test personnummer born on `born`, as YYYYMMDD-NNNN (the test asserts the date)."""
    number = testdata.nearest(born)
    assert testdata.birth_date(number) == born, f"no test personnummer born {born}"
    return f"{number[:8]}-{number[8:]}"
