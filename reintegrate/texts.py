"""Words for people: a message is a message id, its English text with `{named}` placeholders,
and the values that fill them.

The domain says what it means once, in English, with typed values; the edges (the API, the
command line, reports) render it in the reader's language from the catalogs in
`reintegrate/locales/` (`adapters.translation`), formatting numbers, amounts and dates as that
language writes them. Machine-readable fields never go through here: problem types, limit
figures, amounts as decimal strings and enum values stay as they are in every language.

A value is text (an id, a name: shown as given), a whole number, a decimal, a date, an
`Amount`, another `Text` (a word that is itself translated, e.g. a role), or a `Label`
(words that carry their own translations, e.g. a policy's label). There is no
`None`, `True` or `False` among them: a message says what it means in words, never a
programming language's value.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Union

import msgspec


class Amount(msgspec.Struct, frozen=True):
    """An amount of a currency, to its minor unit (`money.amount_text` makes one from minor
    units), written as a reader of the language writes it."""

    value: Decimal
    currency: str


class Label(msgspec.Struct, frozen=True):
    """Words that carry their own translations, not in the catalogs: a policy's label, in
    English and in the languages its author wrote it in, `(language, words)` pairs."""

    english: str
    translations: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.english

    def in_language(self, language: str) -> str:
        """The words in `language`, in English when they were not written in it."""
        return dict(self.translations).get(language) or self.english


Value = Union[str, int, Decimal, dt.date, Amount, Label, "Text"]
Words = Union["Text", Label]
"""What a person reads: a message of the catalogs, or words with their own translations."""
_FIELDS = string.Formatter()


class Text:
    """A message: `Text("a count is 1 to {most}", most=20)`."""

    __slots__ = ("msgid", "values")

    def __init__(self, msgid: str, /, **values: Value) -> None:
        named = placeholders(msgid)
        if named != values.keys():
            raise ValueError(f"message {msgid!r} names {sorted(named)}, given {sorted(values)}")
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, _VALUE_TYPES):
                raise TypeError(f"{name} of {msgid!r} is a {type(value).__name__}, not a value")
        self.msgid = msgid
        self.values: Mapping[str, Value] = values

    def __str__(self) -> str:
        return render(self, english)

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, {dict(self.values)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.msgid, self.values) == (other.msgid, other.values)

    def __hash__(self) -> int:
        return hash(self.msgid)


_VALUE_TYPES = (str, int, Decimal, dt.date, Amount, Label, Text)


@functools.lru_cache(maxsize=4096)
def placeholders(msgid: str) -> frozenset[str]:
    """The names a message's text leaves to be filled (read once per message: a million
    payments settled make millions of messages of a few ids)."""
    return frozenset(name for _, name, _, _ in _FIELDS.parse(msgid) if name is not None)


class Writer:
    """How one language writes: its translation of a message id, and of each kind of value."""

    language = "en"

    def translated(self, msgid: str) -> str:
        return msgid

    def number(self, value: int | Decimal) -> str:
        return str(value)

    def amount(self, value: Amount) -> str:
        return f"{value.value} {value.currency}"

    def figure(self, value: Amount) -> str:
        """An amount in a table whose heading names the currency: the number alone."""
        return str(value.value)

    def date(self, value: dt.date) -> str:
        return value.isoformat()


english = Writer()
"""The domain's own English: amounts as `1500.00 EUR`, dates as `2026-12-06`, as the
messages have always been written (and as tests and logs read them)."""


def render(text: Words, writer: Writer) -> str:
    """The message in `writer`'s language, each value written as that language writes it."""
    if isinstance(text, Label):
        return text.in_language(writer.language)
    return writer.translated(text.msgid).format_map(
        {name: _written(value, writer) for name, value in text.values.items()}
    )


def _written(value: Value, writer: Writer) -> str:
    if isinstance(value, Text | Label):
        return render(value, writer)
    if isinstance(value, str):
        return value
    if isinstance(value, Amount):
        return writer.amount(value)
    if isinstance(value, dt.date):
        return writer.date(value)
    return writer.number(value)


def each(texts: Sequence[Text]) -> Text:
    """Several messages in one: `a; b; c` (one alone as it is)."""
    return _joined(texts, lambda one, more: Text("{one}; {more}", one=one, more=more))


def listed(texts: Sequence[Text]) -> Text:
    """Several messages as a list: `a, b, c` (one alone as it is)."""
    return _joined(texts, lambda one, more: Text("{one}, {more}", one=one, more=more))


def either(texts: Sequence[Text]) -> Text:
    """Alternatives: `a or b or c` (one alone as it is)."""
    return _joined(texts, lambda one, more: Text("{one} or {more}", one=one, more=more))


def _joined(texts: Sequence[Text], join: Callable[[Text, Text], Text]) -> Text:
    said = texts[-1]
    for text in reversed(texts[:-1]):
        said = join(text, said)
    return said
