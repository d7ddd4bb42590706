"""Skatteverket's published test personnummer, shipped so that tools never need a real one.

`skatteverket-test-personnummer.txt` is Skatteverket's list (12 digits, birth dates 1890–2023):
formally valid numbers that will never be assigned to a real person. formflow uses them wherever
it needs a personnummer it was not given — `explore`'s random citizens, counterexamples written by
the analyser — and `simulate --personnummer` accepts only numbers from this list, so that nobody
types a real person's number into a tool whose output ends up in CI logs.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import cache
from pathlib import Path

_FILE = Path(__file__).with_name("skatteverket-test-personnummer.txt")


@cache
def numbers() -> tuple[str, ...]:
    """All test numbers, sorted (so by birth date)."""
    lines = _FILE.read_text(encoding="ascii").split()
    return tuple(sorted(line for line in lines if len(line) == 12 and line.isdigit()))


@cache
def _known() -> frozenset[str]:
    return frozenset(numbers())


def is_test_number(digits12: str) -> bool:
    return digits12 in _known()


def birth_date(digits12: str) -> dt.date:
    day = int(digits12[6:8])
    return dt.date(int(digits12[:4]), int(digits12[4:6]), day - 60 if day > 60 else day)


def nearest(born: dt.date) -> str:
    """The test number whose birth date is closest to `born` (on or before it when there is a tie)."""
    all_numbers = numbers()
    key = born.strftime("%Y%m%d")
    i = bisect.bisect_left(all_numbers, key)
    candidates = [all_numbers[j] for j in (i - 1, i) if 0 <= j < len(all_numbers)]
    return min(candidates, key=lambda n: (abs((birth_date(n) - born).days), birth_date(n) > born))
