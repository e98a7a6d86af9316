"""What one operation sends and how its answer is read, the same for both clients.

An operation builds a `Call`: the method, the path, the query, the body (a msgspec struct
encoded as JSON, or the parts of a multipart form) and the `If-Match` it sends, with the
type its answer decodes to. Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote

import msgspec

T = TypeVar("T")

Spreadsheet = Literal["csv", "xlsx"]
"""The files a report is also answered as."""
IfMatch = str | None
"""The `ETag` of the version the caller read (`Answer.etag`), sent as `If-Match`; None sends
none (the server then does not check)."""


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart form: its name, its bytes and its media type."""

    filename: str
    content: bytes
    media_type: str


@dataclass(frozen=True)
class Download:
    """A file the server answered with (a batch file, a report as CSV or XLSX)."""

    content: bytes
    media_type: str
    filename: str | None


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request, before it is sent: `answer` is the type its body decodes to (`Download`
    for a file)."""

    method: str
    path: str
    answer: type[T]
    body: object = None
    """A struct (or any value msgspec encodes) sent as JSON; None sends no body."""
    form: Mapping[str, str] | None = None
    files: Mapping[str, Upload] | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_post(self) -> bool:
        return self.method == "POST"

    def with_headers(self, headers: Mapping[str, str]) -> Call[T]:
        return replace(self, headers={**self.headers, **headers})


def path(template: str, **values: object) -> str:
    """`template` with each `{name}` replaced by its value, escaped as one path segment."""
    return template.format(**{k: quote(str(v), safe="") for k, v in values.items()})


def query(**values: object) -> dict[str, str]:
    """The query parameters given (None left out); booleans as `true`/`false`, dates and
    times in ISO 8601 (RFC 3339 for an aware datetime)."""
    return {k: _text(v) for k, v in values.items() if v is not None}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def if_match(tag: IfMatch) -> dict[str, str]:
    return {} if tag is None else {"If-Match": tag}


def get(template: str, answer: type[T], /, **params: object) -> Call[T]:
    """A GET of `template` (its `{names}` taken from `params`, the rest the query)."""
    named = {k: v for k, v in params.items() if f"{{{k}}}" in template}
    rest = {k: v for k, v in params.items() if k not in named}
    return Call("GET", path(template, **named), answer, query=query(**rest))


def delete(template: str, answer: type[T], /, **named: object) -> Call[T]:
    """A DELETE of `template` (its `{names}` from `named`)."""
    return Call("DELETE", path(template, **named), answer)


def post(
    template: str,
    answer: type[T],
    /,
    body: object = None,
    *,
    tag: IfMatch = None,
    **named: object,
) -> Call[T]:
    """A POST of `body` as JSON to `template` (its `{names}` from `named`), with `If-Match`
    when `tag` is given."""
    return Call("POST", path(template, **named), answer, body=body, headers=if_match(tag))


def upload(
    template: str,
    answer: type[T],
    /,
    files: Mapping[str, Upload],
    form: Mapping[str, object],
    *,
    tag: IfMatch = None,
    **named: object,
) -> Call[T]:
    """A POST of a multipart form: `files` and the `form` fields given (None left out)."""
    fields = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in form.items()}
    sent = {k: v for k, v in fields.items() if form[k] is not None}
    return Call(
        "POST", path(template, **named), answer, form=sent, files=files, headers=if_match(tag)
    )


def encode(body: object) -> bytes:
    return msgspec.json.encode(body)


def decode(content: bytes, answer: type[T]) -> T:
    return msgspec.json.decode(content, type=answer)


Json = dict[str, Any]
"""An answer read as plain JSON (the few the server writes without a struct of its own)."""
