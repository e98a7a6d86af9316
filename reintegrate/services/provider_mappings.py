"""Use cases of providers' saved CSV column mappings: save one, read one or all, and find
the mapping a statement import reads its file with. Mappings belong to no programme and no
office: they describe how a provider writes its files."""

from __future__ import annotations

import datetime as dt

from reintegrate.errors import NotFound
from reintegrate.reconcile.statements import provider_mappings as pm
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.services.context import Actor, utc
from reintegrate.services.recording import record
from reintegrate.store.base import Store, UnitOfWork


def load_mapping(uow: UnitOfWork, provider: str, *, field: str = "provider") -> pm.ProviderMapping:
    found = uow.provider_mapping(provider)
    if found is None:
        raise NotFound(pm.no_saved_mapping(provider), field=field)
    return found


def save_provider_mapping(
    store: Store, actor: Actor, now: dt.datetime, mapping: CsvMapping
) -> pm.ProviderMapping:
    """Save `mapping` under the provider it names, replacing what was saved before."""
    event = pm.save_mapping(mapping)
    with store.unit_of_work() as uow:
        record(uow, actor.user_id, utc(now), [event])
        uow.commit()
        return load_mapping(uow, event.provider)


def provider_mapping(store: Store, provider: str) -> pm.ProviderMapping:
    with store.unit_of_work() as uow:
        return load_mapping(uow, provider)


def provider_mappings(store: Store) -> list[pm.ProviderMapping]:
    """Every saved mapping, by provider."""
    with store.unit_of_work() as uow:
        return uow.provider_mappings()


def mapping_for_import(
    store: Store, given: CsvMapping | None, saved_for: str | None
) -> CsvMapping | None:
    """The mapping an import reads a CSV with: `given`, or the one saved for `saved_for`."""
    saved = None
    if saved_for is not None:
        with store.unit_of_work() as uow:
            saved = uow.provider_mapping(saved_for)
    return pm.mapping_to_read(given, saved_for, saved)
