"""Properties of the normal forms under which identifiers match and names are compared."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reintegrate.people.identity import normal_code, normal_name

NORMALISERS: list[Callable[[str], str]] = [normal_code, normal_name]
IDS = ["normal_code", "normal_name"]

SEPARATORS = " -./_\t"
ACCENTS = "\u0300\u0301\u0302\u0303\u0308\u0327\u030c"
"""Grave, acute, circumflex, tilde, diaeresis, cedilla, caron."""


@st.composite
def accented(draw: st.DrawFn, alphabet: str = string.ascii_lowercase) -> tuple[str, str]:
    """(plain, decorated): ASCII letters, and the same letters with random case and accents,
    composed where Unicode has a precomposed letter (as most keyboards type them)."""
    plain = draw(st.text(alphabet=alphabet, min_size=1, max_size=20))
    letters = []
    for ch in plain:
        upper = draw(st.booleans())
        marks = draw(st.text(alphabet=ACCENTS, max_size=2))
        letters.append((ch.upper() if upper else ch) + marks)
    return plain, unicodedata.normalize("NFC", "".join(letters))


@pytest.mark.parametrize("normalise", NORMALISERS, ids=IDS)
@given(raw=st.text())
@example(raw="\u1e9e")  # capital sharp s
@example(raw="\u1f80")  # Greek alpha with iota subscript
@example(raw="\u0131")  # dotless i
def test_normalising_any_text_never_raises_and_normalising_again_changes_nothing(
    normalise: Callable[[str], str], raw: str
) -> None:
    once = normalise(raw)
    assert isinstance(once, str)
    assert normalise(once) == once


@pytest.mark.parametrize("normalise", NORMALISERS, ids=IDS)
@given(raw=st.text())
@example(raw="stra\u00dfe")  # sharp s, against "STRASSE" and a capital sharp s
@example(raw="\u1fb3")  # Greek alpha with ypogegrammeni: upper case is two letters
@example(raw="\u0345")  # the combining ypogegrammeni, whose upper case is a capital iota
@example(raw="K\u0131l\u0131\u00e7")  # Turkish dotless i, whose upper case is a plain I
def test_normalising_is_insensitive_to_case(normalise: Callable[[str], str], raw: str) -> None:
    once = normalise(raw)
    assert normalise(raw.upper()) == once
    assert normalise(raw.lower()) == once
    assert normalise(raw.casefold()) == once


@pytest.mark.parametrize("normalise", NORMALISERS, ids=IDS)
@given(raw=st.text())
def test_normalising_ignores_how_accents_are_encoded(
    normalise: Callable[[str], str], raw: str
) -> None:
    once = normalise(raw)
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        assert normalise(unicodedata.normalize(form, raw)) == once


@pytest.mark.parametrize("normalise", NORMALISERS, ids=IDS)
@given(accented())
def test_normalising_drops_accents_and_case_from_latin_letters(
    normalise: Callable[[str], str], pair: tuple[str, str]
) -> None:
    plain, decorated = pair
    assert normalise(decorated) == normalise(plain)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Ndiaye", "NDIAYE"),
        ("Sénégal", "senegal"),
        ("SÉNÉGAL", "Senegal"),
        ("Sénégal", "Se\u0301ne\u0301gal"),  # decomposed accents
        ("Guédiawaye", "GUEDIAWAYE"),
        ("Conakry", "CONAKRY"),
        ("Ọlá", "ola"),
        ("Straße", "STRASSE"),
    ],
)
def test_names_and_codes_that_differ_only_by_case_or_accents_match(left: str, right: str) -> None:
    assert normal_name(left) == normal_name(right)
    assert normal_code(left) == normal_code(right)


def test_a_name_is_folded_to_lower_case_words_separated_by_one_space() -> None:
    assert normal_name("  Mamadou--Lamine   N'DIAYE. ") == "mamadou lamine n diaye"
    assert normal_name("Ndèye Fatou") == normal_name("NDEYE  FATOU")
    assert normal_name("Ndèye Fatou") != normal_name("Ndeyefatou")


def test_a_code_keeps_only_upper_case_letters_and_digits() -> None:
    assert normal_code("A12 345-6/7") == "A1234567"
    assert normal_code("sn 12 345-678") == "SN12345678"
    assert normal_code("\uff21\uff11\uff12") == "A12"  # full-width letter and digits


@given(
    code=st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=20),
    data=st.data(),
)
def test_a_code_is_insensitive_to_separators_anywhere(code: str, data: st.DataObject) -> None:
    separated = "".join(
        data.draw(st.text(alphabet=SEPARATORS, max_size=3)) + ch for ch in code
    ) + data.draw(st.text(alphabet=SEPARATORS, max_size=3))
    assert normal_code(separated) == normal_code(code) == code.upper()


@given(
    words=st.lists(
        st.text(alphabet=string.ascii_letters, min_size=1, max_size=10), min_size=1, max_size=4
    ),
    data=st.data(),
)
def test_a_name_reduces_every_run_of_separators_to_one_space(
    words: list[str], data: st.DataObject
) -> None:
    edge = st.text(alphabet=SEPARATORS, max_size=3)
    between = st.text(alphabet=SEPARATORS, min_size=1, max_size=3)
    separated = (
        data.draw(edge)
        + "".join(
            word + (data.draw(between) if i < len(words) - 1 else "")
            for i, word in enumerate(words)
        )
        + data.draw(edge)
    )
    assert normal_name(separated) == " ".join(words).lower()


@given(st.text())
def test_a_code_has_no_separators_and_a_name_no_double_or_edge_spaces(raw: str) -> None:
    code = normal_code(raw)
    assert all(unicodedata.category(ch)[0] in "LN" for ch in code)
    name = normal_name(raw)
    assert name == name.strip()
    assert "  " not in name
    assert all(ch == " " or unicodedata.category(ch)[0] in "LN" for ch in name)


def _code_by_each_character(raw: str) -> str:
    """`normal_code` as its rule reads, one character at a time, whatever the text."""
    decomposed = unicodedata.normalize("NFKD", raw.casefold())
    return "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch)[0] in "LN"
    ).upper()


@given(raw=st.text() | st.text(alphabet=st.characters(max_codepoint=127)))
@example(raw="sn 12 345-678/9.\t_x")
def test_a_code_is_the_same_by_any_way_to_it(raw: str) -> None:
    assert normal_code(raw) == _code_by_each_character(raw)
