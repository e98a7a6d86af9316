"""/webhook-subscriptions: partners follow their own office, admins any office or all; the
signing secret is shown once."""

from __future__ import annotations

import base64

from tests.api.conftest import DAKAR, LAGOS, World, call, problem_of

HOOK = {"url": "https://partner.example/hooks", "types": ["PackageApproved", "DisbursementPaid"]}


def test_a_partner_subscribes_to_its_own_office_and_gets_the_secret_once(world: World) -> None:
    made = call(world.client, "partner", "POST", "/webhook-subscriptions", HOOK)

    assert made.status_code == 201, made.text
    created = made.json()
    assert created["office"] == DAKAR
    assert created["types"] == ["DisbursementPaid", "PackageApproved"]
    assert created["secret"].startswith("whsec_")
    assert len(base64.b64decode(created["secret"].removeprefix("whsec_"))) == 32
    path = f"/webhook-subscriptions/{created['subscription_id']}"
    shown = call(world.client, "partner", "GET", path).json()
    assert "secret" not in shown
    listed = call(world.client, "partner", "GET", "/webhook-subscriptions").json()
    assert [s["subscription_id"] for s in listed["items"]] == [created["subscription_id"]]
    assert "secret" not in str(listed)


def test_a_partner_may_not_follow_another_office(world: World) -> None:
    response = call(
        world.client, "partner", "POST", "/webhook-subscriptions", {**HOOK, "office": LAGOS}
    )

    body = problem_of(response, 422, "validation-failed")
    assert body["field"] == "office"
    assert LAGOS in body["detail"]


def test_an_admin_may_follow_every_office(world: World) -> None:
    made = call(world.client, "admin", "POST", "/webhook-subscriptions", HOOK).json()

    assert made["office"] is None


def test_a_type_that_is_never_shown_cannot_be_followed(world: World) -> None:
    body = {**HOOK, "types": ["PersonRegistered"]}

    problem = problem_of(
        call(world.client, "partner", "POST", "/webhook-subscriptions", body),
        422,
        "validation-failed",
    )

    assert problem["field"] == "types"
    assert "PersonRegistered" in problem["detail"]


def test_a_url_that_is_not_http_is_refused_by_field(world: World) -> None:
    for url in ("ftp://partner.example/hooks", "https://user:pw@partner.example/hooks"):
        problem = problem_of(
            call(world.client, "partner", "POST", "/webhook-subscriptions", {**HOOK, "url": url}),
            422,
            "validation-failed",
        )

        assert problem["field"] == "url"


def test_a_partner_does_not_see_another_partners_subscriptions(world: World) -> None:
    call(world.client, "partner-lagos", "POST", "/webhook-subscriptions", HOOK)

    listed = call(world.client, "partner", "GET", "/webhook-subscriptions").json()
    everyone = call(world.client, "admin", "GET", "/webhook-subscriptions").json()

    assert listed["items"] == []
    assert [s["office"] for s in everyone["items"]] == [LAGOS]
