"""A query parameter a route does not take is refused, not silently ignored.

`/journal?after=5` would otherwise start at seq 1 as if nothing had been asked: a client with
a typo in a filter reads the wrong page and never knows. Every route's query parameters are
those its OpenAPI operation declares (the document is built from the handlers' signatures),
so a request naming any other is answered 400 `request-invalid`, naming each unknown one and
the ones the route takes.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from litestar import Litestar
from litestar.openapi.spec import Parameter
from litestar.types import ASGIApp

from api.idempotency import send_problem
from api.problems import language_in, problem
from reintegrate.texts import Text

_TYPED = re.compile(r"\{(\w+):[^}]+\}")
"""A path parameter with its type, as a route template writes it (`{package_id:str}`)."""


def query_rules_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            unknown, known = _unknown(scope)
            if unknown:
                detail = _unknown_said(unknown, known)
                refusal = problem(
                    400, "request-invalid", detail, field=unknown[0], language=language_in(scope)
                )
                await send_problem(send, refusal)
                return
        await app(scope, receive, send)

    return middleware


def _unknown_said(unknown: list[str], known: frozenset[str]) -> Text:
    names, takes = ", ".join(unknown), ", ".join(sorted(known))
    if len(unknown) == 1 and takes:
        return Text(
            "unknown query parameter {names}: this route takes {takes}", names=names, takes=takes
        )
    if takes:
        return Text(
            "unknown query parameters {names}: this route takes {takes}", names=names, takes=takes
        )
    if len(unknown) == 1:
        return Text("unknown query parameter {names}: this route takes none", names=names)
    return Text("unknown query parameters {names}: this route takes none", names=names)


def _unknown(scope: Any) -> tuple[list[str], frozenset[str]]:
    """The query parameters of the request that its route does not take, in the order given,
    and those it takes; none for a route outside the OpenAPI document (the docs' own)."""
    template = _TYPED.sub(r"{\1}", str(scope.get("path_template", "")))
    known = declared(scope["app"]).get((scope["method"], template))
    if known is None:
        return [], frozenset()
    query = scope.get("query_string", b"").decode("latin-1")
    given = dict.fromkeys(name for name, _ in parse_qsl(query, keep_blank_values=True))
    return [name for name in given if name not in known], known


def declared(app: Litestar) -> dict[tuple[str, str], frozenset[str]]:
    """Each operation's query parameters, by method and path, read once from the document."""
    found: dict[tuple[str, str], frozenset[str]] | None = app.state.get("query_parameters")
    if found is None:
        found = {
            (method.upper(), path): frozenset(
                p.name
                for p in operation.parameters or ()
                if isinstance(p, Parameter) and p.param_in == "query"
            )
            for path, item in (app.openapi_schema.paths or {}).items()
            for method in ("get", "post", "put", "patch", "delete")
            if (operation := getattr(item, method, None)) is not None
        }
        app.state.query_parameters = found
    return found
