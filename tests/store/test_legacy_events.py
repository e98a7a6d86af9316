"""A journal written before milestones were one set of events for every grant still reads:
its business plans' and community projects' evidence and milestone events, kept as written
and chained as written, replay to the same plans and projects."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import msgspec

from api.views import entry_view
from reintegrate import demo
from reintegrate import events as ev
from reintegrate.events import legacy
from reintegrate.journal import StoredEntry, canonical_json, stored_hash
from reintegrate.services.audit import verify_audit
from reintegrate.store.queries import Queries
from reintegrate.store.sql import SqlStore

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def as_written_before(event: ev.Event) -> legacy.LegacyEvent | None:
    """The legacy event a journal written before recorded for `event`, if it is one."""
    if not isinstance(event, ev.MilestoneEvent):
        return None
    plan = event.grant is ev.GrantKind.BUSINESS_PLAN
    key: dict[str, object] = {"plan_id" if plan else "project_id": event.grant_id}
    fields: dict[str, object] = {
        k: v for k, v in msgspec.structs.asdict(event).items() if k not in {"grant", "grant_id"}
    }
    kinds: dict[type, tuple[type[legacy.LegacyEvent], type[legacy.LegacyEvent]]] = {
        ev.GrantEvidenceSubmitted: (legacy.EvidenceSubmitted, legacy.ProjectEvidenceSubmitted),
        ev.GrantMilestoneVerified: (legacy.MilestoneVerified, legacy.ProjectMilestoneVerified),
        ev.GrantMilestoneRejected: (legacy.MilestoneRejected, legacy.ProjectMilestoneRejected),
    }
    business, community = kinds[type(event)]
    return msgspec.convert(key | fields, type=business if plan else community)


def rewrite_as_before(path: Path) -> int:
    """Rewrite the journal as it was written before: each milestone event in its legacy
    form, and the chain recomputed from there on. The number of entries rewritten."""
    rewritten, prev_hash = 0, None
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT seq, at, actor, type, body, prev_hash FROM journal ORDER BY seq")
        for seq, at, actor, stored_type, stored_body, stored_prev in rows.fetchall():
            body, kind = stored_body, stored_type
            old = as_written_before(ev.decode_event(body))
            if old is not None:
                body, kind, rewritten = canonical_json(old), type(old).__name__, rewritten + 1
            prev = stored_prev if prev_hash is None else prev_hash
            entry = StoredEntry(
                seq=seq,
                at=dt.datetime.fromisoformat(at),
                actor=actor,
                event=msgspec.Raw(body),
                prev_hash=prev,
                hash="",
            )
            prev_hash = stored_hash(entry)
            db.execute(
                "UPDATE journal SET type = ?, body = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (kind, body, prev, prev_hash, seq),
            )
    return rewritten


def test_a_journal_of_legacy_milestone_events_replays_to_the_same_plans_and_projects(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite"
    store = SqlStore(f"sqlite:///{path}")
    store.create_all()
    demo.load_demo(store, 5, NOW)
    before = store.snapshot()
    store.engine.dispose()

    assert rewrite_as_before(path) > 20

    reopened = SqlStore(f"sqlite:///{path}")
    report = verify_audit(reopened)
    assert report.ok, report
    after = reopened.snapshot()
    assert after.plans == before.plans
    assert after.projects == before.projects
    shown = {entry_view(e).type for e in Queries(reopened.engine).journal(None, 100_000)}
    assert {"EvidenceSubmitted", "ProjectMilestoneVerified"} <= shown  # as written, as hashed
    assert not shown & {"GrantEvidenceSubmitted", "GrantMilestoneVerified"}


def test_each_legacy_event_reads_as_the_event_of_its_grant() -> None:
    old = legacy.ProjectMilestoneRejected(project_id="cp-1", milestone_id="m", reason="blurred")
    read = ev.decode_event(canonical_json(old))
    assert read == ev.GrantMilestoneRejected(
        grant=ev.GrantKind.COMMUNITY_PROJECT, grant_id="cp-1", milestone_id="m", reason="blurred"
    )
