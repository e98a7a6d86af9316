"""ISO 20022 camt.053 statements in the versions banks send: .02, .04, .08."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.camt053_format import parse_camt053
from reintegrate.money import format_minor
from reintegrate.reconcile.statements.lines import Direction, LineStatus, Statement, StatementLine

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> tuple[Statement, ...]:
    return parse_camt053((FIXTURES / name).read_bytes())


def summary(line: StatementLine) -> tuple[object, ...]:
    return (line.position, line.reference, line.amount, line.direction, line.status)


def test_version_02_gives_the_balances_the_lines_and_their_sums() -> None:
    (statement,) = read("camt053_v02_reversal.xml")
    assert (statement.format, statement.version) == ("camt053", "camt.053.001.02")
    assert (statement.account, statement.currency) == ("DE89370400440532013000", "EUR")
    assert (statement.opening_balance, statement.closing_balance) == (2_000_000, 1_902_000)
    assert (statement.credits, statement.debits) == (120_000, 218_000)
    assert statement.lines[0].counterparty == "Samir Haddad"
    assert statement.lines[0].booked_on == dt.date(2026, 3, 2)


def test_a_reversal_in_camt053_is_a_reversed_line_in_the_direction_the_money_moved() -> None:
    (statement,) = read("camt053_v02_reversal.xml")
    assert summary(statement.lines[1]) == (
        "Stmt[1]/Ntry[2]",
        "RET-2026-000701",
        120_000,
        Direction.CREDIT,
        LineStatus.REVERSED,
    )
    assert statement.lines[1].booked_on == dt.date(2026, 3, 3)  # written as a DtTm


def test_a_pending_entry_is_left_out_until_the_bank_books_it() -> None:
    (statement,) = read("camt053_v02_reversal.xml")
    assert [line.position for line in statement.lines] == [
        "Stmt[1]/Ntry[1]",
        "Stmt[1]/Ntry[2]",
        "Stmt[1]/Ntry[4]",
    ]
    assert "RET-2026-000705" not in {line.reference for line in statement.lines}


def test_notprovided_is_no_reference() -> None:
    (statement,) = read("camt053_v02_reversal.xml")
    assert statement.lines[2].reference is None
    assert statement.lines[2].counterparty == "Atelier Couture Thies SARL"


def test_a_batched_entry_is_one_line_per_transaction() -> None:
    (statement,) = read("camt053_v04_batch.xml")
    assert statement.version == "camt.053.001.04"
    assert statement.opening_balance == 1_000_000  # PRCD: the previous statement's closing
    assert [summary(line) for line in statement.lines[:3]] == [
        ("Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]", "RET-2026-000801", 100_000, Direction.DEBIT,
         LineStatus.BOOKED),
        ("Stmt[1]/Ntry[1]/NtryDtls/TxDtls[2]", "RET-2026-000802", 75_000, Direction.DEBIT,
         LineStatus.BOOKED),
        ("Stmt[1]/Ntry[1]/NtryDtls/TxDtls[3]", "RET-2026-000803", 50_000, Direction.DEBIT,
         LineStatus.BOOKED),
    ]  # fmt: skip
    assert [line.counterparty for line in statement.lines[:3]] == [
        "Aminata Sow",
        "Ibrahima Ba",
        "Mariama Diop",
    ]
    assert (statement.credits, statement.debits, statement.closing_balance) == (
        75_000,
        225_000,
        850_000,
    )


def test_a_payment_returned_with_return_information_is_a_returned_credit() -> None:
    (statement,) = read("camt053_v04_batch.xml")
    returned = statement.lines[3]
    assert summary(returned) == (
        "Stmt[1]/Ntry[2]",
        "RET-2026-000802",
        75_000,
        Direction.CREDIT,
        LineStatus.RETURNED,
    )
    assert returned.counterparty == "Ibrahima Ba"


def test_a_batch_whose_transactions_do_not_add_up_to_the_entry_is_rejected() -> None:
    data = (FIXTURES / "camt053_v04_batch.xml").read_bytes()
    data = data.replace(
        b'<Amt Ccy="EUR">750.00</Amt>\n            <CdtDbtInd>DBIT',
        b'<Amt Ccy="EUR">705.00</Amt>\n            <CdtDbtInd>DBIT',
    )
    with pytest.raises(StatementRejected) as rejected:
        parse_camt053(data)
    assert rejected.value.field == "Stmt[1]/Ntry[1]/Amt"
    assert "2250.00 EUR is not the sum of its 3 transactions (2205.00)" in rejected.value.message


def test_two_statements_in_two_currencies_with_the_2019_party_layout() -> None:
    euro, franc = read("camt053_v08_two_currencies.xml")
    assert (euro.version, euro.currency, franc.currency) == ("camt.053.001.08", "EUR", "XOF")
    assert (euro.opening_balance, euro.closing_balance) == (300_000, 172_551)
    assert (euro.credits, euro.debits) == (25_000, 152_449)
    assert [line.counterparty for line in euro.lines] == ["Ousmane Fall", "Fonds fiduciaire UE"]
    assert franc.account == "SN0100152000048500003035"
    assert (franc.opening_balance, franc.closing_balance) == (5_000_000, 4_000_000)
    assert (franc.credits, franc.debits) == (655_957, 1_655_957)
    assert franc.lines[2].status is LineStatus.REVERSED


@pytest.mark.parametrize(
    ("fixture", "field", "words"),
    [
        ("camt053_bad_truncated.xml", "line 53, column 26", "not well-formed XML"),
        ("camt053_bad_latin1.xml", "line 16", "byte 0xFC is not UTF-8"),
        ("camt053_bad_unknown_currency.xml", "Stmt[1]/Ntry[2]/Amt", "unknown currency 'EUX'"),
        ("camt053_bad_decimals.xml", "Stmt[2]/Ntry[1]/Amt", "'1000000.50' has 2 decimals"),
        ("camt053_bad_date.xml", "Stmt[2]/Ntry[2]/BookgDt/Dt", "'2026-02-30' is not a calendar"),
    ],
)
def test_a_bad_file_is_rejected_whole_with_the_element_at_fault(
    fixture: str, field: str, words: str
) -> None:
    with pytest.raises(StatementRejected) as rejected:
        read(fixture)
    assert rejected.value.field == field
    assert words in rejected.value.message


def test_a_latin1_file_that_says_so_is_read() -> None:
    data = (FIXTURES / "camt053_bad_latin1.xml").read_bytes()
    (statement,) = parse_camt053(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + data)
    assert statement.closing_balance == 1_902_000


def test_a_utf16_file_with_its_byte_order_mark_is_read() -> None:
    text = (FIXTURES / "camt053_v04_batch.xml").read_text(encoding="utf-8")
    (statement,) = parse_camt053(text.replace("UTF-8", "UTF-16").encode("utf-16"))
    assert len(statement.lines) == 4


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ((b"camt.053.001.08", b"camt.052.001.08"), "Document", "not a camt.053 Document"),
        ((b"<Cd>BOOK</Cd></Sts>\n        <BookgDt><Dt>2026-03-05</Dt></BookgDt>\n        "
          b"<ValDt><Dt>2026-03-05</Dt></ValDt>\n        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT",
          b"<Cd>BOOK</Cd></Sts>\n        <BookgDt><Dt>2026-03-05</Dt></BookgDt>\n        "
          b"<ValDt><Dt>2026-13-05</Dt></ValDt>\n        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT"),
         "Stmt[1]/Ntry[2]/ValDt/Dt", "'2026-13-05' is not a calendar date"),
        ((b"<Amt Ccy=\"EUR\">250.00</Amt>", b"<Amt Ccy=\"EUR\">250,00</Amt>"),
         "Stmt[1]/Ntry[2]/Amt", "'250,00' is not a plain decimal"),
        ((b"<Cd>BOOK</Cd></Sts>", b"<Cd>BOOKED</Cd></Sts>"),
         "Stmt[1]/Ntry[1]/Sts", "'BOOKED' is none of BOOK, PDNG, INFO, FUTR"),
        ((b"<CdtDbtInd>DBIT</CdtDbtInd>", b"<CdtDbtInd>DEBIT</CdtDbtInd>"),
         "Stmt[1]/Ntry[1]/CdtDbtInd", "'DEBIT' is neither CRDT nor DBIT"),
        ((b"<RvslInd>true</RvslInd>", b"<RvslInd>yes</RvslInd>"),
         "Stmt[2]/Ntry[3]/RvslInd", "'yes' is not a boolean"),
    ],
)  # fmt: skip
def test_a_fault_anywhere_rejects_the_file_naming_the_element(
    change: tuple[bytes, bytes], field: str, words: str
) -> None:
    data = (FIXTURES / "camt053_v08_two_currencies.xml").read_bytes()
    assert change[0] in data
    with pytest.raises(StatementRejected) as rejected:
        parse_camt053(data.replace(change[0], change[1], 1))
    assert rejected.value.field == field
    assert words in rejected.value.message


def test_a_statement_whose_balances_do_not_reconcile_is_read_with_its_discrepancy() -> None:
    data = (FIXTURES / "camt053_v08_two_currencies.xml").read_bytes()
    closing = b'<Cd>CLBD</Cd></CdOrPrtry></Tp>\n        <Amt Ccy="EUR">1725.51'
    assert closing in data
    kept = parse_camt053(data)
    off = parse_camt053(data.replace(closing, closing[:-1] + b"0", 1))
    assert [s.discrepancy for s in kept] == [0, 0]
    assert [s.discrepancy for s in off] == [-1, 0]
    assert [s.lines for s in off] == [s.lines for s in kept]


def test_an_entry_without_the_status_the_schema_requires_is_read_as_booked_and_said() -> None:
    data = (FIXTURES / "camt053_v08_two_currencies.xml").read_bytes()
    status = b"<Sts><Cd>BOOK</Cd></Sts>"
    assert data.count(status) >= 2
    kept = parse_camt053(data)
    without = parse_camt053(data.replace(status, b"", 1))
    assert [s.lines for s in without] == [s.lines for s in kept]
    assert tuple(map(str, without[0].remarks)) == (
        "1 of 2 entries state no status (Sts), which the schema requires; read as booked (Ntry 1)",
    )
    assert tuple(map(str, kept[0].remarks)) == ()


def test_an_entry_in_another_currency_than_the_account_is_a_line_in_its_own() -> None:
    data = (FIXTURES / "camt053_v08_two_currencies.xml").read_bytes()
    entry = b'<Amt Ccy="EUR">250.00</Amt>'
    assert entry in data
    (euro, _) = parse_camt053(data.replace(entry, b'<Amt Ccy="USD">250.00</Amt>', 1))
    assert [line.currency for line in euro.lines].count("USD") == 1
    assert euro.currency == "EUR"


def test_a_proprietary_status_is_read_and_a_pending_one_is_not_booked() -> None:
    data = (FIXTURES / "camt053_v08_two_currencies.xml").read_bytes()
    status = b"<Sts><Cd>BOOK</Cd></Sts>"
    kept = parse_camt053(data)
    booked = parse_camt053(data.replace(status, b"<Sts><Prtry>BOOK</Prtry></Sts>", 1))
    pending = parse_camt053(data.replace(status, b"<Sts><Prtry>PDNG</Prtry></Sts>", 1))
    assert [s.lines for s in booked] == [s.lines for s in kept]
    assert len(pending[0].lines) == len(kept[0].lines) - 1
    assert tuple(map(str, pending[0].remarks)) == ()
    with pytest.raises(StatementRejected) as refused:
        parse_camt053(data.replace(status, b"<Sts><Prtry>XXXX</Prtry></Sts>", 1))
    assert refused.value.field == "Stmt[1]/Ntry[1]/Sts"


def test_an_undated_entry_is_dated_by_its_statement_and_a_bad_day_is_refused() -> None:
    data = (FIXTURES / "camt053_v08_two_currencies.xml").read_bytes()
    first = data.index(b"<BookgDt>")
    end = data.index(b"</ValDt>", first) + len(b"</ValDt>")
    undated = data[:first] + data[end:]
    (euro, _) = parse_camt053(undated)
    assert any("dated by the statement" in str(remark) for remark in euro.remarks)
    made = re.search(rb"<CreDtTm>([^<]+)</CreDtTm>", undated)
    assert made is not None
    with pytest.raises(StatementRejected) as refused:
        parse_camt053(undated.replace(made[1], b"2026-02-30T10:00:00"))
    assert "'2026-02-30' is not a calendar date" in refused.value.message


def test_a_document_with_entities_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">&b;</Document>'
    )
    with pytest.raises(StatementRejected) as rejected:
        parse_camt053(bomb)
    assert rejected.value.field == "Document"
    assert "DTD" in rejected.value.message


# Generated documents parse back to the entries they were written from.

CURRENCIES = ("EUR", "XOF", "KWD", "JPY", "MAD")
VERSIONS = ("02", "04", "06", "08", "10")
Entry = tuple[list[int], Direction, bool, str | None, dt.date, bool]

entries = st.lists(
    st.tuples(
        st.lists(st.integers(1, 10**11), min_size=1, max_size=3),
        st.sampled_from(Direction),
        st.booleans(),
        st.none() | st.from_regex(r"RET-[0-9]{4}-[0-9]{1,6}", fullmatch=True),
        st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
        st.booleans(),
    ),
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(VERSIONS), st.sampled_from(CURRENCIES), st.integers(-(10**12), 10**12), entries
)
def test_generated_documents_parse_back_to_the_same_lines_and_sums(
    version: str, code: str, opening: int, written: list[Entry]
) -> None:
    booked = [entry for entry in written if not entry[5]]
    moved = sum(sum(e[0]) if e[1] is Direction.CREDIT else -sum(e[0]) for e in booked)
    document = camt053(version, code, opening, opening + moved, written)
    (statement,) = parse_camt053(document.encode())
    assert statement.version == f"camt.053.001.{version}"
    assert [
        (x.amount, x.direction, x.reference, x.booked_on, x.status) for x in statement.lines
    ] == [
        (amount, direction, reference, day, LineStatus.REVERSED if reversal else LineStatus.BOOKED)
        for amounts, direction, reversal, reference, day, _ in booked
        for amount in amounts
    ]
    assert statement.credits - statement.debits == moved
    assert (statement.opening_balance, statement.closing_balance) == (opening, opening + moved)


def camt053(version: str, code: str, opening: int, closing: int, written: list[Entry]) -> str:
    ntries = "".join(ntry(version, code, entry) for entry in written)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">'
        f"<BkToCstmrStmt><GrpHdr><MsgId>G</MsgId></GrpHdr><Stmt><Id>S</Id>"
        f"<Acct><Id><IBAN>NL69INGB0123456789</IBAN></Id><Ccy>{code}</Ccy></Acct>"
        f"{bal('OPBD', opening, code)}{bal('CLBD', closing, code)}{ntries}"
        f"</Stmt></BkToCstmrStmt></Document>"
    )


def bal(kind: str, minor: int, code: str) -> str:
    indicator = "DBIT" if minor < 0 else "CRDT"
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{kind}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="{code}">{format_minor(abs(minor), code)}</Amt>'
        f"<CdtDbtInd>{indicator}</CdtDbtInd><Dt><Dt>2026-03-01</Dt></Dt></Bal>"
    )


def ntry(version: str, code: str, entry: Entry) -> str:
    amounts, direction, reversal, reference, day, pending = entry
    status = "PDNG" if pending else "BOOK"
    indicator = "CRDT" if direction is Direction.CREDIT else "DBIT"
    details = "".join(tx_details(version, code, amount, indicator, reference) for amount in amounts)
    return (
        f'<Ntry><Amt Ccy="{code}">{format_minor(sum(amounts), code)}</Amt>'
        f"<CdtDbtInd>{indicator}</CdtDbtInd>"
        + ("<RvslInd>true</RvslInd>" if reversal else "")
        + (f"<Sts><Cd>{status}</Cd></Sts>" if version >= "07" else f"<Sts>{status}</Sts>")
        + f"<BookgDt><Dt>{day.isoformat()}</Dt></BookgDt>"
        f"<NtryDtls>{details}</NtryDtls></Ntry>"
    )


def tx_details(version: str, code: str, amount: int, indicator: str, reference: str | None) -> str:
    amount_xml = f'<Amt Ccy="{code}">{format_minor(amount, code)}</Amt>'
    if version == "02":
        amount_xml = f"<AmtDtls><TxAmt>{amount_xml}</TxAmt></AmtDtls>"
    else:
        amount_xml += f"<CdtDbtInd>{indicator}</CdtDbtInd>"
    return (
        f"<TxDtls><Refs><EndToEndId>{reference or 'NOTPROVIDED'}</EndToEndId></Refs>"
        f"{amount_xml}</TxDtls>"
    )
