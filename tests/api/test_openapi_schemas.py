"""What the OpenAPI document's schemas say holds of the data: its examples are valid against
their own constraints, and the journal's events are the typed union it declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from reintegrate.events import Event
from reintegrate.events.legacy import LegacyEvent
from tests.api.conftest import ApiClient, World, call

Found = tuple[str, dict[str, Any], Any]
"""Where in the document, the schema, and an example given for it."""


@pytest.fixture(scope="module")
def document(session: Any) -> dict[str, Any]:
    found: dict[str, Any] = session.client.get("/schema/openapi.json").json()
    return found


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """`schema` checked as JSON Schema 2020-12, its `$ref`s read in the document."""
    return jsonschema_rs.Draft202012Validator({**schema, "components": document["components"]})


def examples(node: Any, where: str = "") -> Iterator[Found]:
    """Every example in the document: a schema's `examples`, and the `example` or
    `examples` of a parameter, header or media type beside its `schema`."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from examples(item, f"{where}/{i}")
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("examples"), list):
        yield from ((f"{where}/examples", node, e) for e in node["examples"])
    if isinstance(node.get("schema"), dict):
        if "example" in node:
            yield f"{where}/example", node["schema"], node["example"]
        for name, given in (node.get("examples") or {}).items():
            yield f"{where}/examples/{name}", node["schema"], given.get("value")
    for key, value in node.items():
        yield from examples(value, f"{where}/{key}")


def test_the_document_gives_examples(document: dict[str, Any]) -> None:
    assert len(list(examples(document))) >= 10


def test_every_example_is_valid_against_its_own_schema(document: dict[str, Any]) -> None:
    invalid = [
        (where, example, [str(e) for e in validator(document, schema).iter_errors(example)])
        for where, schema, example in examples(document)
        if not validator(document, schema).is_valid(example)
    ]
    assert invalid == []


def test_an_example_breaking_its_constraint_would_be_found(document: dict[str, Any]) -> None:
    schema = {"type": "string", "pattern": r"^\d+$", "examples": ["12", "twelve"]}
    found = [e for _, s, e in examples({"x": schema}) if not validator(document, s).is_valid(e)]
    assert found == ["twelve"]


def journal(client: ApiClient) -> Iterator[dict[str, Any]]:
    cursor = ""
    while True:
        page = call(client, "auditor", "GET", f"/journal?limit=100{cursor}").json()
        yield page
        if page["next_cursor"] is None:
            return
        cursor = f"&cursor={page['next_cursor']}"


def test_the_journal_answers_events_of_the_union_its_schema_declares(
    world: World, document: dict[str, Any]
) -> None:
    page_schema = validator(document, {"$ref": "#/components/schemas/JournalPage"})
    event = document["components"]["schemas"]["JournalEntryView"]["properties"]["event"]
    mapping = event["discriminator"]["mapping"]
    shown = set()
    for page in journal(world.client):
        assert page_schema.is_valid(page), list(page_schema.iter_errors(page))[:3]
        for entry in page["items"]:
            own = validator(document, {"$ref": mapping[entry["event"]["type"]]})
            assert own.is_valid(entry["event"]), entry["type"]
            shown.add(entry["type"])
    assert len(shown) > 30


def test_the_journal_event_schema_names_every_event_type_once(document: dict[str, Any]) -> None:
    event = document["components"]["schemas"]["JournalEntryView"]["properties"]["event"]
    assert event["discriminator"]["propertyName"] == "type"
    every = {cls.__name__ for cls in (*Event.__args__, *LegacyEvent.__args__)}
    assert set(event["discriminator"]["mapping"]) == every
    refs = [choice["$ref"] for choice in event["oneOf"]]
    assert sorted(refs) == sorted(event["discriminator"]["mapping"].values())
