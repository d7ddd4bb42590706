"""Whatever the input, the front end answers with diagnostics or a flow, never with an exception.

Derandomized and without an example database, so CI runs the same cases every time.
"""

from __future__ import annotations

import json
import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from formflow import api
from formflow.diagnostics.render import render_github, render_json, render_text
from formflow.syntax.parse import parse_bytes, parse_text

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
SAMPLE_LINES = SAMPLE_TEXT.splitlines(keepends=True)
# Pieces of the language, so that random text often gets past the first token.
FRAGMENTS = ["flow", "x", '"Text"', "{", "}", "(", ")", "[", "]", ":", ",", ".", "=", "==", "<", ">=", "+", "-",
             "*", "/", "question", "yes_no", "single", "integer", "date", "option", "outcome", "information",
             "if", "else", "end", "trigger", "let", "page", "and", "or", "not", "is", "in", "has", "min", "max",
             "today", "2021-02-29", "12", "1.5", "days", "en", "sv", "answered", "citizen", "age", '"""',
             "\n", " ", "\t", "#", "\\", '"', "å", "\u202e", "\u200b", "\r\n"]


def assert_answers(result: api.FileResult) -> None:
    """A result is a flow, or at least one error; and every diagnostic can be shown."""
    assert result.flow is not None or any(d.is_error for d in result.diagnostics)
    if result.flow is not None:
        assert not any(d.is_error for d in result.diagnostics)
    for d in result.diagnostics:
        assert d.code.startswith("FF") and d.message
        render_text(d)
        render_text(d, color=True)
        render_github(d)
    json.loads(render_json(result.diagnostics))


@FUZZ
@given(st.text())
def test_arbitrary_text(text):
    parsed = parse_text("fuzz.flow", text)
    assert parsed.flow is not None or parsed.diagnostics
    assert_answers(api.check_source("fuzz.flow", text.encode("utf-8")))


@FUZZ
@given(st.binary())
def test_arbitrary_bytes(raw):
    parsed = parse_bytes("fuzz.flow", raw)
    assert parsed.flow is not None or parsed.diagnostics
    assert_answers(api.check_source("fuzz.flow", raw))


@FUZZ
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join))
def test_token_soup(text):
    assert_answers(api.check_source("fuzz.flow", text.encode("utf-8")))


@st.composite
def mutated_lines(draw):
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


@st.composite
def mutated_chars(draw):
    text = SAMPLE_TEXT
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]))
        i = draw(st.integers(0, len(text) - 1))
        n = draw(st.integers(1, 8))
        if op == "delete":
            text = text[:i] + text[i + n:]
        elif op == "duplicate":
            text = text[:i] + text[i:i + n] + text[i:]
        elif op == "swap":
            j = draw(st.integers(0, len(text) - 1))
            a, b = sorted((i, j))
            text = text[:a] + text[b:b + n] + text[a + n:b] + text[a:a + n] + text[b + n:]
        else:
            text = text[:i] + draw(st.sampled_from(FRAGMENTS)) + text[i:]
    return text


@FUZZ
@given(mutated_lines())
def test_mutated_lines_of_the_sample(text):
    assert_answers(api.check_source("sample.flow", text.encode("utf-8")))


@FUZZ
@given(mutated_chars())
def test_mutated_characters_of_the_sample(text):
    assert_answers(api.check_source("sample.flow", text.encode("utf-8")))


SAMPLE_TOKENS = re.findall(r'"""[\s\S]*?"""|"[^"\n]*"|\w+|[^\w\s]|\s+', SAMPLE_TEXT)
PUNCTUATION = ["(", ")", "{", "}", "[", "]", ",", ":", "=", "is", "not", "-", "+", "", '"', "if", "else"]


def mutate_tokens(rnd: random.Random) -> str:
    tokens = list(SAMPLE_TOKENS)
    for _ in range(rnd.randint(1, 3)):
        i = rnd.randrange(len(tokens))
        op = rnd.choice(["delete", "copy", "replace"])
        if op == "delete":
            del tokens[i]
        elif op == "copy":
            tokens.insert(i, tokens[rnd.randrange(len(tokens))])
        else:
            tokens[i] = rnd.choice(PUNCTUATION)
    return "".join(tokens)


# A seeded loop rather than hypothesis: hypothesis' pytest plugin writes a patch file into the
# working tree for every failing example. Before the LALR driver was rewritten, about one in twenty
# of these cases crashed error recovery (e.g. `has  ]` for `has earache {`).
def test_mutated_tokens_of_the_sample():
    rnd = random.Random(20211)
    for _ in range(300):
        text = mutate_tokens(rnd)
        assert_answers(api.check_source("sample.flow", text.encode("utf-8")))


def test_the_unmutated_sample_is_clean():
    result = api.check_source("sample.flow", SAMPLE_TEXT.encode("utf-8"))
    assert result.ok and result.diagnostics == ()
