"""Once-only identity: identifiers in a normal form, and the keys under which they are matched.

An identifier (an ID document, a mobile number, an external reference) is reduced to one
normal form, so that "sn 12 345-678" and "SN12345678" match; only a keyed digest of that form
is stored and indexed. Names are never identifiers: they only suggest possible duplicates.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable
from typing import Protocol

import msgspec

from reintegrate.people.keys import Keyring

IDENTIFIER_DIGEST = "identifier"
_ASCII_SEPARATORS = dict.fromkeys(c for c in range(128) if not chr(c).isalnum())
"""The ASCII characters that are neither letters nor digits, each translated away."""


class IdentifierKind(enum.StrEnum):
    ID_DOCUMENT = "id_document"
    PHONE = "phone"
    EXTERNAL_REF = "external_ref"


class Identifier(msgspec.Struct, frozen=True, kw_only=True, order=True):
    kind: IdentifierKind
    value: str
    """The normal form: see `normal_code` and `IdentifierChecks.phone_number`."""

    def key(self) -> bytes:
        return f"{self.kind}:{self.value}".encode()


class IdentifierChecks(Protocol):
    """Checks that need a library of rules (phone numbering plans, IBAN checksums): an adapter
    implements them. Each returns the value's normal form or raises `ValidationFailed` naming
    `field`."""

    def phone_number(self, raw: str, region: str | None, field: str) -> str:
        """E.164 (`+221771234567`); `region` (ISO 3166 alpha-2) reads national numbers."""
        ...

    def iban(self, raw: str, field: str) -> str:
        """Compact and upper case, check digits verified (`FR7630006000011234567890189`)."""
        ...

    def bic(self, raw: str, field: str) -> str:
        """8 or 11 characters, upper case (`BNPAFRPP`)."""
        ...


def normal_code(raw: str) -> str:
    """A document number or reference in one form: compatibility-normalised, accents and
    separators (spaces, dashes, dots, slashes) dropped, upper case.

    Case is folded before the accents are dropped: folding can turn an accent into a letter
    (the Greek iota subscript) or one letter into two (the capital sharp s).

    ASCII text, nearly every identifier, takes a shorter way to the same form: no accents
    to drop, nothing to decompose, and its letters and digits are exactly what
    `str.isalnum` keeps."""
    if raw.isascii():
        return raw.translate(_ASCII_SEPARATORS).upper()
    decomposed = unicodedata.normalize("NFKD", raw.casefold())
    kept = (
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch)[0] in "LN"
    )
    return "".join(kept).upper()


def normal_name(raw: str) -> str:
    """A name for comparison: compatibility-normalised, accents dropped, case folded, every
    run of non-letters one space.

    Case is folded before the accents are dropped, as in `normal_code`; each letter is then
    folded from its upper case, so that the Turkish dotless i matches I and i."""
    decomposed = unicodedata.normalize("NFKD", raw.casefold())
    out: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        if unicodedata.category(ch)[0] in "LN":
            out.append(ch.upper().casefold())
        elif out and out[-1] != " ":
            out.append(" ")
    return "".join(out).strip()


def identifier_digests(keyring: Keyring, identifiers: Iterable[Identifier]) -> list[str]:
    """The keyed digests under which `identifiers` are indexed, each once, sorted."""
    return sorted({identifier_digest(keyring, i) for i in identifiers})


def identifier_digest(keyring: Keyring, identifier: Identifier) -> str:
    """The keyed digest under which `identifier` is indexed."""
    return keyring.digest(IDENTIFIER_DIGEST, identifier.key())
