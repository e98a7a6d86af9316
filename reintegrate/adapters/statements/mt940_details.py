"""What a :86: line says about its :61:: the end-to-end reference, the counterparty, a return.

Three layouts are read: slash keys (ING, ABN AMRO, Rabobank), German sub-fields (`?20`..`?33`
with SEPA keywords, read by the `mt940` package), and free text, which yields nothing.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import mt940
from mt940.processors import transaction_details_post_processor

NO_REFERENCE = frozenset({"", "NONREF", "NOTPROVIDED", "EREF"})
"""What banks write where there is no reference (ING writes EREF: "see :86:")."""

_SLASH_KEYS = re.compile(
    r"/(EREF|CNTP|NAME|REMI|IBAN|BIC|TRTP|MARF|CSID|RTRN|PREF|ORDP|BENM|ULTC|ULTD|PURP|ADDR)/"
)
_GERMAN = re.compile(r"\d{3}\?\d{2}")
_GERMAN_OPTIONS = mt940.models.Transactions(options=mt940.Options(applicant_iban=True))
_DETAILS_TAG = mt940.tags.TAG_BY_ID[86]


class Details(NamedTuple):
    reference: str | None
    counterparty: str | None
    returned: bool
    style: str
    """"slash-keys", "subfields" or "free-text"."""


def read_details(text: str) -> Details:
    """The :86: text (lines as in the file) read in the layout it is written in."""
    joined = "".join(part.strip("\r") for part in text.split("\n")).strip()
    if joined.startswith("/") and _SLASH_KEYS.search(joined):
        return _slash_details(joined)
    if _GERMAN.match(joined):
        return _german_details(joined)
    return Details(None, None, False, "free-text")


def _slash_details(text: str) -> Details:
    """ING, ABN AMRO and Rabobank: `/KEY/value` pairs; CNTP is `iban/bic/name/city`."""
    parts = _SLASH_KEYS.split(text)
    fields: dict[str, str] = {}
    for key, value in zip(parts[1::2], parts[2::2], strict=True):
        fields.setdefault(key, value.strip("/ "))
    reference = fields.get("EREF") or None
    if reference and reference.upper() in NO_REFERENCE:
        reference = None
    counterparty = fields.get("NAME") or None
    if counterparty is None and "CNTP" in fields:
        names = fields["CNTP"].split("/")
        counterparty = names[2].strip() or None if len(names) > 2 else None
    return Details(reference, counterparty, "RTRN" in fields, "slash-keys")


def _german_details(text: str) -> Details:
    """Sparkassen, Volksbanken, Deutsche Bank: `?20`..`?29` purpose, `?32`/`?33` name."""
    raw: dict[str, object] = {"transaction_details": text}
    fields = transaction_details_post_processor(_GERMAN_OPTIONS, _DETAILS_TAG, raw, dict(raw))
    reference = fields.get("end_to_end_reference") or fields.get("customer_reference")
    name = fields.get("applicant_name")
    clean = reference.strip() if isinstance(reference, str) else ""
    return Details(
        None if clean.upper() in NO_REFERENCE else clean,
        name.strip() or None if isinstance(name, str) else None,
        False,
        "subfields",
    )
