"""Read-side queries of community projects, on the reader engine (see `queries_scoped`)."""

from __future__ import annotations

from sqlalchemy import Engine

from reintegrate.access import Scope
from reintegrate.community.projects import CommunityProject
from reintegrate.store.queries_scoped import ScopedBodies
from reintegrate.store.sql_community import PROJECTS


class ProjectQueries:
    def __init__(self, engine: Engine) -> None:
        self._projects = ScopedBodies(engine, PROJECTS, "project_id", CommunityProject)

    def project(self, project_id: str, scope: Scope) -> CommunityProject | None:
        return self._projects.one(project_id, scope)

    def projects(self, scope: Scope, after: str | None, limit: int) -> list[CommunityProject]:
        return self._projects.page(scope, after, limit)
