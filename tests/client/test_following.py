"""Following what changes through the client: the feed from a cursor on, and webhook
subscriptions made, read, listed and dropped, against the demo server in process."""

from __future__ import annotations

import pytest

from api.schemas_events import WebhookSubscriptionCreate
from reintegrate.client import Client, NotFound
from tests.client import walkthrough as w
from tests.client.conftest import Demo


def end_of_feed(client: Client) -> str:
    """The cursor after the last event the client may see now."""
    cursor: str | None = None
    while True:
        page = client.follow_events(after=cursor, limit=500)
        if not page.items:
            return page.next_cursor
        cursor = page.next_cursor


def test_a_partner_follows_its_offices_case_registered_after_its_cursor(demo_server: Demo) -> None:
    with demo_server.client("partner-dakar") as partner:
        officer = partner.as_user(demo_server.tokens["officer-dakar"])
        cursor = end_of_feed(partner)
        parent = officer.register_person(w.person("Awa", 1990)).person_id
        child = officer.register_person(w.person("Binta", 2016)).person_id
        case = officer.register_case(w.household(parent, child)).case_id

        page = partner.follow_events(after=cursor, types="CaseRegistered", wait=1)

        assert [(e.type, e.subject) for e in page.items] == [("CaseRegistered", f"cases/{case}")]
        assert partner.follow_events(after=page.next_cursor).items == []


def test_a_partner_subscribes_reads_lists_and_drops_a_webhook(demo_server: Demo) -> None:
    with demo_server.client("partner-dakar") as partner:
        body = WebhookSubscriptionCreate(
            url="https://hooks.example.org/in", types=("CaseRegistered",)
        )
        made = partner.create_webhook_subscription(body)
        assert made.secret.startswith("whsec_")
        assert partner.get_webhook_subscription(made.subscription_id).url == body.url
        assert [s.subscription_id for s in partner.list_webhook_subscriptions.all()] == [
            made.subscription_id
        ]

        dropped = partner.delete_webhook_subscription(made.subscription_id)

        assert dropped.subscription_id == made.subscription_id
        with pytest.raises(NotFound):
            partner.get_webhook_subscription(made.subscription_id)
