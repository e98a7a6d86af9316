"""Bearer tokens and roles: deny by default, each route names the roles it allows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from anyio import to_thread
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.authentication import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
)

from api.problems import Denied, Unauthenticated
from reintegrate.access import Role
from reintegrate.services.page_links import link_caller
from reintegrate.services.users import Caller, authenticate
from reintegrate.store.api_records import ApiRecords
from reintegrate.texts import Text

PUBLIC_PATHS = ("/schema", "/health", "/dashboard-assets")
EVERY_ROLE = tuple(Role)
CASEWORK = (Role.ADMIN, Role.OFFICER, Role.PARTNER)
"""Register cases; draft and submit packages, plans and projects; submit evidence; record
visits (partners: for their own cases)."""
APPROVERS = (Role.ADMIN, Role.APPROVER)
"""Decide on packages, plans and projects: approve, reject, assess, activate, end."""
Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


class BearerTokens(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        link = connection.query_params.get("link")
        if not header and link and connection.scope.get("method") == "GET":
            return await self.linked(connection, link)
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated(Text("send 'Authorization: Bearer <token>'"))
        state = connection.app.state
        here: ApiRecords | None = state.loop_records  # see `api.app.loop_records`
        if here is not None:
            caller = authenticate(here, token.strip(), state.clock())
        else:
            caller = await to_thread.run_sync(
                authenticate,
                state.records,
                token.strip(),
                state.clock(),
                limiter=state.record_threads,
            )
        if caller is None:
            raise Unauthenticated(Text("the token is unknown, expired or revoked"))
        return AuthenticationResult(user=caller, auth=None)

    async def linked(
        self, connection: ASGIConnection[Any, Any, Any, Any], link: str
    ) -> AuthenticationResult:
        """A page opened in a browser with a link the API gave its user (see
        `reintegrate.services.page_links`): for that one path, until it expires."""
        state = connection.app.state
        caller = await to_thread.run_sync(
            link_caller,
            state.records,
            state.store.keyring,
            link,
            connection.scope["path"],
            state.clock(),
            limiter=state.record_threads,
        )
        if caller is None:
            raise Unauthenticated(
                Text("the link is not valid for this page, or it expired: ask for a new one")
            )
        return AuthenticationResult(user=caller, auth=None)


def allow(*roles: Role) -> Guard:
    """A guard that lets only `roles` through; its roles are readable for tests and docs."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        # async: Litestar runs a sync guard in a worker thread, a hop that cost more than the
        # check itself on every request
        caller: Caller = connection.user
        if caller.role not in roles:
            allowed = ", ".join(sorted(r.value for r in roles))
            raise Denied(
                Text(
                    "role {role} may not do this (allowed: {allowed})",
                    role=caller.role.value,
                    allowed=allowed,
                )
            )

    guard.roles = frozenset(roles)  # type: ignore[attr-defined]
    return guard


def roles_of(handler: BaseRouteHandler) -> frozenset[Role]:
    """The roles a route allows (empty when it has no `allow` guard: a defect)."""
    found: set[Role] = set()
    for guard in handler.guards or []:
        found |= getattr(guard, "roles", frozenset())
    return frozenset(found)
