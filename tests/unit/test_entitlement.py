"""How `entitlement` applies a policy's rules to a household, rule by rule."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable

import msgspec
import pytest

from reintegrate.cases import (
    Case,
    PriorAssistance,
    ReturnType,
    Vulnerability,
    stay_months,
)
from reintegrate.entitlement import add_months, entitlement
from reintegrate.errors import ValidationFailed
from reintegrate.policy import Policy, PolicyInvalid, load_policy
from reintegrate.texts import Text
from tests.unit.households import RETURNED, household, person

HEADER = """\
programme = "test"
version = "1"
name = "Test programme"
currency = "EUR"
effective_from = 2020-01-01
"""

ADULT_AND_MINOR = """
[countries]
default_category = "any"

[[age_bands]]
name = "minor"
max_age = 17

[[age_bands]]
name = "adult"
min_age = 18

[[person_amounts]]
label = "adult"
amount = "1000.00"
age_bands = ["adult"]
cash = "all"

[[person_amounts]]
label = "minor"
amount = "500.00"
age_bands = ["minor"]
cash = "all"
"""


def english(words: Iterable[Text]) -> list[str]:
    return [str(w) for w in words]


def policy(text: str = "") -> Policy:
    """A test policy: top-level keys in `text` first, then adult 1,000 / minor 500 in cash."""
    return load_policy(HEADER + textwrap.dedent(text) + ADULT_AND_MINOR)


def assisted(years_ago: int, *, ref: str = "person-0", case_id: str = "case-0") -> PriorAssistance:
    return PriorAssistance(
        person_id=ref,
        case_id=case_id,
        programme_id="another-programme",
        approved_on=RETURNED.replace(year=RETURNED.year - years_ago),
    )


# 1. case eligibility


def test_a_member_assisted_in_another_case_within_the_look_back_bars_the_household() -> None:
    ent = entitlement(
        policy("look_back_years = 5"),
        household(30, 5),
        RETURNED,
        [assisted(2, ref="person-1")],
    )
    assert not ent.eligible
    assert ent.total == 0
    assert ent.cash_ceiling == 0
    assert [s.amount for s in ent.stages] == [0]
    assert ent.look_back == (assisted(2, ref="person-1"),)
    assert "5-year look-back" in str(ent.reasons[0])


def test_assistance_older_than_the_look_back_does_not_bar_the_household() -> None:
    ent = entitlement(policy("look_back_years = 5"), household(30), RETURNED, [assisted(6)])
    assert ent.eligible
    assert ent.look_back == ()
    assert ent.total == 100000


def test_assistance_in_the_same_case_is_not_a_prior_package() -> None:
    earlier = assisted(1, case_id="case-1")
    ent = entitlement(policy("look_back_years = 5"), household(30), RETURNED, [earlier])
    assert ent.eligible


def test_a_policy_without_look_back_ignores_earlier_assistance() -> None:
    ent = entitlement(policy(), household(30), RETURNED, [assisted(1)])
    assert ent.eligible


def test_a_return_type_the_policy_does_not_cover_makes_the_household_ineligible() -> None:
    ent = entitlement(
        policy('eligible_return_types = ["assisted_voluntary"]'),
        household(30, return_type=ReturnType.SPONTANEOUS),
        RETURNED,
    )
    assert not ent.eligible
    assert english(ent.reasons) == ["return type 'spontaneous' is not eligible under this policy"]


def test_a_principal_of_an_excluded_nationality_makes_the_household_ineligible() -> None:
    principal = person(0, age=30, nationality="AF")
    ent = entitlement(policy('excluded_nationalities = ["AF"]'), household(principal), RETURNED)
    assert not ent.eligible
    assert ent.total == 0
    assert english(ent.reasons) == ["nationality AF is excluded by this policy"]


# 2. per person


def test_a_dependant_of_an_excluded_nationality_gets_nothing_and_the_others_keep_theirs() -> None:
    spouse = person(1, age=30, nationality="AF")
    ent = entitlement(policy('excluded_nationalities = ["AF"]'), household(30, spouse, 5), RETURNED)
    assert ent.eligible
    excluded = ent.person("m1")
    assert excluded is not None
    assert str(excluded.excluded) == "nationality AF is excluded"
    assert excluded.total == 0
    assert ent.total == 150000


def test_age_is_counted_on_the_return_date() -> None:
    seventeen = person(0, born=dt.date(2006, 6, 16))
    eighteen = person(1, born=dt.date(2006, 6, 15))
    ent = entitlement(policy(), household(seventeen, eighteen), dt.date(2030, 1, 1))
    bands = [(p.age, p.age_band) for p in ent.persons]
    assert bands == [(17, "minor"), (18, "adult")]


def test_a_member_known_only_by_birth_year_is_taken_as_born_on_1_july() -> None:
    member = person(0, birth_year=2006)
    before = entitlement(
        policy(), household(member, returned=dt.date(2024, 6, 30)), dt.date(2024, 6, 30)
    )
    on = entitlement(policy(), household(member, returned=dt.date(2024, 7, 1)), dt.date(2024, 7, 1))
    assert (before.persons[0].age, before.persons[0].age_band) == (17, "minor")
    assert (on.persons[0].age, on.persons[0].age_band) == (18, "adult")


def test_a_line_for_dependants_does_not_pay_the_principal() -> None:
    ent = entitlement(
        policy(
            """
            [[person_amounts]]
            label = "dependant supplement"
            amount = "200.00"
            applies_to = "dependant"
            """
        ),
        household(30, 5),
        RETURNED,
    )
    totals = [(p.member_id, p.total) for p in ent.persons]
    assert totals == [("m0", 100000), ("m1", 70000)]


def test_a_line_for_a_country_category_pays_only_returns_to_that_category() -> None:
    remote = policy(
        """
        [[person_amounts]]
        label = "remote area supplement"
        amount = "400.00"
        categories = ["remote"]

        [countries.categories]
        remote = ["NE"]
        """
    )
    assert entitlement(remote, household(30, country="NE"), RETURNED).total == 140000
    assert entitlement(remote, household(30, country="NG"), RETURNED).total == 100000


# 3. household add-ons and cap

ADD_ON = """
[[household.add_ons]]
label = "family supplement"
amount = "300.00"
min_members = 3
"""


def test_a_household_add_on_is_credited_to_the_principal() -> None:
    ent = entitlement(policy(ADD_ON), household(30, 30, 5), RETURNED)
    principal = ent.person("m0")
    assert principal is not None
    assert principal.total == 130000
    assert [a.amount for a in ent.household_add_ons] == [30000]
    assert ent.total == 280000


def test_a_household_add_on_needs_its_minimum_number_of_members() -> None:
    ent = entitlement(policy(ADD_ON), household(30, 5), RETURNED)
    assert ent.household_add_ons == ()
    assert ent.total == 150000


def test_the_household_cap_binds_on_the_base_amounts_and_add_ons() -> None:
    capped = policy(ADD_ON + '\n[household]\ncap = "2000.00"\n')
    ent = entitlement(capped, household(30, 30, 5), RETURNED)
    assert ent.before_household_cap == 280000
    assert ent.household_cap == 200000
    assert ent.total == 200000


def test_a_household_below_the_cap_keeps_its_full_amount() -> None:
    capped = policy('[household]\ncap = "2000.00"\n')
    ent = entitlement(capped, household(30, 5), RETURNED)
    assert ent.total == ent.before_household_cap == 150000


def test_the_household_cap_cuts_the_latest_stage_first() -> None:
    staged = policy(
        """
        [[stages]]
        name = "first"

        [[stages]]
        name = "second"
        opens_months_after_return = 6

        [household]
        cap = "1500.00"

        [[household.add_ons]]
        label = "second tranche"
        amount = "1000.00"
        stage = "second"
        """
    )
    ent = entitlement(staged, household(30), RETURNED)
    stages = [(s.stage, s.opens_on, s.amount, s.cumulative) for s in ent.stages]
    assert stages == [
        ("first", RETURNED, 100000, 100000),
        ("second", dt.date(2024, 12, 15), 50000, 150000),
    ]
    assert ent.open_amount(dt.date(2024, 12, 14)) == 100000
    assert ent.open_amount(dt.date(2024, 12, 15)) == 150000


# 4. vulnerability top-ups

TOP_UPS = """
[[vulnerability.top_ups]]
kind = "victim_of_trafficking"
amount = "700.00"

[[vulnerability.top_ups]]
kind = "disability"
amount = "600.00"
"""


def test_vulnerability_top_ups_come_on_top_of_the_household_cap() -> None:
    capped = policy(TOP_UPS + '\n[household]\ncap = "1000.00"\n')
    victim = {0: (Vulnerability.VICTIM_OF_TRAFFICKING,)}
    ent = entitlement(capped, household(30, 30, vulnerable=victim), RETURNED)
    assert ent.before_household_cap == 200000
    assert ent.top_ups == 70000
    assert ent.total == 170000


def test_top_ups_are_bounded_per_person_and_then_per_household() -> None:
    bounded = policy(
        TOP_UPS + '\n[vulnerability]\nmax_per_person = "1000.00"\nmax_per_household = "1500.00"\n'
    )
    both = (Vulnerability.VICTIM_OF_TRAFFICKING, Vulnerability.DISABILITY)
    ent = entitlement(bounded, household(30, 30, vulnerable={0: both, 1: both}), RETURNED)
    assert [p.total - 100000 for p in ent.persons] == [100000, 50000]
    assert ent.top_ups == 150000
    assert ent.total == 350000


# 5. cash ceiling


def test_the_cash_ceiling_is_the_cash_parts_of_the_lines() -> None:
    in_kind = policy(
        """
        [[person_amounts]]
        label = "tools in kind"
        amount = "800.00"
        applies_to = "principal"
        cash = "300.00"
        """
    )
    ent = entitlement(in_kind, household(30), RETURNED)
    assert ent.total == 180000
    assert ent.cash_ceiling == 130000
    assert str(ent.cash_ceiling_reason) == "cash parts of the entitlement's lines"


def test_the_absolute_cash_ceiling_bounds_the_cash_of_the_whole_household() -> None:
    ceiling = policy('[cash_ceiling]\nabsolute = "1200.00"\n')
    ent = entitlement(ceiling, household(30, 30, 5), RETURNED)
    assert ent.total == 250000
    assert ent.cash_ceiling == 120000
    assert str(ent.cash_ceiling_reason) == "the policy's absolute cash ceiling"


def test_the_cash_ceiling_never_exceeds_the_cash_lines_left_after_the_household_cap() -> None:
    capped = policy(
        """
        [household]
        cap = "1000.00"

        [[vulnerability.top_ups]]
        kind = "serious_medical_condition"
        amount = "500.00"
        cash = "none"
        """
    )
    ill = {0: (Vulnerability.SERIOUS_MEDICAL_CONDITION,)}
    ent = entitlement(capped, household(30, 30, vulnerable=ill), RETURNED)
    assert ent.total == 150000
    assert ent.cash_ceiling == 100000


def test_the_cash_of_a_top_up_counts_only_as_far_as_the_top_up_is_granted() -> None:
    bounded = policy(
        """
        [vulnerability]
        max_per_household = "200.00"

        [[vulnerability.top_ups]]
        kind = "refugee"
        amount = "700.00"
        cash = "all"
        """
    )
    refugee = {0: (Vulnerability.REFUGEE,)}
    ent = entitlement(bounded, household(30, vulnerable=refugee), RETURNED)
    assert ent.total == 120000
    assert ent.cash_ceiling == 120000


# 6. window and stages


def test_a_one_month_window_from_31_january_ends_on_the_last_day_of_february() -> None:
    one_month = policy("window_months = 1")
    leap = entitlement(one_month, household(30, returned=dt.date(2024, 1, 31)), RETURNED)
    common = entitlement(one_month, household(30, returned=dt.date(2023, 1, 31)), RETURNED)
    assert leap.window_end == dt.date(2024, 2, 29)
    assert common.window_end == dt.date(2023, 2, 28)


def test_the_default_window_is_twelve_months() -> None:
    ent = entitlement(policy(), household(30), RETURNED)
    assert ent.window_end == dt.date(2025, 6, 15)


def test_adding_months_crosses_the_year_and_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 8, 31), 1) == dt.date(2024, 9, 30)
    assert add_months(dt.date(2024, 5, 15), 0) == dt.date(2024, 5, 15)


# 5b. cash per person


def test_a_person_whose_lines_are_in_kind_only_may_get_no_cash() -> None:
    in_kind_for_dependants = policy(
        """
        [[person_amounts]]
        label = "dependant's support in kind"
        amount = "1000.00"
        applies_to = "dependant"
        cash = "none"
        """
    )
    ent = entitlement(in_kind_for_dependants, household(30, 30), RETURNED)
    principal, dependant = ent.persons
    assert (principal.cash, str(principal.cash_reason)) == (
        100000,
        "cash parts of the person's lines",
    )
    assert (dependant.total, dependant.cash) == (200000, 100000), "the adult line is in cash"
    ent = entitlement(in_kind_for_dependants, household(30, 5), RETURNED)
    assert [(p.total, p.cash) for p in ent.persons] == [(100000, 100000), (150000, 50000)]


def test_a_cash_ceiling_per_person_bounds_every_persons_cash() -> None:
    ceiling = policy('[cash_ceiling]\nper_person = "300.00"\n')
    ent = entitlement(ceiling, household(30, 5), RETURNED)
    assert [(p.cash, str(p.cash_reason)) for p in ent.persons] == [
        (30000, "the policy's cash ceiling per person"),
        (30000, "the policy's cash ceiling per person"),
    ]


def test_a_cash_share_per_person_is_a_share_of_their_own_total_rounded_down() -> None:
    share = policy('[cash_ceiling]\nper_person_share = "0.333"\n')
    ent = entitlement(share, household(30, 5), RETURNED)
    assert [p.cash for p in ent.persons] == [33300, 16650]
    assert str(ent.persons[1].cash_reason) == (
        "the policy's cash share per person (0.333 of the person's total)"
    )


# 2b. the stay in the host country


HALVED_UNDER_THREE_MONTHS = """
[[stay_factors]]
shorter_than_months = 3
factor = "0.5"

[[stay_factors]]
shorter_than_months = 1
factor = "0.25"
"""


def stayed(months: int | None, *ages: int) -> Case:
    return msgspec.structs.replace(household(*ages), stay_months=months)


def test_a_short_stay_multiplies_the_person_amounts_and_says_why() -> None:
    halving = policy(HALVED_UNDER_THREE_MONTHS)
    ent = entitlement(halving, stayed(2, 30, 5), RETURNED)
    assert [p.total for p in ent.persons] == [50000, 25000]
    reason = str(ent.persons[0].lines[0].reason)
    assert reason.endswith("; x 0.5: a stay of 2 months, shorter than 3")
    assert [p.total for p in entitlement(halving, stayed(0, 30), RETURNED).persons] == [25000]


def test_a_stay_as_long_as_the_threshold_keeps_the_full_amounts() -> None:
    halving = policy(HALVED_UNDER_THREE_MONTHS)
    ent = entitlement(halving, stayed(3, 30), RETURNED)
    assert ent.total == 100000
    assert "stay" not in str(ent.persons[0].lines[0].reason)


def test_a_stay_not_recorded_keeps_the_full_amounts_and_the_explanation_says_so() -> None:
    ent = entitlement(policy(HALVED_UNDER_THREE_MONTHS), stayed(None, 30), RETURNED)
    assert ent.total == 100000
    reason = str(ent.persons[0].lines[0].reason)
    assert reason.endswith("stay in the host country not recorded: amounts not reduced")


def test_the_stay_is_counted_in_whole_months_from_the_arrival_date() -> None:
    assert stay_months(dt.date(2024, 3, 15), None, RETURNED) == 3
    assert stay_months(dt.date(2024, 3, 16), None, RETURNED) == 2
    assert stay_months(None, 7, RETURNED) == 7
    assert stay_months(None, None, RETURNED) is None


def test_an_arrival_after_the_return_or_two_ways_of_giving_the_stay_are_refused() -> None:
    with pytest.raises(ValidationFailed) as late:
        stay_months(RETURNED + dt.timedelta(days=1), None, RETURNED)
    assert late.value.field == "arrived_in_host_on"
    with pytest.raises(ValidationFailed) as both:
        stay_months(dt.date(2024, 1, 1), 5, RETURNED)
    assert both.value.field == "stay_months"


def test_a_stay_factor_must_be_a_share_and_thresholds_differ() -> None:
    text = HEADER + '[[stay_factors]]\nshorter_than_months = 3\nfactor = "1.5"\n'
    text += '[[stay_factors]]\nshorter_than_months = 3\nfactor = "0.5"\n' + ADULT_AND_MINOR
    with pytest.raises(PolicyInvalid) as refused:
        load_policy(text)
    assert "$.stay_factors[0].factor" in str(refused.value)
    assert "$.stay_factors" in str(refused.value)
