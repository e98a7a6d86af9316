"""Reading a statement file whole, whatever its format, and what it holds at a glance.

The format, when not given, is told from the first bytes: XML is camt.053 (its namespace is
checked by the parser), a line starting with `:20:` or a SWIFT `{1:` block is MT940, anything
else is CSV, which needs the provider's column mapping.
"""

from __future__ import annotations

import codecs
import hashlib
import re

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.camt053_format import parse_camt053
from reintegrate.adapters.statements.csv_format import CsvMapping, parse_csv
from reintegrate.adapters.statements.mt940_format import parse_mt940
from reintegrate.money import format_minor
from reintegrate.reconcile.statements.lines import Statement, StatementFile
from reintegrate.texts import Text

FORMATS = ("csv", "mt940", "camt053")
_HEAD = 8192
_MT940 = re.compile(r"^(?::20:|\{1:)", re.MULTILINE)


def detect_format(data: bytes) -> str:
    """The format of a file, "camt053", "mt940" or "csv", told from its first bytes."""
    head = data[:_HEAD]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    if text.lstrip().startswith("<"):
        return "camt053"
    if _MT940.search(text):
        return "mt940"
    return "csv"


def read_statement(
    data: bytes,
    *,
    format: str | None = None,
    mapping: CsvMapping | None = None,
    encoding: str | None = None,
) -> StatementFile:
    """Every statement of the file, or `StatementRejected`: never part of a file.
    `encoding`: an MT940 file's, when known (a CSV's is its mapping's; XML declares its own)."""
    if not data.strip():
        raise StatementRejected(Text("the file is empty"), field="line 1")
    chosen = format or detect_format(data)
    if encoding is not None and chosen != "mt940":
        raise StatementRejected(_encoding_elsewhere(chosen), field="encoding")
    if chosen == "mt940":
        statements = parse_mt940(data, encoding)
    elif chosen == "camt053":
        statements = parse_camt053(data)
    elif chosen == "csv":
        if mapping is None:
            raise StatementRejected(
                Text(
                    "a CSV statement is read with its provider's column mapping: give the "
                    "mapping, or the name of a provider whose mapping is saved (saved_mapping)"
                ),
                field="mapping",
            )
        statements = (parse_csv(data, mapping),)
    else:
        raise StatementRejected(
            Text(
                "unknown statement format '{format}': one of {formats}",
                format=chosen,
                formats=", ".join(FORMATS),
            ),
            field="format",
        )
    return StatementFile(content_hash=hashlib.sha256(data).hexdigest(), statements=statements)


def _encoding_elsewhere(chosen: str) -> Text:
    """The refusal of an encoding given for a file that says its own another way."""
    if chosen == "csv":
        return Text(
            "an encoding is given for MT940 files only; a {format} file's is its mapping's"
            " (encoding)",
            format=chosen,
        )
    return Text(
        "an encoding is given for MT940 files only; a {format} file's is declared in the file",
        format=chosen,
    )


def describe(statement: Statement) -> dict[str, str | int | list[str] | None]:
    """What `statement show` prints: amounts as decimal strings, absent balances as None, the
    discrepancy between the balances and the entries (0.00 when they agree), and what was odd."""
    code = statement.currency

    def amount(minor: int | None) -> str | None:
        return None if minor is None else format_minor(minor, code)

    return {
        "format": statement.format,
        "version": statement.version,
        "account": statement.account,
        "currency": code,
        "entries": len(statement.lines),
        "credits": format_minor(statement.credits, code),
        "debits": format_minor(statement.debits, code),
        "opening_balance": amount(statement.opening_balance),
        "closing_balance": amount(statement.closing_balance),
        "discrepancy": format_minor(statement.discrepancy, code),
        "remarks": [str(remark) for remark in statement.remarks],
    }
