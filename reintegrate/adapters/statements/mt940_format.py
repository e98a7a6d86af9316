"""SWIFT MT940 customer statements: one `Statement` per :20: block of the file.

Banks' dialects differ mostly in the envelope and in :86:. Read here:
- plain files and SWIFT FIN messages (`{1:...}{2:...}{4:` ... `-}`, several per file), and bank
  header lines before the first :20: (ABN AMRO's `ABNANL2A / 940 / ABNANL2A`);
- :86: with slash keys (ING, ABN AMRO, Rabobank: `/EREF/.../CNTP/iban/bic/name/city/`,
  `/NAME/.../`, `/RTRN/code/`), with German sub-fields (`?20`..`?33`, SEPA keywords `EREF+`,
  `KREF+`: Sparkassen, Volksbanken, Deutsche Bank), or free text.

The `mt940` package reads each :61: (its grammar of the customer and bank references) and the
German sub-fields; every tag is first checked strictly here, so that a fault rejects the whole
file with its line: a date that is not a calendar date, an unknown currency, more decimals than
the currency has, a missing balance, an amount broken by a blank (`1 000,00`).

A statement line's reference is the end-to-end id of :86: (`EREF`), else the :61: customer
reference (`NONREF`, `NOTPROVIDED` and ING's `EREF` placeholder mean none). RD (reversal of a
debit: money back in) and RC (reversal of a credit) are reversed lines; a :86: with `/RTRN/` is
a returned payment.

What banks really send is read, and what was odd is said in the statement's remarks:
- a file that is not UTF-8 (German savings banks send Latin-1) is read as Windows-1252, or in
  the encoding given; a file with a UTF-16 byte order mark as UTF-16;
- a bank's header lines repeated before each :20: (a BIC, `940`) are skipped;
- an entry date left blank (before a funds code), the value date standing for it; a
  transaction type with blanks (`S   `) or none; a trailer ` -` and SOH/ETX framing;
- a statement whose closing balance is not its opening balance plus its lines is still read:
  `Statement.discrepancy` says by how much.
A file that is not MT940 at all (UTF-16, binary), a truncated one, a date that is not a calendar
date, an unknown currency or an amount with too many decimals is refused, naming the line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple, NoReturn

import mt940

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.mt940_details import NO_REFERENCE, Details, read_details
from reintegrate.adapters.statements.mt940_text import decode, without_headers
from reintegrate.errors import DomainError
from reintegrate.money import currency, minor_digits, parse_amount
from reintegrate.reconcile.statements.lines import Direction, LineStatus, Statement, StatementLine
from reintegrate.texts import Text

_KNOWN_TAGS = frozenset(
    {"13", "13D", "20", "21", "25", "28", "28C", "34F", "60F", "60M", "61", "62F", "62M"}
    | {"64", "65", "86", "90C", "90D", "NS"}
)
_TAG = re.compile(r":(?P<tag>\d{2}[A-Z]?|NS):(?P<value>.*)\Z", re.DOTALL)
_BALANCE = re.compile(r"(?P<mark>[DC])(?P<date>\d{6})(?P<ccy>[A-Z]{3})(?P<amount>\S+)\Z")
_LINE = re.compile(
    r"(?P<date>\d{6})(?:(?P<entry>\d{4})|(?P<blank> {1,4}))?(?P<mark>R?[DC])(?P<funds>[A-Z])?"
    r"[\n ]?(?P<amount>\d[\d,]*)(?:(?P<type>[A-Z][A-Z0-9 ]{3})|(?=//|\r?\n|\Z))"
)
_AMOUNT = re.compile(r"\d{1,15}(?:,\d*)?\Z")
_OPTIONS = mt940.models.Transactions(options=mt940.Options())
_LINE_TAG = mt940.tags.TAG_BY_ID[61]
_LONG_REFERENCE_TAG = mt940.tags.StatementGLS()


class _Tag(NamedTuple):
    line: int
    tag: str
    value: str


def parse_mt940(data: bytes, encoding: str | None = None) -> tuple[Statement, ...]:
    """Every statement of an MT940 file, or `StatementRejected` naming the line at fault.
    `encoding`: the file's, when known (else UTF-8, or Windows-1252 when it is not UTF-8)."""
    text, remarks = decode(data, encoding)
    lines, enveloped = _lines(text)
    lines, skipped = without_headers(lines)
    if skipped:
        remarks.append(
            Text("bank header lines between statements skipped (lines {lines})", lines=skipped)
        )
    blocks = _blocks(_tokens(lines))
    return tuple(_statement(block, enveloped, tuple(remarks)) for block in blocks)


def _reject(tag: _Tag, message: Text) -> NoReturn:
    raise StatementRejected(message, field=f"line {tag.line} (:{tag.tag}:)")


def _lines(text: str) -> tuple[list[tuple[int, str]], bool]:
    """Numbered content lines, without SWIFT FIN envelopes and separators."""
    kept: list[tuple[int, str]] = []
    opened: int | None = None
    enveloped = False
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r").rstrip()
        if line.startswith("{1:"):
            _check_closed(opened)
            opened, enveloped = number, True
            line = line.partition("{4:")[2].strip()
        elif line.startswith("-}"):
            opened, line = None, ""
        if line and line.strip() != "-":
            kept.append((number, line))
    _check_closed(opened)
    return kept, enveloped


def _check_closed(opened: int | None) -> None:
    if opened is not None:
        raise StatementRejected(
            Text("the SWIFT message opened here is never closed with '-}}': the file is truncated"),
            field=f"line {opened}",
        )


def _tokens(lines: list[tuple[int, str]]) -> list[_Tag]:
    """Tags with their line, continuation lines joined to the tag they continue."""
    tokens: list[_Tag] = []
    for number, line in lines:
        match = _TAG.match(line)
        if match and match["tag"] in _KNOWN_TAGS:
            tokens.append(_Tag(number, match["tag"], match["value"]))
        elif tokens:
            last = tokens[-1]
            tokens[-1] = last._replace(value=f"{last.value}\n{line}")
    return tokens


def _blocks(tokens: list[_Tag]) -> list[list[_Tag]]:
    blocks: list[list[_Tag]] = []
    for token in tokens:
        if token.tag == "20":
            blocks.append([token])
        elif blocks:
            blocks[-1].append(token)
        else:
            _reject(
                token, Text("a tag before the first :20: (an MT940 statement starts with :20:)")
            )
    if not blocks:
        raise StatementRejected(Text("no statement found: an MT940 statement starts with :20:"))
    return blocks


def _statement(block: list[_Tag], enveloped: bool, remarks: tuple[Text, ...]) -> Statement:
    head = block[0]
    account = next((t.value.strip() for t in block if t.tag == "25"), None)
    if not account:
        _reject(head, Text("the statement has no account identification (:25:)"))
    opening = next((t for t in block if t.tag in ("60F", "60M")), None)
    if opening is None:
        _reject(head, Text("the statement has no opening balance (:60F: or :60M:)"))
    code, opening_balance = _balance(opening)
    lines, styles, closing, blanks = _entries(block, code)
    if closing is None:
        end = block[-1].line + block[-1].value.count("\n")
        raise StatementRejected(
            Text(
                "the statement that starts on line {line} ends without a closing balance"
                " (:62F: or :62M:): the file is truncated",
                line=head.line,
            ),
            field=f"line {end} (end of statement)",
        )
    closing_code, closing_balance = _balance(closing)
    if closing_code != code:
        _reject(
            closing,
            Text(
                "closing balance in {closing}, opening balance in {opening}",
                closing=closing_code,
                opening=code,
            ),
        )
    if blanks:
        blank = Text(
            "entry date left blank, the value date used ({lines})", lines=", ".join(blanks)
        )
        remarks = (*remarks, blank)
    return Statement(
        format="mt940",
        version=_version(styles, enveloped),
        account=account,
        currency=code,
        opening_balance=opening_balance,
        closing_balance=closing_balance,
        lines=tuple(lines),
        remarks=remarks,
    )


def _entries(
    block: list[_Tag], code: str
) -> tuple[list[StatementLine], set[str], _Tag | None, list[str]]:
    """The statement's lines, the :86: styles seen, its closing balance, and the lines whose
    entry date was left blank."""
    lines: list[StatementLine] = []
    styles: set[str] = set()
    closing: _Tag | None = None
    blanks: list[str] = []
    for index, token in enumerate(block):
        if token.tag in ("62F", "62M"):
            closing = token
        elif token.tag == "61":
            if closing is not None:
                _reject(
                    token,
                    Text(
                        "statement line after the closing balance of line {line}",
                        line=closing.line,
                    ),
                )
            following = block[index + 1] if index + 1 < len(block) else None
            info = following.value if following and following.tag == "86" else ""
            details = read_details(info)
            styles.add(details.style)
            match = _matched(token)
            if match["blank"] is not None:
                blanks.append(f"line {token.line}")
            lines.append(_line(token, match, details, code))
    return lines, styles, closing, blanks


def _version(styles: set[str], enveloped: bool) -> str:
    style = next((s for s in ("slash-keys", "subfields") if s in styles), "free-text")
    return f"fin/{style}" if enveloped else style


def _currency(tag: _Tag, code: str) -> str:
    try:
        currency(code)
    except DomainError:
        _reject(tag, Text("unknown currency '{code}': not an ISO 4217 code", code=code))
    return code


def _date(tag: _Tag, text: str) -> dt.date:
    try:
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        _reject(tag, Text("date '{text}' is not a calendar date (YYMMDD)", text=text))


def _amount(tag: _Tag, text: str, code: str) -> int:
    if not _AMOUNT.match(text):
        _reject(
            tag,
            Text(
                "amount '{text}' is not an MT940 amount (digits, one decimal comma: 125,50)",
                text=text,
            ),
        )
    whole, _, fraction = text.partition(",")
    digits = minor_digits(code)
    if len(fraction) > digits:
        _reject(
            tag,
            Text(
                "amount '{text}' has {decimals} decimals; {code} has {digits}",
                text=text,
                decimals=len(fraction),
                code=code,
                digits=digits,
            ),
        )
    return parse_amount(f"{whole}.{fraction}" if fraction else whole, code)


def _balance(tag: _Tag) -> tuple[str, int]:
    """The currency and the signed balance (a debit balance is negative)."""
    match = _BALANCE.match(tag.value.strip())
    if match is None:
        _reject(
            tag,
            Text(
                "'{value}' is not a balance (D or C, YYMMDD, currency, amount)",
                value=tag.value.strip(),
            ),
        )
    _date(tag, match["date"])
    code = _currency(tag, match["ccy"])
    minor = _amount(tag, match["amount"], code)
    return code, -minor if match["mark"] == "D" else minor


def _matched(tag: _Tag) -> re.Match[str]:
    match = _LINE.match(tag.value)
    if match is None:
        _reject(
            tag,
            Text(
                "'{value}' is not a statement line (YYMMDD[MMDD], C/D/RC/RD,"
                " amount, transaction type such as NTRF)",
                value=tag.value.splitlines()[0],
            ),
        )
    return match


def _line(tag: _Tag, match: re.Match[str], details: Details, code: str) -> StatementLine:
    value_date = _date(tag, match["date"])
    booked = _entry_date(tag, value_date, match["entry"]) if match["entry"] else value_date
    mark = match["mark"]
    status = LineStatus.BOOKED
    if mark.startswith("R"):
        status = LineStatus.REVERSED
    elif details.returned:
        status = LineStatus.RETURNED
    return StatementLine(
        position=f"line {tag.line}",
        booked_on=booked,
        reference=details.reference or _customer_reference(tag, match.end()),
        amount=_amount(tag, match["amount"], code),
        currency=code,
        direction=Direction.DEBIT if mark in ("D", "RC") else Direction.CREDIT,
        status=status,
        counterparty=details.counterparty,
    )


def _entry_date(tag: _Tag, value_date: dt.date, mmdd: str) -> dt.date:
    """The booking date (MMDD) in the year that puts it nearest the value date."""
    candidates: list[dt.date] = []
    for year in (value_date.year - 1, value_date.year, value_date.year + 1):
        try:
            candidates.append(dt.date(year, int(mmdd[:2]), int(mmdd[2:])))
        except ValueError:
            continue
    if not candidates:
        _reject(tag, Text("entry date '{text}' is not a calendar date (MMDD)", text=mmdd))
    return min(candidates, key=lambda day: abs(day - value_date))


def _customer_reference(tag: _Tag, matched: int) -> str | None:
    """The customer reference, read by `mt940` from the row that holds the amount."""
    stop = tag.value.find("\n", matched)
    value = tag.value if stop < 0 else tag.value[:stop]
    try:
        parsed = _LINE_TAG.parse(_OPTIONS, value)
        if parsed.get("bank_reference") is None and "//" in (parsed.get("extra_details") or ""):
            # GLS/Atruvia banks write customer references longer than SWIFT's 16 characters.
            parsed = _LONG_REFERENCE_TAG.parse(_OPTIONS, value)
    except RuntimeError:
        _reject(tag, Text("'{value}' has no readable customer reference", value=value))
    reference = (parsed.get("customer_reference") or "").strip()
    return None if reference.upper() in NO_REFERENCE else reference
