"""A programme's figures read straight from the ledger's balances, for the tests to compare
the financial report with: budget line accounts, and every package component's and community
project's remaining, pending and paid accounts."""

from __future__ import annotations

from reintegrate.grants.postings import component_code
from reintegrate.store.base import Snapshot

PARTS = ("remaining", "pending", "paid")


def item_accounts(snapshot: Snapshot, programme_id: str, part: str, line: str | None) -> set[str]:
    """The programme's `part` accounts of package components and community projects."""
    components = {
        component_code(p.package_id, c.component_id, part)
        for p in snapshot.packages.values()
        if p.programme_id == programme_id and line in (None, p.budget_line)
        for c in p.components
    }
    return components | {
        f"project:{p.project_id}:{part}"
        for p in snapshot.projects.values()
        if p.programme_id == programme_id and line in (None, p.budget_line)
    }


def ledger_totals(snapshot: Snapshot, programme_id: str, line: str | None = None) -> dict[str, int]:
    """Funds, available, committed, and remaining/pending/paid summed over item accounts."""
    balances = snapshot.balances
    lines = [line] if line is not None else list(snapshot.programmes[programme_id].budget_lines)
    available = sum(balances.get(f"budget:{programme_id}:{code}", 0) for code in lines)
    committed = sum(balances.get(f"budget:{programme_id}:{code}:committed", 0) for code in lines)
    parts = {
        part: sum(
            balances.get(code, 0) for code in item_accounts(snapshot, programme_id, part, line)
        )
        for part in PARTS
    }
    return {"funds": available + committed, "available": available, "committed": committed, **parts}
