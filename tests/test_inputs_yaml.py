"""Strict YAML/JSON input: an uninterpreted tree with positions, refusals at their place, converters."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formflow.diagnostics.catalog import CODES
from formflow.diagnostics.render import render_text
from formflow.inputs import yamlnode
from formflow.inputs.yamlnode import (STOCKHOLM, YMap, YScalar, YSeq, as_bool, as_date, as_datetime_local,
                                      as_decimal, as_int, as_list, as_map, as_text, check_keys, decode, load,
                                      parse, read_source)
from formflow.source import Source

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def tree(text: str):
    source = Source.from_text("in.yaml", text)
    node, diags = parse(source)
    assert diags == [], [(d.code, d.message) for d in diags]
    return node, source


def refused(text: str | bytes) -> list:
    if isinstance(text, bytes):
        source, diags = decode("in.yaml", text)
        assert source is not None, diags
    else:
        source = Source.from_text("in.yaml", text)
    node, diags = parse(source)
    assert node is None and diags
    for d in diags:
        render_text(d)
        assert d.code in CODES and "Traceback" not in d.message and "<unicode string>" not in d.message
    return diags


def where(d) -> tuple[int, int]:
    return d.position()


def value(text: str, key: str = "v"):
    node, source = tree(text)
    return node.get(key), source


# ---------------------------------------------------------------------------------------- the tree

def test_mapping_tree_with_positions():
    node, source = tree("name: Anna\nitems:\n  - 1\n  - two\n")
    assert isinstance(node, YMap) and node.keys() == ("name", "items")
    items = node.get("items")
    assert isinstance(items, YSeq) and [i.text for i in items.items] == ["1", "two"]
    assert source.line_col(items.items[1].span.start) == (4, 5)
    assert source.text[node.key_node("items").span.start:node.key_node("items").span.end] == "items"
    assert node.get("missing") is None


@pytest.mark.parametrize("written", ["no", "010", "12:30", "yes", "on", "1.0", "0x10", "1e3", ".inf", "2024-01-01"])
def test_scalars_are_never_interpreted(written):
    v, _ = value(f"v: {written}\n")
    assert v == YScalar(written, True, v.span)


def test_quoting_is_recorded_but_does_not_change_the_text():
    node, _ = tree("a: 'no'\nb: \"010\"\nc: |\n  block\nd: plain\n")
    assert (node.get("a").text, node.get("a").plain) == ("no", False)
    assert (node.get("b").text, node.get("b").plain) == ("010", False)
    assert (node.get("c").text, node.get("c").plain) == ("block\n", False)
    assert node.get("d").plain


@pytest.mark.parametrize("written", ["", "~", "null", "Null", "NULL"])
def test_plain_null(written):
    v, _ = value(f"v: {written}\n")
    assert v.is_null and v.text == "" and v.plain


@pytest.mark.parametrize("written", ['""', "''", '"null"', "'~'"])
def test_quoted_null_is_a_text(written):
    v, _ = value(f"v: {written}\n")
    assert not v.is_null


def test_an_empty_file_is_null():
    node, _ = tree("")
    assert node.is_null
    node, _ = tree("# only a comment\n")
    assert node.is_null


def test_json_is_read_by_the_same_reader():
    data = {"answers": {"fever": True, "temp": 38.5, "symptoms": ["cough", "headache"], "note": None,
                        "text": "tab\there, quote \" and ö"}}
    for text in (json.dumps(data), json.dumps(data, indent=2), json.dumps(data, indent="\t")):
        node, _ = tree(text)
        answers = node.get("answers")
        assert answers.get("fever").text == "true"
        assert answers.get("temp").text == "38.5"
        assert [s.text for s in answers.get("symptoms").items] == ["cough", "headache"]
        assert answers.get("note").is_null
        assert answers.get("text").text == data["answers"]["text"]


def test_block_mapping_span_ends_at_its_last_value():
    node, source = tree("a:\n  b: 1\n  c: 2\n# trailing comment\nd: 3\n")
    inner = node.get("a")
    assert source.text[inner.span.start:inner.span.end] == "b: 1\n  c: 2"


# ---------------------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("text, col", [("v: !!python/object:os.system x\n", 4), ("v: !foo x\n", 4),
                                       ("v: !!str 1\n", 4), ("v: ! x\n", 4), ("v: &a !!str x\n", 7),
                                       ("v: !!map {a: 1}\n", 4), ("!!seq\n- a\n", 1)])
def test_tags_are_refused_at_the_tag(text, col):
    diags = [d for d in refused(text) if d.code == "FF505"]
    assert len(diags) == 1 and where(diags[0]) == (1, col)


def test_python_object_tag_constructs_nothing():
    d = refused("- !!python/object/apply:os.system ['echo pwned']\n")
    assert [x.code for x in d] == ["FF505"] and where(d[0]) == (1, 3)


def test_anchors_and_aliases_are_refused():
    diags = refused("a: &x 1\nb: *x\n")
    assert [(d.code, where(d)) for d in diags] == [("FF506", (1, 4)), ("FF506", (2, 4))]


def test_alias_bomb_is_refused_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    diags = refused("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert {d.code for d in diags} == {"FF506"}
    assert len(diags) == yamlnode.MAX_DIAGNOSTICS  # reading stops once the cap is reached
    assert where(diags[0]) == (1, 4)


def test_duplicate_keys_point_at_both():
    diags = refused("fever: yes\ntemp: 38\nfever: no\n")
    (d,) = diags
    assert d.code == "FF507" and where(d) == (3, 1) and "'fever'" in d.message
    assert d.source.line_col(d.secondary[0].span.start) == (1, 1)


def test_duplicate_keys_in_json_and_nested():
    (d,) = refused('{"a": {"x": 1, "x": 2}}')
    assert d.code == "FF507" and where(d) == (1, 16)


def test_duplicate_key_that_does_not_look_like_a_name_is_not_quoted():
    (d,) = refused("198501012382: a\n198501012382: b\n")
    assert "198501012382" not in d.message


@pytest.mark.parametrize("text, pos", [("? [a]\n: b\n", (1, 3)), ("[a, b]: c\n", (1, 1)), ("{a: 1}: c\n", (1, 1)),
                                       ("x:\n  ? {a: 1}\n  : c\n", (2, 5))])
def test_non_scalar_keys_are_refused(text, pos):
    (d,) = refused(text)
    assert d.code == "FF508" and where(d) == pos


def test_a_second_document_is_refused():
    (d,) = refused("a: 1\n---\nb: 2\n")
    assert d.code == "FF509" and where(d) == (2, 1)
    (d,) = refused("--- \na: 1\n...\n---\nb: 2\n")
    assert d.code == "FF509" and where(d) == (4, 1)


@pytest.mark.parametrize("text, pos", [
    ("a: b: c\n", (1, 5)),
    ("a: [1, 2\n", (2, 1)),
    ("a:\n\t- x\n", (2, 1)),
    ("- a\nb: c\n", (2, 1)),
    ("key: value\n- item\n", (2, 1)),
    ("a: 'unterminated\n", (2, 1)),
    ('a: "\\q"\n', (1, 6)),
    ("a: `x`\n", (1, 4)),
    ("a: 1\n  b: 2\n", (2, 4)),
    ("{a: 1}\n{b: 2}\n", (2, 1)),
])
def test_syntax_errors_at_their_place_with_clean_messages(text, pos):
    (d,) = refused(text)
    assert d.code == "FF504" and where(d) == pos
    assert "<" not in d.message and "unicode" not in d.message and "\n" not in d.message


def test_syntax_error_names_where_the_block_started():
    (d,) = refused("a: [1, 2\n")
    assert d.secondary and d.source.line_col(d.secondary[0].span.start) == (1, 4)
    assert "list" in d.secondary[0].message


def test_tab_gets_a_tab_hint():
    (d,) = refused("a:\n\t- x\n")
    assert "tab" in d.message and "spaces" in d.help


def test_control_character_is_refused_at_its_place():
    (d,) = refused("a: ok\nb: x\x07y\n")
    assert d.code == "FF501" and where(d) == (2, 5) and "U+0007" in d.message


def test_nesting_limit():
    ok = "[" * yamlnode.MAX_DEPTH + "]" * yamlnode.MAX_DEPTH
    tree(ok)
    (d,) = refused("[" * 65 + "]" * 65)
    assert d.code == "FF503" and where(d) == (1, 65)
    deep = "".join("  " * i + f"k{i}:\n" for i in range(70))
    (d,) = refused(deep)
    assert d.code == "FF503" and where(d) == (65, 129)


def test_node_limit(monkeypatch):
    monkeypatch.setattr(yamlnode, "MAX_NODES", 50)
    tree("[" + ",".join(["1"] * 49) + "]")
    (d,) = refused("a: 1\nb: [" + ",".join(["1"] * 60) + "]\n")
    assert d.code == "FF502" and where(d) == (2, 5 + 2 * 45)  # the 51st value: map, a, 1, b, list, then item 45


def test_limits_are_documented():
    assert yamlnode.MAX_NODES == 100_000 and "100,000" in CODES["FF502"].explanation
    assert yamlnode.MAX_BYTES == 1024 * 1024 and "1 MiB" in CODES["FF502"].explanation
    assert yamlnode.MAX_DEPTH == 64 and "64" in CODES["FF503"].explanation


def test_file_size_limit():
    source, diags = decode("big.yaml", b"a: 1\n" + b"#" * yamlnode.MAX_BYTES)
    assert source is None and [d.code for d in diags] == ["FF502"]
    source, diags = decode("ok.yaml", b"a: " + b"x" * (yamlnode.MAX_BYTES - 3))
    assert source is not None and diags == []


def test_invalid_utf8_at_its_place():
    source, diags = decode("latin1.yaml", "a: 1\nname: Göran\n".encode("latin-1"))
    (d,) = diags
    assert source is None and d.code == "FF501" and where(d) == (2, 8)


def test_crlf_and_bom_give_the_columns_of_the_text():
    raw = "\ufeffa: 1\r\nb:\r\n  c: !!str x\r\n".encode("utf-8")
    (d,) = refused(raw)
    assert d.code == "FF505" and where(d) == (3, 6)
    (d,) = refused("\ufeffa: 1\r\na: 2\r\n".encode("utf-8"))
    assert where(d) == (2, 1) and d.source.line_col(d.secondary[0].span.start) == (1, 1)
    source, diags = decode("x.yaml", "\ufeffv: 12:30\r\n".encode("utf-8"))
    node, _ = parse(source)
    assert source.line_col(node.get("v").span.start) == (1, 4)


def test_read_source_and_load(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_bytes("\ufefffever: ja\r\n".encode("utf-8"))
    source, node, diags = load(path)
    assert diags == [] and node.get("fever").text == "ja" and source.name == str(path)
    source, diags = read_source(tmp_path / "missing.yaml")
    assert source is None and [d.code for d in diags] == ["FF901"]
    source, diags = read_source(tmp_path)
    assert source is None and [d.code for d in diags] == ["FF901"]


# ---------------------------------------------------------------------------------------- converters

def convert(fn, written: str, **kwargs):
    v, source = value(f"v: {written}\n")
    return fn(v, source, **kwargs)


def test_as_text():
    assert convert(as_text, "no") == ("no", None)
    assert convert(as_text, "'12'") == ("12", None)
    assert convert(as_text, '""') == ("", None)
    result, d = convert(as_text, "")
    assert result is None and d.code == "FF510" and where(d) == (1, 2) and "nothing" in d.message
    result, d = convert(as_text, "[a]")
    assert d.code == "FF510" and "a list" in d.message and where(d) == (1, 4)


@pytest.mark.parametrize("written, expected", [("yes", True), ("no", False), ("Ja", True), ("NEJ", False),
                                               ("true", True), ("False", False), ("'yes'", True), ('"nej"', False)])
def test_as_bool(written, expected):
    assert convert(as_bool, written) == (expected, None)


@pytest.mark.parametrize("written", ["y", "1", "on", "jo", "[yes]", ""])
def test_as_bool_refuses(written):
    result, d = convert(as_bool, written)
    assert result is None and d.code == "FF510"


@pytest.mark.parametrize("written, expected", [("42", 42), ("-7", -7), ("+3", 3), ("0", 0), ("-0", 0), ('"12"', 12)])
def test_as_int(written, expected):
    assert convert(as_int, written) == (expected, None)


@pytest.mark.parametrize("written, hint", [("010", "leading zero"), ("1_000", "'_'"), ("0x10", "decimal digits"),
                                           ("1.5", "without decimals"), ("1e3", "exponent"), ("12:30", "whole number"),
                                           ("1,5", "without decimals"), (".inf", "infinity"),
                                           ("1234567890123456", "15 digits"), ("٣", "whole number")])
def test_as_int_refuses_with_a_hint(written, hint):
    result, d = convert(as_int, written)
    assert result is None and d.code == "FF510" and hint in d.help and where(d) == (1, 4)
    assert written not in d.message


def test_as_int_survives_a_very_long_number():
    result, d = convert(as_int, "9" * 20000)
    assert result is None and "15 digits" in d.help


@pytest.mark.parametrize("written, expected", [("37.5", "37.5"), ("0.1", "0.1"), ("-2", "-2"), ("38.50", "38.50"),
                                               ("-0.0", "0.0"), ("'41.25'", "41.25")])
def test_as_decimal_is_exact(written, expected):
    result, d = convert(as_decimal, written)
    assert d is None and result == Decimal(expected) and str(result) == expected


@pytest.mark.parametrize("written, hint", [("37,5", "decimal point, not a comma"), ("nan", "not a number"),
                                           (".inf", "infinity"), ("-.inf", "infinity"), ("1e3", "exponent"),
                                           ("1.5E-2", "exponent"), (".5", "both sides"), ("5.", "both sides"),
                                           ("05.5", "leading zero"), ("1_000.5", "'_'"), ("abc", "37.5")])
def test_as_decimal_refuses_with_a_hint(written, hint):
    result, d = convert(as_decimal, written)
    assert result is None and d.code == "FF510" and hint in d.help


def test_as_date():
    assert convert(as_date, "2024-02-29") == (date(2024, 2, 29), None)
    result, d = convert(as_date, "2023-02-29")
    assert result is None and d.code == "FF513" and "does not exist" in d.message and "28 days" in d.help
    for bad in ("2024-2-3", "2024/02/03", "24-02-03", "2024-02-03T10:00", "'tomorrow'"):
        result, d = convert(as_date, bad)
        assert result is None and d.code == "FF513" and where(d) == (1, 4)
    assert convert(as_date, "2024-13-01")[1].help == "the month is 01–12"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


def test_as_datetime_local_in_swedish_time():
    result, d = convert(as_datetime_local, "2021-03-29T09:00")
    assert d is None and result == datetime(2021, 3, 29, 7, 0, tzinfo=timezone.utc)
    assert result.tzinfo is STOCKHOLM and result.utcoffset() == timedelta(hours=2)
    assert convert(as_datetime_local, "2021-03-29 09:00")[0] == result
    assert convert(as_datetime_local, "2021-01-15T09:00:30")[0] == datetime(2021, 1, 15, 8, 0, 30, tzinfo=timezone.utc)


def test_spring_forward_gap_does_not_exist():
    result, d = convert(as_datetime_local, "2021-03-28T02:30")
    assert result is None and d.code == "FF513" and "does not exist" in d.message and where(d) == (1, 4)
    assert convert(as_datetime_local, "2021-03-28T01:59")[1] is None
    assert convert(as_datetime_local, "2021-03-28T03:00")[1] is None


def test_fall_back_fold_is_ambiguous_without_an_offset():
    result, d = convert(as_datetime_local, "2021-10-31T02:30")
    assert result is None and d.code == "FF513" and "twice" in d.message and "+02:00" in d.help
    first, d1 = convert(as_datetime_local, "2021-10-31T02:30+02:00")
    second, d2 = convert(as_datetime_local, "2021-10-31T02:30+01:00")
    # Same-zone arithmetic in Python ignores `fold` (wall time), so compare the instants in UTC.
    assert d1 is None and d2 is None
    assert second.astimezone(timezone.utc) - first.astimezone(timezone.utc) == timedelta(hours=1)
    assert (first.fold, second.fold) == (0, 1)
    assert first.astimezone(STOCKHOLM).replace(tzinfo=None) == second.astimezone(STOCKHOLM).replace(tzinfo=None)
    assert first.tzinfo is STOCKHOLM and first.utcoffset() == timedelta(hours=2)
    assert second.utcoffset() == timedelta(hours=1)


def test_explicit_offset_and_z_are_converted():
    result, d = convert(as_datetime_local, "2021-03-29T07:00Z")
    assert d is None and result == local(2021, 3, 29, 9, 0) and result.tzinfo is STOCKHOLM
    result, d = convert(as_datetime_local, "2021-03-28T02:30+01:00")  # an instant, even in the gap
    assert d is None and result.hour == 3 and result.minute == 30


@pytest.mark.parametrize("written, hint", [("2024-05-31", "add a time"), ("2024-05-31T9:00", "2024-05-31T09:00"),
                                           ("2024-05-31T24:00", "00–23"), ("2024-05-31T09:00+25:00", "offset"),
                                           ("2024-02-30T09:00", "29 days"), ("2024-05-31T09:00:00.5", "T09:00")])
def test_as_datetime_local_refuses(written, hint):
    result, d = convert(as_datetime_local, written)
    assert result is None and d.code == "FF513" and hint in d.help


def test_as_list_and_as_map():
    node, source = tree("l: [a]\nm: {a: 1}\ns: x\nn:\n")
    assert as_list(node.get("l"), source)[0] is node.get("l")
    assert as_map(node.get("m"), source)[0] is node.get("m")
    for key, found in (("s", "a single value"), ("n", "nothing"), ("m", "a mapping")):
        _, d = as_list(node.get(key), source, field=f"'{key}'")
        assert d.code == "FF510" and f"for '{key}', found {found}" in d.message
    _, d = as_map(node.get("l"), source)
    assert d.code == "FF510" and where(d) == (1, 4)


def test_check_keys():
    node, source = tree("personnumer: x\nnow: y\nextra: z\n")
    diags = check_keys(node, source, required=("personnummer", "now"), optional=("region",))
    assert [(d.code, where(d)) for d in diags] == [("FF511", (1, 1)), ("FF511", (3, 1)), ("FF512", (1, 1))]
    assert diags[0].help == "did you mean 'personnummer'?"
    assert "personnummer, now, region" in diags[1].help
    assert "'personnummer'" in diags[2].message


def test_messages_never_quote_values():
    secret = "198501012382"
    for fn in (as_bool, as_int, as_decimal, as_date, as_datetime_local):
        _, d = convert(fn, secret + "x")
        assert secret not in d.message and secret not in d.help and secret not in d.primary.message


# ---------------------------------------------------------------------------------------- properties

FRAGMENTS = ["a", "b", ":", ": ", "- ", "-", "?", "[", "]", "{", "}", ",", "'", '"', "&x", "*x", "!", "!!str",
             "#", "\n", "  ", "\t", "---", "...", "|", ">", "%YAML 1.2", "\\", "no", "010", "12:30", "å", "\r\n",
             "\ufeff", "\x07", "\u2028", "\x85", "~", "null", "@", "`", "%"]


@FUZZ
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join) | st.text(max_size=200))
def test_parse_answers_with_a_tree_or_diagnostics(text):
    source = Source.from_text("fuzz.yaml", text)
    node, diags = parse(source)
    assert (node is None) == bool(diags)
    for d in diags:
        assert d.code in CODES and d.code.startswith("FF5") and d.message
        render_text(d)
        assert 0 <= d.primary.span.start <= len(source.text)


@FUZZ
@given(st.binary(max_size=200))
def test_decode_and_parse_any_bytes(raw):
    source, diags = decode("fuzz.yaml", raw)
    if source is not None:
        node, diags = parse(source)
    for d in diags:
        assert d.code in CODES
        render_text(d)
