"""The OpenAPI document as a client generator reads it: short, unique operation ids."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from tests.api.conftest import ApiClient, call, problem_of

SNAKE = re.compile(r"[a-z]+(_[a-z0-9]+)*")


def operations(client: ApiClient) -> dict[tuple[str, str], dict[str, Any]]:
    document = client.get("/schema/openapi.json").json()
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }


def test_every_operation_has_a_short_unique_snake_case_id(client: ApiClient) -> None:
    ids = [op["operationId"] for op in operations(client).values()]
    assert len(ids) > 80
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert [i for i in ids if not SNAKE.fullmatch(i)] == []


def test_a_step_that_several_resources_take_is_named_with_its_resource(client: ApiClient) -> None:
    ids = {key: op["operationId"] for key, op in operations(client).items()}
    assert ids["POST", "/packages/{package_id}/approval"] == "approve_package"
    assert ids["POST", "/business-plans/{plan_id}/approval"] == "approve_business_plan"
    assert ids["POST", "/payment-batches/{batch_id}/cancellation"] == "cancel_payment_batch"
    verification = "/community-projects/{project_id}/milestones/{milestone_id}/verification"
    assert ids["POST", verification] == "verify_community_project_milestone"
    assert ids["POST", "/persons"] == "register_person"


def test_a_new_route_leaves_the_names_of_the_existing_ones_as_they_were(
    client: ApiClient,
) -> None:
    ids = {key: op["operationId"] for key, op in operations(client).items()}
    assert ids["GET", "/packages/{package_id}/disbursements"] == "list_disbursements"
    assert ids["GET", "/disbursements"] == "find_disbursements"


def test_a_query_parameter_the_route_does_not_take_is_refused_naming_it(
    client: ApiClient,
) -> None:
    refused = problem_of(call(client, "auditor", "GET", "/journal?after=5"), 400, "request-invalid")
    assert refused["field"] == "after"
    assert "unknown query parameter after" in refused["detail"]
    assert "this route takes cursor, limit" in refused["detail"]


def test_every_unknown_parameter_is_named_even_when_blank(client: ApiClient) -> None:
    answer = call(client, "auditor", "GET", "/cases?limit=5&status=open&sort=")
    refused = problem_of(answer, 400, "request-invalid")
    assert "unknown query parameters status, sort:" in refused["detail"]


def test_the_parameters_a_route_takes_are_still_read(client: ApiClient) -> None:
    page = call(client, "auditor", "GET", "/journal?limit=2")
    assert page.status_code == 200, page.text
    assert len(page.json()["items"]) == 2


def test_a_command_refuses_query_parameters_too(client: ApiClient) -> None:
    answer = call(client, "admin", "POST", "/persons?office=dakar", {})
    assert problem_of(answer, 400, "request-invalid")["field"] == "office"


def test_the_interactive_docs_load_every_file_from_this_server(client: ApiClient) -> None:
    """A field office without internet still gets its docs: nothing comes from a CDN."""
    for page in ("/schema", "/schema/swagger"):
        html = client.get(page).text
        loaded = re.findall(r"(?:src|href)=[\"']([^\"']+)", html)
        assert len(loaded) >= 3
        assert [url for url in loaded if not url.startswith("/schema/assets/")] == []
        for url in loaded:
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert answer.content


def test_every_schema_has_a_name_of_its_own(client: ApiClient) -> None:
    """Two types of one name make the framework prefix their modules (`schemas_PersonView`),
    which generators turn into clumsy class names."""
    names = client.get("/schema/openapi.json").json()["components"]["schemas"]
    assert len(names) > 100
    assert [name for name in names if "_" in name] == []


def test_every_operation_says_what_it_does_and_who_may_call_it(client: ApiClient) -> None:
    described = {key: op.get("description", "") for key, op in operations(client).items()}
    said = {key: text.split("\n\n") for key, text in described.items()}
    assert [key for key, parts in said.items() if len(parts) < 2 or not parts[0]] == []
    approval = said["POST", "/packages/{package_id}/approval"]
    assert approval[-1] == "Who may call it: admin, approver."
    assert said["GET", "/health"][-1] == "No token is needed."
