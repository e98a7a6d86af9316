"""Applying a provider's statement, whatever the provider did with each payment: every
payment ends where the statement puts it, applying twice or importing the same file twice
changes nothing, and replaying the journal rebuilds exactly the state applying left."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reintegrate.grants.disbursements import Channel, DisbursementStatus
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.reconcile.statements.imports import StatementAlreadyImported
from reintegrate.services import reconciliation as rs
from reintegrate.services.audit import verify_audit
from reintegrate.services.context import Actor
from reintegrate.store.memory import MemoryStore
from tests import builders as b

FATES = ("paid", "short", "returned", "twice", "absent")
EXPECTED = {
    "paid": DisbursementStatus.PAID,
    "short": DisbursementStatus.APPROVED,
    "returned": DisbursementStatus.RETURNED,
    "twice": DisbursementStatus.PAID,
    "absent": DisbursementStatus.APPROVED,
}
MAPPING = CsvMapping(
    date="d", reference="r", amount="a", currency="c", status="s", account_currency="EUR"
)
CLERK, CONTROLLER = Actor("clerk"), Actor("controller")


def world(amounts: list[int]) -> tuple[MemoryStore, dict[str, int]]:
    """Approved mobile-money payments of `amounts` cents, batched and exported."""
    store = MemoryStore()
    b.programme(store)
    b.register(store, b.household("case-a", dependants=0))
    b.approved_package(store, "case-a", b.cash("c1", 61500), package_id="pkg-1")
    for amount in amounts:
        b.approved_disbursement(store, "pkg-1", "c1", amount)
    batch = rs.make_batch(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        provider=Channel.MOBILE_MONEY,
        currency="EUR",
        batch_id="bat-1",
    )
    rs.export_batch(store, CLERK, b.SOON, "bat-1", fmt="csv")
    return store, {i.disbursement_id: i.amount for i in batch.items}


def statement(sent: dict[str, int], fates: list[str], strays: list[int]) -> bytes:
    rows = ["d,r,a,c,s"]
    for (ref, amount), fate in zip(sorted(sent.items()), fates, strict=False):
        value = (Decimal(amount) / 100).quantize(Decimal("0.01"))
        if fate == "absent":
            continue
        paid = value - Decimal("0.01") if fate == "short" else value
        rows.append(f"2024-03-12,{ref},-{paid},EUR,booked")
        if fate == "returned":
            rows.append(f"2024-03-13,{ref},{value},EUR,returned")
        if fate == "twice":
            rows.append(f"2024-03-13,{ref},-{value},EUR,booked")
    rows += [f"2024-03-12,,-{Decimal(s) / 100:.2f},EUR,booked" for s in strays]
    return ("\n".join(rows) + "\n").encode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amounts=st.lists(st.integers(100, 12000), min_size=1, max_size=6),
    fates=st.lists(st.sampled_from(FATES), min_size=6, max_size=6),
    strays=st.lists(st.integers(13000, 20000), max_size=2),
)
def test_applying_a_statement_puts_every_payment_where_it_says_and_replays_to_the_same_state(
    amounts: list[int], fates: list[str], strays: list[int]
) -> None:
    store, sent = world(amounts)
    content = statement(sent, fates, strays)
    imported = rs.import_statement(
        store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=content, mapping=MAPPING
    )
    rs.apply_reconciliation(store, CONTROLLER, b.SOON, imported.import_id)
    after = store.snapshot()
    statuses = {i: d.status for i, d in after.disbursements.items()}
    for ref, fate in zip(sorted(sent), fates, strict=False):
        assert statuses[ref] is EXPECTED[fate], (ref, fate)
    assert rs.apply_reconciliation(store, CONTROLLER, b.SOON, imported.import_id) == {}
    try:
        rs.import_statement(
            store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=content, mapping=MAPPING
        )
    except StatementAlreadyImported:
        pass
    else:
        raise AssertionError("the same file was imported twice")
    assert store.snapshot() == after
    assert verify_audit(store).ok
