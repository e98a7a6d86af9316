"""The README's reconciliation, from a batch to the financial report, redone through the
client (sync and async) instead of the command line, on the demo data: the demo's statement
holds one difference of each kind; applying it records 9 payments paid and 1 returned."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import msgspec

from api import schemas_reconciliation as sr
from reintegrate.client import Download, Upload
from reintegrate.demo.provider import provider_statement
from reintegrate.grants.disbursements import Channel
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from tests.client.conftest import Demo

MAPPING_FILE = Path(__file__).resolve().parents[2] / "examples" / "providers" / "mobile-money.toml"
MOBILE_MONEY_IN_EUR = sr.BatchCreate(provider=Channel.MOBILE_MONEY, currency="EUR")
AS_CSV = sr.ExportIn(format=sr.BatchFileFormat.CSV)
OUTCOMES = ["amount_differs", "duplicate_payment", "matched", "missing"]
"""The classes of the demo statement's findings (at least these)."""
RECORDED = {"DisbursementFailed": 1, "DisbursementPaid": 9}


def mapping() -> CsvMapping:
    return msgspec.toml.decode(MAPPING_FILE.read_bytes(), type=CsvMapping)


def statement_for(batch_file: Download) -> Upload:
    """What the demo provider sends back for the batch file: one difference of each kind."""
    content = provider_statement(batch_file.content, dt.datetime.now(dt.UTC).date())
    return Upload("statement.csv", content, "text/csv")


def test_the_readme_reconciliation_runs_through_the_client(demo_server: Demo) -> None:
    with demo_server.client("finance-dakar") as finance:
        treasurer = finance.as_user(demo_server.tokens["treasurer-dakar"])

        batch = finance.make_batch("eurp", MOBILE_MONEY_IN_EUR)
        assert (batch.count, batch.total.amount, batch.total.currency) == (12, "930.00", "EUR")
        batch_file = finance.export_batch(batch.batch_id, AS_CSV)
        assert batch_file.media_type == "text/csv"
        assert batch_file.filename is not None

        assert finance.save_mapping(mapping()).provider == "demo-mobile-money"
        imported = finance.import_statement(
            "eurp", statement_for(batch_file), saved_mapping="demo-mobile-money"
        )
        found = finance.get_reconciliation(imported.import_id)
        assert set(OUTCOMES) <= {finding.outcome for finding in found.findings}

        assert treasurer.apply_reconciliation(imported.import_id).recorded == RECORDED
        report = finance.financial_report_file("eurp", "csv")
        assert report.content.decode().startswith(("programme", "section"))
        assert finance.financial_report("eurp").agrees_with_ledger


def test_the_readme_reconciliation_runs_through_the_async_client(demo_server: Demo) -> None:
    async def reconcile() -> None:
        async with demo_server.async_client("finance-dakar") as finance, finance.http:
            treasurer = finance.as_user(demo_server.tokens["treasurer-dakar"])

            batch = await finance.make_batch("eurp", MOBILE_MONEY_IN_EUR)
            assert batch.count == 12
            batch_file = await finance.export_batch(batch.batch_id, AS_CSV)

            await finance.save_mapping(mapping())
            imported = await finance.import_statement(
                "eurp", statement_for(batch_file), saved_mapping="demo-mobile-money"
            )
            found = await finance.get_reconciliation(imported.import_id)
            assert set(OUTCOMES) <= {finding.outcome for finding in found.findings}

            applied = await treasurer.apply_reconciliation(imported.import_id)
            assert applied.recorded == RECORDED
            assert (await finance.financial_report("eurp")).agrees_with_ledger

    asyncio.run(reconcile())
