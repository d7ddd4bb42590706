"""Region configuration (region.yaml): strict loading, every problem at its place, HSA-ids and
SNOMED CT codes, adding a clinic without touching the rest of the file, `formflow region`."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from conftest import ROOT
from formflow.diagnostics.catalog import CODES
from formflow.diagnostics.render import render_text
from formflow.region import edit as edit_module
from formflow.region import load as load_module
from formflow.region.command import region_app
from formflow.region.edit import NewClinic, add_clinic, insert_clinic
from formflow.region.hsa import hsa_problem, luhn_ok, organisation_number
from formflow.region.load import load_region_file, load_region_text
from formflow.region.snomed import check_digit, concept_problem, namespace, partition, verhoeff_ok

REGIONS = ROOT / "regions"
ORG_NUMBERS = {"halland": "2321000115", "skane": "2321000255", "jonkoping": "2321000057"}
CODES_BY_REGION = {"halland": "13", "skane": "12", "jonkoping": "06"}

MINIMAL = '''\
# A small region for tests.
code: "13"
name: Region Test

# booking systems
booking_systems:
  pmo:
    name: PMO
    earliest_booking: same_day
    cancel_until_hours: 0
    rebook_until_hours: 0
    horizon_days: 42

# clinics
clinics:
  vc_a:
    name: Vårdcentralen A
    hsa_id: SE2321000115-E1
    booking_system: pmo
    appointment_types: [visit]

# appointment types
appointment_types:
  visit:
    local_name: Mottagningsbesök
    snomed_code: "11429006"
    standard_name: Consultation
    protected: no
    duration_minutes: 30
    time_type_id: MB30
'''


def problems(text: str, name: str = "region.yaml"):
    region, diags = load_region_text(name, text)
    assert region is None, "expected problems"
    return diags


def one(text: str, code: str):
    found = [d for d in problems(text) if d.code == code]
    assert len(found) == 1, [(d.code, d.message) for d in problems(text)]
    return found[0]


def where(d) -> tuple[int, int]:
    return d.position()


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def replace(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text
    return text.replace(old, new, 1)


# ---------------------------------------------------------------------------------------- the regions

@pytest.mark.parametrize("name", sorted(ORG_NUMBERS))
def test_every_region_loads_clean(name):
    result = load_region_file(REGIONS / name)
    assert result.diagnostics == (), [render_text(d) for d in result.diagnostics]
    region = result.region
    assert region.code == CODES_BY_REGION[name]
    assert len(region.clinics) >= 3 and region.appointment_types and region.terms and region.handoffs
    for clinic in region.clinics:  # HSA-ids built from the region's real organisation number
        assert organisation_number(clinic.hsa_id) == ORG_NUMBERS[name]
        assert region.booking_system(clinic.booking_system) is not None
    for terms in region.terms:
        assert terms.text.languages[:2] == ("sv", "en")


def test_regions_have_the_real_rules_of_pasis_and_pmo():
    systems = {b.name: b for name in ORG_NUMBERS for b in load_region_file(REGIONS / name).region.booking_systems}
    pasis, pmo = systems["PASiS"], systems["PMO"]
    assert (pasis.earliest_booking, pasis.cancel_until_hours, pasis.rebook_until_hours) == ("next_day", 24, 24)
    assert pasis.open_invitations
    assert pmo.earliest_booking == "same_day"


def test_covid_vaccination_is_protected_with_its_swedish_snomed_code():
    for name in ORG_NUMBERS:
        covid = load_region_file(REGIONS / name).region.appointment_type("covid_vaccination")
        assert covid.snomed_code == "72791000052103" and covid.protected
        assert covid.standard_name == "Vaccination mot covid-19"


def test_the_code_line_stays_readable_by_simple_tools():
    # benchmarks and test_explore read `code: "NN"` from the first line that starts with `code:`.
    for name, code in CODES_BY_REGION.items():
        text = (REGIONS / name / "region.yaml").read_text(encoding="utf-8")
        assert next(line for line in text.splitlines() if line.startswith("code:")) == f'code: "{code}"'


def test_every_section_of_the_regions_has_an_explaining_comment():
    for name in ORG_NUMBERS:
        lines = (REGIONS / name / "region.yaml").read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.match(r"[a-z_]+:\s*$", line) or line.startswith("urgency_levels:"):
                assert lines[i - 1].startswith("#"), f"{name}: no comment above {line!r}"


def test_the_minimal_region_is_clean():
    region, diags = load_region_text("region.yaml", MINIMAL)
    assert diags == []
    assert region.clinic("vc_a").appointment_types == ("visit",)
    assert region.urgency_levels[0] == "immediate"  # the default scale


# ---------------------------------------------------------------------------------------- diagnostics

def test_unknown_key_has_its_place_and_the_nearest_key():
    text = replace("    booking_system: pmo\n", "    booking_sytem: pmo\n")
    found = problems(text)
    unknown = next(d for d in found if d.code == "FF511")
    assert where(unknown) == (line_of(text, "booking_sytem"), 5)
    assert unknown.help == "did you mean 'booking_system'?"
    missing = next(d for d in found if d.code == "FF512")
    assert missing.message == "missing key 'booking_system'"
    assert where(missing) == (line_of(text, "name: Vårdcentralen A"), 5)


def test_misspelt_section_is_reported_with_its_nearest_name():
    d = one(replace("clinics:\n", "clinic:\n"), "FF511")
    assert d.help == "did you mean 'clinics'?"


def test_rendered_diagnostic_has_file_line_column_and_caret():
    text = replace("SE2321000115-E1", "SE2321000116-E1")
    d = one(text, "FF701")
    shown = render_text(d)
    assert f"--> region.yaml:{line_of(text, 'hsa_id')}:13" in shown
    assert "^" * len("SE2321000116-E1") in shown
    assert "2321000116" not in d.message  # messages never repeat the value


@pytest.mark.parametrize("hsa, words", [
    ("SE2321000116-E1", "check digit"),
    ("se2321000115-E1", "capitals"),
    ("SE2321000115-Ö1", "only contain letters"),
    ("SE2321000115-E1@x", "only contain letters"),
    ("SE2321000115", "hyphen"),
    ("SE232100011-E1", "10 digits"),
    ("SE2321000115-" + "A" * 19, "at most 31"),
    ("US2321000115-E1", "country code SE"),
])
def test_invalid_hsa_ids_in_the_file(hsa, words):
    d = one(replace("SE2321000115-E1", hsa), "FF701")
    assert words in d.message


def test_invalid_snomed_code_is_reported_at_the_value():
    text = replace('"11429006"', '"11429007"')
    d = one(text, "FF702")
    assert where(d) == (line_of(text, "snomed_code"), 18)
    assert "check digit" in d.message and "would end in 6" in d.help


def test_unknown_booking_system_suggests_the_nearest():
    text = replace("    booking_system: pmo\n", "    booking_system: pmoo\n")
    d = one(text, "FF703")
    assert d.message == "there is no booking system 'pmoo'"
    assert d.help == "did you mean 'pmo'?"
    assert where(d) == (line_of(text, "booking_system: pmoo"), 21)


def test_unknown_appointment_type_of_a_clinic():
    text = replace("appointment_types: [visit]", "appointment_types: [visit, visits_x]")
    d = one(text, "FF703")
    assert d.message == "there is no appointment type 'visits_x'"
    assert where(d)[1] == text.splitlines()[line_of(text, "visits_x") - 1].index("visits_x") + 1


def test_an_entry_with_its_own_errors_is_not_also_unknown():
    text = replace("    earliest_booking: same_day\n", "    earliest_booking: today\n")
    assert [d.code for d in problems(text)] == ["FF706"]


def test_two_clinics_with_one_hsa_id():
    text = MINIMAL + ""
    text = replace("# appointment types\n", "  vc_b:\n    name: B\n    hsa_id: SE2321000115-E1\n"
                   "    booking_system: pmo\n\n# appointment types\n", text)
    d = one(text, "FF704")
    assert where(d)[0] == line_of(text, "name: B") + 1
    assert d.secondary[0].message == "first clinic with it"


def test_duplicate_clinic_id_is_a_duplicate_key():
    text = replace("# appointment types\n", "  vc_a:\n    name: B\n\n# appointment types\n")
    region, diags = load_region_text("region.yaml", text)
    assert [d.code for d in diags] == ["FF507"]


def test_ids_are_lower_case_and_not_keywords():
    found = problems(replace("  vc_a:\n", "  VC-A:\n"))
    assert [d.code for d in found] == ["FF705"]
    d = one(replace("  visit:\n", "  terms:\n"), "FF705")
    assert "keyword" in d.message


@pytest.mark.parametrize("old, new, words", [
    ("earliest_booking: same_day", "earliest_booking: same day", "did you mean 'same_day'?"),
    ("cancel_until_hours: 0", "cancel_until_hours: 1000", "0 to 720"),
    ("horizon_days: 42", "horizon_days: 0", "1 to 730"),
    ("duration_minutes: 30", "duration_minutes: 481", "1 to 480"),
])
def test_rule_values_out_of_range(old, new, words):
    d = one(replace(old, new), "FF706")
    assert words in d.message + d.help


def test_bookable_period_dates_are_real_dates_in_order():
    base = replace("    time_type_id: MB30\n", "    time_type_id: MB30\n    bookable_from: 2021-03-01\n"
                   "    bookable_until: 2021-02-30\n")
    d = one(base, "FF513")
    assert where(d) == (line_of(base, "bookable_until"), 21)
    d = one(base.replace("2021-02-30", "2021-02-28"), "FF706")
    assert "before 'bookable_from'" in d.message
    region, diags = load_region_text("r.yaml", base.replace("2021-02-30", "2021-03-01"))
    assert diags == [] and region.appointment_type("visit").bookable_until.isoformat() == "2021-03-01"


def test_protected_must_be_written_down():
    d = one(replace("    protected: no\n", ""), "FF512")
    assert d.message == "missing key 'protected'"


def test_no_is_never_guessed_and_010_is_not_a_number():
    region, diags = load_region_text("r.yaml", replace("name: Region Test", "name: no"))
    assert diags == [] and region.name == "no"  # a text where a text is expected
    region, _ = load_region_text("r.yaml", replace("protected: no", 'protected: "no"'))
    assert region.appointment_type("visit").protected is False
    d = one(replace("duration_minutes: 30", "duration_minutes: 010"), "FF510")
    assert "leading zero" in d.help


def test_code_must_be_a_county_code_in_quotes():
    d = one(replace('code: "13"', "code: 13.0"), "FF516")
    assert where(d) == (2, 7)


def test_texts_need_swedish_and_language_codes():
    text = MINIMAL + "terms:\n  t:\n    title: {en: Terms}\n    text: {sv: Villkor, EN: Terms}\n"
    found = problems(text)
    assert [d.code for d in found] == ["FF707", "FF707"]
    assert found[0].message == "'title' has no Swedish text"
    assert found[1].message == "'EN' is not a language code"


def test_empty_text_is_refused():
    d = one(replace("name: Vårdcentralen A", 'name: "  "'), "FF707")
    assert d.message == "'name' is empty"


@pytest.mark.parametrize("kind, target, words", [
    ("web", "http://www.1177.se/", "https://"),
    ("web", "www.1177.se", "https://"),
    ("phone", "ring oss", "phone number"),
    ("webb", "https://www.1177.se/", "did you mean 'web'?"),
])
def test_handoff_targets(kind, target, words):
    text = MINIMAL + f'handoffs:\n  h:\n    kind: {kind}\n    target: "{target}"\n    label: {{sv: Gå}}\n'
    d = one(text, "FF708")
    assert words in d.message + d.help


def test_urgency_levels_unique_and_at_least_two():
    d = one(MINIMAL + "urgency_levels: [akut, idag, akut]\n", "FF704")
    assert d.secondary[0].message == "first listed here"
    d = one(MINIMAL + "urgency_levels: [akut]\n", "FF706")
    region, _ = load_region_text("r.yaml", MINIMAL + "urgency_levels: [akut, idag, senare]\n")
    assert region.urgency_levels == ("akut", "idag", "senare")


def test_all_problems_at_once_sorted_by_position():
    text = replace("SE2321000115-E1", "SE2321000116-E1", replace('"11429006"', '"11429007"',
                   replace("horizon_days: 42", "horizon_days: -1")))
    found = problems(text)
    assert [d.code for d in found] == ["FF706", "FF701", "FF702"]
    assert [where(d) for d in found] == sorted(where(d) for d in found)


@pytest.mark.parametrize("snippet, code", [
    ("name: !!str Region Test", "FF505"),
    ("name: &n Region Test\nextra: *n", "FF506"),
    ("name: Region Test\nname: Again", "FF507"),
    ("name: Region Test\n---\ncode: x", "FF509"),
])
def test_strict_yaml_refusals_reach_the_user(snippet, code):
    text = replace("name: Region Test", snippet)
    region, diags = load_region_text("region.yaml", text)
    assert region is None and code in [d.code for d in diags]
    assert all(d.position() for d in diags if d.code == code)


def test_an_alias_bomb_is_refused_without_expanding(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    path = tmp_path / "region.yaml"
    path.write_text('code: "13"\nname: X\n' + bomb, encoding="utf-8")
    result = load_region_file(tmp_path)
    assert result.region is None
    assert {d.code for d in result.diagnostics} == {"FF506"}


def test_missing_file_is_ff901(tmp_path):
    result = load_region_file(tmp_path)
    assert [d.code for d in result.diagnostics] == ["FF901"]


# ---------------------------------------------------------------------------------------- HSA-ids

def test_luhn_of_the_regions_organisation_numbers():
    for number in ORG_NUMBERS.values():
        assert luhn_ok(number)
        assert not luhn_ok(number[:-1] + str((int(number[-1]) + 1) % 10))


def test_hsa_id_rules():
    assert hsa_problem("SE2321000115-E10001") is None
    assert hsa_problem("SE2321000115-o40658") is None  # lower-case letters are allowed
    assert hsa_problem("SE162321000255-O16560") is None  # the older form with the century prefix 16
    assert "10 digits" in hsa_problem("SE192321000255-O1").message
    assert hsa_problem("SE2321000115-" + "A" * 18) is None  # exactly 31 characters
    assert "at most 31" in hsa_problem("SE2321000115-" + "A" * 19).message
    assert hsa_problem("SE2321000115-å1") is not None
    assert hsa_problem("SE2321000115-E1-2") is not None


def test_every_single_digit_error_in_the_organisation_number_is_caught():
    for i in range(10):
        for digit in "0123456789":
            org = "2321000115"
            if org[i] != digit:
                assert hsa_problem(f"SE{org[:i]}{digit}{org[i + 1:]}-E1") is not None


# ---------------------------------------------------------------------------------------- SNOMED CT

@pytest.mark.parametrize("code", ["72791000052103", "86198006", "11429006", "390906007", "185349003",
                                  "138875005", "404684003", "22298006", "33879002"])
def test_known_concept_ids_are_valid(code):
    assert verhoeff_ok(code) and concept_problem(code) is None


def test_the_swedish_covid_code_is_an_extension_concept():
    assert partition("72791000052103") == "10"
    assert namespace("72791000052103") == "1000052"
    assert namespace("11429006") is None


def test_every_single_digit_error_and_adjacent_swap_is_caught():
    code = "72791000052103"
    for i in range(len(code)):
        for digit in "0123456789":
            if digit != code[i]:
                assert not verhoeff_ok(code[:i] + digit + code[i + 1:])
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            assert not verhoeff_ok(code[:i] + code[i + 1] + code[i] + code[i + 2:])


def test_check_digit_completes_any_number():
    for n in range(100000, 100400):
        assert verhoeff_ok(str(n) + check_digit(str(n)))
    assert check_digit("7279100005210") == "3"


@pytest.mark.parametrize("text, words", [
    ("72791000052104", "check digit"),
    ("0011429006", "does not start with 0"),
    ("12345", "6 to 18 digits"),
    ("SCT11429006", "6 to 18 digits"),
    ("1234567890123456789", "6 to 18 digits"),
    ("12345" + "01" + check_digit("1234501"), "a description"),
    ("12345" + "12" + check_digit("1234512"), "a relationship"),
    ("12345" + "05" + check_digit("1234505"), "partition"),
    ("12310" + check_digit("12310"), "namespace"),
])
def test_invalid_concept_ids(text, words):
    assert words in concept_problem(text)[0]


# ---------------------------------------------------------------------------------------- add-clinic

GETINGE = NewClinic("vc_getinge", "Vårdcentralen Getinge", "SE2321000115-E10004", "pmo", ("visit",))


def inserted(old: str, new: str) -> tuple[int, list[str]]:
    """(0-based line, lines) of the single block `new` adds to `old`; fails on any other change."""
    a, b = old.split("\n"), new.split("\n")
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    assert len(ops) == 1 and ops[0][0] == "insert", ops
    return ops[0][1], b[ops[0][3]:ops[0][4]]


def copy_region(tmp_path: Path, name: str = "halland") -> Path:
    target = tmp_path / name
    target.mkdir()
    shutil.copy(REGIONS / name / "region.yaml", target / "region.yaml")
    return target


@pytest.mark.parametrize("name", sorted(ORG_NUMBERS))
def test_add_clinic_keeps_every_other_byte(tmp_path, name):
    folder = copy_region(tmp_path, name)
    before = (folder / "region.yaml").read_text(encoding="utf-8")
    region = load_region_file(folder).region
    clinic = NewClinic("vc_new", "Vårdcentralen Ny", f"SE{ORG_NUMBERS[name]}-E99999",
                       region.booking_systems[0].id, (region.appointment_types[0].id,))
    result = add_clinic(folder, clinic)
    assert result.written, [render_text(d) for d in result.diagnostics]
    after = (folder / "region.yaml").read_text(encoding="utf-8")
    at, lines = inserted(before, after)
    assert lines == ["  vc_new:", "    name: Vårdcentralen Ny", f"    hsa_id: SE{ORG_NUMBERS[name]}-E99999",
                     f"    booking_system: {clinic.booking_system}",
                     f"    appointment_types: [{clinic.appointment_types[0]}]"]
    old_lines = before.split("\n")
    assert old_lines[at] == "" and "appointment types" in old_lines[at + 1]  # the next section's comment stays
    reloaded = load_region_file(folder).region
    assert [c.id for c in reloaded.clinics] == [c.id for c in region.clinics] + ["vc_new"]
    assert list(tmp_path.rglob(".*tmp")) == []  # no temporary file left behind


@pytest.mark.parametrize("text, expected_line", [
    # comment lines indented under the last clinic stay with it; the section comment stays below
    ("code: '13'\nname: X\nbooking_systems:\n  pmo: {name: PMO, earliest_booking: same_day, cancel_until_hours: 0,"
     " rebook_until_hours: 0, horizon_days: 9}\nclinics:\n  a:\n    name: A   # eol\n    hsa_id: SE2321000115-E1\n"
     "    booking_system: pmo\n    # about A\n\n# the end\n", 10),
    # a block text as the last value
    ("code: '13'\nname: X\nbooking_systems:\n  pmo: {name: PMO, earliest_booking: same_day, cancel_until_hours: 0,"
     " rebook_until_hours: 0, horizon_days: 9}\nclinics:\n  a:\n    hsa_id: SE2321000115-E1\n"
     "    booking_system: pmo\n    name: >-\n      A\n      long name\n\n# the end\n", 11),
    # four-space indentation
    ("code: '13'\nname: X\nbooking_systems:\n    pmo: {name: PMO, earliest_booking: same_day, cancel_until_hours: 0,"
     " rebook_until_hours: 0, horizon_days: 9}\nclinics:\n    a:\n        name: A\n        hsa_id: SE2321000115-E1\n"
     "        booking_system: pmo\n# the end\n", 9),
    # no clinics yet
    ("code: '13'\nname: X\nbooking_systems:\n  pmo: {name: PMO, earliest_booking: same_day, cancel_until_hours: 0,"
     " rebook_until_hours: 0, horizon_days: 9}\n# the end\n", 5),
])
def test_add_clinic_layouts(text, expected_line):
    new, problem = insert_clinic(text, NewClinic("vc_b", "B", "SE2321000115-E2", "pmo"))
    assert problem is None
    at, lines = inserted(text, new)
    assert at == expected_line
    region, diags = load_region_text("r.yaml", new)
    assert diags == [] and region.clinics[-1].id == "vc_b"


def test_add_clinic_quotes_what_needs_quotes(tmp_path):
    folder = copy_region(tmp_path)
    result = add_clinic(folder, NewClinic("vc_x", "Vårdcentralen: Öst #1", "SE2321000115-E9", "pmo"))
    assert result.written and result.region.clinic("vc_x").name == "Vårdcentralen: Öst #1"


def test_add_clinic_keeps_crlf_and_bom(tmp_path):
    folder = copy_region(tmp_path)
    path = folder / "region.yaml"
    original = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    assert add_clinic(folder, GETINGE).written
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\n" not in data.replace(b"\r\n", b"")
    inserted(original.decode("utf-8-sig").replace("\r\n", "\n"), data.decode("utf-8-sig").replace("\r\n", "\n"))


@pytest.mark.parametrize("clinic, code, option", [
    (NewClinic("vc_hyltebruk", "X", "SE2321000115-E9", "pmo"), "FF704", "--id"),
    (NewClinic("Getinge", "X", "SE2321000115-E9", "pmo"), "FF705", "--id"),
    (NewClinic("vc_x", "X", "SE2321000115-E10001", "pmo"), "FF704", "--hsa-id"),
    (NewClinic("vc_x", "X", "SE2321000116-E9", "pmo"), "FF701", "--hsa-id"),
    (NewClinic("vc_x", "X", "SE2321000115-E9", "pasis"), "FF703", "--booking-system"),
    (NewClinic("vc_x", "X", "SE2321000115-E9", "pmo", ("covid_vacination",)), "FF703", "--appointment-type"),
    (NewClinic("vc_x", " ", "SE2321000115-E9", "pmo"), "FF707", "--name"),
])
def test_add_clinic_refuses_an_invalid_clinic_and_writes_nothing(tmp_path, clinic, code, option):
    folder = copy_region(tmp_path)
    before = (folder / "region.yaml").read_bytes()
    result = add_clinic(folder, clinic)
    assert not result.written
    assert [(d.code, d.message.split(":")[0]) for d in result.diagnostics] == [(code, option)]
    assert (folder / "region.yaml").read_bytes() == before


def test_add_clinic_suggests_the_nearest_appointment_type(tmp_path):
    result = add_clinic(copy_region(tmp_path), NewClinic("vc_x", "X", "SE2321000115-E9", "pmo", ("covid_vacination",)))
    assert result.diagnostics[0].help == "did you mean 'covid_vaccination'?"


def test_add_clinic_refuses_a_file_with_problems(tmp_path):
    folder = copy_region(tmp_path)
    path = folder / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("horizon_days: 42", "horizon_days: 0"), encoding="utf-8")
    before = path.read_bytes()
    result = add_clinic(folder, GETINGE)
    assert not result.written and [d.code for d in result.diagnostics] == ["FF706", "FF710"]
    assert result.diagnostics[0].position() is not None  # the file's own problem, at its place
    assert path.read_bytes() == before


def test_add_clinic_refuses_flow_style_clinics(tmp_path):
    path = tmp_path / "region.yaml"
    text = MINIMAL.replace("clinics:\n  vc_a:\n    name: Vårdcentralen A\n    hsa_id: SE2321000115-E1\n"
                           "    booking_system: pmo\n    appointment_types: [visit]\n", "clinics: {}\n")
    path.write_text(text, encoding="utf-8")
    result = add_clinic(path, GETINGE)
    assert [d.code for d in result.diagnostics] == ["FF710"]
    assert path.read_text(encoding="utf-8") == text


def test_add_clinic_write_failure_is_ff903_and_changes_nothing(tmp_path, monkeypatch):
    folder = copy_region(tmp_path)
    before = (folder / "region.yaml").read_bytes()

    def fail(target, data):
        raise edit_module.FileProblem("permission denied")
    monkeypatch.setattr(edit_module, "write_atomic", fail)
    result = add_clinic(folder, GETINGE)
    assert [d.code for d in result.diagnostics] == ["FF903"]
    assert (folder / "region.yaml").read_bytes() == before


# ---------------------------------------------------------------------------------------- the command

def cli():
    app = typer.Typer()

    @app.callback()
    def main():
        """formflow (test harness)."""
    app.add_typer(region_app, name="region")
    return app


def run(*args):
    return CliRunner().invoke(cli(), ["region", *[str(a) for a in args]])


def test_region_check_clean_regions():
    result = run("check", REGIONS)
    assert result.exit_code == 0, result.output
    assert "3 files checked: no problems" in result.output


def test_region_check_reports_problems_with_places(tmp_path):
    (tmp_path / "region.yaml").write_text(replace("SE2321000115-E1", "SE2321000116-E1"), encoding="utf-8")
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert "error[FF701]" in result.output and f"region.yaml:{line_of(MINIMAL, 'hsa_id')}:13" in result.output
    as_json = run("check", tmp_path, "--format", "json")
    data = json.loads(as_json.stdout)
    assert data["diagnostics"][0]["code"] == "FF701" and data["regions"][0]["valid"] is False


def test_region_check_missing_path_is_ff901(tmp_path):
    result = run("check", tmp_path / "nowhere")
    assert result.exit_code == 1 and "FF901" in result.output


def test_region_show_lists_snomed_and_protected():
    result = run("show", REGIONS / "halland")
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if line.strip().startswith("covid_vaccination "))
    assert "72791000052103" in row and " yes " in row
    assert "Vårdcentralen Hyltebruk" in result.output and "SE2321000115-E10001" in result.output
    data = json.loads(run("show", REGIONS / "skane", "--format", "json").stdout)
    assert data["booking_systems"][0]["earliest_booking"] == "next_day"


def test_region_show_of_a_broken_region_reports_and_fails(tmp_path):
    (tmp_path / "region.yaml").write_text('code: "13"\n', encoding="utf-8")
    result = run("show", tmp_path)
    assert result.exit_code == 1 and "FF512" in result.output


def test_region_add_clinic_command(tmp_path):
    folder = copy_region(tmp_path)
    ok = run("add-clinic", folder, "--id", "vc_getinge", "--name", "Vårdcentralen Getinge", "--hsa-id",
             "SE2321000115-E10004", "--booking-system", "pmo", "-t", "visit", "-t", "covid_vaccination")
    assert ok.exit_code == 0, ok.output
    assert "added clinic 'vc_getinge'" in ok.output
    assert load_region_file(folder).region.clinic("vc_getinge").appointment_types == ("visit", "covid_vaccination")
    again = run("add-clinic", folder, "--id", "vc_getinge", "--name", "X", "--hsa-id", "SE2321000115-E10005",
                "--booking-system", "pmo")
    assert again.exit_code == 1 and "error[FF704]: --id" in again.output
    usage = run("add-clinic", folder, "--id", "vc_x")
    assert usage.exit_code == 2


# ---------------------------------------------------------------------------------------- docs

def test_region_md_documents_every_key_and_code():
    text = (ROOT / "dsl" / "REGION.md").read_text(encoding="utf-8")
    keys = set(load_module.REQUIRED + load_module.OPTIONAL)
    for required, optional in (load_module.SYSTEM_KEYS, load_module.CLINIC_KEYS, load_module.TYPE_KEYS,
                               load_module.TERMS_KEYS, load_module.HANDOFF_KEYS):
        keys |= set(required) | set(optional)
    assert [k for k in sorted(keys) if f"`{k}`" not in text] == []
    assert [c for c in CODES if c.startswith("FF7") and c not in text] == []


def test_region_md_examples_load():
    """Each region.yaml example of dsl/REGION.md, added to the minimal region, is clean."""
    text = (ROOT / "dsl" / "REGION.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    section_blocks = [b for b in blocks if re.match(r"(booking_systems|terms|handoffs|urgency_levels):", b)]
    assert len(section_blocks) >= 4
    for block in section_blocks:
        key = block.split(":", 1)[0]
        base = MINIMAL if key not in MINIMAL else MINIMAL.split(f"# {key.replace('_', ' ')}")[0]
        filled = base + block.replace("...", "Text.")
        region, diags = load_region_text("example.yaml", filled)
        assert diags == [], (key, [render_text(d) for d in diags])
