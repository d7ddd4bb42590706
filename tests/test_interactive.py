"""The interactive simulator, driven end to end through a pseudo-terminal as an author would use it."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from simkit import person_born

from conftest import ROOT

pexpect = pytest.importorskip("pexpect")

FLOW = '''flow fever "Feber" en "Fever" {
  languages sv, en
  intro "Svara på några frågor om din feber." en "Answer a few questions about your fever."
  outcome call_112: emergency "Ring 112 nu." en "Call 112 now."
  outcome visit: visit "Kontakta vårdcentralen i dag." en "Contact your health centre today." urgency same_day
  outcome advice: self_care "Vila och drick mycket." en "Rest and drink plenty."
  page symptoms "Dina symtom" en "Your symptoms" {
    question fever: yes_no "Har du feber?" en "Do you have a fever?" help "Feber är 38 °C eller mer." en "A fever is 38 °C or more."
    if fever {
      question temp: decimal "Hur hög är febern?" en "How high is the fever?" unit "°C" min 35 max 43 decimals 1
      if temp >= 40 { trigger visit }
    }
    question where: single "Var har du ont?" en "Where does it hurt?" {
      option head "Huvudet" en "Head"
      option chest "Bröstet" en "Chest"
    }
    if where is chest { end call_112 }
    question note: text "Vill du berätta något mer?" en "Anything else?" max_length 100 optional
  }
  end advice
}
'''


@pytest.fixture()
def flow(tmp_path):
    path = tmp_path / "fever.flow"
    path.write_text(FLOW, encoding="utf-8")
    return path


def start(flow, *extra):
    child = pexpect.spawn(sys.executable, [str(ROOT / "cli.py"), "simulate", str(flow), "-p",
                                           person_born(dt.date(1980, 1, 30)), "--now", "2024-03-01T10:00", *extra],
                          cwd=str(ROOT), encoding="utf-8", timeout=20, dimensions=(40, 200))
    return child


def finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus


def test_a_walk_with_bad_input_help_and_the_outcome(flow):
    child = start(flow)
    child.expect("Svara på några frågor om din feber.")
    child.expect("── Dina symtom ──")
    child.expect("Har du feber\\?")
    child.sendline("?")
    child.expect("Feber är 38 °C eller mer.")
    child.sendline("kanske")
    child.expect("svara ja eller nej")  # the answer checks speak the walk's language
    child.sendline("ja")
    child.expect("Hur hög är febern\\? \\[°C\\]")
    child.sendline("44")
    child.expect("svaret ska vara mellan 35 och 43 °C")
    child.sendline("40,2")
    child.expect("2\\) Bröstet")
    child.sendline("3")
    child.expect("välj en siffra från 1 till 2")
    child.sendline("<script>")
    child.expect("välj en siffra från 1 till 2")  # not "'this answer' is not an option of 'where'"
    child.sendline("1")
    child.expect("frivillig")
    child.sendline("")  # optional: Enter skips
    child.expect("Sammanfattning av dina svar")
    child.expect("40.2")
    child.expect("Resultat: visit \\(visit, same_day\\)")
    child.expect("Kontakta vårdcentralen i dag.")
    assert finish(child) == 0


def test_going_back_discards_answers_that_leave_the_route(flow):
    child = start(flow)
    child.expect("Har du feber\\?")
    child.sendline("ja")
    child.expect("Hur hög är febern")
    child.sendline("40.5")
    child.expect("Var har du ont")
    child.sendline("<")  # back to the temperature
    child.expect("Hur hög är febern.*Enter behåller: 40.5")
    child.sendline("<")  # back to fever
    child.expect("Har du feber.*Enter behåller: Ja")
    child.sendline("nej")  # the temperature is no longer on the route
    child.expect("Var har du ont")
    child.sendline("1")
    child.expect("frivillig")
    child.sendline("inget")
    child.expect("Sammanfattning av dina svar")
    child.expect("Resultat: advice")
    summary = child.before
    assert "40.5" not in summary and "Hur hög är febern" not in summary
    assert finish(child) == 0


def test_back_on_the_first_question_and_english(flow):
    child = start(flow, "--lang", "en")
    child.expect("Do you have a fever\\?")
    child.sendline("<")
    child.expect("This is the first question.")
    child.sendline("maybe")
    child.expect("expected yes or no")  # in English when the walk is
    child.sendline("no")
    child.expect("Where does it hurt")
    child.sendline("2")
    child.expect("Result: call_112 \\(emergency, immediate\\)")
    child.expect("Call 112 now.")
    assert finish(child) == 0


def test_ctrl_c_exits_cleanly(flow):
    child = start(flow)
    child.expect("Har du feber\\?")
    child.sendintr()
    child.expect("Avbrutet.")
    assert finish(child) == 130
    assert "Traceback" not in child.before


def test_end_of_input_and_quit(flow):
    child = start(flow)
    child.expect("Har du feber\\?")
    child.sendeof()
    child.expect("Inmatningen tog slut")
    assert finish(child) == 1
    child = start(flow)
    child.expect("Har du feber\\?")
    child.sendline("q")
    child.expect("Avslutat. Inget skickades.")
    assert finish(child) == 0


def test_a_region_flow_to_an_emergency(tmp_path):
    child = start(ROOT / "regions/jonkoping/flows/symptom_assessment.flow")
    child.expect("Vilka besvär har du")
    child.sendline("1, 2")
    child.expect("blå läppar")
    child.sendline("nej")
    child.expect("bröstet")
    child.sendline("ja")
    child.expect("Resultat: call_112")
    assert finish(child) == 0


HOSTILE = '''flow hostile "Fientlig \\u{1b}" {
  languages sv
  outcome done: information "Klart."
  question note: text "Skriv [link=https://example.org]här[/link]" max_length 200
  end done
}
'''


def test_hostile_answers_cannot_restyle_the_terminal(tmp_path):
    flow = tmp_path / "hostile.flow"
    flow.write_text(HOSTILE.replace("\\u{1b}", ""), encoding="utf-8")
    child = start(flow)
    child.expect_exact("[link=https://example.org]här[/link]")
    child.sendline("\x1b]8;;https://evil.example\x1b\\klicka\x1b]8;;\x1b\\ \u202eabc")
    child.expect("Sammanfattning")
    child.expect("Resultat")
    shown = child.before
    assert "<U+001B>]8;;https://evil.example" in shown and "<U+202E>abc" in shown
    assert finish(child) == 0


def test_the_end_of_a_walk_gives_the_path_of_its_pdf(tmp_path):
    flow = tmp_path / "fever.flow"
    flow.write_text(FLOW.replace("  end advice\n}", '  end advice\n  pdf summary "Sammanfattning" en "Summary" {\n'
                                 '    template health_declaration\n    row fever red when fever\n'
                                 '    valid 12 months\n  }\n}'), encoding="utf-8")
    out = tmp_path / "pdf"
    child = start(flow, "--pdf", str(out))
    child.expect("Har du feber\\?")
    child.sendline("nej")
    child.expect("Var har du ont")
    child.sendline("1")
    child.expect("frivillig")
    child.sendline("")
    child.expect("Resultat: advice")
    child.expect("PDF: .*fever-summary.pdf")
    assert finish(child) == 0
    assert [p.name for p in out.iterdir()] == ["fever-summary.pdf"]


def test_a_runtime_fault_shows_its_diagnostic(tmp_path):
    flow = tmp_path / "divide.flow"
    flow.write_text('flow divide "Delning" {\n  languages sv\n  outcome done: information "Klart."\n'
                    '  question a: integer "Första talet?" min 0 max 9\n'
                    '  question b: integer "Andra talet?" min 0 max 9\n'
                    '  let r = 10 / (a - b)\n  if r > 1 { end done }\n  end done\n}\n', encoding="utf-8")
    child = start(flow)
    child.expect("Första talet")
    child.sendline("3")
    child.expect("Andra talet")
    child.sendline("3")
    child.expect("se diagnosen nedan")
    child.expect(r"error\[FF605\]: the form failed at flow line 6: computing 'r': division by zero")
    assert finish(child) == 1
    assert "Traceback" not in child.before
