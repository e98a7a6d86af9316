"""A column mapping proposed for a provider's CSV statement, from a sample of the file, for
a person to check and save (`reintegrate provider suggest`).

The file's encoding (UTF-8, else Windows-1252) and delimiter (the standard library's CSV
sniffer) are found first; each column's role is then guessed from its header, in English,
French, German, Dutch, Spanish or Portuguese, and checked against its values: the date column
must read in one date format, the amount column as numbers with one decimal separator. The
proposal is tried on the whole file before it is offered, and what it could not tell is said.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable

import msgspec

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.csv_format import parse_csv
from reintegrate.reconcile.statements.csv_mapping import DELIMITERS, CsvMapping
from reintegrate.reconcile.statements.lines import LineStatus, Statement

SAMPLE_BYTES = 64 * 1024
SAMPLE_ROWS = 200
_ROLES: dict[str, tuple[str, ...]] = {
    "date": ("booking date", "date", "datum", "fecha", "data", "buchungstag", "boekdatum"),
    "amount": ("amount", "montant", "betrag", "bedrag", "importe", "valor", "value", "sum"),
    "currency": ("currency", "ccy", "devise", "währung", "waehrung", "valuta", "moneda", "moeda"),
    "reference": (
        "reference", "ref", "référence", "referenz", "referentie", "referencia", "end to end",
        "transaction id", "id", "verwendungszweck", "omschrijving", "libellé", "concepto",
        "remittance information", "purpose", "description",
    ),
    "status": ("status", "state", "statut", "estado", "result"),
    "counterparty": (
        "counterparty", "name", "payee", "beneficiary", "bénéficiaire", "empfänger", "naam",
        "recipient", "nom", "nombre",
    ),
    "direction": ("debit/credit", "d/c", "dc", "direction", "sens", "af bij", "soll haben"),
}  # fmt: skip
"""Header words for each role, in the order they are preferred."""
_DATE_FORMATS = (
    "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%m/%d/%Y", "%Y/%m/%d", "%Y%m%d",
    "%d/%m/%y", "%d.%m.%y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M",
)  # fmt: skip
_STATUS_WORDS: dict[LineStatus, tuple[str, ...]] = {
    LineStatus.BOOKED: ("success", "succes", "completed", "complete", "ok", "paid", "booked",
                        "executed", "done", "settled", "réussi", "payé"),
    LineStatus.RETURNED: ("returned", "rejected", "bounced", "retour", "rückläufer"),
    LineStatus.REVERSED: ("reversed", "cancelled", "canceled", "refunded", "annulé", "storno"),
    LineStatus.FAILED: ("failed", "failure", "error", "declined", "échec", "fehlgeschlagen"),
}  # fmt: skip
_NUMBER = re.compile(r"[-+]?[\d.,' \u00a0\u202f]*\d")


class Suggestion(msgspec.Struct, frozen=True, kw_only=True):
    mapping: CsvMapping | None
    """The mapping proposed, when one reads the file."""
    remarks: tuple[str, ...]
    """What was guessed, and what could not be told, in words."""
    read: Statement | None = None
    """The file as the proposed mapping reads it."""


def suggest_mapping(
    data: bytes, *, provider: str | None = None, currency: str | None = None
) -> Suggestion:
    """A mapping for the CSV file `data`, tried on the whole file; `currency` stands for a
    file that names none in a column."""
    text, encoding = _decoded(data[:SAMPLE_BYTES])
    sample = text if len(data) <= SAMPLE_BYTES else text.rsplit("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS))
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = list(csv.reader(sample.splitlines(), delimiter=delimiter))[: SAMPLE_ROWS + 1]
    if len(rows) < 2:
        return Suggestion(mapping=None, remarks=("the file has no header and data rows",))
    header, body = [h.strip() for h in rows[0]], rows[1:]
    columns = {name: [r[i].strip() for r in body if i < len(r)] for i, name in enumerate(header)}
    remarks: list[str] = [f"encoding {encoding}, delimiter {delimiter!r}"]
    roles = _roles(header, columns, remarks)
    if "date" not in roles or "amount" not in roles:
        missing = [r for r in ("date", "amount") if r not in roles]
        remarks.append(f"no column found for {' and '.join(missing)}: name it in the mapping")
        return Suggestion(mapping=None, remarks=tuple(remarks))
    fields: dict[str, object] = dict(roles)
    fields |= _formats(columns[roles["date"]], columns[roles["amount"]], remarks)
    if "status" in roles:
        fields["status_map"] = _status_map(columns[roles["status"]], remarks)
    if "currency" not in roles:
        if currency is None:
            remarks.append("no currency column: give the file's currency (--currency)")
            return Suggestion(mapping=None, remarks=tuple(remarks))
        fields["fixed_currency"] = currency
    fields |= {"delimiter": delimiter, "encoding": encoding, "provider": provider}
    return _tried(data, fields, remarks)


def _decoded(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 4:  # a character cut by the sample's end
            return data[: error.start].decode("utf-8-sig"), "utf-8"
        return data.decode("cp1252", errors="replace"), "cp1252"


def _roles(header: list[str], columns: dict[str, list[str]], remarks: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    taken: set[str] = set()
    for role, words in _ROLES.items():
        for word in words:
            match = next(
                (h for h in header if h not in taken and _names(h, word) and any(columns[h])), None
            )
            if match is not None:
                found[role] = match
                taken.add(match)
                break
    remarks.append("columns: " + ", ".join(f"{role} = {name!r}" for role, name in found.items()))
    return found


def _names(header: str, word: str) -> bool:
    words = re.sub(r"[_\-.]+", " ", header.casefold()).strip()
    return words == word or words.startswith(word + " ") or words.endswith(" " + word)


def _formats(dates: list[str], amounts: list[str], remarks: list[str]) -> dict[str, object]:
    found: dict[str, object] = {}
    readable = [f for f in _DATE_FORMATS if all(_is_date(v, f) for v in dates if v)]
    if readable:
        found["date_format"] = readable[0]
        if len(readable) > 1:
            others = ", ".join(readable[1:])
            remarks.append(f"dates read as {readable[0]}; they would also read as {others}")
    else:
        remarks.append("no date format reads every date: set date_format")
    decimal, thousands = _separators([a for a in amounts if a])
    found["decimal_separator"], found["thousands_separator"] = decimal, thousands
    marked = [a for a in amounts if re.search(r"[.,]", a)]
    if marked and all(re.fullmatch(r"[-+]?\d{1,3}[.,]\d{3}", a.strip()) for a in marked):
        remarks.append(
            f"every amount has three digits after its one separator ({marked[0]!r}): read with"
            f" {decimal!r} as the decimal separator; if it groups thousands, swap them"
        )
    if all(not a.lstrip().startswith("-") for a in amounts if a):
        remarks.append("no amount is negative: name a direction column, or check negative_means")
    return found


def _is_date(value: str, fmt: str) -> bool:
    try:
        dt.datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def _separators(amounts: list[str]) -> tuple[str, str]:
    """The decimal and thousands separators the amounts are written with."""
    decimal_comma = sum(bool(re.search(r",\d{1,3}$", a)) and "." not in a[-4:] for a in amounts)
    decimal_point = sum(bool(re.search(r"\.\d{1,3}$", a)) for a in amounts)
    decimal = "," if decimal_comma > decimal_point else "."
    other = "." if decimal == "," else ","
    grouped = any(other in a for a in amounts if _NUMBER.fullmatch(a.strip()))
    spaced = any(re.search(r"\d[ \u00a0]\d{3}", a) for a in amounts)
    return decimal, other if grouped else (" " if spaced else "")


def _status_map(values: Iterable[str], remarks: list[str]) -> dict[str, LineStatus]:
    found: dict[str, LineStatus] = {}
    unknown: list[str] = []
    for value in sorted({v for v in values if v}):
        status = next((s for s, words in _STATUS_WORDS.items() if value.casefold() in words), None)
        if status is None:
            unknown.append(value)
        elif value.casefold() != status.value:
            found[value] = status
    if unknown:
        remarks.append(f"statuses not recognised (read as refused): {', '.join(unknown[:10])}")
    return found


def _tried(data: bytes, fields: dict[str, object], remarks: list[str]) -> Suggestion:
    try:
        mapping = msgspec.convert(
            {k: v for k, v in fields.items() if v is not None}, type=CsvMapping
        )
    except msgspec.ValidationError as error:
        remarks.append(f"no usable mapping: {error}")
        return Suggestion(mapping=None, remarks=tuple(remarks))
    try:
        read = parse_csv(data, mapping)
    except StatementRejected as error:
        remarks.append(f"the proposal does not read the file at {error.field}: {error.message}")
        return Suggestion(mapping=mapping, remarks=tuple(remarks))
    return Suggestion(mapping=mapping, remarks=tuple(remarks), read=read)
