"""region.yaml `working_days:` — which days count when a booking window says "within N working days".

    working_days:
      holidays: SE                      # a country of the `holidays` package
      categories: [public, de_facto]    # public holidays, and the eves clinics close on
      weekdays: [monday, tuesday, wednesday, thursday, friday]
      closed: [2024-12-27]              # the region's own closing days

Every key may be left out; the defaults are the ones written above (except `closed`, empty). A
country or category the package does not have is FF740 at its place: a window must never count a
holiday as a working day because a code was mistyped. The rule itself is `booking.working_days`.
"""

from __future__ import annotations

from formflow.booking.working_days import (CATEGORIES, DEFAULT_CATEGORIES, DEFAULT_COUNTRY, WEEKDAYS, WorkingDays,
                                           holiday_problem)
from formflow.diagnostics.model import make
from formflow.inputs.yamlnode import YMap, YNode, YScalar, as_date, as_list, as_map, as_text, check_keys, head

KEYS = ("holidays", "categories", "weekdays", "closed")


def read_working_days(reader, node: YNode | None) -> WorkingDays:
    """The region's working days, its problems added to the region reader's."""
    default = WorkingDays()
    if node is None or (isinstance(node, YScalar) and node.is_null):
        return default
    ymap = reader.take(as_map(node, reader.src, field="'working_days'"))
    if ymap is None:
        return default
    reader.diags += check_keys(ymap, reader.src, (), KEYS)
    country = reader.value(ymap, "holidays", lambda n: as_text(n, reader.src, field="'holidays'")) or default.country
    categories = _names(reader, ymap, "categories", CATEGORIES) or default.categories
    weekdays = _names(reader, ymap, "weekdays", WEEKDAYS) or default.weekdays
    closed = tuple(d for d in (reader.take(as_date(i, reader.src, field="a closed day"))
                               for i in _items(reader, ymap, "closed")) if d is not None)
    _check_holidays(reader, ymap, country, categories)
    return WorkingDays(country, categories, tuple(w for w in WEEKDAYS if w in weekdays), tuple(sorted(set(closed))))


def _items(reader, ymap: YMap, key: str) -> tuple:
    node = ymap.get(key)
    if node is None or (isinstance(node, YScalar) and node.is_null):
        return ()
    seq = reader.take(as_list(node, reader.src, field=f"'{key}'"))
    return seq.items if seq is not None else ()


def _names(reader, ymap: YMap, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """A list of names from `allowed` (FF706 for another); an empty list is FF706 too."""
    out = []
    for item in _items(reader, ymap, key):
        name = reader.take(reader.choice(item, f"an item of '{key}'", allowed, "FF706"))
        if name is not None and name not in out:
            out.append(name)
    node = ymap.get(key)
    if node is not None and not getattr(node, "is_null", False) and not _items(reader, ymap, key):
        if getattr(node, "items", None) == ():
            reader.report("FF706", f"'{key}' is empty", node, "nothing listed",
                          f"list at least one of: {', '.join(allowed)}, or leave the key out")
    return tuple(out)


def _check_holidays(reader, ymap: YMap, country: str, categories: tuple[str, ...]) -> None:
    if (country, categories) == (DEFAULT_COUNTRY, DEFAULT_CATEGORIES):
        return  # the default set (tests/test_booking_windows.py): no need to import the package to load a region
    problem = holiday_problem(country, categories)
    if problem is None:
        return
    node = ymap.get("holidays") if "country" in problem else (ymap.get("categories") or ymap.get("holidays"))
    span = node.span if isinstance(node, YScalar) else head(node)
    reader.diags.append(make("FF740", f"no such holiday set: {problem}", reader.src, span, "unknown holiday set",
                             help="write an ISO 3166 country code the `holidays` package knows (SE for Sweden) "
                                  "and its categories (SE: public, de_facto)"))
