"""SWIFT MT940 statements as banks send them: FIN envelopes, ING, ABN AMRO, Sparkasse, pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.mt940_format import parse_mt940
from reintegrate.money import minor_digits
from reintegrate.reconcile.statements.lines import Direction, LineStatus, Statement, StatementLine

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> tuple[Statement, ...]:
    return parse_mt940((FIXTURES / name).read_bytes())


def summary(line: StatementLine) -> tuple[object, ...]:
    return (line.reference, line.amount, line.direction, line.status, line.counterparty)


def test_a_swift_fin_file_holds_one_statement_per_message_in_whole_francs() -> None:
    first, second = read("mt940_swift_fin_xof.sta")
    assert (first.format, first.version, first.currency) == ("mt940", "fin/free-text", "XOF")
    assert first.account == "SN08K01001012000001234567890"
    assert (first.opening_balance, first.closing_balance) == (12_500_000, 10_900_000)
    assert (first.credits, first.debits) == (275_000, 1_875_000)
    assert [line.reference for line in first.lines] == [
        "RET-2026-000311",
        "RET-2026-000312",
        "RET-2026-000312",
        "RET-2026-000318",
    ]
    assert [line.position for line in first.lines] == ["line 6", "line 8", "line 10", "line 12"]
    assert (second.opening_balance, second.closing_balance) == (10_900_000, 10_400_000)
    assert summary(second.lines[0]) == (
        "RET-2026-000320",
        500_000,
        Direction.DEBIT,
        LineStatus.BOOKED,
        None,
    )
    assert second.lines[0].booked_on == dt.date(2026, 3, 4)


def test_ing_slash_keys_give_the_end_to_end_id_and_the_counterparty() -> None:
    (statement,) = read("mt940_ing_structured.sta")
    assert (statement.version, statement.account) == ("slash-keys", "NL69INGB0123456789EUR")
    assert (statement.opening_balance, statement.closing_balance) == (4_500_000, 4_350_000)
    assert (statement.credits, statement.debits) == (75_050, 225_050)
    assert [summary(line) for line in statement.lines[:2]] == [
        ("RET-2026-000123", 150_000, Direction.DEBIT, LineStatus.BOOKED, "A. Diallo"),
        ("RET-2026-000124", 75_050, Direction.DEBIT, LineStatus.BOOKED, "F. Camara"),
    ]


def test_a_payment_the_bank_sends_back_is_a_returned_credit() -> None:
    (statement,) = read("mt940_ing_structured.sta")
    returned = statement.lines[2]
    assert summary(returned) == (
        "RET-2026-000124",
        75_050,
        Direction.CREDIT,
        LineStatus.RETURNED,
        "F. Camara",
    )
    assert (returned.position, returned.booked_on) == ("line 13", dt.date(2026, 3, 4))


def test_abn_amro_header_lines_are_skipped_and_its_name_field_read() -> None:
    (statement,) = read("mt940_abnamro.sta")
    assert (statement.account, statement.currency) == ("417164300", "EUR")
    assert [line.counterparty for line in statement.lines] == ["M HADDAD"] * 3
    assert [line.reference for line in statement.lines] == ["RET-2026-000201"] * 3


def test_a_reversal_in_mt940_is_a_reversed_credit() -> None:
    (statement,) = read("mt940_abnamro.sta")
    reversal = statement.lines[2]
    assert (reversal.direction, reversal.status, reversal.amount) == (
        Direction.CREDIT,
        LineStatus.REVERSED,
        85_000,
    )
    assert (statement.credits, statement.debits) == (85_000, 170_000)
    assert statement.closing_balance == 1_115_000


def test_german_subfields_give_the_eref_the_kref_and_the_name_behind_a_bom() -> None:
    (statement,) = read("mt940_sparkasse_bom.sta")
    assert (statement.version, statement.account) == ("subfields", "37050198/1234567890")
    assert [summary(line) for line in statement.lines] == [
        ("RET-2026-000401", 120_000, Direction.DEBIT, LineStatus.BOOKED, "Samir Haddad"),
        ("RET-2026-000402", 30_000, Direction.CREDIT, LineStatus.BOOKED, "Lina Haddad"),
    ]


def test_dr_is_a_debit_with_a_funds_code_not_a_reversal() -> None:
    (statement,) = read("mt940_sparkasse_bom.sta")
    assert statement.lines[0].direction is Direction.DEBIT
    assert statement.lines[0].status is LineStatus.BOOKED


def test_a_file_with_several_statements_and_currencies_gives_one_statement_each() -> None:
    page_1, page_2, dirham = read("mt940_multi_currency.sta")
    assert [s.currency for s in (page_1, page_2, dirham)] == ["EUR", "EUR", "MAD"]
    assert (page_1.opening_balance, page_1.closing_balance) == (500_000, 180_000)
    assert (page_2.opening_balance, page_2.closing_balance) == (180_000, -50_000)
    assert dirham.account == "BE68539007547035"
    assert (dirham.opening_balance, dirham.closing_balance) == (15_000_000, 13_150_000)
    assert (dirham.credits, dirham.debits) == (2_500_000, 4_350_000)
    assert [(line.direction, line.status) for line in dirham.lines] == [
        (Direction.DEBIT, LineStatus.BOOKED),
        (Direction.CREDIT, LineStatus.REVERSED),
        (Direction.DEBIT, LineStatus.BOOKED),
    ]


def _one_line(
    line_61: str, balances: tuple[str, str] = ("C261230EUR100,00", "C261230EUR90,00")
) -> bytes:
    opening, closing = balances
    return f":20:T\n:25:ACCOUNT\n:60F:{opening}\n:61:{line_61}\n:62F:{closing}\n".encode()


def test_the_booking_date_may_fall_in_the_next_year_after_the_value_date() -> None:
    (statement,) = parse_mt940(_one_line("2612310102D10,00NTRFNONREF"))
    assert statement.lines[0].booked_on == dt.date(2027, 1, 2)
    assert statement.lines[0].reference is None


@pytest.mark.parametrize(
    ("line_61", "reference"),
    [
        ("2612301230D10,00NTRFRET-2026-000123//BANK\nsupplementary details", "RET-2026-000123"),
        (
            "261230D10,00NTRFRET-2026-000123-TRANCHE2//2026123016391534000",
            "RET-2026-000123-TRANCHE2",
        ),
        ("261230D10,00NTRFRET-1//B" + "7" * 30 + "\nWISE supplementary details", "RET-1"),
        ("261230D10,00NTRFNOTPROVIDED", None),
    ],
)
def test_the_customer_reference_of_61_is_the_reference_when_86_has_none(
    line_61: str, reference: str | None
) -> None:
    (statement,) = parse_mt940(_one_line(line_61))
    assert statement.lines[0].reference == reference


def test_a_reversal_of_a_credit_is_a_reversed_debit() -> None:
    (statement,) = parse_mt940(_one_line("261230RC10,NTRFRET-1"))
    assert (statement.lines[0].direction, statement.lines[0].status) == (
        Direction.DEBIT,
        LineStatus.REVERSED,
    )
    assert statement.lines[0].amount == 1000


@pytest.mark.parametrize(
    ("fixture", "field", "words"),
    [
        ("mt940_bad_truncated_no_closing.sta", "line 12 (end of statement)", "truncated"),
        ("mt940_bad_truncated_mid_tag.sta", "line 7 (:61:)", "'2603' is not a statement line"),
        ("mt940_bad_truncated_envelope.sta", "line 1", "never closed"),
        ("mt940_bad_unknown_currency.sta", "line 20 (:60F:)", "unknown currency 'MDH'"),
        ("mt940_bad_decimals_eur.sta", "line 9 (:61:)", "'100,123' has 3 decimals; EUR has 2"),
        ("mt940_bad_decimals_xof.sta", "line 22 (:61:)", "'500000,50' has 2 decimals; XOF has 0"),
        ("mt940_bad_date.sta", "line 13 (:61:)", "'261332' is not a calendar date"),
    ],
)
def test_a_bad_file_is_rejected_whole_with_the_line_at_fault(
    fixture: str, field: str, words: str
) -> None:
    with pytest.raises(StatementRejected) as rejected:
        read(fixture)
    assert rejected.value.field == field
    assert words in rejected.value.message


def test_a_statement_that_does_not_add_up_is_read_with_its_discrepancy() -> None:
    data = (FIXTURES / "mt940_abnamro.sta").read_bytes()
    (kept,) = parse_mt940(data)
    (off,) = parse_mt940(data.replace(b"EUR11150,00", b"EUR11150,01"))
    assert (kept.discrepancy, off.discrepancy) == (0, 1)
    assert off.lines == kept.lines


def test_a_latin1_file_from_a_savings_bank_is_read_as_windows_1252_and_says_so() -> None:
    data = (FIXTURES / "mt940_latin1.sta").read_bytes()
    (guessed,) = parse_mt940(data)
    assert tuple(map(str, guessed.remarks)) == (
        "not UTF-8 (byte 0xFC on line 7): read as Windows-1252 (Latin-1); give the encoding "
        "if it is another",
    )
    assert [line.counterparty for line in guessed.lines] == ["Samir Haddad", "Lina Haddad"]
    (given,) = parse_mt940(data, "latin-1")
    assert tuple(map(str, given.remarks)) == ("read as latin-1, as asked",)
    assert given.lines == guessed.lines
    with pytest.raises(StatementRejected) as refused:
        parse_mt940(data, "utf-8")
    assert (refused.value.field, refused.value.message) == ("line 7", "byte 0xFC is not utf-8")
    for codec in ("klingon", "unicode_escape", "utf-7", "punycode"):
        with pytest.raises(StatementRejected) as unknown:
            parse_mt940(data, codec)
        assert unknown.value.field == "encoding"


def test_a_utf16_file_with_its_byte_order_mark_is_read_as_its_text() -> None:
    data = (FIXTURES / "mt940_utf16.sta").read_bytes()
    as_utf8 = parse_mt940(data.decode("utf-16").encode())
    read_as_is = parse_mt940(data)
    assert [s.lines for s in read_as_is] == [s.lines for s in as_utf8]
    assert all(
        tuple(map(str, s.remarks)) == ("UTF-16 (by its byte order mark), read as such",)
        for s in read_as_is
    )


def test_a_binary_file_is_refused_naming_the_line() -> None:
    with pytest.raises(StatementRejected) as refused:
        parse_mt940(b":20:T\n:25:A\n\x00\x01\x02")
    assert refused.value.field == "line 3"
    assert "control character U+0000" in refused.value.message


@pytest.mark.parametrize(
    ("line_61", "words"),
    [
        ("2612300230D10,00NTRFNONREF", "entry date '0230' is not a calendar date"),
        ("261230D10.00NTRFNONREF", "is not a statement line"),
        ("261230D1,000,00NTRFNONREF", "'1,000,00' is not an MT940 amount"),
        ("261230X10,00NTRFNONREF", "is not a statement line"),
        ("261230D1 000,00NTRFREF1", "is not a statement line"),
        ("261230D100, 50NTRFREF1", "is not a statement line"),
    ],
)
def test_a_malformed_statement_line_is_rejected_with_what_was_expected(
    line_61: str, words: str
) -> None:
    with pytest.raises(StatementRejected) as rejected:
        parse_mt940(_one_line(line_61))
    assert rejected.value.field == "line 4 (:61:)"
    assert words in rejected.value.message


def test_a_debit_balance_of_a_yen_account_takes_no_decimals() -> None:
    data = _one_line("261230C500,NMSCNONREF", ("D261230JPY1500,", "D261230JPY1000,"))
    (statement,) = parse_mt940(data)
    assert (statement.opening_balance, statement.closing_balance) == (-1500, -1000)
    with pytest.raises(StatementRejected, match="JPY has 0"):
        parse_mt940(data.replace(b"JPY1500,", b"JPY1500,00"))


def test_a_file_without_a_statement_or_an_account_is_rejected() -> None:
    with pytest.raises(StatementRejected, match="starts with :20:"):
        parse_mt940(b"Date;Amount\n2026-03-02;10.00\n")
    with pytest.raises(StatementRejected, match=r"account identification \(:25:\)"):
        parse_mt940(b":20:T\n:60F:C260301EUR1,00\n:62F:C260301EUR1,00\n")


# Generated statements parse back to the lines they were written from.

CURRENCIES = ("EUR", "XOF", "KWD", "JPY", "MAD", "GNF")
MARKS = {"D": Direction.DEBIT, "C": Direction.CREDIT, "RD": Direction.CREDIT, "RC": Direction.DEBIT}


def swift_amount(minor: int, code: str) -> str:
    digits = minor_digits(code)
    whole, fraction = divmod(minor, 10**digits)
    return f"{whole}," + (f"{fraction:0{digits}d}" if digits else "")


entries = st.lists(
    st.tuples(
        st.integers(1, 10**12),
        st.sampled_from(sorted(MARKS)),
        st.from_regex(r"RET-[0-9]{4}-[0-9]{1,6}", fullmatch=True),
        st.dates(dt.date(2000, 1, 4), dt.date(2099, 12, 28)),
        st.integers(-3, 3),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CURRENCIES), st.integers(-(10**12), 10**12), entries)
def test_generated_statements_parse_back_to_their_lines_and_sums(
    code: str, opening: int, written: list[tuple[int, str, str, dt.date, int]]
) -> None:
    text = [":20:GENERATED", ":25:NL69INGB0123456789", ":28C:1/1", balance("60F", opening, code)]
    closing = opening
    for amount, mark, reference, value_date, shift in written:
        booked = value_date + dt.timedelta(days=shift)
        text.append(
            f":61:{value_date:%y%m%d}{booked:%m%d}{mark}{swift_amount(amount, code)}"
            f"NTRF{reference}//BANK"
        )
        text.append(f":86:/EREF/{reference}//CNTP/NL08INGB0000000555/INGBNL2A/Payee/CITY/")
        closing += amount if MARKS[mark] is Direction.CREDIT else -amount
    text.append(balance("62F", closing, code))
    (statement,) = parse_mt940("\n".join(text).encode())
    assert [(x.amount, x.direction, x.reference, x.booked_on) for x in statement.lines] == [
        (amount, MARKS[mark], reference, value_date + dt.timedelta(days=shift))
        for amount, mark, reference, value_date, shift in written
    ]
    assert statement.credits - statement.debits == closing - opening
    assert (statement.opening_balance, statement.closing_balance) == (opening, closing)


def balance(tag: str, minor: int, code: str) -> str:
    mark = "D" if minor < 0 else "C"
    return f":{tag}:{mark}260301{code}{swift_amount(abs(minor), code)}"


def test_bank_header_lines_repeated_before_each_statement_are_skipped_and_said() -> None:
    data = (FIXTURES / "mt940_abnamro.sta").read_bytes()
    assert data.startswith(b"ABNANL2A\n940\nABNANL2A\n:20:")
    (one,) = parse_mt940(data)
    first, second = parse_mt940(data + data)
    assert [summary(line) for line in second.lines] == [summary(line) for line in one.lines]
    assert first.lines == one.lines
    after = data.count(b"\n")
    skipped = f"{after + 1}, {after + 2}, {after + 3}"
    assert tuple(map(str, first.remarks)) == (
        f"bank header lines between statements skipped (lines {skipped})",
    )
    assert tuple(map(str, one.remarks)) == ()


def test_an_entry_date_left_blank_before_a_funds_code_is_the_value_date() -> None:
    (statement,) = parse_mt940(_one_line("261230    DR10,00NTRFNONREF"))
    (line,) = statement.lines
    assert (line.booked_on, line.amount, line.direction) == (
        dt.date(2026, 12, 30),
        1000,
        Direction.DEBIT,
    )
    assert tuple(map(str, statement.remarks)) == (
        "entry date left blank, the value date used (line 4)",
    )
