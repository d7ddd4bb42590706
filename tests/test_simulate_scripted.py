"""`formflow simulate FLOW --answers FILE`: typed answers, diagnostics in the answers file, transcripts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal

import pytest
from simkit import facts, program, person_born

from conftest import ROOT
from formflow.inputs.yamlnode import parse
from formflow.simulate.answers import AnswerError, parse_choices, parse_scalar
from formflow.simulate.scripted import run_scripted
from formflow.source import Source

FLOW = '''
question fever: yes_no "Har du feber?"
question temp: decimal "Temperatur" unit "°C" min 35 max 43 decimals 1
question days: integer "Hur många dagar?" min 0 max 60
question onset: date "När började det?" min today - 1 month max today
question symptoms: multiple "Symtom" {
  option cough "Hosta"
  option rash "Utslag"
  option none_of_these "Inget av detta" exclusive
}
question note: text "Något mer?" max_length 20 optional
question photo: attachment "Bild" accept "image/jpeg", "image/png" optional
question ok: acknowledge "Jag godkänner." terms "Villkor."
if fever and temp >= 39.5 {
  question chills: yes_no "Frossa?"
  if chills { end done }
}
'''


@pytest.fixture(scope="module")
def form():
    return program(FLOW)


def q(form, qid):
    return form.questions[qid]


TODAY = dt.date(2024, 3, 15)


@pytest.mark.parametrize("qid, text, value", [
    ("fever", "yes", True), ("fever", "Nej", False), ("fever", "true", True), ("fever", "ja", True),
    ("temp", "37,5", Decimal("37.5")), ("temp", "43", Decimal(43)), ("days", "0", 0), ("days", "60", 60),
    ("onset", "2024-02-15", dt.date(2024, 2, 15)), ("onset", "2024-03-15", TODAY),
    ("note", "no", "no"),  # a text answer `no` is the text "no", never false
    ("photo", "utslag.JPG", "utslag.JPG"), ("ok", "ja", True),
])
def test_valid_answers(form, qid, text, value):
    assert parse_scalar(q(form, qid), text, TODAY) == value


@pytest.mark.parametrize("qid, text, message", [
    ("fever", "kanske", "expected yes or no"),
    ("temp", "34.9", "between 35 and 43 °C"), ("temp", "37.55", "at most 1 decimal"), ("temp", "1e2", "expected a number"),
    ("days", "010", "expected a whole number"), ("days", "2.0", "expected a whole number"), ("days", "61", "between 0 and 60"),
    ("onset", "2024-02-14", "between 2024-02-15 and 2024-03-15"), ("onset", "2024-03-16", "between"),
    ("onset", "2023-02-29", "does not exist"), ("onset", "15/3/2024", "YYYY-MM-DD"),
    ("note", "x" * 21, "21 characters; at most 20"), ("photo", "rapport.pdf", "accepts image/jpeg, image/png"),
    ("photo", "../../etc/passwd", "expected a file name"), ("ok", "nej", "must be accepted"),
])
def test_invalid_answers_say_what_is_expected(form, qid, text, message):
    with pytest.raises(AnswerError) as err:
        parse_scalar(q(form, qid), text, TODAY)
    assert message in err.value.message


def test_multiple_choice_rules(form):
    sym = q(form, "symptoms")
    assert parse_choices(sym, ["cough", "rash"]) == frozenset({"cough", "rash"})
    for codes, message in [(["cough", "none_of_these"], "cannot be combined"), (["cough", "cough"], "twice"),
                           (["fever"], "not an option"), ([], "at least one")]:
        with pytest.raises(AnswerError) as err:
            parse_choices(sym, codes)
        assert message in err.value.message


def test_invalid_answers_do_not_echo_personal_data(form):
    with pytest.raises(AnswerError) as err:
        parse_scalar(q(form, "fever"), "19800130-2382", TODAY)
    assert "2382" not in err.value.message


ANSWERS = '''fever: yes
temp: 39.5
days: 3
onset: 2024-03-01
symptoms: [cough]
ok: ja
chills: nej
'''


def scripted(form, text, today=TODAY):
    source = Source.from_text("answers.yaml", text)
    node, problems = parse(source)
    assert not problems
    return run_scripted(form, facts(today=today), node, source)


def test_a_clean_scripted_walk(form):
    result = scripted(form, ANSWERS)
    assert result.ok and result.diagnostics == ()
    assert result.walk.outcome == "done" and result.walk.asked[-1] == "chills"
    assert result.walk.answers["temp"] == Decimal("39.5")


def test_every_answer_problem_is_reported_at_once_with_its_place(form):
    text = ANSWERS.replace("days: 3", "days: 300").replace("symptoms: [cough]", "symptoms: [cough, none_of_these]") \
        + "feber: yes\nnote:\n  - a list\n"
    result = scripted(form, text)
    assert result.walk is None
    found = [(d.code, d.source.line_col(d.primary.span.start)) for d in result.diagnostics]
    assert found == [("FF602", (3, 7)), ("FF602", (5, 11)), ("FF601", (8, 1)), ("FF602", (10, 3))]
    assert result.diagnostics[2].help == "did you mean 'fever'?"


def test_a_missing_required_answer_names_the_question_and_its_line(form):
    result = scripted(form, ANSWERS.replace("ok: ja\n", ""))
    (d,) = result.diagnostics
    assert d.code == "FF604" and "'ok' (flow line 15)" in d.message and "add `ok: ...` — yes" in d.help


def test_an_answer_off_the_route_is_a_warning(form):
    result = scripted(form, ANSWERS.replace("temp: 39.5", "temp: 38.0"))
    (d,) = result.diagnostics
    assert d.code == "FF603" and d.source.line_col(d.primary.span.start) == (7, 1) and result.ok


def test_date_bounds_move_with_the_citizens_today(form):
    assert scripted(form, ANSWERS, today=dt.date(2024, 3, 15)).ok
    result = scripted(form, ANSWERS, today=dt.date(2024, 5, 1))  # 2024-03-01 is then more than a month ago
    assert [d.code for d in result.diagnostics] == ["FF602"]


# ------------------------------------------------------------------ the command


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=60)


JONKOPING = str(ROOT / "regions/jonkoping/flows/symptom_assessment.flow")


@pytest.fixture()
def files(tmp_path):
    citizen = tmp_path / "citizen.yaml"
    citizen.write_text(f'personnummer: {person_born(dt.date(1980, 1, 30))}\nregion: "06"\nnow: 2024-03-01T10:00\n')
    answers = tmp_path / "answers.yaml"
    answers.write_text("main_symptoms: [sore_throat, fever]\nsevere_breathing: no\nchest_pain: ja\n")
    return citizen, answers


def test_cli_prints_the_route_and_the_outcome(files):
    citizen, answers = files
    r = run("simulate", JONKOPING, "--citizen", str(citizen), "--answers", str(answers))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "? chest_pain: Har du tryck eller smärta i bröstet som inte går över?\n        = yes" in r.stdout
    assert "outcome: call_112 (emergency, urgency immediate)" in r.stdout
    assert "2382" not in r.stdout  # the personnummer is never printed


def test_cli_json_transcript(files):
    citizen, answers = files
    r = run("simulate", JONKOPING, "-c", str(citizen), "-a", str(answers), "--format", "json", "--lang", "en")
    doc = json.loads(r.stdout)
    t = doc["transcript"]
    assert (t["outcome"], t["outcome_kind"], t["asked"]) == ("call_112", "emergency",
                                                             ["main_symptoms", "severe_breathing", "chest_pain"])
    assert t["answers"]["main_symptoms"] == ["fever", "sore_throat"] and t["citizen"]["age"] == 44


def test_cli_errors_exit_1_and_usage_errors_exit_2(files, tmp_path):
    citizen, answers = files
    answers.write_text("main_symptom: [fever]\n")
    r = run("simulate", JONKOPING, "-c", str(citizen), "-a", str(answers))
    assert r.returncode == 1 and "error[FF601]" in r.stdout and "did you mean 'main_symptoms'?" in r.stdout
    r = run("simulate", JONKOPING, "-c", str(citizen), "-a", str(answers), "--lang", "fi")
    assert r.returncode == 2 and "has no texts in 'fi'" in r.stderr
    r = run("simulate", JONKOPING, "-p", "198001302383", "-a", str(answers))  # check digit changed: not a test number
    assert r.returncode == 2 and "Traceback" not in r.stdout + r.stderr
    r = run("simulate", str(tmp_path / "missing.flow"), "-a", str(answers))
    assert r.returncode == 1 and "FF901" in r.stdout
    bad = tmp_path / "x.form.json"
    bad.write_text('{"format": "formflow/form"}')
    r = run("simulate", str(bad), "-a", str(answers))
    assert r.returncode == 1 and "error[FF607]" in r.stdout


def test_cli_accepts_only_skatteverkets_test_numbers(files):
    _, answers = files
    r = run("simulate", JONKOPING, "-p", person_born(dt.date(1980, 1, 30)).replace("-", ""), "--now",
            "2024-03-01T10:00", "-a", str(answers))
    assert r.returncode == 0 and "age 44" in r.stdout


HOSTILE = '''flow hostile "Fientlig" {
  languages sv
  outcome done: information "Klart [bold red]inte fetstil[/bold red]."
  question note: text "Skriv [link=https://example.org]här[/link]" max_length 200
  end done
}
'''


def test_hostile_text_is_printed_as_text(tmp_path, files):
    citizen, _ = files
    flow = tmp_path / "hostile.flow"
    flow.write_text(HOSTILE)
    answers = tmp_path / "a.yaml"
    answers.write_text('note: "\\e]8;;https://evil.example\\e\\\\klicka\\e]8;;\\e\\\\ \\e[2J\\u202Eabc"\n')
    r = run("simulate", str(flow), "-c", str(citizen), "-a", str(answers))
    assert r.returncode == 0, r.stdout
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    assert "<U+001B>]8;;https://evil.example<U+001B>" in r.stdout and "<U+202E>abc" in r.stdout
    assert "[link=https://example.org]här[/link]" in r.stdout and "[bold red]inte fetstil[/bold red]" in r.stdout
