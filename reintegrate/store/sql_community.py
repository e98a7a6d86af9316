"""Community projects and their counted shares in the SQL store (mixed into the unit of work)."""

from __future__ import annotations

import msgspec
from sqlalchemy import Table, select

from reintegrate.access import Scope
from reintegrate.community.projects import CommunityProject
from reintegrate.store import tables as t
from reintegrate.store.sql_business import RowPrimitives

PROJECTS: Table = t.CommunityProjectRow.__table__  # type: ignore[attr-defined]
SHARES: Table = t.CommunityShareRow.__table__  # type: ignore[attr-defined]
_ENCODER = msgspec.json.Encoder(order="sorted")


class CommunityRows(RowPrimitives):
    """What the SQL unit of work offers for community projects."""

    def project(self, project_id: str, scope: Scope) -> CommunityProject | None:
        found = self._one(PROJECTS, "project_id", project_id, CommunityProject)
        return found if found and scope.allows(found.office) else None

    def put_project(self, project: CommunityProject) -> None:
        before = self._one(PROJECTS, "project_id", project.project_id, CommunityProject)
        self._upsert(
            PROJECTS,
            ["project_id"],
            project_id=project.project_id,
            programme_id=project.programme_id,
            office=project.office,
            status=project.status.value,
            body=_ENCODER.encode(project),
        )
        self._keep(PROJECTS, project.project_id, project)
        if before is None or before.counted != project.counted:
            self.s.execute(SHARES.delete().where(SHARES.c.project_id == project.project_id))
            if project.counted:
                self.s.execute(
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

    def community_shares(self, case_id: str) -> list[tuple[str, str, int]]:
        """(project, member, amount) of every share of the case counted against its caps."""
        query = (
            select(SHARES.c.project_id, SHARES.c.member_id, SHARES.c.amount)
            .where(SHARES.c.case_id == case_id)
            .order_by(SHARES.c.project_id, SHARES.c.member_id)
        )
        return [(p, m, a) for p, m, a in self.s.execute(query).all()]
