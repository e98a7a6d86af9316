"""An entitlement's explanation is words for people in every language: a policy's labels
carry their own translations and are shown in the reader's language, and no line, label or
reason ever shows a programming language's value (`None`, `True`, `False`)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import msgspec
import pytest
from hypothesis import given

from reintegrate.adapters.translation import LANGUAGES, in_language
from reintegrate.cases import (
    Case,
    PriorAssistance,
    ReturnType,
    Vulnerability,
    validate_case,
)
from reintegrate.entitlement import Entitlement, entitlement
from reintegrate.policy import Policy, PolicyInvalid, load_policy, policy_to_json
from reintegrate.policy_base import Translated
from reintegrate.texts import Label, Words
from tests.properties.policy_strategies import Scenario, scenarios
from tests.unit.households import EXAMPLES, RETURNED, household, member

PYTHON_VALUES = re.compile(r"\b(None|True|False)\b")

TRANSLATED = """\
programme = "test"
version = "1"
name = "Test programme"
currency = "EUR"
effective_from = 2020-01-01

[countries]
default_category = "any"

[[person_amounts]]
label = { en = "start-up support", fr = "aide au démarrage", es = "ayuda inicial" }
amount = "1000.00"

[[household.add_ons]]
label.en = "family supplement"
label.fr = "supplément familial"
amount = "200.00"

[[vulnerability.top_ups]]
kind = "disability"
label = "medical support"
amount = "300.00"

[[vulnerability.top_ups]]
kind = "refugee"
amount = "100.00"
"""


def words_of(ent: Entitlement) -> list[Words]:
    """Every label and reason of an explanation."""
    lines = [
        *ent.household_add_ons,
        *(line for p in ent.persons for line in (*p.lines, *p.top_ups)),
    ]
    return [
        *ent.reasons,
        ent.cash_ceiling_reason,
        *(p.cash_reason for p in ent.persons),
        *(p.excluded for p in ent.persons if p.excluded is not None),
        *(line.label for line in lines),
        *(line.reason for line in lines),
    ]


def assert_said_in_words(ent: Entitlement) -> None:
    for language in LANGUAGES:
        for words in words_of(ent):
            said = in_language(words, language)
            assert said.strip(), words
            assert not PYTHON_VALUES.search(said), (language, said)


def households(policy: Policy) -> list[Case]:
    """A few households for `policy`: to each of its categories' first country and to one in
    none, alone or with dependants (one of another nationality, some vulnerable), of every
    return type, with and without a stay recorded."""
    countries = [codes[0] for codes in policy.countries.categories.values() if codes] + ["AQ"]
    cases = []
    for country in countries:
        for i, return_type in enumerate(ReturnType):
            members = [member(0, 40 + i, country, Vulnerability.ELDERLY)]
            if i:
                members += [
                    member(1, 35, "AF", Vulnerability.DISABILITY),
                    member(2, 8, country, Vulnerability.UNACCOMPANIED_MINOR),
                    member(3, 70, country, *Vulnerability),
                ]
            case = Case(
                case_id=f"case-{country}-{i}",
                programme_id=policy.programme,
                office="office-1",
                country_of_return=country,
                return_date=RETURNED,
                return_type=return_type,
                members=tuple(members),
                stay_months=(None, 2, 36)[i],
            )
            cases.append(validate_case(case, today=RETURNED))
    return cases


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_explanation_under_an_example_policy_shows_a_python_value(path: Path) -> None:
    policy = load_policy(path.read_bytes())
    before = PriorAssistance(
        person_id="person-0",
        case_id="earlier",
        programme_id="another-programme",
        approved_on=dt.date(2023, 1, 2),
    )
    for case in households(policy):
        assert_said_in_words(entitlement(policy, case, RETURNED))
        assert_said_in_words(entitlement(policy, case, RETURNED, [before]))


@given(scenarios())
def test_no_explanation_of_a_generated_case_shows_a_python_value(s: Scenario) -> None:
    assert_said_in_words(entitlement(s.policy, s.case, s.as_of, list(s.history)))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_label_of_an_example_policy_is_in_french_and_spanish(path: Path) -> None:
    policy = load_policy(path.read_bytes())
    labels = [
        *(line.label for line in policy.person_amounts),
        *(line.label for line in policy.household.add_ons),
        *(t.label for t in policy.vulnerability.top_ups),
        *(c.label for c in (policy.business.criteria if policy.business else ())),
    ]
    assert labels
    for label in labels:
        assert isinstance(label, Translated), label
        assert label.fr, label
        assert label.es, label
        assert len({label.en, label.fr, label.es}) == 3, label


def test_a_policy_with_translated_labels_is_shown_in_french_and_spanish() -> None:
    policy = load_policy(TRANSLATED)
    both = (Vulnerability.DISABILITY, Vulnerability.REFUGEE)
    case = household(40, 10, country="SN", vulnerable={0: both, 1: both})
    ent = entitlement(policy, case, RETURNED)
    line = ent.persons[0].lines[0].label
    add_on = ent.household_add_ons[0].label
    medical, refugee = (t.label for t in ent.persons[0].top_ups)

    assert [in_language(line, lang) for lang in LANGUAGES] == [
        "start-up support",
        "aide au démarrage",
        "ayuda inicial",
    ]
    # a language the author did not write it in, and a label without translations: English
    assert [in_language(add_on, lang) for lang in LANGUAGES] == [
        "family supplement",
        "supplément familial",
        "family supplement",
    ]
    assert {in_language(medical, lang) for lang in LANGUAGES} == {"medical support"}
    # a top-up without a label is named by its vulnerability, a word of the catalogs
    assert [in_language(refugee, lang) for lang in LANGUAGES] == [
        "top-up: refugee",
        "complément : réfugié",
        "complemento: refugiado",
    ]
    reason = ent.persons[0].lines[0].reason
    assert in_language(reason, "en") == (
        "principal, age 40 on return (no age band), country category any"
    )
    assert in_language(reason, "fr") == (
        "personne principale, 40 ans au retour (aucune tranche d'âge), catégorie de pays any"
    )


def test_a_translated_label_is_kept_as_written() -> None:
    policy = load_policy(TRANSLATED)
    assert load_policy(policy_to_json(policy), "json") == policy
    wording = policy.person_amounts[0].label
    assert wording == Translated(en="start-up support", fr="aide au démarrage", es="ayuda inicial")
    assert policy.household.add_ons[0].label == Translated(
        en="family supplement", fr="supplément familial"
    )


def test_a_label_in_a_language_without_messages_is_refused_naming_its_field() -> None:
    german = TRANSLATED.replace('es = "ayuda inicial"', 'de = "Starthilfe"')
    with pytest.raises(PolicyInvalid) as refused:
        load_policy(german)
    assert refused.value.field == "$.person_amounts[0].label.de"
    assert "unknown field `de`" in refused.value.message


def test_a_translated_label_needs_its_english() -> None:
    without = TRANSLATED.replace('label.en = "family supplement"\n', "")
    with pytest.raises(PolicyInvalid) as refused:
        load_policy(without)
    assert refused.value.field == "$.household.add_ons[0].label"
    assert "`en`" in refused.value.message


def test_the_languages_a_label_may_carry_are_those_of_the_messages() -> None:
    assert ("en", *Translated.__struct_fields__[1:]) == LANGUAGES
    assert msgspec.structs.fields(Translated)[0].required


def test_a_label_without_words_in_a_language_falls_back_to_english() -> None:
    label = Label("support", (("fr", "aide"),))
    assert (label.in_language("fr"), label.in_language("es"), str(label)) == (
        "aide",
        "support",
        "support",
    )
