"""Signed checkpoints of the journal's head, as kept in the database for `GET
/audit/checkpoint` (the copy that matters is the one kept elsewhere)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, Table, insert, select

from reintegrate.checkpoints import SignedCheckpoint
from reintegrate.store import tables as t

CHECKPOINTS: Table = t.CheckpointRow.__table__  # type: ignore[attr-defined]


class CheckpointRecords:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def keep(self, signed: SignedCheckpoint) -> None:
        row = {
            "seq": signed.seq,
            "hash": signed.hash,
            "at": signed.at.isoformat(),
            "signature": signed.signature,
            "public_key": signed.public_key,
        }
        with self.engine.begin() as conn:
            conn.execute(insert(CHECKPOINTS).values(**row))

    def latest(self) -> SignedCheckpoint | None:
        query = select(CHECKPOINTS).order_by(CHECKPOINTS.c.id.desc()).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return SignedCheckpoint(
            seq=row.seq,
            hash=row.hash,
            at=dt.datetime.fromisoformat(row.at),
            signature=row.signature,
            public_key=row.public_key,
        )
