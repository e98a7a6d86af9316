"""Community projects and their counted shares in the SQL store (mixed into the unit of work)."""

from __future__ import annotations

from sqlalchemy import Table, select

from reintegrate.community.projects import CommunityProject
from reintegrate.store import tables as t
from reintegrate.store.sql_business import RowPrimitives

PROJECTS: Table = t.CommunityProjectRow.__table__  # type: ignore[attr-defined]
SHARES: Table = t.CommunityShareRow.__table__  # type: ignore[attr-defined]


def keep_shares(
    uow: RowPrimitives, before: CommunityProject | None, project: CommunityProject
) -> None:
    """Keep the project's counted shares, by case, in step with the project."""
    if before is not None and before.counted == project.counted:
        return
    uow.s.execute(SHARES.delete().where(SHARES.c.project_id == project.project_id))
    if project.counted:
        uow.s.execute(
            SHARES.insert(),
            [
                {
                    "project_id": project.project_id,
                    "case_id": share.case_id,
                    "member_id": share.member_id,
                    "amount": share.amount,
                }
                for share in project.counted
            ],
        )


class CommunityRows(RowPrimitives):
    """What the SQL unit of work offers for community projects."""

    def community_shares(self, case_id: str) -> list[tuple[str, str, int]]:
        """(project, member, amount) of every share of the case counted against its caps."""
        query = (
            select(SHARES.c.project_id, SHARES.c.member_id, SHARES.c.amount)
            .where(SHARES.c.case_id == case_id)
            .order_by(SHARES.c.project_id, SHARES.c.member_id)
        )
        return [(p, m, a) for p, m, a in self.s.execute(query).all()]
