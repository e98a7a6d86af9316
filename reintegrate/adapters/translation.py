"""Messages in the reader's language: the catalogs of `reintegrate/locales/` (gettext PO
files, one per language) and babel's way of writing numbers, amounts and dates in each.

English is the messages' own language: it is written by the domain (`texts.english`), as
it always was (`1500.00 EUR`, `2026-12-06`), so that clients, logs and tests that read
English see no change. French and Spanish are written as their readers write them
(`1 500,00 €`, `6 décembre 2026`). A message missing from a catalog is shown in English
(a test keeps the catalogs complete).
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

from reintegrate.texts import Amount, Words, Writer, english, render

LANGUAGES = ("en", "fr", "es")
"""The languages the messages are written in; the first is the default."""
LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "reintegrate"


def catalog_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalog(language: str) -> dict[str, str]:
    """A language's translations, by message id (its fuzzy and empty ones left out)."""
    with catalog_path(language).open("rb") as po:
        read = read_po(po, locale=language, domain=DOMAIN)
    return {
        str(m.id): str(m.string)
        for m in read
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string
        if not m.fuzzy
    }


class BabelWriter(Writer):
    """How a language other than the messages' own writes them."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self.catalog = catalog(language)

    def translated(self, msgid: str) -> str:
        return self.catalog.get(msgid, msgid)

    def number(self, value: int | Decimal) -> str:
        if isinstance(value, int):
            return str(value)  # counts, years, sequence numbers: as they are
        return self._decimal(value)

    def amount(self, value: Amount) -> str:
        return format_currency(value.value, value.currency, locale=self.locale)

    def figure(self, value: Amount) -> str:
        return self._decimal(value.value)

    def _decimal(self, value: Decimal) -> str:
        """`value` with the places it has (`0.0` stays `0,0`), grouped as the language does."""
        places = max(0, -int(value.as_tuple().exponent))
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def date(self, value: dt.date) -> str:
        return format_date(value, format="long", locale=self.locale)


@functools.cache
def writer(language: str) -> Writer:
    """The writer of one of `LANGUAGES`."""
    if language not in LANGUAGES:
        raise ValueError(f"no messages in {language!r}: {', '.join(LANGUAGES)} only")
    return english if language == LANGUAGES[0] else BabelWriter(language)


def in_language(text: Words, language: str) -> str:
    return render(text, writer(language))


def negotiate(accept_language: str | None) -> str:
    """The language to answer in, from an Accept-Language header (RFC 9110): the most
    preferred of `LANGUAGES` by its primary tag (`fr-SN` is French), English otherwise."""
    best, best_q = LANGUAGES[0], 0.0
    for item in (accept_language or "").split(",")[:20]:
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().split("-")[0].lower()
        quality = _quality(params)
        if primary in LANGUAGES and quality > best_q:  # a tie keeps the earlier one
            best, best_q = primary, quality
    return best


def _quality(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip().lower() != "q":
        return 1.0
    try:
        quality = float(value)
    except ValueError:
        return 0.0
    return quality if 0.0 <= quality <= 1.0 else 0.0


def language_of_env(lang: str | None, lc_all: str | None) -> str:
    """The language the environment asks for (LC_ALL, then LANG: `fr_SN.UTF-8` is French)."""
    for value in (lc_all, lang):
        primary = (value or "").split(".")[0].split("_")[0].lower()
        if primary in LANGUAGES:
            return primary
        if primary and primary not in ("c", "posix"):
            return LANGUAGES[0]
    return LANGUAGES[0]
