"""The OpenAPI document as a client generator reads it: short, unique operation ids."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from tests.api.conftest import ApiClient

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
