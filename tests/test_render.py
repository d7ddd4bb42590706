"""How diagnostics look: ruff-like text, JSON for tools, GitHub annotations for CI."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from conftest import body, diagnose, only
from formflow.diagnostics.model import Label, make
from formflow.diagnostics.render import render_github, render_json, render_text, summary_line
from formflow.source import Source, Span


def display_col(line: str, index: int) -> int:
    """The terminal column (0-based) where character `index` of `line` starts: tabs to 4-column
    stops, East Asian wide/fullwidth characters take two cells."""
    col = 0
    for ch in line[:index]:
        if ch == "\t":
            col += 4 - col % 4
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            col += 2
        else:
            col += 1
    return col


def snippet_rows(rendered: str) -> list[tuple[str, str]]:
    """(source row, marker row) pairs: the text after `N | ` and after the blank gutter ` | `."""
    lines = rendered.splitlines()
    out = []
    for i, line in enumerate(lines):
        m = re.match(r"^\s*(\d+) \| (.*)$", line)
        if m and i + 1 < len(lines):
            marker = re.match(r"^\s*\| (.*)$", lines[i + 1])
            if marker:
                out.append((m.group(2), marker.group(1)))
    return out


def caret_col(marker: str, mark: str = "^") -> int:
    return marker.index(mark)


FEVR = body('question fever: yes_no "Har du feber?"\nif fevr { end done }')


def test_text_layout_is_ruff_like():
    d = only(diagnose(FEVR), "FF202")
    out = render_text(d)
    assert out.splitlines() == [
        "error[FF202]: 'fevr' is not defined",
        " --> example.flow:5:6",
        "  |",
        "5 |   if fevr { end done }",
        "  |      ^^^^ no question or derived value has this id",
        "  |",
        "   = help: did you mean 'fever'?",
    ]


def test_warning_layout():
    d = only(diagnose(body('outcome spare: information "Oanvänd."')), "FF209")
    assert render_text(d).startswith("warning[FF209]: no route ends in outcome 'spare'\n")


def test_gutter_widens_for_long_line_numbers():
    text = ('flow example "E" {\n  outcome done: information "K"\n' + "\n" * 120
            + '  question fever: yes_no "F?"\n  if fevr { end done }\n  end done\n}\n')
    d = only(diagnose(text), "FF202")
    lines = render_text(d).splitlines()
    assert lines[1] == "   --> example.flow:124:6"
    assert lines[3].startswith("124 |   if fevr")
    assert lines[4].startswith("    |      ^^^^")


def test_secondary_labels_are_shown_in_source_order():
    text = body('question fever: yes_no "A?"\nquestion cough: yes_no "B?"\nquestion fever: yes_no "C?"\nif fever { end done }')
    out = render_text(only(diagnose(text), "FF201"))
    rows = snippet_rows(out)
    assert [r[0].strip()[:16] for r in rows] == ['question fever: ', 'question fever: ']
    assert "-----" in rows[0][1] and "first defined here" in rows[0][1]
    assert "^^^^^" in rows[1][1] and "defined again here" in rows[1][1]
    assert caret_col(rows[0][1], "-") == caret_col(rows[1][1]) == display_col(rows[0][0], rows[0][0].index("fever"))


def test_two_labels_on_one_line_show_the_line_once():
    out = render_text(only(diagnose(body('question c: integer "C?" min 10 max 5')), "FF401"))
    assert len(snippet_rows(out)) == 1 or out.count('question c: integer "C?" min 10 max 5') == 1


def test_diagnostic_without_span_names_the_file():
    found = [d for d in diagnose(
        'flow example "E" en "E" {\n  languages sv, en\n  outcome done: information "K" en "D"\n'
        + "".join(f'  question q{i}: yes_no "Q?"\n' for i in range(12)) + "  end done\n}\n") if d.primary is None]
    assert len(found) == 1
    out = render_text(found[0])
    assert out.splitlines()[1].strip() == "--> example.flow"
    assert "|" not in out


def test_diagnostic_without_source():
    d = make("FF902", "no .flow files in x", None, None, help="give a folder with flows")
    assert render_text(d) == "error[FF902]: no .flow files in x\n   = help: give a folder with flows"


def test_caret_under_tab_indented_code():
    text = 'flow example "E" {\n\toutcome done: information "K"\n\t\tif fevr { end done }\n\tend done\n}\n'
    d = only(diagnose(text), "FF202")
    rows = snippet_rows(render_text(d))
    assert len(rows) == 1
    shown, marker = rows[0]
    assert "\t" not in shown  # tabs are expanded
    assert shown == "        if fevr { end done }"
    source_line = "\t\tif fevr { end done }"
    assert caret_col(marker) == display_col(source_line, source_line.index("fevr")) == 11
    assert marker[caret_col(marker):].startswith("^^^^ ")


def test_caret_under_tab_stop_mid_line():
    # A tab after text advances to the next multiple of four, not by four.
    text = 'flow example "E" {\n  outcome done: information "K"\n  if\tfevr { end done }\n  end done\n}\n'
    d = only(diagnose(text), "FF202")
    shown, marker = snippet_rows(render_text(d))[0]
    source_line = "  if\tfevr { end done }"
    assert caret_col(marker) == display_col(source_line, source_line.index("fevr")) == 8
    assert shown[8:12] == "fevr"


def test_caret_after_wide_characters():
    text = body('question a: yes_no "你有发烧吗？" unit "kg"')
    d = only(diagnose(text), "FF304")
    shown, marker = snippet_rows(render_text(d))[0]
    source_line = '  question a: yes_no "你有发烧吗？" unit "kg"'
    expected = display_col(source_line, source_line.index("unit"))
    assert expected == source_line.index("unit") + 6  # six wide characters, one extra cell each
    assert caret_col(marker) == expected
    assert marker[expected:expected + 9] == "^" * 9


def test_caret_after_combining_marks():
    # "é" written as e + COMBINING ACUTE ACCENT takes one cell, not two.
    text = body('question a: yes_no "Cafe\u0301?" unit "kg"')
    d = only(diagnose(text), "FF304")
    shown, marker = snippet_rows(render_text(d))[0]
    source_line = '  question a: yes_no "Cafe\u0301?" unit "kg"'
    assert caret_col(marker) == source_line.index("unit") - 1


def test_caret_under_swedish_letters():
    text = body('question a: yes_no "Är du sjuk, få ömt?" unit "kg"')
    d = only(diagnose(text), "FF304")
    shown, marker = snippet_rows(render_text(d))[0]
    assert caret_col(marker) == shown.index('unit')


def test_caret_at_end_of_file():
    d = only(diagnose('flow example "E" {\n  outcome done: information "K"\n  end done'), "FF104")
    shown, marker = snippet_rows(render_text(d))[0]
    assert shown == "  end done"
    assert caret_col(marker) == len(shown) - 1


def test_multi_line_span_marks_to_the_end_of_its_first_line():
    text = body('question fever: yes_no "F?"\nif fever {\n  end done\n  if fever {\n    end done\n  }\n}')
    d = only(diagnose(text), "FF404")
    shown, marker = snippet_rows(render_text(d))[0]
    assert shown == "    if fever {"
    assert marker.startswith("    " + "^" * len("if fever {"))


def test_colour_only_when_asked():
    d = only(diagnose(FEVR), "FF202")
    assert "\x1b[" not in render_text(d, color=False)
    coloured = render_text(d, color=True)
    assert "\x1b[1;31m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render_text(d, color=False)


@pytest.mark.parametrize("ch", ["\u202e", "\x1b"])
def test_snippet_does_not_echo_dangerous_characters(ch):
    text = body(f'question fever: yes_no "Har du {ch}[31m feber?"')
    d = diagnose(text)[0]
    assert d.code in ("FF002", "FF003")
    assert ch not in render_text(d, color=False)


def test_summary_line():
    assert summary_line(0, 0, 1) == "1 file checked: no problems"
    assert summary_line(0, 0, 2) == "2 files checked: no problems"
    assert summary_line(1, 0, 1) == "1 error, 0 warnings in 1 file"
    assert summary_line(0, 1, 1) == "0 errors, 1 warning in 1 file"
    assert summary_line(2, 1, 3) == "2 errors, 1 warning in 3 files"


# ---------------------------------------------------------------- JSON


def test_json_structure():
    found = diagnose(body('outcome spare: information "O."\nquestion fever: yes_no "F?"\nif fevr { end done }'))
    doc = json.loads(render_json(found, {"files": ["example.flow"]}))
    assert set(doc) == {"diagnostics", "summary", "files"}
    assert doc["summary"] == {"errors": 1, "warnings": 1}
    by_code = {d["code"]: d for d in doc["diagnostics"]}
    fevr = by_code["FF202"]
    assert fevr == {
        "code": "FF202", "name": "undefined-name", "severity": "error", "message": "'fevr' is not defined",
        "file": "example.flow",
        "span": {"line": 6, "column": 6, "end_line": 6, "end_column": 10,
                 "label": "no question or derived value has this id"},
        "labels": [], "help": "did you mean 'fever'?",
    }
    assert by_code["FF209"]["severity"] == "warning"


def test_json_secondary_labels():
    text = body('question fever: yes_no "A?"\nquestion fever: yes_no "B?"\nif fever { end done }')
    doc = json.loads(render_json(diagnose(text)))
    (d,) = doc["diagnostics"]
    assert d["labels"] == [{"line": 4, "column": 12, "end_line": 4, "end_column": 17, "label": "first defined here"}]


def test_json_keeps_non_ascii_readable():
    found = diagnose(body('question hälsa: yes_no "Mår du bra?"'))
    out = render_json(found)
    assert "'ä'" in out
    assert json.loads(out)["diagnostics"][0]["code"] == "FF005"


def test_json_diagnostic_without_position():
    d = make("FF902", "no .flow files in x", None, None)
    doc = json.loads(render_json([d]))
    assert doc["diagnostics"][0]["file"] is None
    assert "span" not in doc["diagnostics"][0]
    assert doc["diagnostics"][0]["help"] is None


def test_json_empty():
    assert json.loads(render_json([])) == {"diagnostics": [], "summary": {"errors": 0, "warnings": 0}}


# ---------------------------------------------------------------- GitHub


def test_github_annotation():
    d = only(diagnose(FEVR), "FF202")
    assert render_github(d) == ("::error file=example.flow,line=5,col=6,endLine=5,endColumn=10,"
                                "title=FF202 undefined-name::'fevr' is not defined (help: did you mean 'fever'?)")


def test_github_warning():
    d = only(diagnose(body('outcome spare: information "O."')), "FF209")
    assert render_github(d).startswith("::warning file=example.flow,line=4,")


def _parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    m = re.fullmatch(r"::(error|warning) ([^:]*)::(.*)", line)
    assert m, line
    props = dict(p.split("=", 1) for p in m.group(2).split(","))
    return m.group(1), props, m.group(3)


def _unescape(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github_escapes_properties_and_message():
    src = Source.from_text("regions/a,b/c:d/100%.flow", 'flow x "X" {\n}\n')
    d = make("FF405", "50% done\nsecond line\r", src, Span(13, 14), "here", help="a, b: c")
    line = render_github(d)
    assert "\n" not in line and "\r" not in line
    level, props, message = _parse_annotation(line)
    assert level == "error"
    assert props["file"] == "regions/a%2Cb/c%3Ad/100%25.flow"
    assert _unescape(props["file"]) == "regions/a,b/c:d/100%.flow"
    assert props["line"] == "2" and props["col"] == "1"
    assert message == "50%25 done%0Asecond line%0D (help: a, b: c)"
    assert _unescape(message) == "50% done\nsecond line\r (help: a, b: c)"


def test_github_without_source():
    d = make("FF902", "no .flow files in x, y", None, None)
    assert render_github(d) == "::error title=FF902 no-flows::no .flow files in x, y"


def test_github_secondary_labels_do_not_break_the_line():
    src = Source.from_text("x.flow", "a\nb\n")
    d = make("FF201", "dup", src, Span(2, 3), "again", secondary=(Label(Span(0, 1), "first"),))
    assert render_github(d).count("::") == 2
