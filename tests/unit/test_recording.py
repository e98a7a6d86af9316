"""Recording a command's events: several events of one command are recorded as recording
them one after another would, on every store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reintegrate import events as ev
from reintegrate import programme
from reintegrate.grants.postings import budget_codes
from reintegrate.policy import policy_to_json
from reintegrate.programme import BudgetLineSpec
from reintegrate.services.audit import verify_audit
from reintegrate.services.recording import record
from reintegrate.store.base import Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from tests.builders import ADMIN, LINE, PROGRAMME, SOON, policy_for


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    found = SqlStore(f"sqlite:///{tmp_path}/recording.db")
    found.create_all()
    yield found
    found.engine.dispose()
    found.reader.dispose()


def test_a_programme_created_and_its_policy_adopted_in_one_command_are_both_recorded(
    store: Store,
) -> None:
    line = BudgetLineSpec(code=LINE, label="individual packages", amount="1000.00")
    created = programme.create_programme(PROGRAMME, "p", "EUR", [line], exists=False)
    policy = policy_for(PROGRAMME)
    adopted = ev.PolicyAdopted(
        programme_id=PROGRAMME,
        version=policy.version,
        effective_from=policy.effective_from,
        document=policy_to_json(policy),
    )
    with store.unit_of_work() as uow:
        entries = record(uow, ADMIN.user_id, SOON, [created, adopted])
        uow.commit()
    assert [e.event for e in entries] == [created, adopted]
    with store.reading() as uow:
        assert [p.version for p in uow.policies(PROGRAMME)] == [policy.version]
        assert uow.balances([budget_codes(PROGRAMME, LINE)[0]]) == {
            budget_codes(PROGRAMME, LINE)[0]: 1000_00
        }
    assert verify_audit(store).ok
