"""The OpenAPI document as a client generator reads it: short, unique operation ids."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from collections import Counter
from typing import Any

import api
import reintegrate
from api.answers import FOUR_EYES, domain_types
from tests.api.conftest import (
    ApiClient,
    World,
    call,
    created,
    in_kind,
    package_body,
    problem_of,
)

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
    assert approval[1] == "Who may call it: admin, approver."
    assert said["GET", "/health"][-1] == "No token is needed."


def problem_lines(description: str) -> dict[str, str]:
    """The problem types a description lists, by status: {"409": "`a`, `b`"}."""
    listed = description.split("Problem types it can answer", 1)[1].splitlines()[1:]
    return dict(line.removeprefix("- ").split(": ", 1) for line in listed)


def test_an_operation_lists_the_problem_types_of_every_status_it_declares(
    client: ApiClient,
) -> None:
    for (method, _), op in operations(client).items():
        problems = {s for s in op["responses"] if s.startswith("4")}
        listed = problem_lines(op["description"]) if problems else {}
        assert set(listed) == problems, op["operationId"]
        assert ("idempotency-key-reused" in listed.get("422", "")) == (method == "POST")


def test_approving_a_package_lists_its_caps_four_eyes_and_a_stale_etag(client: ApiClient) -> None:
    ops = operations(client)
    approval = problem_lines(ops["POST", "/packages/{package_id}/approval"]["description"])
    assert "`four-eyes`" in approval["403"]
    assert "`limit-exceeded`" in approval["422"]
    assert "`invalid-transition`" in approval["409"]
    assert approval["412"] == "`precondition-failed`"
    read = problem_lines(ops["GET", "/packages/{package_id}"]["description"])
    assert read["403"] == "`forbidden`"
    assert "409" not in read


def test_every_step_a_four_eyes_rule_applies_to_states_it(client: ApiClient) -> None:
    for (method, path), op in operations(client).items():
        said = op["description"]
        if path in FOUR_EYES:
            assert method == "POST"
            assert f"Four eyes: {FOUR_EYES[path]}" in said
            assert "`four-eyes`" in problem_lines(said)["403"]
        else:
            assert "Four eyes" not in said, op["operationId"]
            assert "`four-eyes`" not in said, op["operationId"]


def test_the_drafter_refused_by_four_eyes_was_told_so_by_the_document(world: World) -> None:
    client = world.client
    path = f"/cases/{world.dakar_case}/packages"
    drafted = created(
        call(client, "admin", "POST", path, package_body(in_kind("100.00"))), "package_id"
    )
    assert call(client, "admin", "POST", f"/packages/{drafted}/submission").is_success
    refused = call(client, "admin", "POST", f"/packages/{drafted}/approval")
    problem_of(refused, 403, "four-eyes")
    said = operations(client)["POST", "/packages/{package_id}/approval"]["description"]
    assert "whoever drafted or submitted the package cannot approve it" in said


def test_the_problem_types_listed_are_those_of_every_module_of_the_server() -> None:
    """What the app lists does not depend on what else a process imported: the app itself
    imports every module whose errors it lists."""
    for package in (reintegrate, api):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not module.name.endswith("__main__"):  # that one runs the command line
                importlib.import_module(module.name)
    script = "from api.answers import domain_types; import api.app; print(sorted(domain_types()))"
    alone = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert alone.strip() == str(sorted(domain_types()))
