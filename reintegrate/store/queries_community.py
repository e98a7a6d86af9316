"""Read-side queries of community projects, on the reader engine: one project as last
committed, and the projects of the caller's offices page by page (scoped by office in the SQL
itself)."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, select

from reintegrate.access import Scope
from reintegrate.community.projects import CommunityProject
from reintegrate.store.sql_community import PROJECTS
from reintegrate.store.sql_uow import decode

_PROJECT = select(PROJECTS.c.body).where(PROJECTS.c.project_id == bindparam("key"))


class ProjectQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def project(self, project_id: str, scope: Scope) -> CommunityProject | None:
        """A project as last committed, if `scope` may see it: for answers, never for a
        command's decisions (those read in their unit of work)."""
        with self.engine.connect() as conn:
            body: bytes | None = conn.execute(_PROJECT, {"key": project_id}).scalar_one_or_none()
        found = None if body is None else decode(body, CommunityProject)
        return found if found and scope.allows(found.office) else None

    def projects(self, scope: Scope, after: str | None, limit: int) -> list[CommunityProject]:
        """Up to `limit` projects of `scope` whose id comes after `after`, by id."""
        query = select(PROJECTS.c.body).order_by(PROJECTS.c.project_id).limit(limit)
        if scope.offices is not None:
            query = query.where(PROJECTS.c.office.in_(sorted(scope.offices)))
        if after is not None:
            query = query.where(PROJECTS.c.project_id > after)
        with self.engine.connect() as conn:
            return [decode(body, CommunityProject) for body in conn.execute(query).scalars()]
