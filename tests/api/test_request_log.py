"""The request log says what the caller got, also when a middleware refused the request."""

from __future__ import annotations

from structlog.testing import capture_logs

from reintegrate.access import Role
from tests.api.conftest import ApiClient, call, user_with


def test_a_request_without_a_token_is_logged_with_the_401_it_got(client: ApiClient) -> None:
    with capture_logs() as logs:
        response = call(client, None, "GET", "/cases")
    assert response.status_code == 401
    assert [entry["status"] for entry in logs if entry["event"] == "request"] == [401]


def test_an_answered_request_is_logged_with_its_status_and_never_its_query(
    client: ApiClient,
) -> None:
    with capture_logs() as logs:
        response = call(client, user_with(Role.OFFICER), "GET", "/cases?limit=1")
    assert response.status_code == 200
    entry = next(e for e in logs if e["event"] == "request")
    assert entry["status"] == 200
    assert "limit" not in str(entry)
