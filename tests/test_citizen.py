"""Citizen files and the verified facts a flow reads (`citizen.*`).

Every personnummer here is one of Skatteverket's test personnummer (../shared/testdata).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from formflow.diagnostics.render import render_text
from formflow.inputs.citizen import Citizen, Facts, age_on, load_citizen, load_citizen_file
from formflow.inputs.yamlnode import STOCKHOLM, parse
from formflow.source import Source

GUARDIAN = "19850101-2382"   # born 1985-01-01
CHILD = "20180201-2383"      # born 2018-02-01
LEAP = "20040229-2387"       # born 2004-02-29
TURNS_13 = "20110601-2386"   # born 2011-06-01
TEEN = "20040201-2389"       # born 2004-02-01


def citizen_text(**fields) -> str:
    base = {"personnummer": GUARDIAN, "region": '"13"', "now": "2024-05-31T09:00"}
    base.update(fields)
    return "".join(f"{k}: {v}\n" for k, v in base.items() if v is not None)


def load(text: str):
    source = Source.from_text("citizen.yaml", text)
    node, diags = parse(source)
    assert diags == []
    return load_citizen(node, source)


def loaded(text: str) -> Citizen:
    citizen, diags = load(text)
    assert diags == [], [render_text(d) for d in diags]
    return citizen


def problems(text: str) -> list:
    citizen, diags = load(text)
    assert citizen is None and diags
    for d in diags:
        shown = d.message + d.help + "".join(label.message for label in (d.primary, *d.secondary) if label)
        for secret in (GUARDIAN, CHILD, LEAP, TURNS_13, TEEN, "Testsson"):
            assert secret not in shown and secret[:8] not in shown and secret[-4:] not in shown
    return diags


def codes_at(diags) -> list:
    return [(d.code, d.position()) for d in diags]


def test_a_complete_citizen():
    citizen = loaded(citizen_text(invitations="[Covid-Fas2, ' riskgrupp-2024 ', covid-fas2]", name="Test Testsson"))
    assert citizen.person.formatted == GUARDIAN and citizen.proxy_for is None
    assert citizen.region == "13" and citizen.name == "Test Testsson"
    assert citizen.invitations == ("covid-fas2", "riskgrupp-2024")
    assert citizen.now == datetime(2024, 5, 31, 9, 0, tzinfo=STOCKHOLM) and citizen.now.tzinfo is STOCKHOLM
    facts = citizen.facts()
    assert (facts.age, facts.birth_year, facts.birth_date) == (39, 1985, date(1985, 1, 1))
    assert facts.is_proxy is False and facts.region == "13" and facts.today == date(2024, 5, 31)
    assert facts.has_invitation("COVID-fas2") and facts.has_invitation(" riskgrupp-2024")
    assert not facts.has_invitation("covid-fas3")


def test_repr_hides_personal_data():
    citizen = loaded(citizen_text(name="Test Testsson"))
    for shown in (repr(citizen), repr(citizen.facts())):
        assert "1985" not in shown and "Testsson" not in shown and "2382" not in shown


def test_proxy_facts_are_the_childs():
    citizen = loaded(citizen_text(proxy_for=CHILD, region='"06"', invitations="[bvc-6ar]"))
    assert citizen.subject is citizen.proxy_for and citizen.person.formatted == GUARDIAN
    facts = citizen.facts()
    assert facts.is_proxy is True
    assert (facts.age, facts.birth_year, facts.birth_date) == (6, 2018, date(2018, 2, 1))
    assert facts.region == "06" and facts.has_invitation("BVC-6ar")


def test_ten_digit_numbers_take_their_century_from_now():
    citizen = loaded(citizen_text(personnummer="850101-2382", proxy_for="180201-2383"))
    assert citizen.person.birth_date == date(1985, 1, 1) and citizen.proxy_for.birth_date == date(2018, 2, 1)


def test_optional_keys_without_a_value_are_absent():
    citizen = loaded(citizen_text(proxy_for="", invitations="~", name="null"))
    assert citizen.proxy_for is None and citizen.invitations == () and citizen.name is None


def test_json_citizen_file(tmp_path):
    path = tmp_path / "citizen.json"
    path.write_text(json.dumps({"personnummer": GUARDIAN.replace("-", ""), "region": 13,
                                "invitations": ["covid-fas2"], "now": "2024-05-31T07:00Z"}), encoding="utf-8")
    citizen, diags = load_citizen_file(path)
    assert diags == [] and citizen.region == "13"
    assert citizen.now == datetime(2024, 5, 31, 9, 0, tzinfo=STOCKHOLM)
    citizen, diags = load_citizen_file(tmp_path / "missing.yaml")
    assert citizen is None and [d.code for d in diags] == ["FF901"]


def test_required_keys_and_unknown_keys():
    diags = problems("personnumer: " + GUARDIAN + "\nregion: '13'\ninvitation: [a]\n")
    assert codes_at(diags) == [("FF511", (1, 1)), ("FF512", (1, 1)), ("FF512", (1, 1)), ("FF511", (3, 1))]
    assert diags[0].help == "did you mean 'personnummer'?" and diags[3].help == "did you mean 'invitations'?"
    assert {"missing key 'personnummer'", "missing key 'now'"} == {diags[1].message, diags[2].message}


def test_not_a_mapping():
    (d,) = problems("- " + GUARDIAN + "\n")
    assert d.code == "FF510" and d.position() == (1, 1)


def test_invalid_personnummer_is_reported_at_its_value():
    wrong_check = GUARDIAN[:-1] + "3"  # GUARDIAN with its check digit changed: Luhn-invalid
    (d,) = problems(citizen_text(personnummer=wrong_check))
    assert d.code == "FF514" and d.position() == (1, 15) and "check digit" in d.message
    (d,) = problems(citizen_text(proxy_for=CHILD[:-1] + "4"))  # CHILD with its check digit changed
    assert d.code == "FF514" and d.position() == (4, 12)


def test_born_after_now():
    (d,) = problems(citizen_text(personnummer=CHILD, now="2018-01-31T23:59"))
    assert d.code == "FF514" and "after the reference date" in d.message


def test_invalid_now_is_reported_and_nothing_depends_on_a_clock():
    (d,) = problems(citizen_text(now="2021-03-28T02:30"))
    assert d.code == "FF513" and d.position() == (3, 6)
    (d,) = problems(citizen_text(now="2021-10-31T02:30"))
    assert d.code == "FF513" and "twice" in d.message


@pytest.mark.parametrize("region, hint", [("6", '"06"'), ("'99'", "länskod"), ("Halland", "länskod"),
                                          ("'6 '", "länskod")])
def test_region_is_a_county_code(region, hint):
    (d,) = problems(citizen_text(region=region))
    assert d.code == "FF516" and d.position() == (2, 9) and hint in d.help


def test_invitations_must_be_a_list_of_codes():
    (d,) = problems(citizen_text(invitations="covid-fas2"))
    assert d.code == "FF510" and "a list" in d.message
    diags = problems(citizen_text(invitations="['  ', [x], ok]"))
    assert codes_at(diags) == [("FF510", (4, 15)), ("FF510", (4, 21))]


def test_proxy_must_be_under_13_on_the_swedish_date_of_now():
    assert loaded(citizen_text(proxy_for=TURNS_13, now="2024-05-31T23:59")).facts().age == 12
    # 22:00 UTC on 31 May is midnight in Sweden: the child has turned 13.
    (d,) = problems(citizen_text(proxy_for=TURNS_13, now="2024-05-31T22:00Z"))
    assert d.code == "FF515" and d.position() == (4, 12) and "own e-ID" in d.help
    assert loaded(citizen_text(proxy_for=TURNS_13, now="2024-05-31T21:59Z")).facts().age == 12
    (d,) = problems(citizen_text(proxy_for=TEEN))
    assert d.code == "FF515"


def test_no_one_is_their_own_proxy():
    (d,) = problems(citizen_text(proxy_for=GUARDIAN.replace("-", "")))
    assert d.code == "FF515" and "themselves" in d.message


def test_29_february_birthday_is_28_february_in_other_years():
    """Lag (1930:173) om beräkning av lagstadgad tid, 1 §: a period whose day is missing from the
    final month ends on that month's last day."""
    born = date(2004, 2, 29)
    assert age_on(born, date(2022, 2, 27)) == 17
    assert age_on(born, date(2022, 2, 28)) == 18
    assert age_on(born, date(2024, 2, 28)) == 19
    assert age_on(born, date(2024, 2, 29)) == 20
    assert age_on(born, date(2004, 2, 29)) == 0
    assert age_on(born, date(2100, 2, 27)) == 95 and age_on(born, date(2100, 2, 28)) == 96  # 2100: not leap


def test_29_february_policy_through_a_citizen_file():
    assert loaded(citizen_text(personnummer=LEAP, now="2022-02-27T23:59")).facts().age == 17
    assert loaded(citizen_text(personnummer=LEAP, now="2022-02-28T00:00")).facts().age == 18


def test_today_is_the_swedish_date():
    citizen = loaded(citizen_text(now="2023-12-31T23:30Z"))
    assert citizen.facts().today == date(2024, 1, 1)
    assert citizen.now.astimezone(timezone.utc) == datetime(2023, 12, 31, 23, 30, tzinfo=timezone.utc)


def test_facts_can_be_built_directly():
    facts = Facts(date(2004, 2, 29), "12", False, frozenset({"x"}), date(2022, 3, 1))
    assert facts.age == 18 and facts.birth_year == 2004 and facts.has_invitation(" X ")
