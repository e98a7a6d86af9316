"""The catalogs speak for the code: every message written in it has its French and Spanish,
with the same placeholders, and no message ever shows a programming language's value."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reintegrate.adapters.message_ids import written_ids
from reintegrate.adapters.translation import LANGUAGES, catalog, in_language
from reintegrate.money import amount_text
from reintegrate.texts import Text, Value, placeholders

WRITTEN = written_ids()
TRANSLATED = LANGUAGES[1:]
REPR = re.compile(
    r"\b(None|True|False)\b|Amount\(|Decimal\(|datetime\.|Text\(|<[a-z_.]+ object at 0x"
)


def test_the_code_writes_messages_for_the_catalogs_to_check() -> None:
    assert len(WRITTEN) >= 20
    assert "{limit}: limit {size}, used {used}, asked {asked}" in WRITTEN


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_the_code_writes_is_translated(language: str) -> None:
    missing = sorted(set(WRITTEN) - set(catalog(language)))
    assert missing == [], f"{language} lacks {len(missing)}: run scripts/update_catalogs.py"


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_catalog_holds_no_message_the_code_no_longer_writes(language: str) -> None:
    assert sorted(set(catalog(language)) - set(WRITTEN)) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_misses_a_placeholder_or_adds_one(language: str) -> None:
    wrong = {
        msgid: translated
        for msgid, translated in catalog(language).items()
        if placeholders(translated) != placeholders(msgid)
    }
    assert wrong == {}


words = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12).filter(
    lambda said: REPR.search(said) is None  # a name may be anything, but not these
)
samples = st.tuples(
    words,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.builds(amount_text, st.integers(0, 10**12), st.sampled_from(["EUR", "XOF", "GNF", "USD"])),
    st.builds(Text, st.sampled_from(["Refused", "Conflict"])),
)


@settings(max_examples=60, deadline=None)
@given(samples, st.integers(min_value=0, max_value=5))
def test_every_message_renders_in_every_language_without_a_programming_value(
    sample: tuple[Value, ...], shift: int
) -> None:
    """Each placeholder of every message is given one kind of value, another at each shift,
    so that over the examples every placeholder is filled with every kind."""
    for msgid in WRITTEN:
        names = sorted(placeholders(msgid))
        filled = {name: sample[(n + shift) % len(sample)] for n, name in enumerate(names)}
        text = Text(msgid, **filled)
        for language in LANGUAGES:
            shown = in_language(text, language)
            assert not REPR.search(shown), (language, shown)


@pytest.mark.parametrize("value", [None, True, False, 1.5, [1], {"a": 1}])
def test_a_message_refuses_a_value_that_is_not_words_a_number_an_amount_or_a_date(
    value: object,
) -> None:
    with pytest.raises(TypeError):
        Text("the value {value}", value=value)  # type: ignore[arg-type]


def test_a_message_refuses_values_it_does_not_name_and_names_it_is_not_given() -> None:
    with pytest.raises(ValueError, match="names"):
        Text("a count is 1 to {most}")
    with pytest.raises(ValueError, match="names"):
        Text("a count", most=3)


def test_french_and_spanish_write_money_and_dates_as_their_readers_do() -> None:
    said = Text(
        "{limit}: limit {size}, used {used}, asked {asked}",
        limit="cash",
        size=amount_text(152_449, "EUR"),
        used=amount_text(0, "EUR"),
        asked=amount_text(40_000_000, "XOF"),
    )
    assert str(said) == "cash: limit 1524.49 EUR, used 0.00 EUR, asked 40000000 XOF"
    assert in_language(said, "fr") == (
        "cash : plafond 1\u202f524,49\xa0€, utilisé 0,00\xa0€, "
        "demandé 40\u202f000\u202f000\xa0F\u202fCFA"
    )
    assert in_language(said, "es").startswith("cash: límite 1.524,49\xa0€, usado 0,00\xa0€")
    day = Text("{one}; {more}", one=dt.date(2026, 12, 6), more=Decimal("0.25"))
    assert in_language(day, "fr") == "6 décembre 2026 ; 0,25"
    assert in_language(day, "es") == "6 de diciembre de 2026; 0,25"
