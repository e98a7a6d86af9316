"""Payments awaiting their provider, for the demo: approved mobile-money payments in EUR of
the EU programme that no batch holds yet, and the demo provider's saved CSV column mapping
(examples/providers/mobile-money.toml), so that batching, exporting and reconciling can be
tried on the demo data. Built through the use cases, every step dated `now`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import msgspec

from reintegrate import events as ev
from reintegrate import kinds
from reintegrate.demo.business import APPROVER, OFFICER, PAYER, returnee_case
from reintegrate.grants.disbursements import Channel
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.services import packages as ps
from reintegrate.services.provider_mappings import save_provider_mapping
from reintegrate.store.base import Store
from reintegrate.texts import Text

AWAITING = 12
PROVIDER_MAPPING = Path(__file__).resolve().parents[2] / "examples/providers/mobile-money.toml"
"""The demo provider's CSV column mapping, saved for it (`demo-mobile-money`)."""


def load_awaiting_payments(store: Store, now: dt.datetime) -> Counter[Text]:
    """`AWAITING` households, each with one approved payment of 50.00 to 105.00 EUR."""
    for n in range(1, AWAITING + 1):
        case = returnee_case(store, f"case-pay-{n:02d}", now)
        amount = 5000 + 500 * (n % 12)
        spec = ev.ComponentSpec(
            component_id="start",
            member_id="p",
            form=kinds.Form.CASH,
            category=kinds.Category.OTHER,
            dimension=kinds.Dimension.ECONOMIC,
            amount=amount,
        )
        pkg = ps.draft_package(
            store, OFFICER, now, case_id=case.case_id, budget_line="individual", components=(spec,)
        )
        ps.submit_package(store, OFFICER, now, pkg.package_id)
        ps.approve_package(store, APPROVER, now, pkg.package_id)
        d = ps.request_disbursement(
            store,
            OFFICER,
            now,
            package_id=pkg.package_id,
            component_id="start",
            amount=amount,
            currency="EUR",
            channel=Channel.MOBILE_MONEY,
        )
        ps.approve_disbursement(store, PAYER, now, d.disbursement_id)
    mapping = msgspec.toml.decode(PROVIDER_MAPPING.read_bytes(), type=CsvMapping)
    save_provider_mapping(store, PAYER, now, mapping)
    return Counter({Text("payment approved, awaiting a batch"): AWAITING})
