"""The response headers the OpenAPI document declares are those the server sends.

Every route is called with its successful example (tests/api/test_every_route.py), and every
POST once more with the same Idempotency-Key and body, so that its stored answer is replayed.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.conftest import ApiClient, World, call
from tests.api.test_every_route import ROUTES, Route, each, example

WATCHED = ("etag", "idempotent-replayed")


@pytest.fixture(scope="module")
def document(session: Any) -> dict[str, Any]:
    found: dict[str, Any] = session.client.get("/schema/openapi.json").json()
    return found


def declared(document: dict[str, Any], route: Route, status: int) -> set[str]:
    """The headers the document declares on `route`'s answers of `status`."""
    operation = document["paths"][route.path][route.method.lower()]
    answer = operation["responses"].get(str(status), {})
    return {name.lower() for name in answer.get("headers", {})}


def sent(response: httpx.Response) -> set[str]:
    return {name for name in WATCHED if name in response.headers}


def run(client: ApiClient, route: Route, world: World, key: str) -> httpx.Response:
    ex = example(route, world)
    return call(client, ex.user, route.method, route.at(ex.params), ex.body, key=key)


def replay(client: ApiClient, request: httpx.Request) -> httpx.Response:
    """The very request again, byte for byte (a form's boundary included)."""
    headers = dict(request.headers)
    return client.request(request.method, request.url, content=request.read(), headers=headers)


@pytest.mark.parametrize("route", each(ROUTES))
def test_every_header_a_route_sends_is_declared_on_its_answer(
    route: Route, world: World, document: dict[str, Any]
) -> None:
    key = f"key-{uuid.uuid4().hex}"
    first = run(world.client, route, world, key)
    assert first.status_code == route.status, first.text
    promised = declared(document, route, first.status_code)
    assert sent(first) <= promised
    assert ("etag" in promised) == ("etag" in sent(first)), "ETag declared but not sent"
    if route.method != "POST":
        assert "idempotent-replayed" not in promised
        return
    again = replay(world.client, first.request)
    assert again.headers.get("idempotent-replayed") == "true"
    if again.is_success:  # an answer holding personal data is replayed as a refusal
        assert again.status_code == first.status_code
        assert sent(again) <= declared(document, route, again.status_code)
    assert "idempotent-replayed" in promised
