"""The library-backed identifier checks: phone numbers, IBANs and BICs in one normal form.

Every refusal must name the field and must not repeat the value, which is personal data.
"""

from __future__ import annotations

import string
from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reintegrate.adapters.identifiers import MAX_PHONE_CHARS, LibraryIdentifierChecks
from reintegrate.errors import ValidationFailed
from reintegrate.people.identity import IdentifierChecks

CHECKS = LibraryIdentifierChecks()
FIELD = "members[0].phones[1]"
REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


def assert_refused_without_echo(error: ValidationFailed, raw: str, field: str) -> None:
    """`error` names `field` and shows neither `raw` nor its letters and digits run together."""
    assert error.field == field
    assert field in error.message
    shown = f"{error.message} {error.details}"
    compact = "".join(ch for ch in raw if ch.isalnum())
    for secret in (raw.strip(), compact):
        if len(secret) >= 3:
            assert secret not in shown
            assert secret.upper() not in shown


def outcome(check: Callable[[str], str], raw: str) -> str | ValidationFailed:
    """What `check` returns for `raw`, or the refusal it raises; any other error propagates."""
    try:
        return check(raw)
    except ValidationFailed as error:
        return error


def test_the_library_checks_satisfy_the_identifier_checks_protocol() -> None:
    checks: IdentifierChecks = LibraryIdentifierChecks()
    assert checks.bic("DEUTDEFF", "bic") == "DEUTDEFF"


# --- phone numbers ---------------------------------------------------------------------------

MOBILES = {
    "SN": (
        "+221771234567",
        ["77 123 45 67", "771234567", "+221 77 123 45 67", "00221 77 123 45 67", "+221771234567"],
    ),
    "GN": (
        "+224622123456",
        ["622 12 34 56", "622123456", "+224 622 12 34 56", "00224622123456"],
    ),
    "FR": (
        "+33612345678",
        ["06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "0033 6 12 34 56 78"],
    ),
    "NG": (
        "+2348031234567",
        ["0803 123 4567", "08031234567", "+234 803 123 4567", "00234 803 123 4567"],
    ),
}
MOBILE_CASES = [(region, raw, e164) for region, (e164, forms) in MOBILES.items() for raw in forms]
INTERNATIONAL_CASES = [(raw, e164) for _, raw, e164 in MOBILE_CASES if raw.startswith(("+", "00"))]


@pytest.mark.parametrize(("region", "raw", "e164"), MOBILE_CASES)
def test_a_mobile_number_in_national_or_international_form_becomes_its_e164_form(
    region: str, raw: str, e164: str
) -> None:
    assert CHECKS.phone_number(raw, region, FIELD) == e164


@pytest.mark.parametrize(("raw", "e164"), INTERNATIONAL_CASES)
def test_an_international_number_needs_no_region(raw: str, e164: str) -> None:
    assert CHECKS.phone_number(raw, None, FIELD) == e164


@pytest.mark.parametrize(("raw", "e164"), INTERNATIONAL_CASES)
def test_an_international_number_is_read_the_same_in_any_region(raw: str, e164: str) -> None:
    assert CHECKS.phone_number(raw, "DE", FIELD) == e164


def test_a_lower_case_region_code_is_read_as_upper_case() -> None:
    assert CHECKS.phone_number("77 123 45 67", "sn", FIELD) == "+221771234567"


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("77 123 45", "SN"),  # too short
        ("77 123 45 67 89", "SN"),  # too long
        ("12 345 67 89", "SN"),  # no such prefix in Senegal
        ("+221 12 345 67 89", None),
        ("0803 123", "NG"),
        ("01 23", "FR"),
        ("06 12 34 56 78", "SN"),  # a French national number is not Senegalese
        ("622 12 34 56", "SN"),  # nor is a Guinean one
        ("771234567", None),  # a national number without a region to read it
        ("not a number", "GN"),
        ("", "SN"),
        ("   ", None),
        ("+", None),
    ],
)
def test_an_invalid_number_is_refused_naming_the_field_without_repeating_it(
    raw: str, region: str | None
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        CHECKS.phone_number(raw, region, FIELD)
    assert_refused_without_echo(caught.value, raw, FIELD)
    assert caught.value.__cause__ is None
    if region is not None:
        assert f"region {region}" in caught.value.message


def test_the_refusal_says_which_region_the_number_was_read_for() -> None:
    with pytest.raises(ValidationFailed) as caught:
        CHECKS.phone_number("77 123 45", "SN", FIELD)
    assert caught.value.message == f"{FIELD} is not a valid phone number for region SN"


def test_a_number_longer_than_forty_characters_is_refused_before_it_is_read() -> None:
    raw = "+221 77 123 45 67" + " " * (MAX_PHONE_CHARS - 16)
    assert len(raw) == MAX_PHONE_CHARS + 1
    with pytest.raises(ValidationFailed) as caught:
        CHECKS.phone_number(raw, "SN", FIELD)
    assert_refused_without_echo(caught.value, raw, FIELD)
    assert caught.value.details == {"max_length": MAX_PHONE_CHARS}


@pytest.mark.parametrize("region", ["XX", "ZZ", "SEN", ""])
def test_a_region_without_a_numbering_plan_is_refused(region: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        CHECKS.phone_number("77 123 45 67", region, FIELD)
    assert_refused_without_echo(caught.value, "77 123 45 67", FIELD)


@st.composite
def example_mobiles(draw: st.DrawFn) -> tuple[str, str, str]:
    """(region, national form, E.164 form) of a region's published example mobile number."""
    region = draw(st.sampled_from(REGIONS))
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if number is None:
        number = phonenumbers.example_number(region)
    assert number is not None
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return region, national, e164


@given(example_mobiles())
def test_every_regions_example_number_reads_the_same_in_national_and_e164_form(
    example: tuple[str, str, str],
) -> None:
    region, national, e164 = example
    assert CHECKS.phone_number(national, region, FIELD) == e164
    assert CHECKS.phone_number(e164, region, FIELD) == e164
    assert CHECKS.phone_number(e164, None, FIELD) == e164
    assert CHECKS.phone_number("00" + e164[1:], None, FIELD) == e164


phone_like = st.builds(
    lambda plus, digits, spaces: plus + " " * spaces + digits,
    st.sampled_from(["", "+", "00", "0"]),
    st.text(alphabet=string.digits, min_size=0, max_size=16),
    st.integers(min_value=0, max_value=2),
)
regions = st.one_of(st.none(), st.sampled_from(REGIONS), st.text(max_size=3))


@given(raw=st.one_of(phone_like, st.text()), region=regions)
def test_any_text_is_a_phone_number_in_normal_form_or_refused_and_normal_forms_are_stable(
    raw: str, region: str | None
) -> None:
    e164 = outcome(lambda text: CHECKS.phone_number(text, region, FIELD), raw)
    if isinstance(e164, ValidationFailed):
        assert e164.field == FIELD
        return
    assert e164.startswith("+")
    assert e164[1:].isascii()
    assert e164[1:].isdigit()
    assert CHECKS.phone_number(e164, region, FIELD) == e164
    assert CHECKS.phone_number(e164, None, FIELD) == e164


# --- IBANs -----------------------------------------------------------------------------------

SAMPLE_IBANS = [
    "DE89370400440532013000",
    "FR1420041010050500013M02606",
    "GB82WEST12345698765432",
    "NL91ABNA0417164300",
    "BE68539007547034",
    "CH9300762011623852957",
]


def printed(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


@pytest.mark.parametrize("iban", SAMPLE_IBANS)
def test_a_published_sample_iban_is_accepted_compact_printed_or_in_lower_case(iban: str) -> None:
    for raw in (iban, printed(iban), printed(iban).lower(), f"  {iban.lower()}\t"):
        assert CHECKS.iban(raw, "bank.iban") == iban


@pytest.mark.parametrize("iban", SAMPLE_IBANS)
def test_an_iban_with_one_digit_changed_is_refused_without_repeating_it(iban: str) -> None:
    position = max(i for i, ch in enumerate(iban) if ch.isdigit())
    changed = iban[:position] + str((int(iban[position]) + 1) % 10) + iban[position + 1 :]
    with pytest.raises(ValidationFailed) as caught:
        CHECKS.iban(printed(changed), "bank.iban")
    assert_refused_without_echo(caught.value, changed, "bank.iban")
    assert "check digits" in caught.value.message
    assert caught.value.__cause__ is None


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("DE8937040044053201300", "length"),  # a digit short
        ("DE893704004405320130001", "length"),  # a digit too many
        ("XX89370400440532013000", "country"),
        ("US89370400440532013000", "country"),  # no IBANs in the United States
        ("GB82WEST1234569876543X", "layout"),  # a letter where the account number has digits
        ("DE89-3704-0044-0532-0130-00", "only letters"),
        ("DE89370400440532013000\u00df", "only letters"),
        ("", "empty"),
        ("   ", "empty"),
        ("DE89 " * 13, "too long"),
    ],
)
def test_an_invalid_iban_is_refused_saying_why_in_general_terms(raw: str, why: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        CHECKS.iban(raw, "bank.iban")
    assert_refused_without_echo(caught.value, raw, "bank.iban")
    assert why in caught.value.message


def numerify(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text))


def with_check_digits(country: str, bban: str) -> str:
    """The IBAN of `bban`, with check digits computed here (ISO 7064 mod 97-10), not by schwifty."""
    check = 98 - numerify(bban + country + "00") % 97
    return f"{country}{check:02d}{bban}"


digits = string.digits
letters = string.ascii_uppercase
BBAN_SHAPES: dict[str, list[tuple[str, int]]] = {
    "DE": [(digits, 18)],
    "BE": [(digits, 12)],
    "NL": [(letters, 4), (digits, 10)],
    "GB": [(letters, 4), (digits, 14)],
    "FR": [(digits, 10), (digits + letters, 11), (digits, 2)],
}


@st.composite
def ibans(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(sorted(BBAN_SHAPES)))
    bban = "".join(
        draw(st.text(alphabet=alphabet, min_size=size, max_size=size))
        for alphabet, size in BBAN_SHAPES[country]
    )
    return with_check_digits(country, bban)


@given(iban=ibans(), lower=st.booleans(), spaced=st.booleans())
def test_a_valid_iban_normalises_to_its_compact_form_and_that_form_is_stable(
    iban: str, lower: bool, spaced: bool
) -> None:
    raw = printed(iban) if spaced else iban
    normal = CHECKS.iban(raw.lower() if lower else raw, "iban")
    assert normal == iban
    assert CHECKS.iban(normal, "iban") == normal


@given(iban=ibans(), data=st.data())
def test_changing_any_one_digit_of_a_valid_iban_makes_it_refused(
    iban: str, data: st.DataObject
) -> None:
    position = data.draw(st.sampled_from([i for i, ch in enumerate(iban) if ch.isdigit()]))
    new = data.draw(st.sampled_from([d for d in digits if d != iban[position]]))
    with pytest.raises(ValidationFailed) as caught:
        CHECKS.iban(iban[:position] + new + iban[position + 1 :], "iban")
    assert caught.value.field == "iban"


@given(st.text())
def test_any_text_is_an_iban_in_normal_form_or_refused(raw: str) -> None:
    normal = outcome(lambda text: CHECKS.iban(text, "iban"), raw)
    if isinstance(normal, ValidationFailed):
        assert normal.field == "iban"
        return
    assert CHECKS.iban(normal, "iban") == normal


# --- BICs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "bic"),
    [
        ("DEUTDEFF", "DEUTDEFF"),
        ("deutdeff", "DEUTDEFF"),
        ("BNPAFRPPXXX", "BNPAFRPPXXX"),
        ("bnpa fr pp xxx", "BNPAFRPPXXX"),
        (" SGSNSNDA ", "SGSNSNDA"),
        ("ECOCSNDA", "ECOCSNDA"),
    ],
)
def test_a_bic_of_8_or_11_characters_is_accepted_in_upper_case(raw: str, bic: str) -> None:
    assert CHECKS.bic(raw, "bank.bic") == bic


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("DEUT", "8 or 11"),
        ("DEUTDEFF1", "8 or 11"),
        ("DEUTDEFF1234", "8 or 11"),
        ("DEUTXXFF", "country"),
        ("DEUTDE_F", "only letters"),
        ("DEUT-DE-FF", "only letters"),
        ("deutde\ufb00", "only letters"),  # the "ff" ligature upper-cases to "FF"
        ("", "empty"),
        ("DEUTDEFF" * 3, "too long"),
    ],
)
def test_an_invalid_bic_is_refused_saying_why(raw: str, why: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        CHECKS.bic(raw, "bank.bic")
    assert_refused_without_echo(caught.value, raw, "bank.bic")
    assert why in caught.value.message


@given(st.one_of(st.text(), st.text(alphabet=letters + digits + " ", max_size=14)))
def test_any_text_is_a_bic_in_normal_form_or_refused(raw: str) -> None:
    normal = outcome(lambda text: CHECKS.bic(text, "bic"), raw)
    if isinstance(normal, ValidationFailed):
        assert normal.field == "bic"
        return
    assert len(normal) in (8, 11)
    assert CHECKS.bic(normal, "bic") == normal
