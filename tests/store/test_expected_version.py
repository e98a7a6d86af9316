"""A step asked with If-Match runs only on the version the client saw: the unit of work
checks it when it first reads the resource, in its own transaction (`store.expected`)."""

from __future__ import annotations

import pytest

from reintegrate.services import packages as ps
from reintegrate.store.base import EVERYWHERE
from reintegrate.store.expected import VersionChanged, expecting
from reintegrate.store.sql import SqlStore
from tests.builders import APPROVER, SOON, cash, household, register, submitted_package


def submitted(store: SqlStore) -> int:
    """Package pkg-1 of case c1, submitted; its version."""
    register(store, household("c1"))
    submitted_package(store, "c1", cash("c-cash", 100_00), package_id="pkg-1")
    with store.reading() as uow:
        found = uow.packages.get("pkg-1", EVERYWHERE)
    assert found is not None
    return found.version


def test_a_step_on_the_version_the_client_saw_goes_ahead(programme_store: SqlStore) -> None:
    version = submitted(programme_store)
    with expecting("package", "pkg-1", version):
        approved = ps.approve_package(programme_store, APPROVER, SOON, "pkg-1")
    assert approved.version == version + 1  # the command read again what it wrote


def test_a_step_on_a_version_changed_since_is_refused_and_changes_nothing(
    programme_store: SqlStore,
) -> None:
    version = submitted(programme_store)
    with expecting("package", "pkg-1", version - 1), pytest.raises(VersionChanged) as refused:
        ps.approve_package(programme_store, APPROVER, SOON, "pkg-1")
    assert refused.value.found == version
    with programme_store.reading() as uow:
        still = uow.packages.get("pkg-1", EVERYWHERE)
    assert still is not None
    assert still.version == version


def test_an_expectation_on_another_resource_leaves_the_step_alone(
    programme_store: SqlStore,
) -> None:
    version = submitted(programme_store)
    with expecting("package", "pkg-other", 99):
        approved = ps.approve_package(programme_store, APPROVER, SOON, "pkg-1")
    assert approved.version == version + 1
