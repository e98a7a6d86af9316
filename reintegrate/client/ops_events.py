"""Following what changes: the event feed, and webhook subscriptions."""

from __future__ import annotations

from api import schemas_events as se
from reintegrate.client.calls import Call, delete, get, post
from reintegrate.client.operations import operation, paged

SUBSCRIPTION = "/webhook-subscriptions/{subscription_id}"


class EventOperations:
    @operation
    def follow_events(
        *,
        after: str | None = None,
        types: str | None = None,
        wait: int | None = None,
        limit: int | None = None,
    ) -> Call[se.EventPage]:
        """The events after the cursor `after` (none: from the start), oldest first;
        `types` a comma-separated list of event types; `wait` up to 30 s for the first event
        when none has come. The feed has no end: call again with `next_cursor`."""
        page = se.EventPage
        return get("/events", page, after=after, types=types, wait=wait, limit=limit)


class WebhookOperations:
    @operation
    def create_webhook_subscription(
        body: se.WebhookSubscriptionCreate,
    ) -> Call[se.WebhookSubscriptionCreated]:
        created = se.WebhookSubscriptionCreated
        return post("/webhook-subscriptions", created, body)

    @paged(se.WebhookSubscriptionView)
    def list_webhook_subscriptions(
        *, limit: int | None = None, cursor: str | None = None
    ) -> Call[se.WebhookSubscriptionPage]:
        page = se.WebhookSubscriptionPage
        return get("/webhook-subscriptions", page, limit=limit, cursor=cursor)

    @operation
    def get_webhook_subscription(subscription_id: str) -> Call[se.WebhookSubscriptionView]:
        view = se.WebhookSubscriptionView
        return get(SUBSCRIPTION, view, subscription_id=subscription_id)

    @operation
    def delete_webhook_subscription(subscription_id: str) -> Call[se.WebhookSubscriptionView]:
        view = se.WebhookSubscriptionView
        return delete(SUBSCRIPTION, view, subscription_id=subscription_id)
