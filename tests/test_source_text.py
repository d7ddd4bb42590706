"""Source text: encoding, line endings, invisible and look-alike characters, size and depth limits."""

from __future__ import annotations

import pytest

from conftest import body, check, codes, diagnose, only, position, span_text
from formflow.syntax.parse import parse_bytes, parse_text

CLEAN = body('question fever: yes_no "Har du feber?"\nif fever { end done }')


# ---------------------------------------------------------------- encoding


def test_clean_flow_has_no_diagnostics():
    assert diagnose(CLEAN) == []


def test_invalid_utf8_names_the_byte_and_its_offset():
    raw = CLEAN.encode()
    offset = raw.index(b"Har du feber")
    bad = raw[:offset] + b"\xe5" + raw[offset + 1:]  # Latin-1 'å' where 'H' was
    d = only(diagnose(bad), "FF001")
    assert "0xe5" in d.message
    assert f"byte offset {offset}" in d.message
    assert d.is_error
    # It points at the line and column of the bad byte.
    line = CLEAN[:offset].count("\n") + 1
    col = offset - CLEAN.rfind("\n", 0, offset)
    assert position(d) == (line, col)


def test_latin1_file_is_refused_with_one_diagnostic():
    text = body('question halsa: yes_no "Hur mår du i dag, är allt väl?"')
    found = diagnose(text.encode("latin-1"))
    assert [d.code for d in found] == ["FF001"]
    assert "UTF-8" in found[0].help


def test_invalid_utf8_offset_counts_the_bom():
    raw = b"\xef\xbb\xbf" + CLEAN.encode()
    offset = raw.index(b"Har du feber")
    bad = raw[:offset] + b"\xff" + raw[offset + 1:]
    d = only(diagnose(bad), "FF001")
    assert f"byte offset {offset}" in d.message  # the offset a hex editor shows


def test_utf8_bom_is_accepted():
    assert diagnose(b"\xef\xbb\xbf" + CLEAN.encode()) == []


def test_bom_does_not_shift_columns():
    text = body('question fever: yes_no "Har du feber?"\nif fevr { end done }')
    plain = only(diagnose(text), "FF202")
    bom = only(diagnose(b"\xef\xbb\xbf" + text.encode()), "FF202")
    assert position(plain) == position(bom)


def test_bom_and_plain_file_give_the_same_content_hash():
    # The hash identifies the source bytes: with a BOM they differ, and so must the hash.
    plain = check(CLEAN)
    bom = check(b"\xef\xbb\xbf" + CLEAN.encode())
    assert plain.ok and bom.ok
    import hashlib

    assert plain.flow.source_sha256 == hashlib.sha256(CLEAN.encode()).hexdigest()
    assert bom.flow.source_sha256 == hashlib.sha256(b"\xef\xbb\xbf" + CLEAN.encode()).hexdigest()


def test_swedish_letters_in_texts_are_fine():
    text = body('question halsa: yes_no "Hur mår du? Åäö ÅÄÖ é ü"\nif halsa { end done }')
    assert diagnose(text) == []


# ---------------------------------------------------------------- line endings

ERRORS = body('question fever: yes_no "Har du feber?"\n\nif fevr { end done }\nif feverr { end done }')


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_line_endings_give_the_same_positions(newline):
    expected = [(d.code, position(d)) for d in diagnose(ERRORS)]
    assert [c for c, _ in expected] == ["FF202", "FF202"]
    got = [(d.code, position(d)) for d in diagnose(ERRORS.replace("\n", newline))]
    assert got == expected


def test_mixed_line_endings():
    lines = ERRORS.split("\n")
    mixed = "".join(line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(lines[:-1])) + lines[-1]
    assert mixed.count("\n") < ERRORS.count("\n")
    assert [position(d) for d in diagnose(mixed)] == [position(d) for d in diagnose(ERRORS)]


def test_crlf_syntax_error_column_ignores_cr():
    text = body('question fever yes_no "Har du feber?"')
    lf = diagnose(text)
    crlf = diagnose(text.replace("\n", "\r\n"))
    assert [(d.code, position(d)) for d in crlf] == [(d.code, position(d)) for d in lf]
    assert lf[0].code == "FF101"


def test_crlf_does_not_add_cr_to_texts():
    result = check(CLEAN.replace("\n", "\r\n"))
    assert result.ok
    assert all("\r" not in q.label.values[0][1] for q in result.flow.questions)


# ---------------------------------------------------------------- control, bidi, invisible


@pytest.mark.parametrize("ch", ["\x00", "\x01", "\x1b", "\x0c", "\x7f", "\x85"])
def test_control_character_in_a_text_is_refused(ch):
    # Written out in full: the example wrapper splits lines at form feed and NEL too.
    text = f'flow example "Exempel" {{\n  outcome done: information "Klart{ch}."\n  end done\n}}\n'
    d = only(diagnose(text), "FF002")
    assert f"U+{ord(ch):04X}" in d.message
    assert span_text(d) == ch


def test_tab_is_allowed():
    assert diagnose(CLEAN.replace("  question", "\tquestion")) == []


@pytest.mark.parametrize("ch", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200f", "\u061c"])
def test_bidi_control_inside_a_text_is_refused(ch):
    text = body(f'question fever: yes_no "Har du {ch}feber?"')
    d = only(diagnose(text), "FF003")
    assert f"U+{ord(ch):04X}" in d.message
    assert span_text(d) == ch


def test_bidi_control_in_a_comment_is_refused():
    text = body('# admin\u202e \u2066 comment\nquestion fever: yes_no "Har du feber?"')
    assert set(codes(text)) == {"FF003"}


def test_arabic_translation_without_controls_is_fine():
    text = ('flow example "Exempel" ar "مثال" {\n  languages sv, ar\n'
            '  outcome done: information "Klart." ar "تم."\n  end done\n}\n')
    assert diagnose(text) == []


def test_zero_width_space_in_an_id():
    text = body('question fe\u200bver: yes_no "Har du feber?"')
    d = only(diagnose(text), "FF004")
    assert "U+200B" in d.message and "ZERO WIDTH SPACE" in d.message
    assert position(d) == (4, 14)


def test_zero_width_space_in_a_text_is_refused_too():
    text = body('question fever: yes_no "Har du\u200b feber?"')
    assert codes(text) == ["FF004"]


@pytest.mark.parametrize("ch", ["\u200c", "\u200d"], ids=["zwnj", "zwj"])
def test_joiners_are_allowed_in_texts(ch):
    # Persian needs the zero-width non-joiner, e.g. "می‌خواهم".
    text = ('flow example "Exempel" fa "نمونه" {\n  languages sv, fa\n'
            f'  outcome done: information "Klart." fa "می{ch}خواهم"\n  end done\n}}\n')
    assert diagnose(text) == []


@pytest.mark.parametrize("ch", ["\u200c", "\u200d"], ids=["zwnj", "zwj"])
def test_joiners_are_refused_in_code(ch):
    text = body(f'question fe{ch}ver: yes_no "Har du feber?"')
    d = only(diagnose(text), "FF004")
    assert span_text(d) == ch


def test_soft_hyphen_and_word_joiner_are_refused():
    assert codes(body('question fever: yes_no "Har du fe\u00adber?"')) == ["FF004"]
    assert codes(body('question fever: yes_no "Har du fe\u2060ber?"')) == ["FF004"]


def test_bom_in_the_middle_is_refused():
    assert codes(body('question fever: yes_no "Har du\ufeff feber?"')) == ["FF004"]


# ---------------------------------------------------------------- non-ASCII in code


def test_cyrillic_lookalike_names_the_ascii_letter():
    text = body('question f\u0435ver: yes_no "Har du feber?"')  # Cyrillic 'е'
    d = only(diagnose(text), "FF005")
    assert "U+0435" in d.message
    assert "CYRILLIC" in d.help
    assert "'e'" in d.help
    assert position(d) == (4, 13)


@pytest.mark.parametrize("ch, ascii_letter", [("\u0430", "a"), ("\u043e", "o"), ("\u0440", "p"),
                                              ("\u03bf", "o"), ("\u0391", "A"), ("\u0456", "i")])
def test_lookalike_in_an_id_names_the_ascii_letter(ch, ascii_letter):
    d = only(diagnose(body(f'question x{ch}: yes_no "X?"')), "FF005")
    assert f"'{ascii_letter}'" in d.help
    assert span_text(d) == ch


def test_lookalike_in_a_keyword():
    d = only(diagnose(body('questi\u043en fever: yes_no "Har du feber?"')), "FF005")  # Cyrillic 'о'
    assert "'o'" in d.help
    assert position(d) == (4, 9)


def test_arabic_indic_digit_in_a_bound():
    text = body('question age_years: integer "Ålder?" min \u0661 max 120')
    d = only(diagnose(text), "FF005")
    assert "U+0661" in d.message
    assert "0–9" in d.help or "0-9" in d.help


def test_swedish_letter_in_an_id_suggests_transliteration():
    d = only(diagnose(body('question hälsa: yes_no "Hur mår du?"')), "FF005")
    assert "'halsa'" not in d.help  # the hint is about the letter, not a guess at the whole id
    assert "'a'" in d.help and "'ä'" in d.help


def test_non_ascii_in_comment_is_fine():
    assert diagnose(body('# Frågor om hälsa och välmående\nquestion fever: yes_no "Har du feber?"\nif fever { end done }')) == []


def test_every_bad_character_is_reported():
    text = body('question f\u0435ver: yes_no "Har du\x01 feber?"\nquestion c\u200bough: yes_no "Hosta?"')
    assert sorted(codes(text)) == ["FF002", "FF004", "FF005"]


# ---------------------------------------------------------------- limits


def test_file_over_4_mib_is_refused():
    raw = b"# " + b"x" * (4 * 1024 * 1024)
    found = diagnose(raw)
    assert [d.code for d in found] == ["FF006"]
    assert "4,194,304" in found[0].message


def test_file_of_exactly_4_mib_is_read():
    head = CLEAN.encode()
    raw = head + b"#" * (4 * 1024 * 1024 - len(head))
    assert len(raw) == 4 * 1024 * 1024
    assert diagnose(raw) == []


def test_5000_nested_parentheses():
    text = body("let x = " + "(" * 5000 + "1" + ")" * 5000 + "\nif x > 0 { end done }")
    found = diagnose(text)  # no RecursionError
    assert [d.code for d in found] == ["FF007"]
    assert found[0].is_error


def test_deep_parentheses_unbalanced_still_gives_ff007():
    text = body("let x = " + "(" * 5000 + "1\nif x > 0 { end done }")
    assert "FF007" in codes(text)


def test_deeply_nested_if_blocks():
    text = body('question a: yes_no "A?"\n' + "if a {\n" * 200 + "end done\n" + "}\n" * 200)
    assert codes(text) == ["FF007"]


def test_64_levels_of_nesting_are_allowed():
    # the value comes from an answer, so that `x > 0` can go either way (no FF803 from the analyser)
    text = body('question n: integer "Antal?" min 0 max 9\nlet x = ' + "(" * 60 + "n" + ")" * 60
                + "\nif x > 0 { end done }")
    assert diagnose(text) == []


def test_parentheses_inside_texts_do_not_count():
    text = body('question fever: yes_no "' + "(" * 500 + '"\nif fever { end done }')
    assert diagnose(text) == []


def test_20000_operand_and_chain_checks_fine():
    text = body('question a: yes_no "A?"\nif ' + " and ".join(["a"] * 20000) + " { end done }")
    result = check(text)
    assert list(result.diagnostics) == []
    assert result.ok


def test_20000_operand_or_chain_checks_fine():
    text = body('question a: yes_no "A?"\nif ' + " or ".join(["a"] * 20000) + " { end done }")
    assert diagnose(text) == []


def test_5000_term_sum_gives_expression_depth():
    text = body("let x = " + " + ".join(["1"] * 5000) + "\nif x > 0 { end done }")
    found = diagnose(text)
    assert [d.code for d in found] == ["FF007"]
    assert "expression" in found[0].message


def test_100_term_sum_is_fine():
    text = body('question n: integer "Antal?" min 0 max 9\nlet x = ' + " + ".join(["n"] * 90)
                + "\nif x > 0 { end done }")
    assert diagnose(text) == []


def test_not_repeated_300_times_gives_ff007():
    text = body('question a: yes_no "A?"\nif ' + "not " * 300 + "a { end done }")
    assert codes(text) == ["FF007"]


def test_unary_minus_repeated_gives_ff007():
    text = body("let x = " + "- " * 300 + "1\nif x > 0 { end done }")
    assert codes(text) == ["FF007"]


def test_parse_text_and_parse_bytes_agree():
    a = parse_text("example.flow", CLEAN)
    b = parse_bytes("example.flow", CLEAN.encode())
    assert a.ok and b.ok
    assert a.flow.id.name == b.flow.id.name == "example"


def test_empty_file():
    found = diagnose(b"")
    assert found and all(d.is_error for d in found)
    assert found[0].code in ("FF101", "FF104")
