"""A column mapping proposed for a provider's CSV statement, from a sample of the file, for
a person to check and save (`reintegrate provider suggest`).

The file's encoding (UTF-8, else Windows-1252) and delimiter (the standard library's CSV
sniffer) are found first; each column's role is then guessed from its header, in English,
French, German, Dutch, Spanish or Portuguese, and checked against its values: the date column
must read in one date format, the amount column as numbers with one decimal separator. A file
with no amount column but a debit and a credit column of unsigned numbers (Adyen's `Net Debit
(NC)` and `Net Credit (NC)`) gets that pair: the two named alike but for that word, else the
only two. The proposal is tried on the whole file before it is offered, and what it could not
tell is said.
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
from reintegrate.texts import Text

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
_UNSIGNED = re.compile(r"[\d.,' \u00a0\u202f]*\d")
_DEBIT_WORDS = ("debit", "débit", "débito", "soll", "debe", "af", "withdrawal", "money out")
_CREDIT_WORDS = ("credit", "crédit", "crédito", "haben", "haber", "bij", "deposit", "money in")
"""Words of a debit and of a credit column's header, matched as whole words."""


class Suggestion(msgspec.Struct, frozen=True, kw_only=True):
    mapping: CsvMapping | None
    """The mapping proposed, when one reads the file."""
    remarks: tuple[Text, ...]
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
        return Suggestion(mapping=None, remarks=(Text("the file has no header and data rows"),))
    header, body = [h.strip() for h in rows[0]], rows[1:]
    columns = {name: [r[i].strip() for r in body if i < len(r)] for i, name in enumerate(header)}
    remarks = [
        Text(
            "encoding {encoding}, delimiter {delimiter}",
            encoding=encoding,
            delimiter=repr(delimiter),
        )
    ]
    pair = _debit_and_credit(header, columns)
    roles = _roles(header, columns, taken=set(pair or ()))
    if "amount" not in roles and pair is not None:
        roles.pop("direction", None)
        roles |= {"debit_amount": pair[0], "credit_amount": pair[1]}
    named = ", ".join(f"{role} = {name!r}" for role, name in roles.items())
    remarks.append(Text("columns: {columns}", columns=named))
    amounts = [columns[roles[r]] for r in ("amount", "debit_amount", "credit_amount") if r in roles]
    if "date" not in roles or not amounts:
        missing = [r for r, found in (("date", "date" in roles), ("amount", amounts)) if not found]
        remarks.append(
            Text("no column found for {column}: name it in the mapping", column=missing[0])
            if len(missing) == 1
            else Text("no column found for date and amount: name it in the mapping")
        )
        return Suggestion(mapping=None, remarks=tuple(remarks))
    fields: dict[str, object] = dict(roles)
    fields |= _formats(columns[roles["date"]], [a for c in amounts for a in c], remarks)
    if "amount" in roles:
        _signs(columns[roles["amount"]], remarks)
    if "status" in roles:
        fields["status_map"] = _status_map(columns[roles["status"]], remarks)
    if "currency" not in roles:
        if currency is None:
            remarks.append(Text("no currency column: give the file's currency (--currency)"))
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


def _roles(header: list[str], columns: dict[str, list[str]], taken: set[str]) -> dict[str, str]:
    """Each role's column, by its header's words, among the columns not `taken`."""
    found: dict[str, str] = {}
    taken = set(taken)
    for role, words in _ROLES.items():
        for word in words:
            match = next(
                (h for h in header if h not in taken and _names(h, word) and any(columns[h])), None
            )
            if match is not None:
                found[role] = match
                taken.add(match)
                break
    return found


def _debit_and_credit(header: list[str], columns: dict[str, list[str]]) -> tuple[str, str] | None:
    """A debit and a credit column of unsigned numbers: named alike but for the word
    ("Net Debit (NC)", "Net Credit (NC)"), else the only two; None when there is no such pair."""
    debits = [h for h in header if _unsigned_column(h, columns[h], _DEBIT_WORDS, _CREDIT_WORDS)]
    credits = [h for h in header if _unsigned_column(h, columns[h], _CREDIT_WORDS, _DEBIT_WORDS)]
    twins = [
        (debit, credit)
        for debit in debits
        for credit in credits
        if _skeleton(debit, _DEBIT_WORDS) == _skeleton(credit, _CREDIT_WORDS)
    ]
    if twins:
        return twins[0]
    if len(debits) == 1 and len(credits) == 1:
        return debits[0], credits[0]
    return None


def _unsigned_column(
    header: str, values: list[str], words: tuple[str, ...], others: tuple[str, ...]
) -> bool:
    filled = [value for value in values if value]
    return (
        _skeleton(header, words) != _skeleton(header, ())
        and _skeleton(header, others) == _skeleton(header, ())
        and bool(filled)
        and all(_UNSIGNED.fullmatch(value) for value in filled)
    )


def _skeleton(header: str, words: tuple[str, ...]) -> str:
    """The header's words, lower case, each of `words` replaced by a star."""
    text = " " + " ".join(re.findall(r"\w+", header.casefold())) + " "
    for word in words:
        text = text.replace(f" {word} ", " * ")
    return text


def _names(header: str, word: str) -> bool:
    words = re.sub(r"[_\-.]+", " ", header.casefold()).strip()
    return words == word or words.startswith(word + " ") or words.endswith(" " + word)


def _formats(dates: list[str], amounts: list[str], remarks: list[Text]) -> dict[str, object]:
    found: dict[str, object] = {}
    readable = [f for f in _DATE_FORMATS if all(_is_date(v, f) for v in dates if v)]
    if readable:
        found["date_format"] = readable[0]
        if len(readable) > 1:
            others = ", ".join(readable[1:])
            remarks.append(
                Text(
                    "dates read as {format}; they would also read as {others}",
                    format=readable[0],
                    others=others,
                )
            )
    else:
        remarks.append(Text("no date format reads every date: set date_format"))
    decimal, thousands = _separators([a for a in amounts if a])
    found["decimal_separator"], found["thousands_separator"] = decimal, thousands
    marked = [a for a in amounts if re.search(r"[.,]", a)]
    if marked and all(re.fullmatch(r"[-+]?\d{1,3}[.,]\d{3}", a.strip()) for a in marked):
        remarks.append(
            Text(
                "every amount has three digits after its one separator ({example}): read with"
                " {decimal} as the decimal separator; if it groups thousands, swap them",
                example=repr(marked[0]),
                decimal=repr(decimal),
            )
        )
    return found


def _signs(amounts: list[str], remarks: list[Text]) -> None:
    if all(not a.lstrip().startswith("-") for a in amounts if a):
        none = Text("no amount is negative: name a direction column, or check negative_means")
        remarks.append(none)


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


def _status_map(values: Iterable[str], remarks: list[Text]) -> dict[str, LineStatus]:
    found: dict[str, LineStatus] = {}
    unknown: list[str] = []
    for value in sorted({v for v in values if v}):
        status = next((s for s, words in _STATUS_WORDS.items() if value.casefold() in words), None)
        if status is None:
            unknown.append(value)
        elif value.casefold() != status.value:
            found[value] = status
    if unknown:
        remarks.append(
            Text(
                "statuses not recognised (read as refused): {statuses}",
                statuses=", ".join(unknown[:10]),
            )
        )
    return found


def _tried(data: bytes, fields: dict[str, object], remarks: list[Text]) -> Suggestion:
    try:
        mapping = msgspec.convert(
            {k: v for k, v in fields.items() if v is not None}, type=CsvMapping
        )
    except msgspec.ValidationError as error:
        remarks.append(Text("no usable mapping: {problem}", problem=str(error)))
        return Suggestion(mapping=None, remarks=tuple(remarks))
    try:
        read = parse_csv(data, mapping)
    except StatementRejected as error:
        remarks.append(
            Text(
                "the proposal does not read the file at {field}: {problem}",
                field=error.field,
                problem=error.text,
            )
            if error.field
            else Text("the proposal does not read the file: {problem}", problem=error.text)
        )
        return Suggestion(mapping=mapping, remarks=tuple(remarks))
    return Suggestion(mapping=mapping, remarks=tuple(remarks), read=read)
