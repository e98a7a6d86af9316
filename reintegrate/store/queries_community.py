"""Read-side queries of community projects, on the reader engine (see `queries_scoped`)."""

from __future__ import annotations

from sqlalchemy import Engine

from reintegrate.community.projects import CommunityProject
from reintegrate.store.queries_scoped import ScopedBodies
from reintegrate.store.sql_community import PROJECTS


class ProjectQueries:
    """The projects as last committed: `get` one, or `page` through them."""

    def __init__(self, engine: Engine) -> None:
        self.projects = ScopedBodies(engine, PROJECTS, "project_id", CommunityProject)
