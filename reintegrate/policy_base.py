"""What every part of a policy document (and every document like it: a survey instrument)
is made of: strict structs, names, texts, amounts, the problems validation reports, and how
such a document is read."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

import msgspec

from reintegrate import texts
from reintegrate.errors import DomainError
from reintegrate.texts import Label

T = TypeVar("T")

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Text = Annotated[str, msgspec.Meta(max_length=500)]
Amount = Annotated[str, msgspec.Meta(max_length=24)]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    pass


class Translated(_Strict, frozen=True, kw_only=True):
    """Words for people with their translations: `{en = "...", fr = "...", es = "..."}`.
    English is required; a language other than these is refused, naming the field."""

    en: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    fr: Text | None = None
    es: Text | None = None


Wording = Text | Translated
"""A label as a document writes it: English words alone, or with their translations."""


def label_of(wording: Wording) -> Label:
    """The words of `wording` with the translations it carries."""
    if isinstance(wording, str):
        return Label(wording)
    written = (("fr", wording.fr), ("es", wording.es))
    return Label(wording.en, tuple((lang, words) for lang, words in written if words))


class Problem(msgspec.Struct, frozen=True):
    """What is wrong with a document, and the field (a path such as `$.stages`) it concerns."""

    field: str
    message: texts.Text


class DocumentInvalid(DomainError):
    """A document refused for breaking its rules: every problem found, each with its words
    (its `details` give them in English, for a machine to read)."""

    problems: tuple[Problem, ...] = ()

    def problem_list(self) -> list[tuple[str, texts.Text]]:
        """(field, words) of every problem found; the refusal itself when it was not read."""
        if self.problems:
            return [(p.field, p.message) for p in self.problems]
        return [(self.field or "$", self.text)]


_UNKNOWN_FIELD = re.compile(r"Object contains unknown field `(.*?)`(?: - at `|\Z)")


def load_document(
    data: bytes | str,
    fmt: Literal["toml", "json"],
    type_: type[T],
    *,
    what: texts.Text,
    refused: type[DocumentInvalid],
    validate: Callable[[T], list[Problem]],
    named: Callable[[T], str],
) -> T:
    """A TOML or JSON document read as `type_` and validated: `refused` (naming `what`, the
    field at fault, and every problem found) when it cannot be read or breaks a rule."""
    try:
        decode = msgspec.toml.decode if fmt == "toml" else msgspec.json.decode
        found: T = decode(data, type=type_)
    except msgspec.ValidationError as exc:
        text = str(exc)
        field = text.rsplit(" - at `", 1)[1].rstrip("`") if " - at `" in text else "$"
        unknown = _UNKNOWN_FIELD.match(text)
        if unknown:
            field = f"{field}.{unknown[1]}"
        raise refused(texts.Text("{what}: {error}", what=what, error=text), field=field) from exc
    except msgspec.DecodeError as exc:
        raise refused(
            texts.Text(
                "{what} is not valid {format}: {error}",
                what=what,
                format=fmt.upper(),
                error=str(exc),
            ),
            field="$",
        ) from exc
    problems = validate(found)
    if problems:
        first = problems[0]
        error = refused(
            texts.Text(
                "{what} {name}: {count} problem(s); first: {field}: {message}",
                what=what,
                name=named(found),
                count=len(problems),
                field=first.field,
                message=first.message,
            ),
            field=first.field,
            details={"problems": [{"field": p.field, "message": str(p.message)} for p in problems]},
        )
        error.problems = tuple(problems)
        raise error
    return found
