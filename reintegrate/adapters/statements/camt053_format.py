"""ISO 20022 camt.053 bank-to-customer statements: one `Statement` per `Stmt`.

Every version is read (banks send camt.053.001.02 to .13): elements are matched by their local
name, and the places where versions differ are read both ways: the entry status
(`<Sts>BOOK</Sts>` up to .06, `<Sts><Cd>BOOK</Cd></Sts>` from .07), the parties (`Cdtr/Nm`, from
.08 `Cdtr/Pty/Nm`), a transaction's amount (`TxDtls/Amt` from .03, `AmtDtls/TxAmt/Amt` always).

- Only booked entries (BOOK) become lines. Pending (PDNG), information (INFO) and future (FUTR)
  entries are not on the account yet and are not in its booked balances either: the bank
  reports them again, booked, in a later statement. Reading them now would count them twice.
  An entry with no status at all (the schema requires one; some banks leave it out) is read
  as booked, and the statement's remarks say which entries.
- An entry with several `TxDtls` (a batch) is one line per transaction, and their amounts must
  add up to the entry's; an entry with one `TxDtls` or none is one line.
- Reference: the transaction's `EndToEndId`, what the programme sent ("NOTPROVIDED": none).
  Counterparty: the creditor of a debit, the debtor of a credit.
- `RvslInd` true: a reversed line (its `CdtDbtInd` is the direction the money moved); a
  transaction with return information (`RtrInf`): a returned one.
- Opening balance OPBD (else PRCD), closing CLBD, signed by `CdtDbtInd`. A statement whose
  balances do not differ by its booked lines is still read: `Statement.discrepancy` says by
  how much (an import accepts it only when asked to, and records it).

Amounts must name an ISO 4217 currency, the statement's, with no more decimals than it has;
dates must be calendar dates. XML is read with defusedxml: DTDs and entities are refused.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from typing import NamedTuple, NoReturn
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.camt053_remarks import (
    remarks,
    statement_day,
    status_of,
    undated,
)
from reintegrate.adapters.statements.camt053_remarks import text_of as _text
from reintegrate.errors import DomainError
from reintegrate.money import amount_text, currency, minor_digits, parse_amount
from reintegrate.reconcile.statements.lines import Direction, LineStatus, Statement, StatementLine
from reintegrate.texts import Text

_NAMESPACE = re.compile(r"\{urn:iso:std:iso:20022:tech:xsd:(camt\.053\.001\.\d{2})\}Document\Z")
_DECLARED = re.compile(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_DECIMAL = re.compile(r"\d{1,15}(?:\.\d+)?\Z")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?\Z")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_NOT_BOOKED = frozenset({"PDNG", "INFO", "FUTR"})
_DIRECTIONS = {"CRDT": Direction.CREDIT, "DBIT": Direction.DEBIT}


class _Entry(NamedTuple):
    where: str
    booked_on: dt.date
    currency: str
    direction: Direction
    reversed: bool


def parse_camt053(data: bytes) -> tuple[Statement, ...]:
    """Every `Stmt` of a camt.053 document, or `StatementRejected` naming the element at fault."""
    root = _document(data)
    match = _NAMESPACE.match(root.tag)
    if match is None:
        _reject(
            "Document",
            Text("the root element {tag} is not a camt.053 Document", tag=str(root.tag)),
        )
    for element in root.iter():
        element.tag = element.tag.rpartition("}")[2]
    found = root.findall("BkToCstmrStmt/Stmt")
    if not found:
        _reject("BkToCstmrStmt", Text("the document holds no statement (Stmt)"))
    made = _text(root, "BkToCstmrStmt/GrpHdr/CreDtTm")
    return tuple(_statement(stmt, f"Stmt[{i}]", match[1], made) for i, stmt in enumerate(found, 1))


def _reject(where: str, message: Text) -> NoReturn:
    raise StatementRejected(message, field=where)


def _document(data: bytes) -> Element:
    _check_encoding(data)
    try:
        return fromstring(data, forbid_dtd=True)
    except ParseError as error:
        line, column = error.position
        reason = str(error).rpartition(": line ")[0] or str(error)
        _reject(
            f"line {line}, column {column}",
            Text("not well-formed XML ({reason}): truncated or not XML", reason=reason),
        )
    except DefusedXmlException as error:
        _reject(
            "Document",
            Text("a statement needs no DTD nor entities; refused ({reason})", reason=str(error)),
        )


def _check_encoding(data: bytes) -> None:
    """A file that declares no encoding must be UTF-8 (or UTF-16 with its byte order mark)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    declared = _DECLARED.match(data.removeprefix(codecs.BOM_UTF8))
    if declared and declared[1].lower() not in (b"utf-8", b"utf8"):
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        _reject(
            f"line {line}",
            Text(
                "byte {byte} is not UTF-8 and the document declares no other encoding"
                " (Latin-1 saved without its declaration?)",
                byte=f"0x{data[error.start]:02X}",
            ),
        )


def _statement(stmt: Element, where: str, version: str, made: str | None) -> Statement:
    code = _statement_currency(stmt, where)
    day = statement_day(stmt, made)
    lines = [
        line
        for i, ntry in enumerate(stmt.findall("Ntry"), 1)
        for line in _entry(ntry, f"{where}/Ntry[{i}]", day)
    ]
    return Statement(
        format="camt053",
        version=version,
        account=_text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id"),
        currency=code,
        opening_balance=_balance(stmt, where, code, ("OPBD", "PRCD")),
        closing_balance=_balance(stmt, where, code, ("CLBD",)),
        lines=tuple(lines),
        remarks=remarks(stmt, made),
    )


def _statement_currency(stmt: Element, where: str) -> str:
    for path in ("Acct/Ccy", "Bal/Amt", "Ntry/Amt"):
        element = stmt.find(path)
        if element is not None:
            code = (element.text if path == "Acct/Ccy" else element.get("Ccy")) or ""
            return _currency(code.strip(), f"{where}/{path}")
    _reject(f"{where}/Acct", Text("the statement names no currency (Acct/Ccy, Bal/Amt, Ntry/Amt)"))


def _balance(stmt: Element, where: str, code: str, kinds: tuple[str, ...]) -> int | None:
    balances = list(enumerate(stmt.findall("Bal"), 1))
    for kind in kinds:
        for i, bal in balances:
            if _text(bal, "Tp/CdOrPrtry/Cd") == kind:
                at = f"{where}/Bal[{i}]"
                _date(bal.find("Dt"), f"{at}/Dt")
                amount = _amount(bal, "Amt", at, code)
                if _text(bal, "CdtDbtInd") is None:
                    return amount  # said in the statement's remarks
                return -amount if _direction(bal, at) is Direction.DEBIT else amount
    return None


def _entry(ntry: Element, where: str, day: str | None) -> list[StatementLine]:
    stated = status_of(ntry)
    status = "BOOK" if stated is None else stated
    if status in _NOT_BOOKED:
        return []
    if status != "BOOK":
        _reject(
            f"{where}/Sts",
            Text("entry status '{status}' is none of BOOK, PDNG, INFO, FUTR", status=status),
        )
    amount, code = _money(ntry, "Amt", where)
    value_date = _date(ntry.find("ValDt"), f"{where}/ValDt")
    booked_on = _date(ntry.find("BookgDt"), f"{where}/BookgDt") or value_date
    if booked_on is None and undated(ntry) and day is not None:
        booked_on = _statement_date(day, where)
    if booked_on is None:
        _reject(f"{where}/BookgDt", Text("a booked entry has no booking date nor value date"))
    entry = _Entry(where, booked_on, code, _direction(ntry, where), _flag(ntry, "RvslInd", where))
    details = ntry.findall("NtryDtls/TxDtls")
    if len(details) < 2:
        return [_line(entry, where, amount, entry.direction, details[0] if details else None)]
    return _batch(entry, amount, details)


def _statement_date(day: str, where: str) -> dt.date:
    """The statement's own day, standing for an entry's missing dates."""
    try:
        return dt.date.fromisoformat(day)
    except ValueError:
        _reject(f"{where.rpartition('/Ntry')[0]}/FrToDt", _not_a_date(day))


def _batch(entry: _Entry, amount: int, details: list[Element]) -> list[StatementLine]:
    lines: list[StatementLine] = []
    for i, tx in enumerate(details, 1):
        at = f"{entry.where}/NtryDtls/TxDtls[{i}]"
        path = "Amt" if tx.find("Amt") is not None else "AmtDtls/TxAmt/Amt"
        direction = _direction(tx, at) if tx.find("CdtDbtInd") is not None else entry.direction
        lines.append(_line(entry, at, _amount(tx, path, at, entry.currency), direction, tx))
    total = sum(
        line.amount if line.direction is entry.direction else -line.amount for line in lines
    )
    if total != amount:
        code = entry.currency
        _reject(
            f"{entry.where}/Amt",
            Text(
                "the entry's amount {amount} is not the sum of its {count} transactions ({total})",
                amount=amount_text(amount, code),
                count=len(lines),
                total=amount_text(total, code).value,
            ),
        )
    return lines


def _line(
    entry: _Entry, where: str, amount: int, direction: Direction, tx: Element | None
) -> StatementLine:
    status = LineStatus.BOOKED
    if entry.reversed:
        status = LineStatus.REVERSED
    elif tx is not None and tx.find("RtrInf") is not None:
        status = LineStatus.RETURNED
    reference = _text(tx, "Refs/EndToEndId") if tx is not None else None
    role = "Cdtr" if direction is Direction.DEBIT else "Dbtr"
    party = None if tx is None else tx.find(f"RltdPties/{role}")
    return StatementLine(
        position=where,
        booked_on=entry.booked_on,
        reference=None if reference in (None, "NOTPROVIDED") else reference,
        amount=amount,
        currency=entry.currency,
        direction=direction,
        status=status,
        counterparty=None if party is None else _text(party, "Nm") or _text(party, "Pty/Nm"),
    )


def _currency(code: str, where: str) -> str:
    try:
        currency(code)
    except DomainError:
        _reject(where, Text("unknown currency '{code}': not an ISO 4217 code", code=code))
    return code


def _amount(parent: Element, path: str, where: str, code: str) -> int:
    amount, ccy = _money(parent, path, where)
    if ccy != code:
        _reject(
            f"{where}/{path}",
            Text("an amount in {found} where {code} is expected", found=ccy, code=code),
        )
    return amount


def _money(parent: Element, path: str, where: str) -> tuple[int, str]:
    """An amount and its currency; decimals beyond the currency's are allowed when zeros."""
    at = f"{where}/{path}"
    element = parent.find(path)
    if element is None:
        _reject(at, Text("the amount is missing"))
    ccy = _currency(element.get("Ccy", "").strip(), at)
    text = (element.text or "").strip()
    if not _DECIMAL.match(text):
        _reject(
            at,
            Text(
                "amount '{text}' is not a plain decimal (digits, a point: 125.50)", text=text[:40]
            ),
        )
    whole, _, fraction = text.partition(".")
    digits = minor_digits(ccy)
    if fraction[digits:].strip("0"):
        _reject(
            at,
            Text(
                "amount '{text}' has {decimals} decimals; {code} has {digits}",
                text=text,
                decimals=len(fraction),
                code=ccy,
                digits=digits,
            ),
        )
    kept = fraction[:digits]
    return parse_amount(f"{whole}.{kept}" if kept else whole, ccy), ccy


def _direction(element: Element, where: str) -> Direction:
    indicator = _text(element, "CdtDbtInd")
    if indicator is None:
        _reject(f"{where}/CdtDbtInd", Text("the direction is missing: CRDT or DBIT"))
    if indicator not in _DIRECTIONS:
        _reject(
            f"{where}/CdtDbtInd",
            Text("'{indicator}' is neither CRDT nor DBIT", indicator=indicator),
        )
    return _DIRECTIONS[indicator]


def _flag(element: Element, name: str, where: str) -> bool:
    value = _text(element, name)
    if value is not None and value not in ("true", "false", "1", "0"):
        _reject(f"{where}/{name}", Text("'{value}' is not a boolean (true or false)", value=value))
    return value in ("true", "1")


def _date(holder: Element | None, where: str) -> dt.date | None:
    """The date of a `Dt`/`DtTm` choice (as in BookgDt, ValDt, Bal/Dt), None when absent."""
    if holder is None:
        return None
    day, moment = _text(holder, "Dt"), _text(holder, "DtTm")
    try:
        if day is not None and (match := _DATE.match(day)):
            return dt.date.fromisoformat(match[1])
        if moment is not None and _DATE_TIME.match(moment):
            return dt.datetime.fromisoformat(moment).date()
    except ValueError:
        pass
    if day is None and moment is None:
        _reject(where, Text("the date is missing (Dt or DtTm)"))
    name, found = ("Dt", day) if day is not None else ("DtTm", moment or "")
    _reject(f"{where}/{name}", _not_a_date(found))


def _not_a_date(found: str) -> Text:
    return Text("'{found}' is not a calendar date", found=found)
