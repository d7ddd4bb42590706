"""The checker: names, answer availability, types, translations, structure and ranges."""

from __future__ import annotations

import pytest

from conftest import body, check, codes, diagnose, only, position, span_text

PAIN = 'question pain: single "Hur ont har du?" {\n  option mild "Lite"\n  option severe "Mycket"\n}\n'
OPTIONAL_W = 'question w: integer "Vikt?" unit "kg" min 1 max 300 optional\n'


def lines_of(d) -> list[int]:
    return [d.source.line_col(lab.span.start)[0] for lab in [d.primary, *d.secondary]]


# ---------------------------------------------------------------- ids and names


def test_duplicate_question_points_at_both_places():
    text = body('question fever: yes_no "Har du feber?"\nquestion cough: yes_no "Hosta?"\n'
                'question fever: yes_no "Igen?"\nif fever { end done }')
    d = only(diagnose(text), "FF201")
    assert "'fever'" in d.message and "question" in d.message
    assert position(d) == (6, 12)  # the second definition is the error
    assert len(d.secondary) == 1
    assert lines_of(d) == [6, 4]
    assert d.secondary[0].message == "first defined here"
    assert span_text(d) == "fever"


def test_duplicate_across_kinds():
    text = body('outcome fever: information "Info."\nquestion fever: yes_no "Har du feber?"\nif fever { end done }')
    d = only(diagnose(text), "FF201")
    assert "already an outcome" in d.message
    assert lines_of(d) == [5, 4]


def test_duplicate_option_codes():
    text = body('question pain: single "Ont?" {\n  option mild "Lite"\n  option mild "Mycket"\n}\nif pain is mild { end done }')
    d = only(diagnose(text), "FF201")
    assert "option 'mild'" in d.message
    assert lines_of(d) == [6, 5]


def test_same_option_code_in_two_questions_is_fine():
    text = body(PAIN + 'question ache: single "Värk?" {\n  option mild "Lite"\n  option severe "Mycket"\n}\n'
                'if pain is mild and ache is severe { end done }')
    assert diagnose(text) == []


def test_undefined_name_did_you_mean():
    d = only(diagnose(body('question fever: yes_no "Har du feber?"\nif fevr { end done }')), "FF202")
    assert d.message == "'fevr' is not defined"
    assert d.help == "did you mean 'fever'?"
    assert position(d) == (5, 6)


def test_undefined_name_without_a_close_match():
    d = only(diagnose(body('question fever: yes_no "Har du feber?"\nif xyzzy { end done }')), "FF202")
    assert "define it" in d.help


def test_bare_fact_name_suggests_citizen():
    d = only(diagnose(body("if age >= 65 { end done }")), "FF202")
    assert "citizen.age" in d.help


def test_unknown_fact_did_you_mean():
    d = only(diagnose(body("if citizen.agee >= 65 { end done }")), "FF210")
    assert "citizen.age" in d.help


def test_end_unknown_outcome_did_you_mean():
    d = only(diagnose(body('outcome advice: self_care "Egenvård."\nquestion a: yes_no "A?"\nif a { end advise }')), "FF202")
    assert "advise" in d.message
    assert d.help == "did you mean 'advice'?"


def test_end_names_a_question():
    d = only(diagnose(body('question fever: yes_no "Har du feber?"\nif fever { end fever }')), "FF216")
    assert "question" in d.message


def test_keyword_as_id():
    d = only(diagnose(body("let today = 1\nif today > 0 { end done }")), "FF206")
    assert "'today'" in d.message


def test_unknown_function_did_you_mean():
    d = only(diagnose(body("let x = rund(1.5, 0)\nif x > 1 { end done }")), "FF211")
    assert "round" in d.help


def test_unused_derived_value_is_a_warning():
    found = diagnose(body('question a: integer "Ålder?" min 0 max 120\nlet old = a >= 65'))
    d = only(found, "FF208")
    assert not d.is_error
    assert check(body('question a: integer "Ålder?" min 0 max 120\nlet old = a >= 65')).ok


def test_unused_outcome_is_a_warning():
    d = only(diagnose(body('outcome spare: information "Oanvänd."')), "FF209")
    assert "'spare'" in d.message and not d.is_error


# ---------------------------------------------------------------- availability of answers


def test_used_before_asked():
    d = only(diagnose(body('if fever { end done }\nquestion fever: yes_no "Har du feber?"')), "FF203")
    assert "before it is asked" in d.message
    assert lines_of(d) == [4, 5]
    assert d.secondary[0].message == "defined later, here"


def test_derived_value_used_before_computed():
    d = only(diagnose(body('question a: integer "A?" min 0 max 9\nif x > 1 { end done }\nlet x = a * 2')), "FF203")
    assert "computed" in d.message


def test_maybe_unasked():
    text = body('question fever: yes_no "F?"\nif fever {\n  question temp: decimal "T?" min 35 max 43\n}\n'
                "if temp > 39 { end done }")
    d = only(diagnose(text), "FF204")
    assert "not asked on every route" in d.message
    assert lines_of(d) == [8, 6]
    assert "answered(temp)" in d.help


def test_asked_in_every_branch_is_available():
    text = body('question fever: yes_no "F?"\nif fever {\n  question temp: decimal "T?" min 35 max 43\n}'
                ' else {\n  question temp2: decimal "T?" min 35 max 43\n  question temp: decimal "T igen?" min 35 max 43\n}\n'
                "if temp > 39 { end done }")
    assert codes(text) == ["FF201"]  # temp is asked on every route; only the duplicate id is wrong


def test_asked_in_every_completing_branch_is_available():
    text = body('question fever: yes_no "F?"\nif fever {\n  question temp: decimal "T?" min 35 max 43\n}'
                " else {\n  end done\n}\nif temp > 39 { end done }")
    assert diagnose(text) == []


def test_optional_unguarded():
    d = only(diagnose(body(OPTIONAL_W + "if w > 150 { end done }")), "FF205")
    assert "optional" in d.message
    assert "answered(w)" in d.help
    assert d.secondary[0].message == "optional question"


@pytest.mark.parametrize("snippet", [
    "if answered(w) and w > 150 { end done }",
    "if not answered(w) or w < 150 { end done }",
    "if answered(w) {\n  if w > 150 { end done }\n}",
    "if not answered(w) { end done }\nif w > 150 { end done }",
    "if not answered(w) { end done } else if w > 150 { end done }",
    "let heavy = answered(w) and w > 150\nif heavy { end done }",
    "if not (not answered(w)) and w > 150 { end done }",
    "if not (not answered(w) or w < 100) { if w > 150 { end done } }",
    "if answered(w) {\n  let double = w * 2\n  if double > 300 { end done }\n}",
])
def test_answered_guards(snippet):
    assert diagnose(body(OPTIONAL_W + snippet)) == []


@pytest.mark.parametrize("snippet", [
    "if answered(w) or w > 150 { end done }",
    "if w > 150 and answered(w) { end done }",
    "if answered(w) { end done } else { if w > 3 { end done } }",
    "if not answered(w) { trigger urgent }\nif w > 150 { end done }",  # a trigger does not leave the flow
    "if answered(w) { end done }\nif w > 150 { end done }",
])
def test_insufficient_guards(snippet):
    text = body('outcome urgent: visit "Besök." urgency same_day\n' + OPTIONAL_W + snippet)
    assert "FF205" in codes(text)


def test_early_exit_makes_a_question_available_after_it():
    text = body('question fever: yes_no "F?"\nif fever {\n  question temp: decimal "T?" min 35 max 43\n}\n'
                "if not answered(temp) { end done }\nif temp > 39 { end done }")
    assert diagnose(text) == []


def test_answered_on_a_derived_value():
    d = only(diagnose(body('let x = 1\nif answered(x) and x > 0 { end done }')), "FF307")
    assert "answered()" in d.message


# ---------------------------------------------------------------- types


def test_yes_no_compared_with_number():
    d = only(diagnose(body('question fever: yes_no "Har du feber?"\nif fever > 3 { end done }')), "FF301")
    assert d.message == "cannot compare a yes/no with a whole number"
    assert span_text(d) == ">"
    assert "`if fever`" in d.help


def test_yes_no_equals_yes_is_fine():
    assert diagnose(body('question fever: yes_no "Har du feber?"\nif fever == yes { end done }')) == []


def test_choice_compared_with_unknown_option():
    d = only(diagnose(body(PAIN + "if pain is sever { end done }")), "FF207")
    assert "'sever' is not an option of question 'pain'" == d.message
    assert d.help == "did you mean 'severe'?"
    assert span_text(d) == "sever"


def test_choice_in_list_checks_every_code():
    found = diagnose(body(PAIN + "if pain in [mild, sevre, nothing] { end done }"))
    assert [d.code for d in found] == ["FF207", "FF207"]
    assert found[0].help == "did you mean 'severe'?"
    assert "mild, severe" in found[1].help


def test_yes_no_is_a_non_option():
    d = only(diagnose(body('question fever: yes_no "F?"\nif fever is ja { end done }')), "FF207")
    assert "yes/no" in d.message


def test_choice_compared_with_a_number():
    d = only(diagnose(body(PAIN + "if pain == 3 { end done }")), "FF301")
    assert "single choice" in d.message


def test_equals_on_a_choice_hints_is():
    found = diagnose(body(PAIN + "if pain == severe { end done }"))
    assert found
    assert any("pain is severe" in (d.help or "") for d in found), [(d.code, d.help) for d in found]


def test_has_on_a_single_choice():
    d = only(diagnose(body(PAIN + "if pain has severe { end done }")), "FF307")
    assert "multiple choice" in d.message


def test_choice_as_condition():
    d = only(diagnose(body(PAIN + "if pain { end done }")), "FF302")
    assert "`is`" in d.help


def test_number_as_condition():
    d = only(diagnose(body('question t: decimal "T?" min 35 max 43\nif t { end done }')), "FF302")
    assert "temp >= 38" in d.help


def test_and_with_a_number():
    found = diagnose(body('question a: yes_no "A?"\nquestion n: integer "N?" min 0 max 9\nif a and n { end done }'))
    assert "FF301" in [d.code for d in found]


def test_date_arithmetic_is_typed():
    text = body('question d: date "När?" min 2020-01-01 max today\nif d > today - 4 weeks { end done }\n'
                "if d + 1 > today { end done }")
    d = only(diagnose(text), "FF301")
    assert "duration" in d.help


def test_function_arguments():
    d = only(diagnose(body("let x = round(1.26)\nif x > 1 { end done }")), "FF303")
    assert "round(" in d.help


def test_invalid_date_literal_in_expression():
    d = only(diagnose(body("if today > 2021-02-29 { end done }")), "FF306")
    assert "2021-02-29" in d.message


def test_number_with_too_many_digits():
    assert codes(body("let x = 1234567890123456\nif x > 1 { end done }")) == ["FF306"]


# ---------------------------------------------------------------- translations


def _flow_with_questions(n: int, languages: str, translated: str = "") -> str:
    qs = "".join(f'  question q{i}: yes_no "Fråga {i}?"{translated}\n' for i in range(n))
    title = ' en "Example"' if "en" in languages else ""
    done = ' en "Done."' if "en" in languages else ""
    return (f'flow example "Exempel"{title} {{\n  languages {languages}\n'
            f'  outcome done: information "Klart."{done}\n{qs}  end done\n}}\n')


def test_missing_translation_is_a_warning_at_the_text():
    found = diagnose(_flow_with_questions(1, "sv, en"))
    d = only(found, "FF403")
    assert not d.is_error
    assert "'en'" in d.message and "'q0'" in d.message
    assert span_text(d) == '"Fråga 0?"'


def test_missing_translations_are_capped_at_ten_and_summarised():
    found = [d for d in diagnose(_flow_with_questions(25, "sv, en")) if d.code == "FF403"]
    assert len(found) == 11
    individual = [d for d in found if d.primary is not None]
    summary = [d for d in found if d.primary is None]
    assert len(individual) == 10
    assert len(summary) == 1
    assert "15 more" in summary[0].message


def test_missing_translations_capped_per_language():
    found = [d for d in diagnose(_flow_with_questions(12, "sv, en, fi", ' en "Q?"')) if d.code == "FF403"]
    assert all("'fi'" in d.message for d in found)
    assert len(found) == 11  # 14 texts lack fi: 10 reported + 1 summary


def test_translation_summary_comes_after_the_reports():
    found = [d for d in diagnose(_flow_with_questions(25, "sv, en")) if d.code == "FF403"]
    assert "more" in found[-1].message


def test_undeclared_translation_language():
    d = only(diagnose(body('question a: yes_no "A?" fi "A?"\nif a { end done }')), "FF212")
    assert "'fi'" in d.message
    assert "languages sv, fi" in d.help


def test_duplicate_translation():
    text = ('flow example "Exempel" en "Example" {\n  languages sv, en\n'
            '  outcome done: information "Klart." en "Done." en "Finished."\n  end done\n}\n')
    d = only(diagnose(text), "FF412")
    assert len(d.secondary) == 1


def test_empty_text():
    d = only(diagnose(body('question a: yes_no "   "\nif a { end done }')), "FF411")
    assert "label of question 'a'" in d.message


# ---------------------------------------------------------------- structure


def test_unreachable_after_end():
    text = body('question fever: yes_no "F?"\nif fever {\n  end done\n  question t: integer "T?"\n}')
    d = only(diagnose(text), "FF404")
    assert not d.is_error
    assert position(d) == (7, 5)
    assert span_text(d).startswith("question t")


def test_unreachable_after_top_level_end():
    text = 'flow example "E" {\n  outcome done: information "K"\n  end done\n  question q: yes_no "Q?"\n  end done\n}\n'
    d = only(diagnose(text), "FF404")
    assert position(d) == (4, 3)


def test_missing_outcome():
    text = ('flow example "Exempel" {\n  outcome done: information "Klart."\n'
            '  question fever: yes_no "F?"\n  if fever { end done }\n}\n')
    d = only(diagnose(text), "FF405")
    assert "'example'" in d.message
    assert position(d) == (5, 1)  # at the closing brace of the flow
    assert d.is_error


def test_if_else_both_ending_is_complete():
    text = ('flow example "Exempel" {\n  outcome done: information "Klart."\n  outcome other: information "Annat."\n'
            '  question fever: yes_no "F?"\n  if fever { end done } else { end other }\n}\n')
    assert diagnose(text) == []


def test_if_without_else_can_fall_through():
    text = ('flow example "Exempel" {\n  outcome done: information "Klart."\n  outcome other: information "Annat."\n'
            '  question fever: yes_no "F?"\n  if fever { end done } else if not fever { end other }\n}\n')
    assert codes(text) == ["FF405"]


def test_trigger_alone_does_not_end_the_flow():
    text = ('flow example "Exempel" {\n  outcome urgent: visit "Besök." urgency same_day\n'
            '  question fever: yes_no "F?"\n  if fever { trigger urgent }\n}\n')
    assert codes(text) == ["FF405"]


def test_trigger_of_an_outcome():
    text = body('outcome urgent: visit "Besök." urgency same_day\nquestion fever: yes_no "F?"\nif fever { trigger urgent }')
    assert diagnose(text) == []


def test_trigger_of_least_urgent_outcome_never_wins():
    text = body('outcome advice: self_care "Egenvård."\nquestion cold: yes_no "Förkyld?"\nif cold { trigger advice }')
    d = only(diagnose(text), "FF415")
    assert not d.is_error
    assert "end advice" in d.help


def test_trigger_respects_custom_urgency_scale():
    text = ('flow example "Exempel" {\n  urgency_levels now, later\n  outcome done: information "Klart." urgency later\n'
            '  outcome go: visit "Gå." urgency now\n  question a: yes_no "A?"\n  if a { trigger go }\n  end done\n}\n')
    assert diagnose(text) == []


def test_unknown_urgency_level():
    d = only(diagnose(body('outcome go: visit "Gå." urgency soonish\nquestion a: yes_no "A?"\nif a { end go }')), "FF215")
    assert "immediate" in d.help


def test_unknown_outcome_kind():
    d = only(diagnose(body('outcome go: emergncy "Ring 112."\nquestion a: yes_no "A?"\nif a { end go }')), "FF214")
    assert d.help == "did you mean 'emergency'?"


def test_empty_if_block():
    assert codes(body('question a: yes_no "A?"\nif a { }')) == ["FF402"]


def test_nested_pages():
    d = only(diagnose(body('page a "A" {\n  page b "B" { question x: yes_no "X?" }\n}')), "FF408")
    assert len(d.secondary) == 1


def test_duplicate_setting():
    text = 'flow example "E" {\n  version "1"\n  version "2"\n  outcome done: information "K"\n  end done\n}\n'
    d = only(diagnose(text), "FF409")
    assert lines_of(d) == [3, 2]


def test_flow_id_must_match_file_name():
    d = only(diagnose(body('question a: yes_no "A?"\nif a { end done }'), name="regions/x/flows/other.flow"), "FF410")
    assert "other.flow" in d.message
    assert not d.is_error


# ---------------------------------------------------------------- questions


def test_unknown_question_type():
    d = only(diagnose(body('question fever: yesno "Har du feber?"')), "FF213")
    assert d.help == "did you mean 'yes_no'?"
    assert span_text(d) == "yesno"


def test_unknown_question_type_without_a_close_match():
    d = only(diagnose(body('question fever: blob "Har du feber?"')), "FF213")
    assert "yes_no" in d.help and "attachment" in d.help


@pytest.mark.parametrize("qtype, attr", [
    ("yes_no", 'unit "kg"'), ("yes_no", "min 3"), ("text", "min 1"), ("integer", "max_length 5"),
    ("date", 'unit "d"'), ("info", "optional"), ("acknowledge", "optional"), ("single", "decimals 1"),
    ("integer", "decimals 1"), ("text", 'accept "image/png"'),
])
def test_attribute_not_allowed(qtype, attr):
    options = ' {\n  option a "A"\n  option b "B"\n}' if qtype == "single" else ""
    d = only(diagnose(body(f'question q: {qtype} "Fråga?" {attr}{options}')), "FF304")
    assert f"apply to a{'n' if qtype[0] in 'aeiou' else ''} {qtype} question" in d.message
    assert span_text(d) == attr


def test_attribute_given_twice():
    d = only(diagnose(body('question q: integer "Q?" min 1 min 2')), "FF414")
    assert len(d.secondary) == 1


def test_choice_needs_two_options():
    assert codes(body('question pain: single "Ont?"')) == ["FF406"]
    assert codes(body('question pain: single "Ont?" {\n  option a "A"\n}')) == ["FF406"]


def test_options_on_a_yes_no_question():
    assert codes(body('question pain: yes_no "Ont?" {\n  option a "A"\n  option b "B"\n}')) == ["FF406"]


def test_two_exclusive_options():
    text = body('question w: multiple "Var?" {\n  option a "A"\n  option n1 "Inget" exclusive\n  option n2 "Ingen" exclusive\n}')
    d = only(diagnose(text), "FF407")
    assert len(d.secondary) == 1


@pytest.mark.parametrize("bounds", [
    "min 10 max 5", "min 0 max -1", "min -1 max -2", "min 1.5 max 1.25",
])
def test_impossible_number_ranges(bounds):
    qtype = "decimal" if "." in bounds else "integer"
    d = only(diagnose(body(f'question q: {qtype} "Q?" {bounds}')), "FF401")
    assert "min is greater than max" in d.message
    assert len(d.secondary) == 1 and d.secondary[0].message == "max"


@pytest.mark.parametrize("bounds", ["min 5 max 5", "min -10 max -2", "min 0.5 max 1", "min 1 max 1.0"])
def test_possible_number_ranges(bounds):
    qtype = "decimal" if "." in bounds else "integer"
    assert diagnose(body(f'question q: {qtype} "Q?" {bounds}')) == []


@pytest.mark.parametrize("bounds", [
    "min 2021-01-02 max 2021-01-01",
    "min today max today - 1 day",
    "min today + 1 month max today + 20 days",
    "min today - 1 week max today - 8 days",
    "min today + 2 years max today + 700 days",
])
def test_impossible_date_ranges(bounds):
    assert codes(body(f'question d: date "När?" {bounds}')) == ["FF401"]


@pytest.mark.parametrize("bounds", [
    "min 2021-01-01 max 2021-01-01",
    "min today - 12 months max today",
    "min 1999-01-31 max today",  # today is 2000-01-01 or later (analysis/universe.py)
    "min today - 1 week max today - 7 days",
    "min today - 1 month max today - 1 week",
])
def test_possible_date_ranges(bounds):
    assert diagnose(body(f'question d: date "När?" {bounds}')) == []


def test_a_fixed_min_with_max_today_has_no_answer_before_it():
    """The analyser's days do not start at the dates a flow names: before 2020-01-31 nothing is valid."""
    found = diagnose(body('question d: date "När?" min 2020-01-31 max today'))
    assert [d.code for d in found] == ["FF810"]
    day = found[0].message.split("for example on ")[1].rstrip(")")
    assert "2000-01-01" <= day < "2020-01-31"


@pytest.mark.parametrize("bounds", [
    "min today - 1 year max today - 12 months",
    "min today + 12 months max today + 1 year",
    "min today - 12 months max today",
    "min today max today + 3 years",
    "min today - 2 weeks max today + 1 month",
])
def test_equal_calendar_offsets_are_a_possible_range(bounds):
    assert diagnose(body(f'question d: date "När?" {bounds}')) == []


def test_number_bound_on_a_date_question():
    assert codes(body('question d: date "När?" min 1900')) == ["FF305"]


def test_date_bound_on_a_number_question():
    assert codes(body('question n: integer "N?" min 2020-01-01')) == ["FF305"]


def test_decimal_bound_on_an_integer_question():
    d = only(diagnose(body('question n: integer "N?" min 1.5')), "FF305")
    assert "decimal" in d.help


def test_invalid_date_bound():
    d = only(diagnose(body('question d: date "När?" min 2021-02-29')), "FF306")
    assert span_text(d) == "2021-02-29"


@pytest.mark.parametrize("attr", ["max_length 0", "max_length 100001", "decimals 7"])
def test_attribute_values_out_of_range(attr):
    qtype = "decimal" if "decimals" in attr else "text"
    assert codes(body(f'question q: {qtype} "Q?" {attr}')) == ["FF414"]


def test_accept_needs_media_types():
    d = only(diagnose(body('question f: attachment "Bild?" accept "image/png", "jpeg"')), "FF414")
    assert "'jpeg'" in d.message


def test_all_problems_reported_at_once():
    text = body('question a: yesno "A?"\nquestion b: yes_no "B?" unit "kg"\nquestion c: integer "C?" min 10 max 5\n'
                "if fevr { end done }\nif b > 1 { end nowhere }")
    assert sorted(codes(text)) == sorted(["FF213", "FF304", "FF401", "FF202", "FF301", "FF202"])


def test_diagnostics_are_in_source_order():
    text = body('if fevr { end done }\nquestion a: yesno "A?"\nquestion b: yes_no "B?" unit "kg"')
    found = diagnose(text)
    assert [position(d) for d in found] == sorted(position(d) for d in found)


def test_sample_flow_is_clean(sample_bytes):
    from conftest import SAMPLE

    result = check(sample_bytes, name=str(SAMPLE))
    assert list(result.diagnostics) == []
    assert result.ok
    assert [q.id for q in result.flow.questions] == [
        "breathing", "fever", "temperature", "days", "pain", "other", "note", "started"]


def test_has_any_and_has_all_check_their_codes():
    choice = 'question s: multiple "S?" {\n  option fever "Feber"\n  option rash "Utslag"\n}\n'
    # `has any [fever, rash]` alone would always hold (a required multiple choice has a choice): FF803
    assert diagnose(body(choice + "if s has any [fever] or s has all [fever, rash] { end done }")) == []
    found = diagnose(body(choice + "if s has any [fever, rsh] { end done }"))
    assert [d.code for d in found] == ["FF207"] and "rash" in found[0].help
    assert codes(body('question p: single "P?" {\n  option a "A"\n  option b "B"\n}\nif p has any [a, b] { end done }')) == ["FF307"]


def test_an_id_shared_by_a_page_and_a_question_is_one_error_not_one_per_read():
    text = body('page allergies "Allergier" {\n  question allergies: yes_no "Allergi?"\n}\n'
                "if allergies { end done }\nif not allergies { end done }")
    assert codes(text) == ["FF201"]
