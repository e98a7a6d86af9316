"""The shipped example policies load, and give the entitlements their sources state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reintegrate.cases import (
    PriorAssistance,
    ReturnType,
    Vulnerability,
)
from reintegrate.entitlement import Entitlement, entitlement
from reintegrate.money import format_minor
from reintegrate.policy import load_policy
from tests.unit.households import EXAMPLES, RETURNED, example, household


def money(ent: Entitlement, minor: int) -> str:
    return format_minor(minor, ent.currency)


def stage_amounts(ent: Entitlement) -> list[tuple[str, dt.date, str]]:
    return [(s.stage, s.opens_on, money(ent, s.amount)) for s in ent.stages]


def labelled(ent: Entitlement, prefix: str) -> str:
    """What the lines whose label starts with `prefix` add up to, over all members."""
    lines = [line for p in ent.persons for line in p.lines if str(line.label).startswith(prefix)]
    return money(ent, sum(line.amount for line in lines))


def test_the_eight_programmes_of_the_domain_ship_as_examples() -> None:
    assert {path.name for path in EXAMPLES} >= {
        "eu-reintegration-programme.toml",
        "netherlands-avrr-2017.toml",
        "germany-reag-garp-2.toml",
        "germany-starthilfeplus.toml",
        "switzerland-sem.toml",
        "finland-migri.toml",
        "norway-udi.toml",
        "france-ofii.toml",
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_every_example_policy_loads_and_opens_with_a_comment_naming_its_source(
    path: Path,
) -> None:
    text = path.read_text(encoding="utf-8")
    policy = load_policy(text.encode(), "toml")
    comment = [line for line in text.splitlines() if line.startswith("#")]
    assert text.startswith("# ")
    assert any("Source:" in line for line in comment)
    assert any("Not modelled" in line for line in comment)
    assert policy.source


# EU Reintegration Programme (Frontex)


def test_a_voluntary_returnee_with_two_dependants_gets_4615_euros_under_the_eu_programme() -> None:
    ent = entitlement(
        example("eu-reintegration-programme.toml"),
        household(35, 33, 8, country="NG"),
        RETURNED,
    )
    assert ent.eligible
    assert money(ent, ent.total) == "4615.00"
    assert money(ent, ent.cash_ceiling) == "615.00"
    assert stage_amounts(ent) == [
        ("post_arrival", RETURNED, "615.00"),
        ("post_return", RETURNED, "4000.00"),
    ]
    assert ent.window_end == dt.date(2025, 6, 15)


def test_a_forced_returnee_gets_only_the_post_arrival_package_under_the_eu_programme() -> None:
    ent = entitlement(
        example("eu-reintegration-programme.toml"),
        household(35, 33, country="NG", return_type=ReturnType.FORCED),
        RETURNED,
    )
    assert ent.eligible
    assert money(ent, ent.total) == "615.00"


def test_a_return_to_a_country_outside_the_eu_programme_is_not_eligible() -> None:
    ent = entitlement(
        example("eu-reintegration-programme.toml"), household(35, country="BR"), RETURNED
    )
    assert not ent.eligible
    assert ent.total == 0
    assert [str(r) for r in ent.reasons] == ["country of return BR is in no eligible category"]


# Netherlands AVRR 2017


def test_an_adult_and_a_minor_get_4600_euros_in_kind_with_600_in_cash_in_the_netherlands() -> None:
    ent = entitlement(
        example("netherlands-avrr-2017.toml"), household(30, 8, country="IQ"), RETURNED
    )
    assert money(ent, ent.total) == "4600.00"
    assert money(ent, ent.cash_ceiling) == "600.00"


def test_assistance_in_the_last_five_years_bars_a_new_package_in_the_netherlands() -> None:
    earlier = PriorAssistance(
        person_id="person-0",
        case_id="case-0",
        programme_id="other-programme",
        approved_on=dt.date(2020, 1, 10),
    )
    ent = entitlement(
        example("netherlands-avrr-2017.toml"),
        household(30, country="IQ"),
        RETURNED,
        [earlier],
    )
    assert not ent.eligible
    assert ent.total == 0
    assert "5-year look-back" in str(ent.reasons[0])


# Germany REAG/GARP 2.0


def test_two_adults_and_four_minors_get_the_3500_euro_family_cap_under_reag_garp() -> None:
    # 2 x 1,000 + 4 x 500 = 4,000 is above the cap; 2 adults + 3 minors = 3,500 would not be.
    ent = entitlement(
        example("germany-reag-garp-2.toml"), household(40, 38, 15, 12, 9, 5, country="AF"), RETURNED
    )
    assert money(ent, ent.before_household_cap) == "4000.00"
    assert money(ent, ent.total) == "3500.00"
    assert money(ent, ent.cash_ceiling) == "3500.00"


def test_two_adults_and_three_minors_reach_the_reag_garp_family_cap_exactly() -> None:
    ent = entitlement(
        example("germany-reag-garp-2.toml"), household(40, 38, 15, 12, 9, country="AF"), RETURNED
    )
    assert money(ent, ent.before_household_cap) == "3500.00"
    assert money(ent, ent.total) == "3500.00"


def test_reag_garp_medical_support_comes_on_top_of_the_family_cap_and_in_kind() -> None:
    ill = {1: (Vulnerability.SERIOUS_MEDICAL_CONDITION,)}
    family = household(40, 38, 15, 12, 9, 5, country="AF", vulnerable=ill)
    ent = entitlement(example("germany-reag-garp-2.toml"), family, RETURNED)
    assert money(ent, ent.top_ups) == "2000.00"
    assert money(ent, ent.total) == "5500.00"
    assert money(ent, ent.cash_ceiling) == "3500.00"


def test_a_return_to_a_visa_free_country_gets_the_reduced_reag_garp_amounts() -> None:
    ent = entitlement(
        example("germany-reag-garp-2.toml"), household(40, 10, country="AL"), RETURNED
    )
    assert ent.category == "visa_free"
    assert money(ent, ent.total) == "750.00"


# Germany StarthilfePlus


def test_a_family_of_five_with_two_young_children_gets_5300_euros_in_two_halves() -> None:
    # 3 x 1,200 (aged 12 or more) + 2 x 600 (under 12) + 500 (family over four) = 5,300
    ent = entitlement(
        example("germany-starthilfeplus.toml"), household(40, 38, 14, 10, 6, country="IQ"), RETURNED
    )
    assert [a.amount for a in ent.household_add_ons] == [25000, 25000]
    assert money(ent, ent.total) == "5300.00"
    assert stage_amounts(ent) == [
        ("departure", RETURNED, "2650.00"),
        ("after_arrival", dt.date(2024, 12, 15), "2650.00"),
    ]
    assert ent.open_amount(dt.date(2024, 12, 14)) == 265000
    assert ent.window_end == dt.date(2025, 2, 15)


def test_a_family_of_four_gets_no_starthilfeplus_family_supplement() -> None:
    ent = entitlement(
        example("germany-starthilfeplus.toml"), household(40, 38, 10, 6, country="IQ"), RETURNED
    )
    assert ent.household_add_ons == ()
    assert money(ent, ent.total) == "3600.00"


# Switzerland SEM


def test_a_return_to_a_visa_exempt_country_is_not_eligible_in_switzerland() -> None:
    ent = entitlement(example("switzerland-sem.toml"), household(30, country="RS"), RETURNED)
    assert not ent.eligible
    assert ent.total == 0
    assert [str(r) for r in ent.reasons] == ["country category 'visa_exempt' is not eligible"]


def test_special_needs_raise_swiss_project_support_to_5000_francs_once_per_household() -> None:
    needs = {
        0: (Vulnerability.DISABILITY,),
        1: (Vulnerability.ELDERLY, Vulnerability.SERIOUS_MEDICAL_CONDITION),
    }
    family = household(40, 70, 9, country="GN", vulnerable=needs)
    ent = entitlement(example("switzerland-sem.toml"), family, RETURNED)
    assert ent.currency == "CHF"
    assert money(ent, ent.before_household_cap) == "5500.00"
    assert money(ent, ent.top_ups) == "2000.00"
    assert money(ent, ent.total) == "7500.00"
    assert money(ent, ent.cash_ceiling) == "2500.00"


# Finland Migri


def test_a_category_a_adult_and_child_get_2250_euros_cash_and_in_kind_support_in_finland() -> None:
    ent = entitlement(example("finland-migri.toml"), household(30, 6, country="ET"), RETURNED)
    assert ent.category == "A"
    assert labelled(ent, "cash assistance") == "2250.00"
    assert labelled(ent, "in-kind support") == "4000.00"
    assert money(ent, ent.total) == "6250.00"
    assert money(ent, ent.cash_ceiling) == "2550.00"


def test_an_adult_returning_to_one_of_three_countries_gets_5000_euros_in_kind_in_finland() -> None:
    ent = entitlement(example("finland-migri.toml"), household(30, country="IQ"), RETURNED)
    assert labelled(ent, "cash assistance") == "1500.00"
    assert labelled(ent, "in-kind support") == "5000.00"


def test_a_country_not_listed_falls_in_finlands_lowest_category() -> None:
    ent = entitlement(example("finland-migri.toml"), household(30, 6, country="MX"), RETURNED)
    assert ent.category == "D"
    assert labelled(ent, "cash assistance") == "300.00"


# Norway UDI


def test_an_adult_and_a_child_applying_before_the_deadline_get_40000_kroner_in_norway() -> None:
    ent = entitlement(example("norway-udi.toml"), household(30, 6, country="AF"), RETURNED)
    assert ent.currency == "NOK"
    assert money(ent, ent.total) == "40000.00"


# France OFII


@pytest.mark.parametrize(
    ("country", "per_person"),
    [("SN", "650.00"), ("AL", "300.00"), ("RO", "50.00")],
    ids=["visa-required", "visa-exempt", "eu-eea"],
)
def test_the_french_return_allowance_depends_on_the_country_category(
    country: str, per_person: str
) -> None:
    ent = entitlement(example("france-ofii.toml"), household(30, 6, country=country), RETURNED)
    assert all(money(ent, p.total) == per_person for p in ent.persons)
