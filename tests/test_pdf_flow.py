"""`pdf` blocks in flows: checks, and the document a route produces (rows, colours, validity, header)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest
from simkit import person_born, program

from conftest import ROOT, body, diagnose, only, position
from formflow.inputs.citizen import Citizen, local_date
from formflow.inputs.personnummer import parse_personnummer
from formflow.inputs.yamlnode import STOCKHOLM
from formflow.simulate.pdfdoc import pdf_documents
from formflow.simulate.walk import walk

FLOW = '''
question bleeding: yes_no "Blöder du lätt?"
if bleeding {
  question anticoagulant: yes_no "Tar du blodförtunnande läkemedel?"
}
question weight: decimal "Vikt" unit "kg" min 2 max 300 decimals 1
question height: integer "Längd" unit "cm" min 40 max 230
let bmi = round(weight / ((height / 100) * (height / 100)), 1)
question allergies: multiple "Allergier" {
  option latex "Latex"
  option food "Födoämnen"
  option none_of_these "Nej" exclusive
}
question other: text "Något mer?" max_length 1000 optional
pdf declaration "Hälsodeklaration" {
  row bleeding red when bleeding
  row anticoagulant under bleeding red when anticoagulant
  row weight
  row bmi label "BMI" red when bmi >= 40 or bmi < 18.5
  row allergies red when not (allergies has none_of_these)
  comment other
  valid 6 months when citizen.age < 18
  valid 12 months
}
'''


@pytest.fixture(scope="module")
def form():
    return program(FLOW)


def citizen(born: dt.date, now: str, *, proxy_for: dt.date | None = None) -> Citizen:
    moment = dt.datetime.fromisoformat(now).replace(tzinfo=STOCKHOLM)
    parse = lambda d: parse_personnummer(person_born(d), local_date(moment))[0]  # noqa: E731
    child = parse(proxy_for) if proxy_for else None
    return Citizen(parse(born), child, "12", (), moment, None)


ADULT = dict(bleeding=False, weight=Decimal("70.0"), height=175, allergies=frozenset({"none_of_these"}))


def document(form, answers, who):
    w = walk(form, who.facts(), answers)
    assert w.complete, (w.pending, w.fault)
    ((pdf_id, doc),) = pdf_documents(form, w, who)
    assert pdf_id == "declaration"
    return doc


def rows(doc):
    return [(r.label, r.answer, r.flag, r.depth) for r in doc.rows]


def test_only_what_the_route_asked_is_printed_in_order(form):
    doc = document(form, ADULT, citizen(dt.date(1980, 1, 30), "2024-05-06T09:00"))
    assert rows(doc) == [("Blöder du lätt?", "Nej", "green", 0), ("Vikt", "70,0 kg", None, 0),
                         ("BMI", "22,9", "green", 0), ("Allergier", "Nej", "green", 0)]
    assert doc.deviating_count == 0 and doc.comment is None


def test_follow_ups_colours_and_the_comment(form):
    answers = dict(ADULT, bleeding=True, anticoagulant=True, allergies=frozenset({"latex", "food"}),
                   other="Jag är rädd för sprutor.")
    doc = document(form, answers, citizen(dt.date(1980, 1, 30), "2024-05-06T09:00"))
    assert rows(doc)[:2] == [("Blöder du lätt?", "Ja", "red", 0), ("Tar du blodförtunnande läkemedel?", "Ja", "red", 1)]
    assert rows(doc)[-1] == ("Allergier", "Latex, Födoämnen", "red", 0)
    assert doc.deviating_count == 3 and doc.comment == "Jag är rädd för sprutor."


@pytest.mark.parametrize("weight, height, bmi, flag", [
    ("115.6", 170, "40,0", "red"),    # 40.00 → exactly the limit: red
    ("115.5", 170, "40,0", "red"),    # 39.965 rounds half up to 40.0: red
    ("115.4", 170, "39,9", "green"),
    ("53.5", 170, "18,5", "green"),   # 18.51: not underweight
    ("53.3", 170, "18,4", "red"),
])
def test_bmi_at_the_rounding_boundaries(form, weight, height, bmi, flag):
    answers = dict(ADULT, weight=Decimal(weight), height=height)
    doc = document(form, answers, citizen(dt.date(1980, 1, 30), "2024-05-06T09:00"))
    assert [(r.answer, r.flag) for r in doc.rows if r.label == "BMI"] == [(bmi, flag)]


@pytest.mark.parametrize("born, now, until", [
    (dt.date(1980, 1, 30), "2024-08-31T10:00", dt.date(2025, 8, 31)),   # adult: 12 months
    (dt.date(1980, 1, 30), "2024-02-29T10:00", dt.date(2025, 2, 28)),   # 29 February + 12 months
    (dt.date(1980, 1, 30), "2024-08-31T23:30", dt.date(2025, 8, 31)),   # late evening is still 31 August in Sweden
])
def test_validity_for_adults(form, born, now, until):
    assert document(form, ADULT, citizen(born, now)).header.valid_until == until


def test_a_childs_declaration_filled_in_by_a_guardian():
    form = program(FLOW)
    guardian = citizen(dt.date(1985, 3, 3), "2023-08-31T10:00", proxy_for=dt.date(2019, 3, 12))
    doc = document(form, ADULT, guardian)
    assert doc.header.valid_until == dt.date(2024, 2, 29)  # 31 August + 6 months, leap year
    assert doc.header.filled_by.value == "Vårdnadshavare"
    assert doc.header.personnummer == person_born(dt.date(2019, 3, 12))  # the child's, not the guardian's
    later = citizen(dt.date(1985, 3, 3), "2024-08-31T10:00", proxy_for=dt.date(2019, 3, 12))
    assert document(form, ADULT, later).header.valid_until == dt.date(2025, 2, 28)


def test_include_flagged_prints_red_rows_only():
    form = program(FLOW.replace('pdf declaration "Hälsodeklaration" {', 'pdf declaration "Hälsodeklaration" {\n  include flagged'))
    answers = dict(ADULT, bleeding=True, anticoagulant=False)
    doc = document(form, answers, citizen(dt.date(1980, 1, 30), "2024-05-06T09:00"))
    assert rows(doc) == [("Blöder du lätt?", "Ja", "red", 0)]


# ------------------------------------------------------------------ checks


def pdf_flow(block: str) -> str:
    return body('question fever: yes_no "Har du feber?"\nquestion temp: decimal "Temp" min 35 max 43 decimals 1\n'
                'question note: text "Övrigt" max_length 100 optional\nquestion hello: info "Välkommen."\n'
                'let high = temp >= 39\n' + block)


@pytest.mark.parametrize("block, code, at", [
    ('pdf p "P" {\n  template nonexistent\n  row fever\n  valid 12 months\n}', "FF417", (10, 14)),
    ('pdf p "P" {\n  row fevr\n  valid 12 months\n}', "FF202", (10, 9)),
    ('pdf p "P" {\n  row hello\n  valid 12 months\n}', "FF418", (10, 9)),
    ('pdf p "P" {\n  row high\n  valid 12 months\n}', "FF418", (10, 9)),
    ('pdf p "P" {\n  row fever\n  comment temp\n  valid 12 months\n}', "FF418", (11, 13)),
    ('pdf p "P" {\n  row fever\n  include some\n  valid 12 months\n}', "FF418", (11, 13)),
    ('pdf p "P" {\n  row fever\n}', "FF418", (9, 7)),
    ('pdf p "P" {\n  row fever\n  valid 6 months when citizen.age < 18\n}', "FF418", (11, 5)),
    ('pdf p "P" {\n  row fever\n  valid 12 days\n}', "FF418", (11, 5)),
    ('pdf p "P" {\n  row temp red when temp > 50\n  valid 12 months\n}', "FF419", (10, 23)),
    ('pdf p "P" {\n  row temp red when temp >= 35\n  valid 12 months\n}', "FF419", (10, 23)),
    ('pdf p "P" {\n  row fever red when fever and temp > 38\n  valid 12 months\n}', "FF204", (10, 34)),
    ('pdf p "P" {\n  row fever red when temp\n  valid 12 months\n}', "FF302", (10, 24)),
])
def test_pdf_mistakes_are_reported_at_their_place(block, code, at):
    d = only(diagnose(pdf_flow(block)), code)
    assert position(d) == at, d.message


def test_a_colour_rule_may_read_its_own_answer_and_guarded_others():
    ok = 'pdf p "P" {\n  row temp red when temp >= 38 and answered(note) and note != ""\n  row note\n  row high label "Hög feber"\n  valid 12 months\n}'
    assert [d.code for d in diagnose(pdf_flow(ok))] == []


# ------------------------------------------------------------------ the command


def test_formflow_pdf_renders_a_declaration(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    flow = tmp_path / "declaration.flow"
    flow.write_text(body(FLOW).replace("flow example", "flow declaration"), encoding="utf-8")
    who = tmp_path / "citizen.yaml"
    who.write_text(f'personnummer: {person_born(dt.date(1980, 1, 30))}\nregion: "12"\nnow: 2024-05-06T09:00\n')
    answers = tmp_path / "answers.yaml"
    answers.write_text("bleeding: ja\nanticoagulant: nej\nweight: 70.0\nheight: 175\nallergies: [latex]\n"
                       "other: '<img src=\"file:///etc/passwd\">'\n")
    out = tmp_path / "out.pdf"
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "pdf", str(flow), "-c", str(who), "-a", str(answers),
                        "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert text.index("Blöder du lätt?") < text.index("Tar du blodförtunnande") < text.index("BMI")
    assert "Antal avvikande svar: 2" in text and '<img src="file:///etc/passwd">' in text
    assert "root:" not in text


def test_formflow_pdf_refuses_bad_answers_and_writes_nothing(tmp_path):
    flow = tmp_path / "declaration.flow"
    flow.write_text(body(FLOW).replace("flow example", "flow declaration"), encoding="utf-8")
    who = tmp_path / "citizen.yaml"
    who.write_text(f'personnummer: {person_born(dt.date(1980, 1, 30))}\nregion: "12"\nnow: 2024-05-06T09:00\n')
    answers = tmp_path / "answers.yaml"
    answers.write_text("bleeding: kanske\n")
    out = tmp_path / "out.pdf"
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "pdf", str(flow), "-c", str(who), "-a", str(answers),
                        "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "error[FF602]" in r.stdout and not out.exists()
    assert list(tmp_path.iterdir()) == sorted([flow, who, answers]) or not out.exists()


def test_simulate_writes_the_walks_pdf_and_names_it_after_the_flow(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    flow = tmp_path / "declaration.flow"
    flow.write_text(body(FLOW).replace("flow example", "flow declaration"), encoding="utf-8")
    who = tmp_path / "citizen.yaml"
    who.write_text(f'personnummer: {person_born(dt.date(1980, 1, 30))}\nregion: "12"\nnow: 2024-05-06T09:00\n')
    answers = tmp_path / "answers.yaml"
    answers.write_text("bleeding: ja\nanticoagulant: nej\nweight: 70.0\nheight: 175\nallergies: [latex]\nother: ''\n")
    base = [sys.executable, str(ROOT / "cli.py"), "simulate", str(flow), "-c", str(who), "-a", str(answers)]

    hint = subprocess.run(base, capture_output=True, text=True, timeout=120)
    assert hint.returncode == 0 and "add --pdf DIR" in hint.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml", "citizen.yaml", "declaration.flow"]

    out = tmp_path / "pdfs"
    r = subprocess.run(base + ["--pdf", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    (written,) = out.iterdir()
    assert written.name == "declaration-declaration.pdf" and f"PDF: {written}" in r.stdout
    assert "Antal avvikande svar: 2" in "\n".join(p.extract_text() for p in pypdf.PdfReader(written).pages)

    bad = subprocess.run(base + ["--pdf", "/proc/no-such-dir"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "error[FF903]" in bad.stdout and "Traceback" not in bad.stderr


def test_a_route_that_asked_none_of_the_rows_makes_no_declaration(tmp_path):
    turned_away = FLOW.replace('question bleeding:', 'question adult: yes_no "Är du över 18?"\n'
                               'if not adult { end done }\nquestion bleeding:')
    form = program(turned_away)
    who = citizen(dt.date(1980, 1, 30), "2024-05-06T09:00")
    w = walk(form, who.facts(), {"adult": False})
    assert w.complete and pdf_documents(form, w, who) == []  # not an empty "nothing to declare"

    flow = tmp_path / "declaration.flow"
    flow.write_text(body(turned_away).replace("flow example", "flow declaration"), encoding="utf-8")
    (tmp_path / "citizen.yaml").write_text(f'personnummer: {person_born(dt.date(1980, 1, 30))}\nregion: "12"\n'
                                           'now: 2024-05-06T09:00\n')
    (tmp_path / "answers.yaml").write_text("adult: nej\n")
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "simulate", str(flow), "-c", str(tmp_path / "citizen.yaml"),
                        "-a", str(tmp_path / "answers.yaml"), "--pdf", str(tmp_path / "pdfs")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "warning[FF620]" in r.stdout and not (tmp_path / "pdfs").exists()


SCENARIOS = '''flow: health_declaration
scenarios:
  - name: first, fails on purpose
    citizen: {personnummer: 19780901-2383, region: "12", now: 2024-05-06T09:00}
    answers: {}
    expect: {outcome: submitted}
'''


def test_pdf_scenarios_renders_only_its_flow_in_its_language_and_fails_with_failing_scenarios(tmp_path):
    import shutil

    pypdf = pytest.importorskip("pypdf")
    region = tmp_path / "skane"
    shutil.copytree(ROOT / "regions" / "skane", region)
    (region / "scenarios" / "health_declaration_children.yaml").unlink()
    own = (region / "scenarios" / "health_declaration.yaml").read_text(encoding="utf-8")
    starts = [i for i in range(len(own)) if own.startswith("  - name:", i)]
    (region / "scenarios" / "health_declaration.yaml").write_text(  # the failing one, then three of Skåne's own
        own[:starts[0]] + SCENARIOS.split("scenarios:\n", 1)[1] + own[starts[0]:starts[3]], encoding="utf-8")
    flow = region / "flows" / "health_declaration.flow"
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "pdf", str(flow), "--scenarios", str(region),
                        "--out-dir", str(out), "--lang", "en", "-j", "2"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr  # a scenario failed: no preview of a walk that is wrong
    assert "scenario 'first, fails on purpose' failed" in r.stdout and "19780901" not in r.stdout
    pdfs = sorted((out / "skane" / "pdf" / "health_declaration").iterdir())
    # the failing first keeps its number and gets no PDF; the third (another region, sent to paper) has none
    assert [p.name[:3] for p in pdfs] == ["02-", "04-"]
    text = pypdf.PdfReader(pdfs[0]).pages[0].extract_text()
    assert "Health declaration before surgery" in text  # --lang en reached the PDFs

    other = subprocess.run([sys.executable, str(ROOT / "cli.py"), "pdf",
                            str(ROOT / "regions/jonkoping/flows/symptom_assessment.flow"), "--scenarios", str(region),
                            "--out-dir", str(tmp_path / "none")], capture_output=True, text=True, timeout=120)
    assert other.returncode == 1 and "error[FF613]" in other.stdout and not (tmp_path / "none").exists()


def test_an_unwritable_out_dir_is_reported_before_rendering(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "pdf", str(ROOT / "regions/skane/flows/health_declaration.flow"),
                        "--scenarios", str(ROOT / "regions/skane"), "--out-dir", str(blocker / "out")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "error[FF903]" in r.stdout and "nothing was rendered" in r.stdout
    assert "wrote" not in r.stdout and "Traceback" not in r.stderr
