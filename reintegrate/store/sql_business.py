"""Business plans and evidence files in the SQL store (mixed into the SQL unit of work)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Connection, Table, select

from reintegrate.store import tables as t
from reintegrate.store.fast_sql import FastStatements

T = TypeVar("T")
PLANS: Table = t.BusinessPlanRow.__table__  # type: ignore[attr-defined]
EVIDENCE_FILES: Table = t.EvidenceFileRow.__table__  # type: ignore[attr-defined]
_ENCODER = msgspec.json.Encoder(order="sorted")


class RowPrimitives:
    """What the SQL unit of work supplies to the mixins that keep projections in rows."""

    fast: FastStatements

    @property
    def s(self) -> Connection:
        raise NotImplementedError

    def read_row(self, table: Table, key: str, value: str, type_: type[T]) -> T | None:
        raise NotImplementedError

    def read_rows(
        self, table: Table, key: str, values: Collection[str], type_: type[T]
    ) -> dict[str, T]:
        raise NotImplementedError

    def bodies_of(
        self, table: Table, key: str, values: Collection[str]
    ) -> Iterator[tuple[str, Any]]:
        raise NotImplementedError

    def write_row(self, table: Table, keys: Sequence[str], **values: Any) -> None:
        raise NotImplementedError

    def update_row(self, table: Table, key: str, value: str, **changed: Any) -> None:
        raise NotImplementedError

    def kept_row(self, table: Table, value: str) -> tuple[bool, Any]:
        raise NotImplementedError

    def keep_row(self, table: Table, value: str, record: object) -> None:
        raise NotImplementedError


class BusinessRows(RowPrimitives):
    """What the SQL unit of work offers for business plans' evidence files."""

    def evidence_file_known(self, file_hash: str) -> bool:
        query = select(EVIDENCE_FILES.c.file_hash).where(EVIDENCE_FILES.c.file_hash == file_hash)
        return self.s.execute(query).first() is not None

    def put_evidence_file(self, file_hash: str, media_type: str, content: bytes) -> None:
        self.s.execute(
            EVIDENCE_FILES.insert().values(
                file_hash=file_hash, media_type=media_type, size=len(content), content=content
            )
        )
