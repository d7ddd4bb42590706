"""Reading an appointment type's `entitled:` list (format: dsl/REGION.md, `formflow.region.entitlement`).

Every problem is a diagnostic at its place, collected by the region reader: unknown terms (FF511
with did-you-mean, so an answer can never be written there), ranges that are not ranges or are
empty (FF706), an alternative with no term at all (it would entitle everyone, FF706).
"""

from __future__ import annotations

from formflow.diagnostics.model import make
from formflow.inputs.citizen import as_region_code
from formflow.inputs.yamlnode import YNode, YSeq, as_date, as_list, as_map, as_text, check_keys, head
from formflow.region.entitlement import TERMS, Entitled, Entitlement

RANGE_KEYS = ("min", "max")
MAX_AGE = 150


def read_entitlement(reader, node: YNode) -> Entitlement | None:
    """The list under `entitled:` (`reader`: the region reader, which collects diagnostics)."""
    seq = reader.take(as_list(node, reader.src, field="'entitled'"))
    if seq is None:
        return None
    if not seq.items:
        reader.report("FF706", "'entitled' lists no one", node, "empty list",
                      "list who is entitled, e.g. `- {birth_year: {max: 1956}, from: 2021-03-22}`")
        return None
    alternatives = [_alternative(reader, item) for item in seq.items]
    if any(a is None for a in alternatives):
        return None
    return Entitlement(tuple(alternatives), span=head(node))


def _alternative(reader, node: YNode) -> Entitled | None:
    ymap = reader.take(as_map(node, reader.src, field="an alternative in 'entitled'"))
    if ymap is None:
        return None
    problems = check_keys(ymap, reader.src, (), TERMS)
    reader.diags.extend(problems)
    if not ymap.items:
        reader.report("FF706", "an alternative of 'entitled' with no term would entitle everyone", node,
                      "no term", "write what the region verifies: a cohort, an invitation, a list, an age or a county")
        return None
    before = len(reader.diags)
    value = lambda key, convert: reader.value(ymap, key, convert)  # noqa: E731
    alt = Entitled(
        birth_year=value("birth_year", lambda n: _range(reader, n, "'birth_year'", _int(reader, 1890, 2399))),
        born=value("born", lambda n: _range(reader, n, "'born'", lambda v, f: as_date(v, reader.src, field=f))),
        age=value("age", lambda n: _range(reader, n, "'age'", _int(reader, 0, MAX_AGE))),
        invitation=value("invitation", lambda n: _name(reader, n, "'invitation'")),
        allow_list=value("allow_list", lambda n: _name(reader, n, "'allow_list'", fold=False)),
        county=value("county", lambda n: _counties(reader, n)) or (),
        opens=value("from", lambda n: as_date(n, reader.src, field="'from'")),
        span=head(node))
    return alt if len(reader.diags) == before and not problems else None


def _int(reader, low: int, high: int):
    return lambda node, field: reader.bounded_int(node, field, low, high, "years")


def _range(reader, node: YNode, field: str, convert):
    """`{min: a, max: b}` (either may be left out; both inclusive), as (a, b)."""
    ymap, d = as_map(node, reader.src, field=field)
    if d:
        return None, make("FF706", f"{field} is a range: {{min: ..., max: ...}}", reader.src, head(node),
                          "not a range", help=f"write e.g. `{field.strip(chr(39))}: {{max: 1956}}`; "
                                              "min and max are inclusive, either may be left out")
    reader.diags.extend(check_keys(ymap, reader.src, (), RANGE_KEYS))
    low = reader.value(ymap, "min", lambda n: convert(n, f"'min' of {field}"))
    high = reader.value(ymap, "max", lambda n: convert(n, f"'max' of {field}"))
    if low is None and high is None:
        return None, make("FF706", f"{field} has neither min nor max", reader.src, head(node), "no bound",
                          help="write at least one of min and max")
    if low is not None and high is not None and high < low:
        return None, make("FF706", f"{field}: max is below min", reader.src, head(node), "empty range",
                          help="min and max are inclusive; max may equal min")
    return (low, high), None


def _name(reader, node: YNode, field: str, fold: bool = True):
    """An invitation's name, casefolded as invitations are everywhere; a list's name as written (the
    booking state compares list names exactly)."""
    text, d = as_text(node, reader.src, field=field)
    if d:
        return None, d
    if not text.strip():
        return None, make("FF707", f"{field} is empty", reader.src, node.span, "empty",
                          help="write the name of the invitation or list, as the gate routes write it")
    return (text.strip().casefold() if fold else text.strip()), None


def _counties(reader, node: YNode):
    items = node.items if isinstance(node, YSeq) else (node,)
    out = []
    for item in items:
        code = reader.take(as_region_code(item, reader.src, field="'county'"))
        if code is not None and code not in out:
            out.append(code)
    return (tuple(out), None) if len(out) == len(items) else (None, None)

