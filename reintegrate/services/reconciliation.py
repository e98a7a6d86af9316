"""Use cases of reconciliation: batches to providers, statements from them, matching,
decisions and applying. Finance work is programme-wide: these commands take no office scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import msgspec

from reintegrate import events as ev
from reintegrate.adapters import batch_files
from reintegrate.adapters.bulk import BULK_FROM_BYTES
from reintegrate.adapters.statements.detect import read_statement
from reintegrate.errors import NotFound
from reintegrate.grants.disbursements import Channel
from reintegrate.people.access_log import Reader
from reintegrate.reconcile.batches import batch as batches
from reintegrate.reconcile.matching import applying
from reintegrate.reconcile.matching.match import DEFAULT_WINDOW_DAYS, match
from reintegrate.reconcile.matching.outcomes import Expected, Finding, Reconciliation
from reintegrate.reconcile.statements import imports
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.services.batch_payees import payees_of
from reintegrate.services.context import Actor, existing_programme, new_id, utc
from reintegrate.services.notes import opened
from reintegrate.services.packages import paying_of
from reintegrate.services.people import log_read
from reintegrate.services.provider_mappings import mapping_for_import
from reintegrate.services.recording import record
from reintegrate.store.base import Store, UnitOfWork
from reintegrate.texts import Text

APPLY_CHUNK = 10_000
"""Findings applied per transaction: an apply that is interrupted keeps what it committed,
and running it again goes on from there. At 100,000 payments on SQLite a chunk of 10,000
holds the write lock about 2 s; fewer, larger transactions write fewer pages (5,000: 21 s
of processor time, 10,000: 19 s, 20,000: 18 s, but 4 s and more of lock)."""


def load_batch(uow: UnitOfWork, batch_id: str) -> batches.PaymentBatch:
    found = uow.batches.get(batch_id)
    if found is None:
        raise NotFound(Text("no payment batch {batch_id}", batch_id=batch_id), field="batch_id")
    return found


def load_import(uow: UnitOfWork, import_id: str) -> imports.StatementImport:
    found = uow.imports.get(import_id)
    if found is None:
        raise NotFound(
            Text("no statement import {import_id}", import_id=import_id), field="import_id"
        )
    return found


def make_batch(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    *,
    programme_id: str,
    provider: Channel,
    currency: str,
    batch_id: str | None = None,
) -> batches.PaymentBatch:
    """Batch the programme's approved payments by `provider` in `currency` not batched yet."""
    with store.unit_of_work() as uow:
        existing_programme(uow.programme(programme_id), programme_id)
        batch_id = batch_id or new_id("bat")
        event = batches.make_batch(
            batch_id,
            programme_id=programme_id,
            provider=provider,
            currency=currency,
            approved=uow.approved_disbursements(programme_id, provider),
            batched=uow.batched(programme_id),
            today=utc(now).date(),
        )
        record(uow, actor.user_id, utc(now), [event])
        uow.commit()
        return load_batch(uow, batch_id)


def export_batch(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    batch_id: str,
    *,
    fmt: str,
    debtor: str = "",
    debtor_iban: str | None = None,
    debtor_bic: str | None = None,
    reader: Reader | None = None,
) -> tuple[batches.PaymentBatch, bytes]:
    """The batch's file, naming each person paid with the payout instrument its channel
    needs (opened from their record here, and nowhere else on the way to a provider). Every
    export is recorded: who made it, which batch, the file's hash. A file not exported
    before needs every payment still approved; a person without the instrument refuses the
    whole export (`payees.PayoutInstrumentMissing`), and nothing is recorded. With `reader`,
    each person named in the file is written to the access log."""
    with store.unit_of_work() as uow:
        batch = load_batch(uow, batch_id)
        batch_files.check_format(batch, fmt)
        payer = batch_files.debtor(debtor or batch.programme_id, debtor_iban, debtor_bic)
        found = uow.disbursements_by_id({i.disbursement_id for i in batch.items})
        statuses = {i: d.status for i, d in found.items()}
        if batch.status is not batches.BatchStatus.EXPORTED:
            batches.check_exportable(batch, statuses)  # before any record is opened
        paid, named = payees_of(uow, batch, found)
        content = batch_files.render(opened(uow, batch), fmt, payer, paid)
        digest = batch_files.file_hash(content)
        if (fmt, digest) not in batch.exported:
            batches.check_exportable(batch, statuses)
        event = batches.export_event(batch, fmt, digest, utc(now).date())
        record(uow, actor.user_id, utc(now), [event])
        if reader is not None:
            for person_id in named:
                log_read(uow, reader, actor, now, person_id)
        uow.commit()
        return load_batch(uow, batch_id), content


def cancel_batch(
    store: Store, actor: Actor, now: dt.datetime, batch_id: str, *, reason: str
) -> batches.PaymentBatch:
    with store.unit_of_work() as uow:
        event = batches.cancel_batch(load_batch(uow, batch_id), reason)
        record(uow, actor.user_id, utc(now), [event])
        uow.commit()
        return load_batch(uow, batch_id)


def import_statement(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    *,
    programme_id: str,
    content: bytes,
    fmt: str | None = None,
    mapping: CsvMapping | None = None,
    import_id: str | None = None,
    provider: Channel | None = None,
    saved_mapping: str | None = None,
    encoding: str | None = None,
    accept_discrepancy: bool = False,
    remarked: Callable[[Text], object] | None = None,
) -> imports.StatementImport:
    """Read the whole file (a malformed one is refused with the place at fault and nothing
    is written), keep it by hash and record what it holds; the same file twice is refused.
    A CSV is read with `mapping`, or with the mapping saved for the provider named
    `saved_mapping`; the import records the mapping it was read with, and an MT940 file's
    `encoding` when given. With `provider`, the statement is matched against that provider's
    batches only. A statement whose balances do not reconcile with its entries is imported
    only with `accept_discrepancy`, and the import records the discrepancy. `remarked` is told
    each remark on the file as it was read, in words (the import keeps their English)."""
    mapping = mapping_for_import(store, mapping, saved_mapping)
    read = read_statement(content, format=fmt, mapping=mapping, encoding=encoding)
    kind = read.statements[0].format if read.statements else (fmt or "csv")
    with store.unit_of_work() as uow:
        existing_programme(uow.programme(programme_id), programme_id)
        import_id = import_id or new_id("imp")
        event = imports.import_statement(
            import_id,
            programme_id=programme_id,
            content_hash=read.content_hash,
            fmt=kind,
            statements=read.statements,
            known=uow.import_with_hash(read.content_hash),
            today=utc(now).date(),
            how=imports.ReadAs(
                mapping=None if mapping is None else msgspec.json.encode(mapping).decode(),
                provider=None if provider is None else provider.value,
                encoding=encoding,
                accept_discrepancy=accept_discrepancy,
            ),
        )
        uow.put_statement_file(read.content_hash, content)
        record(uow, actor.user_id, utc(now), [event])
        uow.commit()
        if remarked is not None:
            for remark in imports.remarks_of(read.statements):
                remarked(remark)
        return load_import(uow, import_id)


def reconcile(
    store: Store, import_id: str, *, window_days: int = DEFAULT_WINDOW_DAYS
) -> tuple[imports.StatementImport, Reconciliation]:
    """Match the import's statement against every payment the programme sent in a batch; the
    import is given with its decisions' reasons opened, for the report."""
    with store.unit_of_work() as uow:
        imported = load_import(uow, import_id)
        return opened(uow, imported), _match(uow, imported, window_days)


def _match(
    uow: UnitOfWork,
    imported: imports.StatementImport,
    window: int,
    sent: list[Expected] | None = None,
) -> Reconciliation:
    """The import's statement matched against `sent`, by default every payment the
    programme sent (to the import's provider, when it names one)."""
    content = uow.statement_file(imported.content_hash)
    assert content is not None, f"an import keeps its file ({imported.content_hash})"
    mapping = None
    if imported.mapping is not None:
        mapping = msgspec.json.decode(imported.mapping, type=CsvMapping)
    if sent is None:
        sent = sent_payments(uow, imported.programme_id, imported.provider)
    if imported.format == "csv" and mapping is not None and len(content) >= BULK_FROM_BYTES:
        # here: numpy is a fifth of a second of every command's start, and only this needs it
        from reintegrate.adapters.bulk.engine import reconcile_csv  # noqa: PLC0415

        return reconcile_csv(content, mapping, sent, window_days=window)  # same result, in columns
    read = read_statement(
        content, format=imported.format, mapping=mapping, encoding=imported.encoding
    )
    lines = [line for statement in read.statements for line in statement.lines]
    return match(lines, sent, window_days=window)


def sent_payments(
    uow: UnitOfWork, programme_id: str, provider: str | None = None
) -> list[Expected]:
    """Every payment of an exported batch of the programme (by `provider` when given), with
    its current status."""
    exported = [
        b
        for b in uow.batches_of(programme_id)
        if b.status is batches.BatchStatus.EXPORTED and provider in (None, b.provider.value)
    ]
    statuses = uow.disbursement_statuses({i.disbursement_id for b in exported for i in b.items})
    return [
        Expected(
            disbursement_id=i.disbursement_id,
            reference=i.reference,
            amount=i.amount,
            currency=b.currency,
            sent_on=b.exported_on or b.created_on,
            status=statuses[i.disbursement_id],
        )
        for b in exported
        for i in b.items
    ]


def propose_decision(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    import_id: str,
    *,
    position: str,
    kind: ev.DecisionKind,
    reason: str,
    disbursement_id: str | None = None,
) -> imports.StatementImport:
    with store.unit_of_work() as uow:
        imported = load_import(uow, import_id)
        rec = _match(uow, imported, DEFAULT_WINDOW_DAYS)
        finding = next((f for f in rec.findings() if imports.position_of(f) == position), None)
        if finding is None:
            raise NotFound(
                Text(
                    "import {import_id} has nothing at '{position}'",
                    import_id=import_id,
                    position=position,
                ),
                field="position",
            )
        event = imports.propose(
            imported,
            new_id("dec"),
            finding=finding,
            position=position,
            kind=kind,
            reason=reason,
            disbursement_id=disbursement_id,
            sent={p.disbursement_id for p in sent_payments(uow, imported.programme_id)},
        )
        record(uow, actor.user_id, utc(now), [event])
        uow.commit()
        return load_import(uow, import_id)


def confirm_decision(
    store: Store, actor: Actor, now: dt.datetime, import_id: str, decision_id: str
) -> imports.StatementImport:
    with store.unit_of_work() as uow:
        event = imports.confirm(load_import(uow, import_id), decision_id, actor.user_id)
        record(uow, actor.user_id, utc(now), [event])
        uow.commit()
        return load_import(uow, import_id)


def apply_reconciliation(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    import_id: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = APPLY_CHUNK,
    read: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Record what the statement proves (paid, returned, failed, reversed) as ordinary
    disbursement events, `chunk` findings per transaction; how many events of each kind were
    recorded. Every chunk is first checked without writing, so that a refusal (four eyes: the
    actor requested or approved a payment it would confirm) writes nothing. What is recorded
    already is skipped: applying again records nothing more, and an apply that was
    interrupted goes on where it stopped. `progress` is called with (findings done, findings
    in all) after each chunk commits; `read` once every finding is held, before the first
    chunk is checked (a command that runs once freezes then what it holds, `gc.freeze`, so that
    the collector does not walk a million findings again at every collection)."""
    with store.reading() as uow:
        imported = load_import(uow, import_id)
        payments = sent_payments(uow, imported.programme_id, imported.provider)
        rec = _match(uow, imported, DEFAULT_WINDOW_DAYS, payments)
        sent = {p.disbursement_id: p for p in payments}
        findings = applying.settled(rec, imported.confirmed(), sent)
        del rec, sent, payments
        ids = {f.expected.disbursement_id for f, _ in findings if f.expected is not None}
        findings = applying.in_order(findings, uow.disbursements_in_order_made(ids))
    if read is not None:
        read()
    parts = [findings[start : start + chunk] for start in range(0, len(findings), chunk)]
    for part in parts:  # every refusal (four eyes...) before anything is written
        with store.reading() as uow:
            _events_of(uow, actor, now, import_id, part)
    recorded: dict[str, int] = {}
    for n, part in enumerate(parts, 1):
        for event in _apply_part(store, actor, now, import_id, part):
            recorded[type(event).__name__] = recorded.get(type(event).__name__, 0) + 1
        if progress is not None:
            progress(min(n * chunk, len(findings)), len(findings))
    return dict(sorted(recorded.items()))


def _apply_part(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    import_id: str,
    findings: list[tuple[Finding, imports.Decision | None]],
) -> list[ev.Event]:
    """Apply some findings in one transaction, from the payments as they are now (the import
    read first, so that an If-Match is checked in the transaction that writes)."""
    with store.unit_of_work() as uow:
        load_import(uow, import_id)
        events = _events_of(uow, actor, now, import_id, findings)
        if events:
            record(uow, actor.user_id, utc(now), events)
            uow.commit()
        return events


def _events_of(
    uow: UnitOfWork,
    actor: Actor,
    now: dt.datetime,
    import_id: str,
    findings: list[tuple[Finding, imports.Decision | None]],
) -> list[ev.Event]:
    ids = {f.expected.disbursement_id for f, _ in findings if f.expected is not None}

    return applying.apply_events(
        findings,
        uow.disbursements.get_many(ids),
        lambda d: paying_of(uow, d),
        actor=actor.user_id,
        import_id=import_id,
        today=utc(now).date(),
    )
