"""Every operation of the OpenAPI document has a method of each client, named by its
operationId, that sends that operation's method to its path with only the query parameters
it declares: a route added on the server without its method here fails this test."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from litestar.testing import TestClient

from api.app import create_app
from reintegrate.client import AsyncClient, Client
from reintegrate.client.calls import Call
from reintegrate.client.operations import Operation
from reintegrate.store.sql import SqlStore

Declared = dict[str, tuple[str, str, set[str]]]
"""operationId: (method, path template, query parameters)."""


@pytest.fixture(scope="module")
def declared(tmp_path_factory: pytest.TempPathFactory) -> Declared:
    """The operations of the document the app serves at /schema/openapi.json."""
    folder: Path = tmp_path_factory.mktemp("openapi")
    store = SqlStore(f"sqlite:///{folder / 'empty.db'}")
    store.create_all()
    with TestClient(create_app(store)) as http:
        document: dict[str, Any] = http.get("/schema/openapi.json").json()
    store.engine.dispose()
    return {
        operation["operationId"]: (
            method.upper(),
            path,
            {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"},
        )
        for path, item in document["paths"].items()
        if not path.startswith("/schema")
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }


class Placeholder(str):
    """A stand-in for any argument: `{name}`, also as an enum's `value`."""

    __slots__ = ()

    @property
    def value(self) -> str:
        return str(self)


def operations_of(client: type[Any]) -> dict[str, Operation[Any, Any]]:
    return {
        name: found for name in dir(client) if isinstance(found := getattr(client, name), Operation)
    }


def sent_by(operation: Operation[Any, Any]) -> Call[Any]:
    """What the operation sends, every argument a placeholder (a read's optional ones too,
    as its query)."""
    given = inspect.signature(operation.build).parameters.values()
    required = [p.name for p in given if p.default is inspect.Parameter.empty]
    call = operation.build(**{name: Placeholder(f"{{{name}}}") for name in required})
    if call.method == "GET":
        call = operation.build(**{p.name: Placeholder(f"{{{p.name}}}") for p in given})
    assert isinstance(call, Call)
    return call


@pytest.mark.parametrize("client", [Client, AsyncClient])
def test_every_operation_of_the_document_has_a_method_named_by_its_id(
    client: type[Any], declared: Declared
) -> None:
    methods = operations_of(client)
    assert len(declared) > 80
    assert sorted(set(declared) - set(methods)) == []


def test_each_method_sends_its_operations_method_to_its_path(declared: Declared) -> None:
    methods = operations_of(Client)
    sent = {name: sent_by(methods[name]) for name in declared}
    wrong = {
        name: (call.method, unquote(call.path))
        for name, call in sent.items()
        if (call.method, unquote(call.path)) != declared[name][:2]
    }
    assert wrong == {}


def test_each_method_sends_only_the_query_parameters_its_operation_declares(
    declared: Declared,
) -> None:
    methods = operations_of(Client)
    undeclared = {
        name: sorted(set(sent_by(methods[name]).query) - declared[name][2]) for name in declared
    }
    assert {name: extra for name, extra in undeclared.items() if extra} == {}


def test_the_methods_beyond_the_documents_ids_are_operations_it_declares(
    declared: Declared,
) -> None:
    """`financial_report_file` and `get_reconciliation_file` answer a report as a file."""
    routes = {(method, path) for method, path, _ in declared.values()}
    extra = {
        name: sent_by(op) for name, op in operations_of(Client).items() if name not in declared
    }
    assert sorted(extra) == ["financial_report_file", "get_reconciliation_file"]
    assert all((call.method, unquote(call.path)) in routes for call in extra.values())


def test_the_sync_and_the_async_client_share_one_declaration_of_each_operation() -> None:
    assert operations_of(Client) == operations_of(AsyncClient)
