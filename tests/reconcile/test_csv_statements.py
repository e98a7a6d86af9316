"""CSV statements as providers send them, read through each provider's saved column mapping."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.csv_amounts import (
    MAX_WHOLE_DIGITS,
    AmountStyle,
    plain_amounts,
    read_amount,
)
from reintegrate.adapters.statements.csv_format import CsvMapping, parse_csv
from reintegrate.reconcile.statements.lines import Direction, LineStatus, Statement, StatementLine

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
DEBIT, CREDIT = Direction.DEBIT, Direction.CREDIT
BASIC = CsvMapping(
    date="date", reference="ref", amount="amount", currency="ccy", counterparty="payee"
)


def read(name: str, mapping: CsvMapping) -> Statement:
    return parse_csv((FIXTURES / name).read_bytes(), mapping)


def summary(line: StatementLine) -> tuple[object, ...]:
    return (
        line.position,
        line.booked_on,
        line.reference,
        line.amount,
        line.currency,
        line.direction,
        line.status,
        line.counterparty,
    )


def rejection(data: bytes | str, mapping: CsvMapping = BASIC) -> StatementRejected:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(StatementRejected) as caught:
        parse_csv(raw, mapping)
    return caught.value


# --- layouts that providers send --------------------------------------------------------


def test_a_comma_separated_bank_export_gives_signed_amounts_their_direction() -> None:
    mapping = CsvMapping(
        date="Booking Date",
        reference="Reference",
        amount="Amount",
        currency="Currency",
        counterparty="Counterparty",
        account="SN08K01001012000001234567890",
    )
    statement = read("bank_comma.csv", mapping)
    assert (statement.format, statement.currency, statement.account) == (
        "csv",
        "EUR",
        "SN08K01001012000001234567890",
    )
    d = dt.date
    booked = LineStatus.BOOKED
    assert [summary(line) for line in statement.lines] == [
        ("line 2", d(2024, 3, 11), "RIP-00000001", 150000, "EUR", DEBIT, booked, "Diallo, Aminata"),
        ("line 3", d(2024, 3, 11), "RIP-00000002", 25050, "EUR", DEBIT, booked, "Mamadou Ba"),
        ("line 4", d(2024, 3, 12), "RIP-00000002", 25050, "EUR", CREDIT, booked, "Mamadou Ba"),
        ("line 5", d(2024, 3, 13), None, 250, "EUR", DEBIT, booked, None),
    ]
    assert (statement.debits, statement.credits) == (175300, 25050)


def test_a_semicolon_export_with_decimal_commas_thousand_dots_and_a_bom_reads_exactly() -> None:
    mapping = CsvMapping(
        date="Buchungstag",
        date_format="%d.%m.%Y",
        reference="Verwendungszweck",
        amount="Betrag",
        currency="Währung",
        direction="Soll/Haben",
        debit_values=("S",),
        credit_values=("H",),
        counterparty="Empfänger",
        decimal_separator=",",
        thousands_separator=".",
    )
    lines = read("semicolon_decimal_comma_bom.csv", mapping).lines
    assert [(line.amount, line.direction, line.counterparty) for line in lines] == [
        (123456, DEBIT, "Jürgen Müller"),
        (1200000, DEBIT, "Ndiaye; Ousmane"),
        (123456, CREDIT, "Jürgen Müller"),
        (99, DEBIT, "Gebühr"),
    ]
    assert lines[3].reference is None
    assert lines[0].booked_on == dt.date(2024, 3, 11)


def test_a_tab_separated_file_without_currency_column_takes_the_fixed_currency() -> None:
    mapping = CsvMapping(
        date="Date",
        date_format="%d/%m/%Y",
        reference="Transaction Ref",
        amount="Amount",
        direction="Dr/Cr",
        status="Status",
        status_map={"Completed": LineStatus.BOOKED, "Reversed": LineStatus.REVERSED},
        counterparty="Beneficiary",
        fixed_currency="GMD",
        delimiter="\t",
    )
    statement = read("tab_fixed_currency.tsv", mapping)
    assert statement.currency == "GMD"
    assert [(line.amount, line.direction, line.status) for line in statement.lines] == [
        (30000, DEBIT, LineStatus.BOOKED),
        (7525, DEBIT, LineStatus.BOOKED),
        (7525, CREDIT, LineStatus.REVERSED),
    ]


def test_a_cp1252_file_keeps_its_accented_counterparties_when_the_encoding_is_declared() -> None:
    mapping = CsvMapping(
        date="Date",
        date_format="%d/%m/%Y",
        reference="Référence",
        amount="Montant",
        currency="Devise",
        counterparty="Bénéficiaire",
        decimal_separator=",",
        thousands_separator=" ",
        encoding="cp1252",
    )
    lines = read("cp1252_accents.csv", mapping).lines
    assert [(line.counterparty, line.amount) for line in lines] == [
        ("Hélène Faÿ", 15000),
        ("François Ndiaye — Café 2€", 125000),
    ]


def test_a_mobile_money_export_with_pipes_times_and_whole_francs_is_detected_and_read() -> None:
    mapping = CsvMapping(
        date="Date",
        date_format="%Y-%m-%d %H:%M:%S",
        reference="Reference",
        amount="Amount (XOF)",
        direction="Type",
        debit_values=("TRANSFER",),
        credit_values=("REVERSAL",),
        status="Status",
        status_map={"SUCCESS": LineStatus.BOOKED, "FAILED": LineStatus.FAILED},
        counterparty="Receiver Name",
        fixed_currency="XOF",
    )
    lines = read("mobile_money.csv", mapping).lines
    assert [(line.reference, line.amount, line.direction, line.status) for line in lines] == [
        ("RIP-00000009", 75000, DEBIT, LineStatus.BOOKED),
        ("RIP-00000010", 50000, DEBIT, LineStatus.FAILED),
        ("RIP-00000010", 50000, DEBIT, LineStatus.BOOKED),
        ("RIP-00000009", 75000, CREDIT, LineStatus.BOOKED),
    ]
    assert lines[3].booked_on == dt.date(2024, 3, 13)


def test_quoted_fields_keep_separators_quotes_and_line_breaks_and_positions_follow_the_file() -> (
    None
):
    lines = read("quoted_crlf.csv", BASIC).lines
    assert [line.counterparty for line in lines] == [
        'Kwame "K" Mensah, Jr.',
        "Line\r\nbreak Ltd",
        None,
    ]
    assert [line.position for line in lines] == ["line 2", "line 3", "line 5"]
    assert [line.amount for line in lines] == [9990, 1000, 1]


def test_positions_carry_the_prefix_given() -> None:
    data = b"date,ref,amount,ccy,payee\n2024-03-11,R1,-1.00,EUR,x\n"
    lines = parse_csv(data, BASIC, position_prefix="statement 2, ").lines
    assert lines[0].position == "statement 2, line 2"


def test_a_negative_amount_means_a_credit_when_the_mapping_says_so() -> None:
    mapping = msgspec.structs.replace(BASIC, negative_means=CREDIT)
    data = b"date,ref,amount,ccy,payee\n2024-03-11,R1,12.50,EUR,x\n2024-03-11,R2,-3,EUR,y\n"
    lines = parse_csv(data, mapping).lines
    assert [(line.amount, line.direction) for line in lines] == [(1250, DEBIT), (300, CREDIT)]


def test_statuses_are_read_by_name_whatever_their_case_and_an_empty_one_is_booked() -> None:
    mapping = msgspec.structs.replace(BASIC, status="st")
    data = (
        "date,ref,amount,ccy,payee,st\n"
        "2024-03-11,R1,-1.00,EUR,x,Returned\n"
        "2024-03-11,R2,-1.00,EUR,x,\n"
        "2024-03-11,R3,-1.00,EUR,x,FAILED\n"
    )
    statuses = [line.status for line in parse_csv(data.encode(), mapping).lines]
    assert statuses == [LineStatus.RETURNED, LineStatus.BOOKED, LineStatus.FAILED]


def test_a_file_in_several_currencies_needs_the_account_currency() -> None:
    data = b"date,ref,amount,ccy,payee\n2024-03-11,R1,-1.00,EUR,x\n2024-03-11,R2,-100,XOF,y\n"
    error = rejection(data)
    assert "several currencies (EUR, XOF)" in error.message
    mapping = msgspec.structs.replace(BASIC, account_currency="EUR")
    statement = parse_csv(data, mapping)
    assert statement.currency == "EUR"
    assert [(line.amount, line.currency) for line in statement.lines] == [
        (100, "EUR"),
        (100, "XOF"),
    ]


def test_a_header_only_file_is_an_empty_statement() -> None:
    mapping = msgspec.structs.replace(BASIC, currency=None, fixed_currency="EUR")
    statement = parse_csv(b"date,ref,amount,payee\n", mapping)
    assert statement.lines == ()
    assert statement.currency == "EUR"


def test_mappings_decode_from_toml_and_json_and_refuse_contradictions() -> None:
    toml = b"""
date = "Date"
amount = "Montant"
fixed_currency = "XOF"
decimal_separator = ","
earliest = 2023-01-01
[status_map]
SUCCES = "booked"
"""
    mapping = msgspec.toml.decode(toml, type=CsvMapping)
    assert mapping.status_map == {"SUCCES": LineStatus.BOOKED}
    assert mapping.earliest == dt.date(2023, 1, 1)
    assert msgspec.json.decode(msgspec.json.encode(mapping), type=CsvMapping) == mapping
    with pytest.raises(msgspec.ValidationError, match="not both or neither"):
        msgspec.json.decode(b'{"date": "d", "amount": "a"}', type=CsvMapping)
    with pytest.raises(msgspec.ValidationError, match="does not name a day, month and year"):
        msgspec.json.decode(
            b'{"date": "d", "amount": "a", "fixed_currency": "EUR", "date_format": "%Y-%m"}',
            type=CsvMapping,
        )
    with pytest.raises(msgspec.ValidationError, match="'EUX' is not an ISO 4217"):
        msgspec.json.decode(
            b'{"date": "d", "amount": "a", "fixed_currency": "EUX"}', type=CsvMapping
        )
    with pytest.raises(msgspec.ValidationError, match="thousands separator"):
        msgspec.json.decode(
            b'{"date": "d", "amount": "a", "fixed_currency": "EUR", "thousands_separator": "."}',
            type=CsvMapping,
        )


# --- files that are rejected whole ---------------------------------------------------------

HEADER = "date,ref,amount,ccy,payee\n"
GOOD = "2024-03-11,R1,-10.00,EUR,Awa Faye\n"


def test_a_quote_never_closed_is_a_truncated_file() -> None:
    error = rejection(HEADER + GOOD + '2024-03-12,R2,-5.00,EUR,"Fatou')
    assert error.field == "line 3"
    assert "never closed" in error.message


def test_a_last_line_cut_short_is_a_truncated_file() -> None:
    error = rejection(HEADER + GOOD + "2024-03-12,R2,-5")
    assert error.field == "line 3"
    assert "the last line has 3 fields where the header has 5" in error.message
    assert "truncated" in error.message


def test_a_short_line_in_the_middle_is_named() -> None:
    error = rejection(HEADER + "2024-03-12,R2\n" + GOOD)
    assert (error.field, error.message) == (
        "line 2",
        "the line has 2 fields where the header has 5",
    )


def test_a_line_with_an_extra_separator_is_named() -> None:
    error = rejection(HEADER + GOOD + "2024-03-12,R2,-5.00,EUR,Ba, Mamadou\n")
    assert error.field == "line 3"
    assert "6 fields where the header has 5" in error.message


def test_a_cp1252_file_read_as_utf8_names_the_byte_and_line() -> None:
    error = rejection((HEADER + GOOD + "2024-03-12,R2,-5.00,EUR,Hélène\n").encode("cp1252"))
    assert error.field == "line 3"
    assert "not valid utf-8: byte 0xE9 at line 3, position 26" in error.message
    assert "cp1252" in error.message


def test_a_file_cut_inside_a_utf8_character_is_truncated() -> None:
    data = (HEADER + GOOD + "2024-03-12,R2,-5.00,EUR,Hél").encode()[:-2]
    error = rejection(data)
    assert "ends in the middle of a utf-8 character" in error.message


def test_a_utf16_file_is_refused_with_its_encoding_named() -> None:
    error = rejection((HEADER + GOOD).encode("utf-16"))
    assert "UTF-16" in error.message


def test_a_utf8_bom_contradicting_a_declared_cp1252_is_refused() -> None:
    mapping = msgspec.structs.replace(BASIC, encoding="cp1252")
    error = rejection((HEADER + GOOD).encode("utf-8-sig"), mapping)
    assert "declares cp1252" in error.message


def test_an_unknown_currency_names_its_line_and_column() -> None:
    error = rejection(HEADER + GOOD + "2024-03-12,R2,-5.00,EUX,Ba\n")
    assert (error.field, error.message) == (
        "line 3, column ccy",
        "'EUX' is not an ISO 4217 currency code",
    )


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("-5.001", "EUR", "'-5.001' has 3 decimals; EUR has 2"),
        ("-5.000", "EUR", "'-5.000' has 3 decimals; EUR has 2"),
        ("-500.5", "JPY", "'-500.5' has 1 decimals; JPY has 0"),
        ("-5.0001", "KWD", "'-5.0001' has 4 decimals; KWD has 3"),
    ],
)
def test_more_decimals_than_the_currency_has_are_refused(
    amount: str, currency: str, message: str
) -> None:
    good = f"2024-03-11,R1,-10,{currency},Awa Faye\n"
    error = rejection(HEADER + good + f"2024-03-12,R2,{amount},{currency},Ba\n")
    assert (error.field, error.message) == ("line 3, column amount", message)


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ('"-5,00"', "is not an amount written with decimal separator '.', no grouping"),
        ("1e3", "is not an amount"),
        ("", "is not an amount"),
        ("-5.00-", "is not an amount"),
        ("- 5.00", "is not an amount"),
        ("\u0665.00", "is not an amount"),
        ("-1234567890123456.00", "too large"),
    ],
)
def test_amounts_that_are_not_plain_decimals_are_refused(amount: str, reason: str) -> None:
    error = rejection(HEADER + GOOD + f"2024-03-12,R2,{amount},EUR,Ba\n")
    assert error.field == "line 3, column amount"
    assert reason in error.message


def test_a_misplaced_thousands_separator_is_refused() -> None:
    mapping = msgspec.structs.replace(
        BASIC, decimal_separator=",", thousands_separator=".", delimiter=";"
    )
    data = "date;ref;amount;ccy;payee\n2024-03-12;R2;-1.23,45;EUR;Ba\n"
    error = rejection(data, mapping)
    assert error.field == "line 2, column amount"
    assert "'.' between thousands" in error.message


def test_a_sign_is_refused_when_a_direction_column_gives_the_direction() -> None:
    mapping = msgspec.structs.replace(BASIC, direction="dc")
    data = "date,ref,amount,ccy,payee,dc\n2024-03-12,R2,-5.00,EUR,Ba,D\n"
    error = rejection(data, mapping)
    assert "the direction column gives the direction" in error.message


def test_an_unknown_direction_or_status_value_is_refused() -> None:
    mapping = msgspec.structs.replace(BASIC, direction="dc", status="st")
    data = "date,ref,amount,ccy,payee,dc,st\n2024-03-12,R2,5.00,EUR,Ba,X,booked\n"
    assert rejection(data, mapping).field == "line 2, column dc"
    data = "date,ref,amount,ccy,payee,dc,st\n2024-03-12,R2,5.00,EUR,Ba,cr,PENDING\n"
    error = rejection(data, mapping)
    assert error.field == "line 2, column st"
    assert "unknown status 'PENDING'" in error.message


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("1999-12-31", "the date 1999-12-31 is out of range (2000-01-01 to 2099-12-31)"),
        ("2100-01-01", "out of range"),
        ("2024-02-30", "day is out of range for month"),
        ("11/03/2024", "is not a date written as %Y-%m-%d"),
        ("", "the date is empty"),
    ],
)
def test_dates_that_cannot_be_read_or_are_out_of_range_are_refused(day: str, reason: str) -> None:
    error = rejection(HEADER + GOOD + f"{day},R2,-5.00,EUR,Ba\n")
    assert error.field == "line 3, column date"
    assert reason in error.message


def test_the_first_fault_in_file_order_is_reported() -> None:
    data = HEADER + GOOD + "2024-03-12,R2,-5.00,EUX,Ba\n" + "2024-03-12,R3,-5.00,XXY,Ba\n"
    assert rejection(data).field == "line 3, column ccy"


def test_missing_columns_are_named() -> None:
    error = rejection("date,amount,currency\n2024-03-12,-5.00,EUR\n")
    assert error.field == "line 1, column ref"
    assert "no column 'ref', 'ccy', 'payee'" in error.message
    assert "it has 'date', 'amount', 'currency'" in error.message


def test_a_column_named_twice_in_the_header_is_refused() -> None:
    error = rejection("date,ref,amount,ccy,payee,amount\n")
    assert "names column 'amount' more than once" in error.message


def test_an_empty_file_is_refused() -> None:
    assert rejection(b"").message == "the file is empty: no header line"
    assert rejection(b"\xef\xbb\xbf\n").field == "line 1"


# --- the fast path and the csv module agree -------------------------------------------------

safe_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters=',"\r\n'),
    max_size=12,
)
amount_text = st.builds(
    lambda sign, whole, cents: f"{sign}{whole}.{cents:02d}",
    st.sampled_from(["", "-"]),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=1, max_value=99),
)
rows = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
        safe_text,
        amount_text,
        st.sampled_from(["EUR", "USD"]),
        safe_text,
    ),
    max_size=20,
)


@given(rows=rows)
def test_a_file_reads_the_same_with_every_field_quoted(
    rows: list[tuple[dt.date, str, str, str, str]],
) -> None:
    mapping = msgspec.structs.replace(BASIC, account_currency="EUR")
    plain = io.StringIO()
    quoted = io.StringIO()
    for writer in (
        csv.writer(plain, lineterminator="\n"),
        csv.writer(quoted, quoting=csv.QUOTE_ALL),
    ):
        writer.writerow(["date", "ref", "amount", "ccy", "payee"])
        writer.writerows((day.isoformat(), *rest) for day, *rest in rows)
    assert '"' not in plain.getvalue()
    assert parse_csv(plain.getvalue().encode(), mapping) == parse_csv(
        quoted.getvalue().encode(), mapping
    )


plain_amount = st.builds(
    lambda sign, whole, frac: f"{sign}{whole}{frac}",
    st.sampled_from(["", "-"]),
    st.integers(min_value=0, max_value=10**17),
    st.sampled_from(["", ".", ".5", ".05", ".50", ".123"]),
)
any_amount = st.one_of(plain_amount, st.text(alphabet="0123456789.-+, \n\u0665", max_size=8))


@given(values=st.lists(any_amount, min_size=1, max_size=8), digits=st.sampled_from([0, 2, 3]))
def test_amounts_read_at_once_agree_with_amounts_read_one_by_one(
    values: list[str], digits: int
) -> None:
    style = AmountStyle(".", "", signed=True)
    at_once = plain_amounts(values, digits, style)
    shape = rf"-?[0-9]+\.[0-9]{{{digits}}}" if digits else "-?[0-9]+"
    all_plain = all(re.fullmatch(shape, value) for value in values)
    short = all(len(value.lstrip("-").split(".")[0]) <= MAX_WHOLE_DIGITS for value in values)
    assert (at_once is not None) == (all_plain and short)
    if at_once is not None:
        assert at_once == [read_amount(value, "EUR", digits, style) for value in values]
