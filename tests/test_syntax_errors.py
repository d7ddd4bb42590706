"""Syntax errors read like a helpful colleague, not like a parser generator."""

from __future__ import annotations

import pytest

from conftest import TERMINAL_NAMES, all_text, body, check, codes, diagnose, only, position, span_text

# Broken inputs of many kinds; none may crash and none may show grammar-internal names.
BROKEN = [
    'question fever yes_no "Har du feber?"',
    'question fever: "Har du feber?"',
    'question : yes_no "x"',
    'if x = 3 { end done }',
    "let = 3",
    "let x 3",
    "end",
    "trigger",
    'question a: yes_no "A" en',
    'question a: yes_no "A" "B"',
    "page p { }",
    'question a: integer "A" min',
    'question a: integer "A" min abc',
    'if a in [x, { end done }',
    'outcome x information "X"',
    'question q: single "Q" { option "A" }',
    "elif x { end done }",
    "if x { end done } elif y { end done }",
    'question a: yes_no "A" @',
    "let x = 3 $ 4",
    "let x = citizen.",
    "let x = 1 +",
    "}",
    "{",
    'question a: yes_no """unterminated',
    'question a: yes_no "A" {',
    "let x = round(1, 2",
    'if (a { end done }',
    "else { end done }",
    "let x = [1, 2]",
    'question a: yes_no "A" help',
    "let x = 1 ** 2",
]


@pytest.mark.parametrize("snippet", BROKEN)
def test_broken_input_gives_friendly_errors(snippet):
    found = diagnose(body(snippet))
    assert found, "a broken flow must produce a diagnostic"
    assert any(d.is_error for d in found)
    for d in found:
        assert d.code.startswith("FF1"), (d.code, d.message)
        assert not TERMINAL_NAMES.search(all_text(d)), all_text(d)
        assert d.primary is not None and d.source is not None


# Inputs on which error recovery once crashed (a token inserted by recovery had no position, and
# building the tree from it raised TypeError; the CLI printed FF905).
CRASHERS = [
    "let y = (1\nif y > 0 { end done }",
    "if { end done }",
    'question a: single "A" {\n  option x "X"\n  option y "Y"\n}\nif a is { end done }',
]


@pytest.mark.parametrize("snippet", CRASHERS)
def test_recovery_never_crashes(snippet):
    found = diagnose(body(snippet))
    assert found and all(d.code.startswith("FF1") for d in found)


def test_missing_colon_after_question_id():
    d = only(diagnose(body('question fever yes_no "Har du feber?"')), "FF101")
    assert span_text(d) == "yes_no"
    assert position(d) == (4, 18)
    assert "':'" in d.primary.message
    assert "question fever: yes_no" in d.help


def test_missing_colon_after_outcome_id():
    d = diagnose(body('outcome go information "Gå."'))[0]
    assert d.code == "FF101"
    assert span_text(d) == "information"
    assert "':'" in d.primary.message


@pytest.mark.parametrize("typo, keyword", [("qestion", "question"), ("questoin", "question"),
                                           ("optinal", "optional"), ("qusetion", "question")])
def test_misspelt_keyword_did_you_mean(typo, keyword):
    snippet = f'question fever: yes_no "Feber?" {typo}' if typo == "optinal" else f'{typo} fever: yes_no "Feber?"'
    found = diagnose(body(snippet))
    first = found[0]
    assert first.code == "FF101"
    assert span_text(first) == typo
    assert first.help == f"did you mean '{keyword}'?"


def test_elif_suggests_else_if():
    found = diagnose(body('question a: yes_no "A?"\nif a { end done } elif not a { end done }'))
    assert found[0].code == "FF101"
    assert "else if" in found[0].help


def test_message_names_the_enclosing_block():
    d = diagnose(body('page p "P" {\n  question a yes_no "A?"\n}'))[0]
    assert d.code == "FF101"
    assert '`page p "P" {` (line 4)' in d.message


def test_expected_statements_are_summarised():
    d = diagnose(body('qestion fever: yes_no "Har du feber?"'))[0]
    assert "a statement (question, let, if, end, trigger, page)" in d.primary.message


def test_unexpected_keyword_reads_well():
    d = diagnose(body('question a: single "A?" {\n  option x "X"\n  option y "Y"\n\nif a is x { end done }'))[0]
    assert "unexpected the" not in d.message


def test_translation_without_language_code():
    d = diagnose(body('question a: yes_no "Ont?" "Pain?"'))[0]
    assert d.code == "FF101"
    assert '"Feber" en "Fever"' in d.help


@pytest.mark.parametrize("word", ["if", "end", "question", "yes"])
def test_keyword_as_question_id(word):
    d = diagnose(body(f'question {word}: yes_no "Om?"'))[0]
    assert d.code in ("FF101", "FF206")
    assert "keyword" in all_text(d)


# ---------------------------------------------------------------- texts


def test_unterminated_text_points_at_the_opening_quote():
    text = body('question fever: yes_no "Har du feber?\nquestion cough: yes_no "Hosta?"')
    found = diagnose(text)
    d = found[0]
    assert d.code == "FF102"
    assert position(d) == (4, 26)
    assert span_text(d) == '"'
    assert '"""' in d.help
    assert [x.code for x in found] == ["FF102"]  # the next line is read normally again


def test_unterminated_long_text():
    found = diagnose(body('question fever: yes_no """Har du feber?\nquestion cough: yes_no "Hosta?"'))
    assert found and found[0].code in ("FF102", "FF104")


def test_invalid_escape():
    text = body('question path: text "Ange sökväg C:\\mapp"')
    d = only(diagnose(text), "FF105")
    assert span_text(d) == "\\m"
    assert "\\m" in d.message
    assert "\\\\" in d.help


def test_valid_escapes_are_decoded():
    result = check(body('question q: yes_no "Säg \\"hej\\" \\\\ och\\nny rad"\nif q { end done }'))
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    label = dict(result.flow.questions[0].label.values)["sv"]
    assert label == 'Säg "hej" \\ och\nny rad'


def test_every_invalid_escape_is_reported():
    text = body('question a: text "x\\q \\t"\nquestion b: text "\\u00e5"')
    assert codes(text) == ["FF105", "FF105", "FF105"]


def test_triple_quoted_text_folds_lines():
    text = body('question c: acknowledge "Jag godkänner."\n  terms """\n    Första raden\n'
                '    fortsätter här.\n\n    Nytt stycke\n    här.\n  """\nif c { end done }')
    result = check(text)
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    terms = dict(result.flow.questions[0].terms.values)["sv"]
    assert terms == "Första raden fortsätter här.\n\nNytt stycke här."


def test_triple_quoted_text_may_contain_quotes():
    result = check(body('question c: yes_no """Har du "feber"?"""\nif c { end done }'))
    assert result.ok
    assert dict(result.flow.questions[0].label.values)["sv"] == 'Har du "feber"?'


def test_triple_quoted_text_keeps_line_numbers():
    text = body('question c: info """\n  Rad ett\n  rad två\n"""\nif fevr { end done }')
    d = only(diagnose(text), "FF202")
    assert position(d) == (8, 6)


# ---------------------------------------------------------------- characters and the end of the file


def test_semicolon():
    d = only(diagnose(body('question fever: yes_no "Har du feber?";')), "FF103")
    assert span_text(d) == ";"
    assert "no ';' is needed" in d.help


def test_unexpected_character():
    d = only(diagnose(body('question fever: yes_no "Har du feber?" @')), "FF103")
    assert "'@'" in d.message


def test_unclosed_block_names_its_line():
    text = ('flow example "Exempel" {\n  outcome done: information "Klart."\n'
            '  question fever: yes_no "Feber?"\n  if fever {\n    end done\n\n')
    d = only(diagnose(text), "FF104")
    assert "(line 4)" in d.message
    assert "if fever {" in d.message
    assert "'}'" in d.help
    assert position(d)[0] == 5  # at the last character of the file, not past it


def test_unclosed_flow_block():
    d = only(diagnose('flow example "Exempel" {\n  outcome done: information "Klart."\n  end done\n'), "FF104")
    assert "(line 1)" in d.message


def test_several_independent_errors_are_all_reported():
    text = body(
        'question fever yes_no "Har du feber?"\n'
        'question cough: yes_no "Hosta?"\n'
        'qestion pain: yes_no "Ont?"\n'
        'question x: yes_no "X?" ;\n'
        'question y: yes_no "Y?\n'
        '\n'
        'question z: yes_no "Z?" optinal'
    )
    found = diagnose(text)
    assert [(d.code, position(d)[0]) for d in found] == [
        ("FF101", 4), ("FF101", 6), ("FF103", 7), ("FF102", 8), ("FF101", 10)]


def test_syntax_errors_are_capped():
    text = body("\n".join(f'question q{i} yes_no "Q?"' for i in range(40)))
    found = diagnose(text)
    assert len(found) == 21
    assert sum(1 for d in found if d.primary is not None) == 20
    assert "stopped after 20" in found[-1].message


def test_no_checks_run_on_a_file_with_syntax_errors():
    # Names are checked once the syntax is clean: an undefined name is not reported yet.
    found = diagnose(body('question fever yes_no "Feber?"\nif fevr { end done }'))
    assert [d.code for d in found] == ["FF101"]


def test_not_a_flow_at_all():
    found = diagnose("Hello! This is not a flow file.\n")
    assert found and found[0].code in ("FF101", "FF103")
    assert not TERMINAL_NAMES.search(all_text(found[0]))


def test_two_flows_in_one_file():
    one = 'flow a "A" {\n  outcome done: information "K"\n  end done\n}\n'
    found = diagnose(one + one.replace("flow a", "flow b"))
    assert found[0].code == "FF101"
    assert position(found[0]) == (5, 1)
    assert "end of the file" in found[0].primary.message


def test_a_missing_id_does_not_flag_the_next_line():
    text = body('question : yes_no "Har du feber?"\nquestion cough: yes_no "Hosta?"\nif cough { end done }')
    found = diagnose(text)
    assert found[0].code == "FF101" and position(found[0]) == (4, 12)
    flagged = [position(d) for d in found]
    assert (5, 3) not in flagged and (5, 12) not in flagged, flagged  # `question cough` on line 5 is fine


def test_one_mistake_gives_one_error():
    for snippet in ('question fever yes_no "Har du feber?"', 'qestion fever: yes_no "Har du feber?"',
                    'question fever: yes_no "Har du feber?" ;', 'outcome go information "Gå."'):
        found = diagnose(body(snippet + '\nquestion cough: yes_no "Hosta?"\nif cough { end done }'))
        assert len(found) == 1, (snippet, [(d.code, d.message, position(d)) for d in found])


def test_a_statement_starting_with_a_text_after_a_label_is_not_a_translation():
    text = body('question q: text "Q"\nif "x" == q { end done }\nquestion r: text "R"\nif "y" == r or "z" == r { end done }')
    assert diagnose(text) == []


def test_translations_split_from_one_token_keep_their_positions():
    found = diagnose('flow example "Exempel" en "Example" {\n  languages sv, en\n'
                     '  outcome done: information "Klart." fi "Valmis" en "Done."\n  end done\n}\n')
    line = '  outcome done: information "Klart." fi "Valmis" en "Done."'
    assert [d.code for d in found] == ["FF212"]
    assert position(found[0]) == (3, line.index("fi") + 1)
