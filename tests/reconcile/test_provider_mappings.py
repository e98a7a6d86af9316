"""A provider's CSV column mapping, saved once under its name and read for every file it
sends, in the domain's words; on the memory store and on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import update

from reintegrate import events as ev
from reintegrate.adapters.statements import StatementRejected
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.reconcile.statements.provider_mappings import (
    evolve_mapping,
    mapping_to_read,
    save_mapping,
)
from reintegrate.services import provider_mappings as pms
from reintegrate.services import reconciliation as rs
from reintegrate.services.audit import verify_audit
from reintegrate.services.context import Actor
from reintegrate.store.base import Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_reconcile import MAPPINGS
from tests import builders as b

CLERK = Actor("clerk-1")
CONTROLLER = Actor("controller-1")
WALLETS = CsvMapping(
    provider="wallets-sn",
    date="date",
    reference="ref",
    amount="amount",
    currency="ccy",
    status="status",
)
"""A mobile-money provider writing commas and decimal points."""
WALLETS_SEMICOLONS = msgspec.structs.replace(WALLETS, delimiter=";", decimal_separator=",")
"""The same provider, once it writes semicolons and decimal commas."""


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A programme, and nothing saved for any provider."""
    s: Store
    if request.param == "memory":
        s = MemoryStore()
    else:
        s = SqlStore(f"sqlite:///{tmp_path}/mappings.db")
        s.create_all()
    b.programme(s)
    yield s
    if isinstance(s, SqlStore):
        s.engine.dispose()
        s.reader.dispose()


def import_csv(store: Store, content: str, **how: object) -> str:
    imported = rs.import_statement(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        content=content.encode(),
        **how,  # type: ignore[arg-type]
    )
    return imported.import_id


def saved_events(store: Store) -> list[ev.ProviderMappingSaved]:
    return [e.event for e in store.entries() if isinstance(e.event, ev.ProviderMappingSaved)]


def test_a_providers_saved_mapping_is_used_when_the_import_names_the_provider(
    store: Store,
) -> None:
    pms.save_provider_mapping(store, CLERK, b.SOON, WALLETS)
    import_id = import_csv(
        store,
        "date,ref,amount,ccy,status\n2024-03-12,x,-10.50,EUR,booked\n",
        saved_mapping="wallets-sn",
    )
    imported = store.snapshot().imports[import_id]
    assert imported.mapping == msgspec.json.encode(WALLETS).decode()
    assert [(t.entries, t.debits) for t in imported.totals] == [(1, 1050)]


def test_saving_again_replaces_the_mapping_and_the_journal_keeps_both(store: Store) -> None:
    first = pms.save_provider_mapping(store, CLERK, b.SOON, WALLETS)
    second = pms.save_provider_mapping(store, CONTROLLER, b.SOON, WALLETS_SEMICOLONS)
    assert (first.version, second.version) == (1, 2)
    assert second.seq > first.seq
    saved = pms.provider_mapping(store, "wallets-sn")
    assert (saved.csv_mapping(), saved.saved_by) == (WALLETS_SEMICOLONS, "controller-1")
    assert [m.provider for m in pms.provider_mappings(store)] == ["wallets-sn"]
    kept = [msgspec.json.decode(e.mapping, type=CsvMapping) for e in saved_events(store)]
    assert kept == [WALLETS, WALLETS_SEMICOLONS]
    import_id = import_csv(
        store,
        "date;ref;amount;ccy;status\n2024-03-12;x;-10,50;EUR;booked\n",
        saved_mapping="wallets-sn",
    )
    assert store.snapshot().imports[import_id].totals[0].debits == 1050


def test_an_import_naming_a_provider_with_no_saved_mapping_is_refused_nothing_written(
    store: Store,
) -> None:
    before, entries = store.snapshot(), len(list(store.entries()))
    with pytest.raises(NotFound) as refused:
        import_csv(store, "date,ref,amount,ccy\n2024-03-12,x,-1.00,EUR\n", saved_mapping="nobody")
    assert refused.value.field == "saved_mapping"
    assert "'nobody'" in refused.value.message
    assert (store.snapshot(), len(list(store.entries()))) == (before, entries)


def test_an_import_given_a_mapping_and_a_saved_one_is_refused(store: Store) -> None:
    pms.save_provider_mapping(store, CLERK, b.SOON, WALLETS)
    with pytest.raises(ValidationFailed) as refused:
        import_csv(
            store,
            "date,ref,amount,ccy\n2024-03-12,x,-1.00,EUR\n",
            mapping=WALLETS,
            saved_mapping="wallets-sn",
        )
    assert refused.value.field == "saved_mapping"


def test_a_csv_with_neither_a_mapping_nor_a_saved_one_is_refused_naming_both(
    store: Store,
) -> None:
    with pytest.raises(StatementRejected) as refused:
        import_csv(store, "date,ref,amount,ccy\n2024-03-12,x,-1.00,EUR\n")
    assert refused.value.field == "mapping"
    assert "saved_mapping" in refused.value.message


@pytest.mark.parametrize("name", [None, "", "Wallets SN", "wallets/sn", "-wallets", "w" * 65])
def test_a_mapping_is_saved_only_under_a_provider_name_that_can_name_it(name: str | None) -> None:
    with pytest.raises(ValidationFailed) as refused:
        save_mapping(msgspec.structs.replace(WALLETS, provider=name))
    assert refused.value.field == "provider"


def test_a_saved_mapping_records_the_mapping_as_the_import_records_it() -> None:
    event = save_mapping(WALLETS)
    assert (event.provider, event.mapping) == ("wallets-sn", msgspec.json.encode(WALLETS).decode())
    assert mapping_to_read(WALLETS, None, None) is WALLETS
    assert mapping_to_read(None, None, None) is None


SAVED_BEFORE_THE_DEBIT_AND_CREDIT_PAIR = (
    '{"date":"date","amount":"amount","reference":"ref","currency":"ccy","status":"status",'
    '"counterparty":null,"direction":null,"debit_values":["D","DR","DEBIT","DBIT","OUT"],'
    '"credit_values":["C","CR","CREDIT","CRDT","IN"],"negative_means":"debit",'
    '"date_format":"%Y-%m-%d","decimal_separator":".","thousands_separator":"",'
    '"delimiter":"auto","encoding":"utf-8","status_map":{},"fixed_currency":null,'
    '"account_currency":null,"account":null,"provider":"wallets-sn","earliest":"2000-01-01",'
    '"latest":"2099-12-31"}'
)
"""`WALLETS` as the journal recorded it before a mapping could name debit and credit columns."""


def test_a_mapping_saved_before_debit_and_credit_columns_existed_still_reads() -> None:
    event = ev.ProviderMappingSaved(
        provider="wallets-sn", mapping=SAVED_BEFORE_THE_DEBIT_AND_CREDIT_PAIR
    )
    saved = evolve_mapping(None, event, CLERK.user_id, b.SOON, seq=1)
    read = saved.csv_mapping()
    assert read == WALLETS
    assert (read.debit_amount, read.credit_amount) == (None, None)


def test_replaying_a_journal_with_saved_mappings_gives_the_stored_mappings(store: Store) -> None:
    pms.save_provider_mapping(store, CLERK, b.SOON, WALLETS)
    pms.save_provider_mapping(store, CONTROLLER, b.SOON, WALLETS_SEMICOLONS)
    pms.save_provider_mapping(
        store, CLERK, b.SOON, msgspec.structs.replace(WALLETS, provider="bank.2")
    )
    report = verify_audit(store)
    assert report.ok, report
    assert set(store.snapshot().provider_mappings) == {"wallets-sn", "bank.2"}


def test_a_saved_mapping_changed_in_the_database_shows_in_the_audit(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path}/tampered.db")
    store.create_all()
    pms.save_provider_mapping(store, CLERK, b.SOON, WALLETS)
    tampered = msgspec.json.encode(
        msgspec.structs.replace(
            pms.provider_mapping(store, "wallets-sn"),
            mapping=msgspec.json.encode(WALLETS_SEMICOLONS).decode(),
        )
    )
    with store.engine.begin() as conn:
        conn.execute(update(MAPPINGS).values(body=tampered))
    report = verify_audit(store)
    assert [(d.record, d.key, d.last_seq) for d in report.differences] == [
        ("provider_mappings", "wallets-sn", 1)
    ]
    assert report.differences[0].fields[0].path == "mapping"
    store.engine.dispose()
    store.reader.dispose()
