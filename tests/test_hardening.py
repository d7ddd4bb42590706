"""Hostile and odd inputs, one class at a time (issue 16): personal data, answers, limits and
crashes, names that collide or deceive, terminal hygiene, ages by law, dependencies."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, body
from formflow import testdata
from formflow.check.types import KEYWORDS
from formflow.simulate.testrun import run_scenarios

FORMFLOW = [sys.executable, "-m", "formflow"]
ADULT = "19800610-2381"  # Skatteverket test personnummer


def run(*args, cwd=None, stdin=None, timeout=120):
    return subprocess.run([*FORMFLOW, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL, timeout=timeout)


# ---------------------------------------------------------------------------------- personal data

def test_a_citizen_file_with_a_wrong_check_digit_never_prints_the_number(tmp_path):
    wrong = ADULT[:-1] + str((int(ADULT[-1]) + 1) % 10)
    citizen = tmp_path / "c.yaml"
    citizen.write_text(f'personnummer: {wrong}\nregion: "13"\nnow: 2024-05-06T09:00\n', encoding="utf-8")
    flow = ROOT / "regions" / "skane" / "flows" / "health_declaration.flow"
    answers = tmp_path / "a.yaml"
    answers.write_text("planned_date: 2024-06-10\n", encoding="utf-8")
    for command in (["simulate", flow, "-c", citizen, "-a", answers],
                    ["simulate", flow, "-c", citizen, "-a", answers, "--format", "json"],
                    ["pdf", flow, "-c", citizen, "-a", answers, "-o", tmp_path / "x.pdf"]):
        result = run(*command)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "FF514" in out, out
        assert wrong not in out and wrong.replace("-", "") not in out and wrong[2:] not in out, out


TEXT_FLOW = """\
flow mini "Mini" {
  languages sv
  outcome visit: visit "Besök vårdcentralen i dag." urgency same_day
  outcome rest: self_care "Vila."
  question note: text "Beskriv dina besvär" max_length 40
  let said = note
  end rest
}
"""
SECRET = "ont i knät sedan fallet på isen"


def _text_region(tmp_path: Path, answers: str, expect: str) -> Path:
    root = tmp_path / "r"
    (root / "flows").mkdir(parents=True)
    (root / "scenarios").mkdir()
    (root / "flows" / "mini.flow").write_text(TEXT_FLOW, encoding="utf-8")
    (root / "scenarios" / "s.yaml").write_text(textwrap.dedent(f"""\
        flow: mini
        scenarios:
          - name: free text
            citizen: {{personnummer: {ADULT}, region: "13", now: 2024-05-06T09:00}}
            answers: {answers}
            expect: {expect}
        """), encoding="utf-8")
    return root


@pytest.mark.parametrize("answers,expect", [
    (f'{{note: "{SECRET}"}}', "{outcome: visit}"),                      # a wrong outcome: the route is shown
    (f'{{note: "{SECRET}"}}', '{outcome: rest, values: {said: "annat"}}'),  # a text value differs
    (f'{{note: "{SECRET * 2}"}}', "{outcome: rest}"),                   # too long: the answer's line is quoted
])
def test_free_text_never_reaches_test_output_or_junit(tmp_path, answers, expect):
    root = _text_region(tmp_path, answers, expect)
    junit = tmp_path / "junit.xml"
    result = run("test", root, "--junit", junit)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "FAIL" in out, out
    for shown in (out, junit.read_text(encoding="utf-8")):
        assert "knät" not in shown and "fallet" not in shown, shown
    json_out = run("test", root, "--format", "json").stdout
    assert "knät" not in json_out


def test_a_failed_text_value_shows_its_length_and_where_it_differs(tmp_path):
    root = _text_region(tmp_path, '{note: "abcdef"}', '{outcome: rest, values: {said: "abxdef"}}')
    (failed,) = [s for s in run_scenarios([root]).scenarios if not s.passed]
    assert failed.mismatches[0].line() == \
        "value said: expected a text of 6 characters, got a text of 6 characters, different from character 3"
    assert "(free text, 6 characters)" in failed.route


_SHAPED = re.compile(r"(?<![0-9A-Za-z])((?:19|20)?[0-9]{6})([-+]?)([0-9]{4})(?![0-9A-Za-z])")


def _tracked_files() -> list[Path]:
    """Every file in the repository (git's list when there is one, else the source tree)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        names = [n for n in out.decode("utf-8").split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [str(p.relative_to(ROOT)) for top in ("formflow", "dsl", "regions", "tests", "templates",
                                                          "benchmarks", "README.md", "cli.py")
                 for p in ([ROOT / top] if (ROOT / top).is_file() else (ROOT / top).rglob("*"))]
    return [ROOT / n for n in names if (ROOT / n).is_file() and not n.startswith("formflow/testdata/")]


def _real_looking(text: str) -> int:
    """Personnummer-shaped numbers in `text` that are valid (date and check digit) but not on
    Skatteverket's test list, in any century a 10-digit form could mean."""
    from formflow.inputs.personnummer import _luhn_ok

    found = 0
    for head, _, tail in _SHAPED.findall(text):
        centuries = [head] if len(head) == 8 else ["19" + head, "20" + head]
        valid = [c + tail for c in centuries if _luhn_ok(c + tail)]
        if valid and not any(testdata.is_test_number(v) for v in valid):
            found += 1  # counted, never shown: it may be a real person's
    return found


def test_no_tracked_file_holds_a_personnummer_that_is_not_a_test_number():
    files = _tracked_files()
    assert len(files) > 100
    offenders = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if found := _real_looking(text):
            offenders[str(path.relative_to(ROOT))] = found
    assert not offenders, f"valid personnummer that are not Skatteverket test numbers: {offenders}"


def test_the_scan_finds_a_valid_non_test_number():
    from formflow.inputs.personnummer import _luhn_ok

    # a valid number (date and check digit) that is not on the test list, built here, never stored
    for serial in range(100, 1000):
        digits = "19800610" + f"{serial:03d}"
        number = next(digits + str(c) for c in range(10) if _luhn_ok(digits + str(c)))
        if not testdata.is_test_number(number):
            break
    assert _real_looking(f"pnr: {number[:8]}-{number[8:]}\n") and _real_looking(f"x {number[2:]} y")
    assert not _real_looking(f"pnr: {ADULT}")


def test_a_write_removes_formflow_temporary_files_left_by_a_crash_but_not_fresh_or_foreign_ones(tmp_path):
    from formflow.fsio import STALE_SECONDS, write_atomic

    stale = tmp_path / ".mini.form.json.ab12cd_3.tmp"  # a write killed between mkstemp and rename
    fresh = tmp_path / ".other.pdf.zz99yy00.tmp"         # another write, still running
    foreign = tmp_path / ".editor-swap.tmp"               # not formflow's
    for path in (stale, fresh, foreign):
        path.write_bytes(b"half")
    old = time.time() - STALE_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(foreign, (old, old))
    write_atomic(tmp_path / "mini.form.json", b"{}")
    assert not stale.exists() and fresh.exists() and foreign.exists()
    assert (tmp_path / "mini.form.json").read_bytes() == b"{}"


# ---------------------------------------------------------------------------------------- answers

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202c\u2066\u2069\u3164\u2800\u034f"


def _text_question(required=True, max_length=None) -> dict:
    return {"id": "note", "type": "text", "required": required, "max_length": max_length}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=INVISIBLE + " \t\u00a0\u2003\u3000", max_size=12))
def test_a_required_text_of_only_invisible_characters_is_refused_like_spaces(text):
    from formflow.simulate.answers import AnswerError, parse_scalar

    with pytest.raises(AnswerError):
        parse_scalar(_text_question(), text, dt.date(2024, 5, 6))
    assert parse_scalar(_text_question(required=False), text, dt.date(2024, 5, 6)) == text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=INVISIBLE + " ", max_size=5), st.text(alphabet="aåÄö1.", min_size=1, max_size=5))
def test_a_text_with_something_visible_is_accepted_and_the_analyser_agrees(invisible, visible):
    from formflow.analysis.encode import _text_answer_ok
    from formflow.ir.model import Question
    from formflow.simulate.answers import AnswerError, parse_scalar

    text = invisible + visible
    assert parse_scalar(_text_question(), text, dt.date(2024, 5, 6)) == text.strip()
    fields = {f: None for f in Question.__dataclass_fields__}
    for candidate in (text.strip(), invisible.strip(), "x" * 5001):
        question = Question(**{**fields, "id": "note", "type": "text", "required": True, "max_length": None})
        try:
            parse_scalar(_text_question(), candidate, dt.date(2024, 5, 6))
            accepted = True
        except AnswerError:
            accepted = False
        assert _text_answer_ok(question, candidate) is accepted


def test_a_text_question_without_max_length_has_a_default_limit(tmp_path):
    from formflow.simulate.answers import DEFAULT_MAX_LENGTH, AnswerError, parse_scalar

    assert parse_scalar(_text_question(), "a" * DEFAULT_MAX_LENGTH, dt.date(2024, 5, 6))
    with pytest.raises(AnswerError, match=f"at most {DEFAULT_MAX_LENGTH}"):
        parse_scalar(_text_question(), "a" * 1_000_000, dt.date(2024, 5, 6))
    assert f"{DEFAULT_MAX_LENGTH}" in (ROOT / "dsl" / "REFERENCE.md").read_text(encoding="utf-8")


def test_an_answers_file_reports_every_problem_in_one_run():
    from simkit import facts, program

    from formflow.inputs.yamlnode import parse
    from formflow.simulate.scripted import run_scripted
    from formflow.source import Source

    prog = program('question fever: yes_no "Feber?"\nquestion note: text "Mer?"\nend done')
    source = Source.from_text("a.yaml", 'fevr: yes\nnote: "\u200b\u200b"\n')
    node, _ = parse(source)
    codes = sorted(d.code for d in run_scripted(prog, facts(), node, source).diagnostics)
    assert codes == ["FF601", "FF602", "FF604"]  # the unknown id, the invisible text, `fever` missing


def test_a_personnummer_with_spaces_or_a_reservnummer_gets_its_own_message():
    from formflow.inputs.personnummer import RESERVNUMMER, SPACES, parse_personnummer

    today = dt.date(2024, 5, 6)
    for text in (f" {ADULT}", f"{ADULT} ", f"{ADULT}\t"):
        assert parse_personnummer(text, today) == (None, SPACES)
    for text in ("19800101-T123", "800101-T123", "19800101T123", "19800101-12A3", "19800101-123K"):
        assert parse_personnummer(text, today) == (None, RESERVNUMMER), text
    assert parse_personnummer(ADULT, today)[0] is not None


# ------------------------------------------------------------------------------ limits and crashes

# Every place a number literal is written, with `{n}` for the literal: (snippet, code expected,
# whether 16 digits is the only limit there — else the domain is small: a duration, a length).
LITERAL_PLACES = [
    ('question n: integer "N?" max {n}', "FF306", True),
    ('question n: integer "N?" min -{n}', "FF306", True),
    ('question n: decimal "N?" max {n}.5', "FF306", True),
    ('let x = {n} + 1\nif x > 3 {{ end done }}', "FF306", True),
    ('question t: text "T?" max_length {n}', "FF414", False),
    ('question d: decimal "D?" decimals {n}', "FF414", False),
    ('question d: date "D?" min today - {n} days', "FF306", False),
    ('question d: date "D?" max today + {n} years', "FF306", False),
    ('let d = today + {n} days\nif d > today {{ end done }}', "FF306", False),
    ('let d = today - {n} months\nif d > today {{ end done }}', "FF306", False),
    ('let d = add_months(today, {n})\nif d > today {{ end done }}', "FF306", False),
    ('let d = add_months(today, -{n})\nif d > today {{ end done }}', "FF306", False),
    ('let x = round(1.5, {n})\nif x > 3 {{ end done }}', "FF303", False),
]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(LITERAL_PLACES),
       st.one_of(st.integers(10**6, 10**15 - 1), st.integers(16, 6000).map(lambda k: "9" * k)))
def test_a_huge_literal_anywhere_is_a_diagnostic_at_the_literal_never_a_crash(place, n):
    from conftest import check

    snippet, expected, digits_only = place
    if digits_only and len(str(n)) <= 15:
        n = str(n) + "0" * (16 - len(str(n)))
    text = body(snippet.format(n=n))
    diagnostics = check(text).diagnostics
    found = [d for d in diagnostics if d.is_error]
    assert found and all(d.code != "FF905" for d in diagnostics), [(d.code, d.message) for d in diagnostics]
    first = found[0]
    assert first.code in (expected, "FF306"), (first.code, first.message)
    at = text[first.primary.span.start:first.primary.span.end]
    assert str(n)[:15] in at or at.startswith(("add_months", "round")), at


@pytest.mark.parametrize("snippet", [
    'question d: date "D?" min today - 73050 days max today + 200 years',
    'let d = add_months(today, -2400)\nif d > today { end done }',
    'question t: text "T?" max_length 100000',
])
def test_literals_at_their_limits_are_accepted(snippet):
    from conftest import check

    assert not [d for d in check(body(snippet)).diagnostics if d.is_error]


def _flow(lines: list[str]) -> str:
    return 'flow big "B" {\n  languages sv\n  outcome done: information "Klart."\n' + \
        "".join(f"  {line}\n" for line in lines) + "  end done\n}\n"


@pytest.mark.parametrize("text,where", [
    (_flow([f'question {"q" * 65}: yes_no "F?"']), "q" * 65),
    (_flow([f'question q: yes_no "{"å" * 5001}"']), '"'),
    (_flow([f'question q: yes_no "F?" help """{"x" * 5001}"""']), '"""'),
    (_flow(['question q: single "F?" {'] + [f'  option o{i} "O{i}"' for i in range(201)] + ["}"]), "option"),
    (_flow([f'question q{i}: yes_no "F{i}?"' for i in range(10_001)]), "question"),
])
def test_ids_texts_options_and_questions_past_their_limits_are_refused_at_the_place(text, where):
    from conftest import check

    (d,) = check(text).diagnostics
    assert d.code == "FF008" and text[d.primary.span.start:].startswith(where)
    line = text.count("\n", 0, d.primary.span.start) + 1
    assert line > 3 and (where != "option" or "o200" in text.split("\n")[line - 1])
    assert where != "question" or "q10000:" in text.split("\n")[line - 1]


def test_the_largest_allowed_flow_is_accepted():
    from conftest import check

    from formflow.source import Source
    from formflow.syntax import limits

    options = ['question pick: single "F?" {'] + [f'  option o{i} "O{i}"' for i in range(200)] + ["}"]
    text = _flow(options + [f'question {"q" * 60}{i:04d}: yes_no "{"å" * 40}"' for i in range(300)]
                 + ['question last: text "T?" help "' + "x" * 5000 + '"'])
    assert not [d for d in check(text).diagnostics if d.is_error]
    most = _flow([f'question q{i}: yes_no "F{i}?"' for i in range(10_000)])
    assert limits.scan(Source.from_text("most.flow", most)) == []


def test_a_huge_generated_flow_is_refused_quickly_and_in_little_memory(tmp_path):
    """100,000 questions (about 4 MB) or one 3 MB label: refused before parsing."""
    big = tmp_path / "big.flow"
    big.write_text(_flow([f'question q{i}: yes_no "Fråga {i}?"' for i in range(100_000)]), encoding="utf-8")
    label = tmp_path / "label.flow"
    label.write_text(_flow(['question q: yes_no "' + "å" * 1_500_000 + '"']), encoding="utf-8")
    for path in (big, label):
        # Measured from a small parent of its own: a child forked from this (large) test process
        # would report the parent's pages as its own peak.
        measure = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, "
                   "stdin=subprocess.DEVNULL); sys.stdout.buffer.write(p.stdout + p.stderr); "
                   "print(); print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        proc = subprocess.run([sys.executable, "-c", measure, *FORMFLOW, "check", str(path)], capture_output=True,
                              text=True, encoding="utf-8", stdin=subprocess.DEVNULL)
        out, last = proc.stdout.rsplit("\n", 2)[0], proc.stdout.rsplit("\n", 2)[1]
        returncode, peak = (int(x) for x in last.split())
        assert returncode == 1 and "FF008" in out, out[-2000:]
        assert peak < 300_000, peak  # KB on Linux: 390 MB for the label before


def _form(tmp_path: Path) -> tuple[Path, str]:
    from formflow import api

    flow = ROOT / "regions" / "jonkoping" / "flows" / "symptom_assessment.flow"
    result = api.compile_result(api.check_source(str(flow), flow.read_bytes(), flow))
    data = result.artifacts[0].data.decode("utf-8")
    return tmp_path / "s.form.json", data


@pytest.mark.parametrize("edit,note", [
    ("deep", "routing/0/body/0/branches/0/when/args"),
    ("date", "questions/"),
    ("twice", 'the key "required" is written twice'),
])
def test_a_hand_edited_form_json_is_refused_with_ff607_and_a_path(tmp_path, edit, note):
    import json

    from formflow import api

    path, data = _form(tmp_path)
    doc = json.loads(data)
    if edit == "deep":
        when = json.dumps(doc["routing"][0]["body"][0]["branches"][0]["when"])
        text = json.dumps(doc)
        deep = when
        for _ in range(500):
            deep = '{"op": "not", "type": "bool", "args": [' + deep + "]}"
        data = text.replace(when, deep, 1)
    elif edit == "date":
        question = next(q for q in doc["questions"] if q["type"] == "date")
        question["max"] = {"date": "2023-02-29"}
        data = json.dumps(doc)
    else:
        assert '"required": true' in data
        data = data.replace('"required": true', '"required": true, "required": false', 1)
    path.write_text(data, encoding="utf-8")
    program, diagnostics = api.load_program(path)
    assert program is None and [d.code for d in diagnostics] == ["FF607"]
    assert any(note in n for n in diagnostics[0].notes), diagnostics[0].notes
    result = run("simulate", path, "-p", ADULT, "--now", "2024-03-01T10:00")
    assert result.returncode == 1 and "FF607" in result.stdout and "FF905" not in result.stdout + result.stderr


# ------------------------------------------------------------------------ names that collide or deceive

_WORDS = {w.casefold() for w in KEYWORDS} | {
    "q", "done", "day", "days", "week", "weeks", "month", "months", "year", "years"}
CASE_TEMPLATES = [
    'question {a}: yes_no "A?"\nquestion {b}: yes_no "B?"',                          # two questions
    'page {a} "Sida" {{\n  question {b}: yes_no "B?"\n}}',                           # a page and a question
    'let {a} = 1\nquestion {b}: yes_no "B?"\nif {a} > 0 {{ end done }}',             # a value and a question
    'question q: single "Q?" {{\n  option {a} "A"\n  option {b} "B"\n}}',            # two options
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CASE_TEMPLATES),
       st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True).filter(lambda n: n.casefold() not in _WORDS), st.data())
def test_ids_and_option_codes_that_differ_only_in_case_are_refused(template, name, data):
    from conftest import check

    other = "".join(c.upper() if data.draw(st.booleans()) else c for c in name)
    if other == name:
        other = name.upper() if name.upper() != name else name + "_x"
    text = body(template.format(a=name, b=other))
    found = [d.code for d in check(text).diagnostics if d.is_error]
    if other.casefold() == name.casefold():
        assert "FF217" in found, (text, found)
    else:
        assert "FF217" not in found


@pytest.mark.parametrize("name", ["__proto__", "constructor", "prototype", "_x", "meta", "hasOwnProperty"])
def test_ids_that_other_systems_read_as_something_else_are_refused(name):
    from conftest import check

    for snippet in (f'question {name}: yes_no "A?"', f'question q: single "Q?" {{\n  option {name} "A"\n  option b "B"\n}}',
                    f'outcome {name}: information "X"'):
        found = [d for d in check(body(snippet)).diagnostics if d.code == "FF218"]
        assert found and found[0].source.text[found[0].primary.span.start:].startswith(name), snippet


@pytest.mark.parametrize("flow_id", ["CON", "con", "Nul", "COM1", "lpt9", "aux", "prn"])
def test_a_flow_id_that_is_a_windows_device_name_is_refused(flow_id):
    from conftest import check

    text = body('question q: yes_no "A?"').replace("flow example", f"flow {flow_id}", 1)
    assert "FF218" in [d.code for d in check(text, f"{flow_id}.flow").diagnostics]


def test_flow_files_and_artifacts_that_differ_only_in_case_are_refused_and_not_written(tmp_path):
    flows = tmp_path / "r" / "flows"
    flows.mkdir(parents=True)
    for stem in ("Vaccin", "vaccin"):
        (flows / f"{stem}.flow").write_text(body('question q: yes_no "A?"').replace("flow example", f"flow {stem}", 1),
                                            encoding="utf-8")
    checked = run("check", flows)
    assert checked.returncode == 1 and "FF908" in checked.stdout
    out = tmp_path / "out"
    compiled = run("compile", flows, "--out", out)
    assert compiled.returncode == 1 and compiled.stdout.count("FF908") == 2, compiled.stdout
    assert not list(out.rglob("*.json"))


def test_texts_typed_in_nfd_compile_to_the_same_texts_as_nfc():
    import json
    import unicodedata

    from formflow import api

    text = body('question q: yes_no "Är du över 65 år och mår du illa?" help "Även yrsel räknas."')
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    forms = [json.loads(api.compile_result(api.check_source("example.flow", t.encode("utf-8"))).artifacts[0].data)
             for t in (text, nfd)]
    for form in forms:
        del form["source"]  # the hash of the bytes as written, which do differ
    assert forms[0] == forms[1]
    assert forms[1]["questions"][0]["label"]["sv"] == unicodedata.normalize("NFC", "Är du över 65 år och mår du illa?")


# ------------------------------------------------------------------------ terminal and output hygiene

HOSTILE = "x\x1b[2J\x07y\u202ez\x9b"


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_a_hostile_folder_name_is_never_printed_raw(tmp_path, fmt):
    folder = tmp_path / HOSTILE
    folder.mkdir()
    (folder / "example.flow").write_text(body('question q: yes_no "A?"\nif q > 3 { end done }'), encoding="utf-8")
    good = tmp_path / ("ok" + HOSTILE)
    good.mkdir()
    (good / "example.flow").write_text(body('question q: yes_no "A?"'), encoding="utf-8")
    for result in (run("check", folder, "--format", fmt), run("compile", good, "--out", tmp_path / ("o" + HOSTILE))):
        out = result.stdout + result.stderr
        assert "example.flow" in out or "wrote" in out, out
        for ch in "\x1b\x07\u202e\x9b":
            assert ch not in out, (fmt, out)


def test_an_error_at_the_end_of_a_long_line_shows_a_short_snippet():
    from conftest import check

    from formflow.diagnostics.render import MAX_SNIPPET, render_text

    text = body('question q: yes_no "' + "a" * 5000 + '" hlep "x"')
    (d,) = [d for d in check(text).diagnostics if d.is_error]
    shown = render_text(d)
    assert max(len(line) for line in shown.split("\n")) < MAX_SNIPPET + 300, shown
    snippet, caret = [line for line in shown.split("\n") if "|" in line][1:3]
    assert snippet.rstrip().endswith('hlep "x"') and "…" in snippet
    column = caret.index("^")
    assert snippet[column:column + 4] == "hlep"


def test_interactive_simulate_on_a_pipe_that_never_closes_does_not_hang(tmp_path):
    flow = ROOT / "regions" / "jonkoping" / "flows" / "symptom_assessment.flow"
    env = {**os.environ, "FORMFLOW_STDIN_IDLE_SECONDS": "1"}
    with subprocess.Popen([*FORMFLOW, "simulate", str(flow), "-p", ADULT, "--now", "2024-03-01T10:00"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env) as proc:
        try:
            proc.wait(timeout=60)  # stdin stays open: nothing is written and it is never closed
            err = proc.stderr.read()
        finally:
            proc.kill()
            proc.stdin.close()
    assert proc.returncode == 2 and "--answers FILE" in err, err


# ---------------------------------------------------------------------------------- ages by law

def _statute_age(born: dt.date, day: dt.date) -> int:
    """Completed years by Lag (1930:173) 1 §, by brute force: count the anniversaries up to `day`,
    an anniversary missing from its month (29 February) falling on the month's last day."""
    import calendar

    years = 0
    while True:
        year = born.year + years + 1
        last = calendar.monthrange(year, born.month)[1]
        if dt.date(year, born.month, min(born.day, last)) > day:
            return years
        years += 1


_BIRTHS = st.one_of(st.sampled_from([dt.date(2004, 2, 29), dt.date(2000, 2, 29), dt.date(1896, 2, 29),
                                     dt.date(1980, 2, 28), dt.date(1980, 3, 1)]),
                    st.dates(dt.date(1890, 1, 1), dt.date(2023, 12, 31)))


@st.composite
def _birth_and_day(draw):
    born = draw(_BIRTHS)
    year = draw(st.integers(born.year, 2099))
    around = dt.date(year, 2, 28) if (born.month, born.day) == (2, 29) else \
        dt.date(year, born.month, min(born.day, 28))
    day = around + dt.timedelta(days=draw(st.integers(-2, 2)))
    return born, max(day, born)


@settings(max_examples=300, deadline=None)
@given(_birth_and_day())
def test_ages_and_years_between_follow_the_statute_in_leap_and_other_years(pair):
    from formflow.inputs.citizen import age_on
    from formflow.simulate.values import add_months, years_between

    born, day = pair
    expected = _statute_age(born, day)
    assert age_on(born, day) == expected
    assert years_between(born, day) == expected and years_between(day, born) == -expected
    assert add_months(born, 12 * expected) <= day < add_months(born, 12 * (expected + 1))


@settings(max_examples=60, deadline=None)
@given(_birth_and_day())
def test_the_analysers_ages_agree_with_the_simulator(pair):
    import z3

    from formflow.analysis.calendar import Calendar, day_number
    from formflow.inputs.citizen import age_on

    born, day = pair
    ctx = z3.Context()
    cal = Calendar(ctx)
    b, t = z3.IntVal(day_number(born), ctx), z3.IntVal(day_number(day), ctx)
    age, between = cal.age(b, t), cal.years_between(b, t)
    solver = z3.Solver(ctx=ctx)
    solver.add(*cal.side)
    assert solver.check() == z3.sat
    model = solver.model()
    assert model.eval(age).as_long() == age_on(born, day) == model.eval(between).as_long()


LEAP_FLOW = """flow leap "Skottår" {
  languages sv
  outcome adult: information "Vuxen."
  outcome child: information "Barn."
  if citizen.age >= 18 { end adult }
  end child
  assert born_on_leap_day_is_18_on_28_february "Född 29 februari: 18 år den 28 februari":
    if citizen.birth_date == 2004-02-29 and today == 2022-02-28 then outcome is adult
  assert not_before "Men inte dagen innan":
    if citizen.birth_date == 2004-02-29 and today == 2022-02-27 then outcome is child
  assert leap_year_birthday "Skottår: på födelsedagen":
    if citizen.birth_date == 2004-02-29 and today == 2024-02-28 then citizen.age == 19
}
"""


def test_a_walk_a_gate_and_prove_agree_on_a_29_february_birthday(tmp_path):
    from simkit import facts as make_facts
    from simkit import program

    from formflow.simulate.walk import walk

    prog = program(LEAP_FLOW)
    born = dt.date(2004, 2, 29)
    for today, outcome in [(dt.date(2022, 2, 27), "child"), (dt.date(2022, 2, 28), "adult"),
                           (dt.date(2024, 2, 28), "adult"), (dt.date(2021, 2, 28), "child")]:
        assert walk(prog, make_facts(born=born, today=today), {}).outcome == outcome, today
    leap = make_facts(born=born, today=dt.date(2022, 2, 28))
    assert leap.age == 18  # the gate evaluator reads the same verified facts
    shutil.copy(ROOT / "regions" / "jonkoping" / "region.yaml", tmp_path / "region.yaml")
    (tmp_path / "flows").mkdir()
    flow = tmp_path / "flows" / "leap.flow"
    flow.write_text(LEAP_FLOW, encoding="utf-8")
    result = run("prove", flow)
    assert result.returncode == 0 and "0 violated" in result.stdout, result.stdout
    assert result.stdout.count("proved    assert") == 3, result.stdout


# ---------------------------------------------------------------------------------- dependencies

@pytest.mark.parametrize("installed,old", [
    ({"jinja2": "3.1.6", "weasyprint": "70.0"}, []),
    ({"jinja2": "3.2.0", "weasyprint": "71.1"}, []),
    ({"jinja2": "3.1.5", "weasyprint": "70.0"}, ["jinja2 3.1.5 (needs at least 3.1.6)"]),
    ({"jinja2": "3.1.4", "weasyprint": "69.9"}, ["jinja2 3.1.4 (needs at least 3.1.6)",
                                                 "weasyprint 69.9 (needs at least 70)"]),
    ({"jinja2": "3.0.3", "weasyprint": "70.0rc1"}, ["jinja2 3.0.3 (needs at least 3.1.6)"]),
    ({"jinja2": None, "weasyprint": "62.3"}, ["jinja2 is not installed (needs at least 3.1.6)",
                                              "weasyprint 62.3 (needs at least 70)"]),
])
def test_libraries_below_the_versions_with_the_security_fixes_are_named(installed, old):
    from formflow.pdf.versions import too_old

    assert too_old(installed) == old


def test_the_minimums_are_the_ones_pyproject_declares():
    from formflow.pdf.versions import MINIMUM

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name, minimum in MINIMUM.items():
        assert f'"{name}>={".".join(map(str, minimum))}"' in text, name


def test_pdfs_are_refused_with_a_clear_message_when_a_library_is_too_old(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cli import app
    from formflow.pdf import versions

    real = versions._installed
    monkeypatch.setattr(versions, "_installed", lambda name: "3.1.4" if name == "jinja2" else real(name))
    region = ROOT / "regions" / "skane"
    scenario_dir = tmp_path / "pdfs"
    result = CliRunner().invoke(app, ["pdf", str(region / "flows" / "health_declaration.flow"),
                                      "--scenarios", str(region / "scenarios"), "--out-dir", str(scenario_dir),
                                      "--jobs", "1"])
    assert result.exit_code == 1, result.stdout
    assert result.stdout.count("FF909") == 1 and "jinja2 3.1.4 (needs at least 3.1.6)" in result.stdout
    assert not list(tmp_path.rglob("*.pdf"))


def test_prove_graph_and_gate_print_hostile_paths_escaped(tmp_path):
    """The commands added beside check (prove, graph, gate evaluate) print paths and texts through
    the same escaping: a folder named with ESC and U+202E never reaches the terminal raw."""
    folder = tmp_path / "x\x1b[2Jy\u202e"
    folder.mkdir()
    flow = folder / "t.flow"
    flow.write_text('flow t "T" {\n  outcome done: information "Klart."\n  question q: yes_no "Q?"\n'
                    '  end done\n}\n', encoding="utf-8")
    for args in (["prove", str(flow), "--out-dir", str(folder / "out")],
                 ["graph", str(flow), "--out", str(folder / "g.mmd")]):
        run = subprocess.run([*FORMFLOW, *args], capture_output=True, text=True, encoding="utf-8",
                             stdin=subprocess.DEVNULL)
        shown = run.stdout + run.stderr
        assert "\x1b" not in shown and "\u202e" not in shown, shown
        assert "<U+001B>" in shown, shown
