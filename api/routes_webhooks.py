"/webhook-subscriptions: where to post the events a partner or an admin follows, signed."

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.params import JSONBody

from api.context import Cursor, IdempotencyKey, Limit, PathId, decode_cursor, encode_cursor, now
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS
from api.schemas_events import (
    WebhookSubscriptionCreate,
    WebhookSubscriptionCreated,
    WebhookSubscriptionPage,
    WebhookSubscriptionView,
)
from api.security import allow
from reintegrate.access import Role
from reintegrate.errors import NotFound
from reintegrate.services import webhooks
from reintegrate.services.users import Caller
from reintegrate.store.sql_webhooks import Subscription, WebhookRows
from reintegrate.texts import Text

SUBSCRIBERS = (Role.ADMIN, Role.PARTNER)
"""Who may subscribe: admins (any office, or every office) and partners (their own)."""


def _rows(request: Request[Any, Any, Any]) -> WebhookRows:
    found: WebhookRows = request.app.state.webhooks
    return found


def _view(found: Subscription) -> WebhookSubscriptionView:
    return WebhookSubscriptionView(**{**msgspec.structs.asdict(found), "types": list(found.types)})


class WebhookSubscriptionController(Controller):
    path = "/webhook-subscriptions"
    tags = ("webhooks",)

    @post(
        "/",
        guards=[allow(*SUBSCRIBERS)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def create_webhook_subscription(
        self,
        request: Request[Caller, Any, Any],
        data: JSONBody[WebhookSubscriptionCreate],
        idempotency_key: IdempotencyKey,
    ) -> Response[WebhookSubscriptionCreated]:
        """Post the events of `types` (none: every type shown) of an office to `url`, each a
        CloudEvent signed per Standard Webhooks. The answer holds the signing secret: it is
        shown this once."""
        caller = request.user
        made = webhooks.subscribe(
            _rows(request),
            caller.user_id,
            caller.role,
            caller.scope,
            now(request),
            url=data.url,
            types=data.types,
            office=data.office,
        )
        view = msgspec.structs.asdict(_view(made.subscription))
        return Response(WebhookSubscriptionCreated(**view, secret=made.secret), status_code=201)

    @get("/", guards=[allow(*SUBSCRIBERS)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_webhook_subscriptions(
        self, request: Request[Caller, Any, Any], cursor: Cursor, limit: Limit = 50
    ) -> WebhookSubscriptionPage:
        """The subscriptions of the caller's offices (every one for admins), by id."""
        found = _rows(request).page(request.user.scope, decode_cursor(cursor), limit + 1)
        page = found[:limit]
        more = len(found) > limit
        return WebhookSubscriptionPage(
            items=[_view(s) for s in page],
            next_cursor=encode_cursor(page[-1].subscription_id) if more else None,
        )

    @get(
        "/{subscription_id:str}",
        guards=[allow(*SUBSCRIBERS)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_webhook_subscription(
        self, request: Request[Caller, Any, Any], subscription_id: PathId
    ) -> WebhookSubscriptionView:
        """One subscription, without its secret."""
        found = _rows(request).get(subscription_id, request.user.scope)
        if found is None:
            raise NotFound(_no_subscription(subscription_id), field="subscription_id")
        return _view(found)

    @delete(
        "/{subscription_id:str}",
        guards=[allow(*SUBSCRIBERS)],
        sync_to_thread=True,
        status_code=200,
        responses=READ_PROBLEMS,
    )
    def delete_webhook_subscription(
        self, request: Request[Caller, Any, Any], subscription_id: PathId
    ) -> WebhookSubscriptionView:
        """Stop posting: the subscription and its deliveries not yet made are dropped; the
        answer is the subscription as it was."""
        gone = _rows(request).remove(subscription_id, request.user.scope)
        if gone is None:
            raise NotFound(_no_subscription(subscription_id), field="subscription_id")
        return _view(gone)


def _no_subscription(subscription_id: str) -> Text:
    return Text("no webhook subscription {subscription_id}", subscription_id=subscription_id)
