"""Every error as RFC 9457 problem+json, with a stable `type` per error.

Domain refusals keep their own type (`/problems/limit-exceeded`...), the field at fault and,
for a cap, the limit's name, size, used and requested amounts. Litestar's own errors
(validation 400, 401, 403, 404, 405, 413) are mapped too; anything unexpected is a 500 that
says nothing about the data.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec

from api.schemas import Problem
from reintegrate.adapters.translation import LANGUAGES, in_language, negotiate
from reintegrate.errors import DomainError
from reintegrate.texts import Text

PROBLEM_JSON = "application/problem+json"
_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")
_MISSING_PARAMETER = re.compile(r"Missing required \w+ parameter '([^']+)'")
log = logging.getLogger("reintegrate.api")

STATUS_OF_TYPE = {
    "request-invalid": 400,
    "not-found": 404,
    "four-eyes": 403,
    "person-exists": 409,
    "erasure-refused": 409,
    "cap-below-use": 409,
    "answer-not-kept": 409,
    "person-in-open-case": 409,
    "forbidden": 403,
    "invalid-transition": 409,
    "idempotency-key-in-flight": 409,
    "idempotency-key-taken-over": 409,
    "precondition-failed": 412,
    "precondition-required": 428,
    "evidence-too-large": 413,
    "evidence-type-unsupported": 415,
    "evidence-duplicate": 409,
    "milestone-not-verified": 409,
    "assessment-failed": 409,
    "package-belongs-to-plan": 409,
    "already-answered": 409,
    "statement-already-imported": 409,
}
"""Domain error types and their status; every other domain refusal is 422 (among them
`evidence-empty`, `receipts-short` with its limit, `no-business-rules`, and for community
projects `participation-too-low` and `value-per-participant-exceeded` with their limit,
`no-community-rules`)."""

TITLES = {
    400: Text("Bad request"),
    401: Text("Not authenticated"),
    403: Text("Forbidden"),
    404: Text("Not found"),
    405: Text("Method not allowed"),
    409: Text("Conflict"),
    412: Text("Precondition failed"),
    413: Text("Request body too large"),
    415: Text("Unsupported media type"),
    422: Text("Refused"),
    428: Text("Precondition required"),
    500: Text("Internal error"),
}


WHEN = {
    400: "The request is malformed: a parameter, a header (Idempotency-Key, If-Match) or a body "
    "field is missing or invalid; or the body is not UTF-8, is nested too deep, gives a key "
    "twice, or holds a control or bidirectional character in text (api/body_rules.py).",
    401: "No bearer token, or one that is unknown, expired or revoked.",
    403: "The caller's role may not do this, or four eyes forbid this caller.",
    404: "No such resource in the caller's offices.",
    409: "The resource's state does not allow this step (a tranche whose milestone is not "
    "verified, a plan that failed its assessment, a package that belongs to a business plan, "
    "a file already submitted as evidence), or a request with this Idempotency-Key is still "
    "running.",
    412: "If-Match names a version of the resource that is no longer the current one.",
    413: "The request body is too large, or an evidence file is over its size limit.",
    415: "A JSON route was sent another Content-Type than application/json; or the evidence "
    "file is not a PDF, JPEG or PNG, or its content is not what its part's Content-Type "
    "declares.",
    422: "Refused by a rule (a cap, a budget line, a domain validation; `limit`, `size`, `used` "
    "and `requested` say which limit), or the Idempotency-Key was used with another request.",
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI documentation of the problem+json answers a route can give."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=WHEN[status],
            generate_examples=False,
        )
        for status in statuses
    }


LIST_PROBLEMS = problem_responses(401)
"""A list without parameters: only the token can be wrong."""
READ_PROBLEMS = problem_responses(400, 401, 403, 404, 422)
CREATE_PROBLEMS = problem_responses(400, 401, 403, 404, 409, 413, 415, 422)
STEP_PROBLEMS = problem_responses(400, 401, 403, 404, 409, 412, 413, 415, 422)
"""A lifecycle step: a POST that also takes If-Match."""
UPLOAD_PROBLEMS = problem_responses(400, 401, 403, 404, 409, 412, 413, 415, 422)
"""A file upload that also takes If-Match."""


def language_of(request: Request[Any, Any, Any]) -> str:
    """The language the caller reads (`Accept-Language`), English by default."""
    return negotiate(request.headers.get("accept-language"))


def language_in(scope: Any) -> str:
    """The language the caller reads, for an answer given before the request is one of
    Litestar's (by a middleware, from the ASGI scope)."""
    said = dict(scope.get("headers") or ()).get(b"accept-language", b"")
    return negotiate(said.decode("latin-1"))


def problem(
    status: int,
    type_: str,
    detail: str | Text,
    *,
    headers: Mapping[str, str] | None = None,
    language: str = LANGUAGES[0],
    **extra: Any,
) -> Response[bytes]:
    """A problem+json answer; its title, and its detail when it is a `Text`, in `language`
    (said by Content-Language); its type and figures the same in every language."""
    body = Problem(
        type=f"/problems/{type_}",
        title=in_language(TITLES.get(status, Text("Error")), language),
        status=status,
        detail=in_language(detail, language) if isinstance(detail, Text) else detail,
        **{k: v for k, v in extra.items() if v is not None},
    )
    sent = dict(headers or {})
    sent["Content-Language"] = language
    sent["Vary"] = "Accept-Language"
    if status == 401:
        sent["WWW-Authenticate"] = 'Bearer realm="reintegrate"'
    return Response(
        msgspec.json.encode(body), status_code=status, media_type=PROBLEM_JSON, headers=sent
    )


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[bytes]:
    status = STATUS_OF_TYPE.get(exc.type, 422)
    details = exc.details
    return problem(
        status,
        exc.type,
        exc.text,
        language=language_of(request),
        field=exc.field,
        limit=_text(details.get("limit")),
        size=_text(details.get("size")),
        used=_text(details.get("used")),
        requested=_text(details.get("requested")),
        currency=_text(details.get("currency")),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[bytes]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    first = extra[0] if extra and isinstance(extra[0], dict) else {}
    message = str(first.get("message") or exc.detail)
    field = _field_named(first.get("key"), message)
    return problem(
        400,
        "request-invalid",
        _invalid(field, message),
        field=field,
        language=language_of(request),
    )


def _invalid(field: str | None, reason: str) -> Text:
    """What is wrong, in the caller's language, around the validator's own (English) reason."""
    if field is None:
        return Text("the request is invalid: {reason}", reason=reason)
    if _MISSING_PARAMETER.search(reason):
        return Text("{field} is missing: {reason}", field=field, reason=reason)
    return Text("{field} is invalid: {reason}", field=field, reason=reason)


def _field_named(key: object, message: str) -> str | None:
    """The input at fault: the body path (without Litestar's `data`), an unknown field's own
    name, or the header or query parameter a message names."""
    path = None if key in (None, "", "data") else str(key).removeprefix("data.")
    unknown = _UNKNOWN_FIELD.search(message)
    if unknown:
        return f"{path}.{unknown[1]}" if path else unknown[1]
    missing = _MISSING_PARAMETER.search(message)
    if missing and path is None:
        return missing[1]
    return path


class Unauthenticated(NotAuthorizedException):
    """A 401 whose detail is said in the caller's language."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


class Denied(PermissionDeniedException):
    """A 403 whose detail is said in the caller's language."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


HTTP_TYPES = {
    400: "request-invalid",  # e.g. a body that is not the multipart/form-data it should be
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "request-too-large",
    415: "unsupported-media-type",
}
"""The types of Litestar's own errors, by status."""


HTTP_DETAILS = {
    400: Text("the request could not be read"),
    403: Text("this caller may not do this"),
    404: Text("there is nothing at this address"),
    405: Text("this address does not take this method: the Allow header says which it takes"),
    413: Text("the request body is too large"),
    415: Text("this route does not take a body of this media type"),
}
"""What Litestar's own errors say, when they say no more than their status."""


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    kind = HTTP_TYPES.get(status, f"http-{status}")
    said = language_of(request)
    detail = _http_detail(exc)
    return problem(status, kind, detail, headers=exc.headers, language=said)  # 405 keeps Allow


def _http_detail(exc: HTTPException) -> Text:
    if isinstance(exc, Unauthenticated | Denied):
        return exc.text
    reason = str(exc.detail)
    if exc.status_code in HTTP_DETAILS and reason == HTTPStatus(exc.status_code).phrase:
        return HTTP_DETAILS[exc.status_code]
    if exc.status_code == 400:
        return Text("the request is invalid: {reason}", reason=reason)
    return Text("the request was refused: {reason}", reason=reason)


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    log.error("unexpected error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    failed = Text("the server failed; nothing was changed")
    return problem(500, "internal-error", failed, language=language_of(request))


EXCEPTION_HANDLERS: dict[int | type[Exception], Any] = {
    DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}
