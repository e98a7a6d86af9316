"""Bodies that are not what a JSON route takes are refused before any route reads them, the
same way on every route: 415 for another content type, 400 for a body that is not UTF-8,
nested too deep, gives a key twice, or hides control or bidirectional characters in text.
Nothing is journaled."""

from __future__ import annotations

import re
from typing import Any

import pytest

from api.body_rules import MAX_DEPTH, takes_json
from tests.api.conftest import World, call, cash_request, problem_of

VALID = (
    b'{"component_id": "c1", "amount": {"amount": "1.00", "currency": "EUR"}, '
    b'"channel": "mobile_money"}'
)
HOSTILE: dict[str, tuple[bytes, dict[str, str]]] = {
    "nested 2,000 deep": (b'{"a": ' + b"[" * 2000 + b"]" * 2000 + b"}", {}),
    "nested 40 deep": (b'{"a": ' + b'{"b": ' * 40 + b"1" + b"}" * 40 + b"}", {}),
    "not UTF-8": (b'{"component_id": "\xff\xfe"}', {}),
    "a key twice": (b'{"component_id": "c9", ' + VALID[1:], {}),
    "a NUL in text": (b'{"reason": "paid\\u0000twice"}', {}),
    "a bidi override in text": ('{"reason": "paid \u202eowt"}'.encode(), {}),
    "an escape character": (b'{"reason": "\\u001b[31mred"}', {}),
    "not JSON at all": (b"component_id=c1", {}),
    "JSON as text/plain": (VALID, {"Content-Type": "text/plain"}),
    "JSON as a form": (VALID, {"Content-Type": "application/x-www-form-urlencoded"}),
}


def json_routes(world: World) -> list[str]:
    """Every POST route that takes JSON, with made-up ids in its path."""
    paths = []
    for route in world.client.app.routes:
        for handler in getattr(route, "route_handlers", []):
            if "POST" in handler.http_methods and takes_json({"route_handler": handler}):
                path = re.sub(r"\{\w+:int\}", "0", route.path)
                paths.append(re.sub(r"\{\w+:str\}", "x1", path))
    return sorted(set(paths))


def test_every_json_route_refuses_every_hostile_body_before_reading_it(world: World) -> None:
    before = world.journal_length()
    answers: dict[tuple[str, str], int] = {}
    routes = json_routes(world)
    for path in routes:
        for name, (body, headers) in HOSTILE.items():
            response = call(world.client, "admin", "POST", path, body, headers=headers)
            answers[(path, name)] = response.status_code
            assert response.headers["content-type"].startswith("application/problem+json")
    assert len(routes) >= 38  # every POST route but the uploads and the bodiless steps
    wrong_type = {"JSON as text/plain", "JSON as a form"}
    assert {k: v for k, v in answers.items() if v != (415 if k[1] in wrong_type else 400)} == {}
    assert world.journal_length() == before


@pytest.mark.parametrize(
    ("body", "detail", "field"),
    [
        (b'{"a": ' + b"[" * 2000 + b"]" * 2000 + b"}", f"nested deeper than {MAX_DEPTH}", None),
        (b'{"component_id": "\xff"}', "the body is not UTF-8 (byte 18)", None),
        (
            b'{"component_id": "c9", ' + VALID[1:],
            "the key 'component_id' is given twice",
            "component_id",
        ),
        (
            '{"component_id": "c1", "invoice_ref": "INV\u202e1"}'.encode(),
            "invoice_ref: the control or bidirectional character U+202E is not allowed",
            "invoice_ref",
        ),
        (
            b'{"amount": {"amount": "1.00", "currency": "EUR\\u0000"}}',
            "amount.currency: the control or bidirectional character U+0000",
            "amount.currency",
        ),
    ],
)
def test_a_refused_body_is_explained_naming_the_field(
    world: World, body: bytes, detail: str, field: str | None
) -> None:
    path = f"/packages/{world.approved_package}/disbursements"

    found: dict[str, Any] = problem_of(
        call(world.client, "officer", "POST", path, body), 400, "request-invalid"
    )

    assert detail in found["detail"]
    assert found.get("field") == field


def test_json_sent_with_another_content_type_is_refused_with_415(world: World) -> None:
    path = f"/packages/{world.approved_package}/disbursements"
    headers = {"Content-Type": "text/plain"}

    refused = call(world.client, "officer", "POST", path, VALID, headers=headers)

    assert "application/json" in problem_of(refused, 415, "unsupported-media-type")["detail"]


def test_prose_may_hold_tabs_and_line_breaks_and_any_language(world: World) -> None:
    path = f"/packages/{world.approved_package}/disbursements"
    request = cash_request("1.00") | {"invoice_ref": None}
    accepted = call(world.client, "officer", "POST", path, request)
    assert accepted.status_code == 201, accepted.text
    reason = {"reason": "retour au pays\tavril\r\nشكرا — 谢谢 — ¡gracias!"}  # noqa: RUF001
    failed = call(
        world.client,
        "finance",
        "POST",
        f"/disbursements/{world.approved_disbursement}/failure",
        reason,
    )
    assert failed.status_code == 200, failed.text
