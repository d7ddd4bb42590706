"""The interactive simulator's words: every answer check a citizen can meet reads in Swedish."""

from __future__ import annotations

import datetime as dt

import pytest
from simkit import program

from formflow.simulate.answers import AnswerError, parse_choices, parse_scalar
from formflow.simulate.interactive_text import answer_error

FLOW = '''question yn: yes_no "Ja eller nej?"
question ok: acknowledge "Godkänn" terms "Villkor."
question n: integer "Antal?" min 1 max 9
question low: integer "Minst?" min 1
question high: integer "Högst?" max 9
question d: decimal "Temp?" unit "°C" min 35 max 43 decimals 1
question t: text "Text?" max_length 5
question day: date "Datum?" min 2020-01-01 max today
question after: date "Efter?" min 2020-01-01
question before: date "Före?" max today
question photo: attachment "Bild?" accept "image/jpeg"
question m: multiple "Vilka?" {
  option a "A"
  option b "B"
  option none_of_these "Inget" exclusive
}
'''

BAD = [("yn", "kanske"), ("ok", "nej"), ("ok", "kanske"), ("n", "x"), ("n", "0"), ("low", "0"), ("high", "10"),
       ("d", "x"), ("d", "37.55"), ("d", "50"), ("t", "sex tecken"), ("day", "igår"), ("day", "2021-02-30"),
       ("day", "2019-01-01"), ("after", "2019-01-01"), ("before", "2999-01-01"), ("photo", "ja ja"), ("photo", "a.exe")]


@pytest.fixture(scope="module")
def form():
    return program(FLOW)


@pytest.mark.parametrize("qid, text", BAD)
def test_every_answer_check_has_swedish_words(form, qid, text):
    with pytest.raises(AnswerError) as caught:
        parse_scalar(form.questions[qid], text, dt.date(2024, 3, 1))
    message, hint = caught.value.message, caught.value.help
    assert answer_error(message, "sv") != message, message
    assert not hint or "options are" in hint or answer_error(hint, "sv") != hint, hint
    assert answer_error(message, "en") == message


@pytest.mark.parametrize("codes", [[], ["a", "a"], ["a", "none_of_these"]])
def test_choice_checks_have_swedish_words(form, codes):
    with pytest.raises(AnswerError) as caught:
        parse_choices(form.questions["m"], codes)
    assert answer_error(caught.value.message, "sv") != caught.value.message


def test_the_numbers_and_unit_survive_the_translation():
    assert answer_error("the answer must be between 35 and 43 °C", "sv") == "svaret ska vara mellan 35 och 43 °C"
    assert answer_error("something new", "sv") == "something new"  # unmatched: left as written, never guessed
