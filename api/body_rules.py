"""What every request body must be, checked once, before any route sees it.

A route that takes JSON (every POST route but the file uploads) is sent:
- `Content-Type: application/json` (or a `+json` type); anything else is refused with 415;
- UTF-8, nested at most `MAX_DEPTH` deep, with no key twice in one object (400 each);
- no control character in any string (C0 and C1 controls and DEL, except tab, line feed and
  carriage return) and no bidirectional override or isolate (U+202A..U+202E,
  U+2066..U+2069), which could make a name or a reason read otherwise than it is stored
  (400, naming the field).
The rules apply to identifiers and free text alike: identifiers have narrower patterns of
their own, and free text is read by people.
"""

from __future__ import annotations

import json
import re
from typing import Any

from litestar.enums import RequestEncodingType
from litestar.types import ASGIApp

from api.idempotency import send_problem, whole_body
from api.problems import language_in, problem
from reintegrate.texts import Text

MAX_DEPTH = 32
"""Deeper than any body the API takes (a business plan is five levels deep)."""

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters but tab, line feed and carriage return; bidi overrides and isolates."""

JSON_TYPES = re.compile(r"application/(?:[\w.+-]+\+)?json\s*(?:;.*)?", re.IGNORECASE)


class BodyRefused(Exception):
    def __init__(self, detail: Text, field: str | None = None) -> None:
        super().__init__(str(detail))
        self.detail = detail
        self.field = field


def takes_json(scope: Any) -> bool:
    """Whether the route reads its body as JSON (not as a multipart upload, not at all)."""
    handler = scope.get("route_handler")
    field = handler.parsed_data_field if handler is not None else None
    if field is None:
        return False
    kwarg = field.kwarg_definition
    media_type = getattr(kwarg, "media_type", RequestEncodingType.JSON)
    return bool(media_type == RequestEncodingType.JSON)


def check_json_body(body: bytes) -> None:
    """Refuse `body` unless it is UTF-8 JSON within the rules above."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BodyRefused(Text("the body is not UTF-8 (byte {byte})", byte=e.start)) from None
    try:
        value = json.loads(text, object_pairs_hook=_no_key_twice)
    except RecursionError:
        raise BodyRefused(_too_deep()) from None
    except BodyRefused:
        raise
    except ValueError as e:
        raise BodyRefused(Text("the body is not JSON: {reason}", reason=str(e))) from None
    _check_values(value)


def _no_key_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            twice = Text("the key '{key}' is given twice in one object", key=_shown(key))
            raise BodyRefused(twice, key)
        found[key] = value
    return found


def _check_values(value: Any) -> None:
    """Depth and characters of every string, keys included, without recursion."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BodyRefused(_too_deep(), path or None)
        if isinstance(item, str):
            _check_text(item, path)
        elif isinstance(item, dict):
            for key, inner in item.items():
                where = f"{path}.{key}" if path else key
                _check_text(key, where)
                stack.append((inner, where, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, f"{path}[{i}]", depth + 1) for i, inner in enumerate(item))


def _too_deep() -> Text:
    return Text("the body is nested deeper than {levels} levels", levels=MAX_DEPTH)


def _check_text(text: str, field: str) -> None:
    found = FORBIDDEN.search(text)
    if found is None:
        return
    code = f"U+{ord(found.group()):04X}"
    if not field:
        raise BodyRefused(
            Text(
                "the body: the control or bidirectional character {code} is not allowed in text",
                code=code,
            )
        )
    said = Text(
        "{field}: the control or bidirectional character {code} is not allowed in text",
        field=field,
        code=code,
    )
    raise BodyRefused(said, field)


def _shown(key: str) -> str:
    return FORBIDDEN.sub("?", key)[:64]


def body_rules_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not takes_json(scope):
            await app(scope, receive, send)
            return
        body = await whole_body(scope, receive, send)
        if body is None:
            return
        refusal = _refusal(scope, body)
        if refusal is not None:
            await send_problem(send, refusal)
            return
        await app(scope, _replaying(body, receive), send)

    return middleware


def _refusal(scope: Any, body: bytes) -> Any:
    if not body:
        return None  # the route answers a missing body
    content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1")
    language = language_in(scope)
    if not JSON_TYPES.fullmatch(content_type.strip()):
        return problem(415, "unsupported-media-type", _not_json(content_type), language=language)
    try:
        check_json_body(body)
    except BodyRefused as refused:
        detail, field = refused.detail, refused.field
        return problem(400, "request-invalid", detail, field=field, language=language)
    return None


def _not_json(content_type: str) -> Text:
    if not content_type:
        return Text("this route takes JSON: send Content-Type: application/json (was: none)")
    return Text(
        "this route takes JSON: send Content-Type: application/json (was: {sent})",
        sent=content_type[:80],
    )


def _replaying(body: bytes, receive: Any) -> Any:
    sent = False

    async def replay() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
