"""The auditor's verification report as the API answers it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import msgspec

from api.schemas import Out
from reintegrate.adapters.translation import in_language
from reintegrate.services.audit import AuditReport
from reintegrate.texts import Text


class ChainBreakView(Out, frozen=True, kw_only=True):
    seq: int
    """The first entry whose link does not hold (the chain is not followed past it)."""
    field: str
    """`seq` (a gap or a reordering), `prev_hash` (the link to the entry before), `hash` (the
    entry's own content) or `entry` (a row that cannot be read)."""
    expected: str
    found: str
    problem: str


class ReplayStopView(Out, frozen=True, kw_only=True):
    seq: int
    """The entry that could not be replayed; nothing from it on was replayed."""
    problem: str


class FieldDifferenceView(Out, frozen=True, kw_only=True):
    path: str
    """Where in the record (`status`, `components[0].paid`...); empty for the whole record."""
    stored: Any
    replayed: Any
    """Each side as JSON; for a whole record, null on the side where it is absent."""


class RecordDifferenceView(Out, frozen=True, kw_only=True):
    record: str
    """The collection: `packages`, `balances`, `cases`..."""
    key: str
    last_seq: int | None
    """The seq of the last journal entry that wrote this record on replay (null: none did)."""
    fields: list[FieldDifferenceView]
    more_fields: int


class ChangedPostingView(Out, frozen=True, kw_only=True):
    row: int | None
    """The posting's row id in the database."""
    seq: int
    """The journal entry whose transaction it belongs to."""
    account: str
    amount: int
    """As stored, in minor units of `currency`."""
    currency: str
    transaction_sum: int
    """What the transaction of `seq` sums to in `currency`: not 0."""
    problem: str


class AuditVerification(Out, frozen=True, kw_only=True):
    ok: bool
    """True when the chain is intact, replay reached the end, nothing differs and the ledger
    has no problem."""
    entries: int
    chain_break: ChainBreakView | None
    """The first broken link; null when the chain is intact."""
    replay_stopped: ReplayStopView | None
    differences: list[RecordDifferenceView]
    """Records where the stored state differs from the replayed journal, the one whose last
    event came earliest (the first divergence) first; at most 100."""
    differences_total: int
    ledger_problems: list[str]
    changed_postings: list[ChangedPostingView]
    """Stored postings whose transaction no longer sums to zero: changed in the database."""
    person_problems: list[str]
    note_problems: list[str]
    """Journaled free text that is missing or does not open, its owner's texts not erased."""


def verification_view(report: AuditReport, language: str) -> AuditVerification:
    """The report, its problems in `language` (what they name, seqs, paths and values, as
    they are)."""
    broken, stop = report.chain_break, report.replay_stopped

    def said(problems: Iterable[Text]) -> list[str]:
        return [in_language(p, language) for p in problems]

    return AuditVerification(
        ok=report.ok,
        entries=report.entries,
        chain_break=None
        if broken is None
        else ChainBreakView(
            seq=broken.seq,
            field=broken.field,
            expected=broken.expected,
            found=broken.found,
            problem=in_language(broken.problem, language),
        ),
        replay_stopped=None
        if stop is None
        else ReplayStopView(seq=stop.seq, problem=in_language(stop.problem, language)),
        differences=[
            RecordDifferenceView(
                record=d.record,
                key=d.key,
                last_seq=d.last_seq,
                fields=[
                    FieldDifferenceView(path=f.path, stored=f.stored, replayed=f.replayed)
                    for f in d.fields
                ],
                more_fields=d.more_fields,
            )
            for d in report.differences
        ],
        differences_total=report.differences_total,
        ledger_problems=said(report.ledger_problems),
        changed_postings=[
            ChangedPostingView(
                **msgspec.structs.asdict(p), problem=in_language(p.describe(), language)
            )
            for p in report.changed_postings
        ],
        person_problems=said(report.person_problems),
        note_problems=said(report.note_problems),
    )


class CheckpointView(Out, frozen=True, kw_only=True):
    """The journal's head as `reintegrate audit checkpoint` signed it last; keep a copy
    outside the database and check the journal against it (`audit verify --checkpoint`)."""

    seq: int
    hash: str
    at: dt.datetime
    signature: str
    """Ed25519, base64, over the canonical JSON of {"at", "hash", "seq"}."""
    public_key: str
    """Base64; trust it only if it is the key your organisation published."""
