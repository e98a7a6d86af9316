"""`load_policy` rejects an unsound policy document and names the field at fault."""

from __future__ import annotations

import textwrap
from pathlib import Path

import msgspec
import pytest

from reintegrate.policy import (
    AgeBand,
    BusinessRules,
    Policy,
    PolicyInvalid,
    load_policy,
    policy_to_json,
    validate_policy,
)
from reintegrate.policy_business import Criterion

EU_FILE = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "policies"
    / "eu-reintegration-programme.toml"
)


def document(text: str, *, currency: str = "EUR") -> str:
    header = f"""\
programme = "test"
version = "1"
name = "Test programme"
currency = "{currency}"
effective_from = 2024-01-01
"""
    return header + textwrap.dedent(text)


def rejection(text: str, *, currency: str = "EUR") -> PolicyInvalid:
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(document(text, currency=currency))
    return caught.value


def problems(error: PolicyInvalid) -> list[tuple[str, str]]:
    listed = error.details["problems"]
    assert isinstance(listed, list)
    return [(p["field"], p["message"]) for p in listed]


def test_a_sound_policy_loads_with_its_defaults() -> None:
    policy = load_policy(document(""))
    assert isinstance(policy, Policy)
    assert policy.stage_names() == ("single",)
    assert policy.window_months == 12
    assert policy.look_back_years == 0


def test_a_policy_loads_the_same_from_json() -> None:
    policy = load_policy(
        document(
            """
            [[person_amounts]]
            label = "adult"
            amount = "1000.00"
            """
        )
    )
    assert load_policy(policy_to_json(policy), "json") == policy


def test_a_line_naming_an_unknown_stage_is_reported_at_that_lines_stage() -> None:
    error = rejection(
        """
        [[person_amounts]]
        label = "adult"
        amount = "1000.00"
        stage = "after_arrival"
        """
    )
    assert error.field == "$.person_amounts[0].stage"
    assert problems(error) == [("$.person_amounts[0].stage", "unknown stage 'after_arrival'")]


def test_an_amount_with_more_decimals_than_the_yen_has_is_reported_at_its_field() -> None:
    error = rejection(
        """
        [[person_amounts]]
        label = "adult"
        amount = "150000"

        [[person_amounts]]
        label = "minor"
        amount = "75000.50"
        """,
        currency="JPY",
    )
    assert error.field == "$.person_amounts[1].amount"
    assert "JPY allows (0)" in problems(error)[0][1]


def test_a_yen_cap_with_a_fraction_of_a_yen_is_reported_at_the_cap() -> None:
    error = rejection('[household]\ncap = "300000.5"\n', currency="JPY")
    assert error.field == "$.household.cap"


def test_trailing_zero_decimals_are_accepted_in_yen() -> None:
    policy = load_policy(document('[household]\ncap = "300000.00"\n', currency="JPY"))
    assert policy.household.cap is not None
    assert policy.minor(policy.household.cap) == 300000


def test_an_unknown_field_is_rejected_with_its_path() -> None:
    error = rejection('[household]\ncap = "3500.00"\nceiling = "4000.00"\n')
    assert error.field == "$.household.ceiling"
    assert "unknown field `ceiling`" in error.message


def test_an_unknown_top_level_field_is_rejected_with_its_path() -> None:
    error = rejection("max_per_family = 3\n")
    assert error.field == "$.max_per_family"


def test_an_unknown_field_in_a_list_of_lines_is_rejected_with_its_index() -> None:
    error = rejection(
        """
        [[person_amounts]]
        label = "adult"
        amount = "1000.00"
        currency = "EUR"
        """
    )
    assert error.field == "$.person_amounts[0].currency"


def test_a_number_where_an_amount_string_is_expected_is_rejected_at_its_field() -> None:
    error = rejection(
        """
        [[person_amounts]]
        label = "adult"
        amount = 1000.0
        """
    )
    assert error.field == "$.person_amounts[0].amount"


def test_a_country_listed_in_two_categories_is_reported_at_its_second_listing() -> None:
    error = rejection(
        """
        [countries.categories]
        A = ["AF", "IQ"]
        B = ["NG", "IQ"]
        """
    )
    assert problems(error) == [("$.countries.categories.B[1]", "IQ is already in category A")]


def test_a_country_code_that_is_not_iso_3166_is_reported() -> None:
    error = rejection('[countries.categories]\nA = ["AF", "XK"]\n')
    assert error.field == "$.countries.categories.A[1]"


def test_an_effective_until_before_effective_from_is_reported() -> None:
    error = rejection("effective_until = 2023-12-31\n")
    assert problems(error) == [("$.effective_until", "must be after effective_from")]


def test_every_problem_is_listed_with_its_field() -> None:
    error = rejection(
        """
        effective_until = 2024-01-01
        excluded_nationalities = ["ZZ"]

        [countries]
        ineligible_categories = ["visa_exempt"]

        [[person_amounts]]
        label = "adult"
        amount = "-5.00"
        cash = "some"
        age_bands = ["adult"]
        """
    )
    assert [field for field, _ in problems(error)] == [
        "$.effective_until",
        "$.countries.ineligible_categories[0]",
        "$.excluded_nationalities[0]",
        "$.person_amounts[0].amount",
        "$.person_amounts[0].cash",
        "$.person_amounts[0].age_bands",
    ]
    assert error.message.startswith("policy test 1: 6 problem(s); first: $.effective_until")


def test_overlapping_age_bands_are_refused_because_a_person_is_in_one_band() -> None:
    policy = msgspec.structs.replace(
        load_policy(EU_FILE.read_bytes()),
        age_bands=(AgeBand(name="minor", max_age=17), AgeBand(name="under_12", max_age=11)),
    )
    problems = validate_policy(policy)
    said = [(p.field, str(p.message)) for p in problems]
    assert ("$.age_bands[1]", "overlaps age band 'minor': a person is in one band") in said


def test_business_rules_with_a_pass_mark_above_the_maximum_score_are_refused() -> None:
    rules = BusinessRules(
        criteria=(Criterion(name="market"), Criterion(name="market")),
        max_score=5,
        pass_mark="6",
        receipts_share="1.5",
    )
    problems = validate_policy(
        msgspec.structs.replace(load_policy(EU_FILE.read_bytes()), business=rules)
    )
    assert {p.field for p in problems} == {
        "$.business.criteria",
        "$.business.pass_mark",
        "$.business.receipts_share",
    }
