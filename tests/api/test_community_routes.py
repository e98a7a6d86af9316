"""Community projects over HTTP: a market garden from its draft to its completion, the rules a
project must meet to be approved, four eyes, other offices, evidence the API refuses, and
the conventions (ETag, Idempotency-Key) on the project's steps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from api.schemas_tranches import EvidenceView
from tests.api.community import (
    OUTCOMES,
    PARTNER,
    PUMP_SUPPLIER,
    RELEASE,
    ProjectSteps,
    participants,
    project_body,
)
from tests.api.conftest import (
    DAKAR,
    LAGOS,
    World,
    call,
    case_body,
    created,
    eu_policy_json,
    problem_of,
    programme_body,
)
from tests.api.plans import FilePart, eur, pdf, png, upload


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith("application/json")
    found: dict[str, Any] = response.json()
    return found


def post(world: World, who: str, path: str, body: Any = None, **headers: str) -> httpx.Response:
    return call(world.client, who, "POST", path, body, headers=headers)


def project_of(world: World, project_id: str) -> dict[str, Any]:
    return ok(call(world.client, "auditor", "GET", f"/community-projects/{project_id}"))


def named(items: list[dict[str, Any]], key: str, value: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in items if i[key] == value)
    return found


def committed(world: World) -> dict[str, str]:
    programme = ok(call(world.client, "auditor", "GET", f"/programmes/{world.programme}"))
    line: dict[str, str] = programme["budget_lines"][0]["committed"]
    return line


def submitted(world: World, body: dict[str, Any], who: str = "officer") -> str:
    project_id = created(post(world, who, "/community-projects", body), "project_id")
    ok(post(world, who, f"/community-projects/{project_id}/submission"))
    return project_id


def steps(world: World) -> ProjectSteps:
    """The world's project steps (tests/api/community.py), each checked to succeed."""

    def succeeded(who: str, path: str, body: Any) -> dict[str, Any]:
        response = post(world, who, path, body)
        assert response.is_success, f"{path}: {response.status_code}: {response.text}"
        found: dict[str, Any] = response.json()
        return found

    return ProjectSteps(succeeded)


# The whole flow


def test_a_market_garden_is_paid_milestone_by_milestone_from_draft_to_completion(
    world: World,
) -> None:
    body = project_body((world.business_case, "a1"))
    project = ok(post(world, "partner", "/community-projects", body), 201)
    project_id, path = project["project_id"], f"/community-projects/{project['project_id']}"
    assert (project["status"], project["office"], project["envelope"]) == (
        "draft",
        DAKAR,
        eur("300.00"),
    )
    assert [c["supplier"] for c in project["components"]] == [None, PUMP_SUPPLIER]
    assert [t["amount"] for t in project["tranches"]] == [eur("60.00"), eur("60.00"), eur("180.00")]
    tag = call(world.client, "officer", "GET", path).headers["etag"]
    ok(post(world, "officer", f"{path}/submission", **{"If-Match": tag}))
    before = Decimal(committed(world)["amount"])
    approved = ok(post(world, "approver", f"{path}/approval"))
    assert approved["counted"] == [
        {"case_id": world.business_case, "member_id": "a1", "amount": eur("75.00")}
    ]
    assert Decimal(committed(world)["amount"]) == before + 300

    step = steps(world)
    step.verified(project_id, "cleared", upload("photo", png("flow-cleared")))
    payment = step.released(project_id, "c1")
    assert (step.answer["pending"], step.answer["remaining"]) == (eur("60.00"), eur("240.00"))
    step.settled(payment)
    receipt = upload("receipt", pdf("flow-seeds"), "120.00")
    step.verified(project_id, "planted", receipt, upload("monitoring_report", pdf("flow-plant")))
    step.paid(project_id, "c2")
    step.verified(project_id, "pumping", upload("photo", png("flow-pump")))
    step.paid(project_id, "k1")
    shown = ok(call(world.client, "officer", "GET", path))
    assert [(p["tranche_id"], p["payee"], p["status"]) for p in shown["payments"]] == [
        ("c1", PARTNER, "paid"),
        ("c2", PARTNER, "paid"),
        ("k1", PUMP_SUPPLIER, "paid"),
    ]
    reported = ok(post(world, "partner", f"{path}/milestones/pumping/outcomes", OUTCOMES), 201)
    assert reported["outcomes"][0]["reported_by"] == "partner"
    assert (reported["paid"], reported["pending"], reported["remaining"]) == (
        eur("300.00"),
        eur("0.00"),
        eur("0.00"),
    )

    done = ok(post(world, "approver", f"{path}/completion"))
    assert (done["status"], done["ended_on"]) == ("completed", "2025-06-02")
    assert done["counted"][0]["amount"] == eur("75.00")  # everything was paid
    listed = ok(call(world.client, "officer", "GET", "/community-projects?limit=100"))
    assert project_id in [p["project_id"] for p in listed["items"]]


def test_a_project_shows_people_by_ids_and_counts_only(world: World) -> None:
    shown = project_of(world, world.active_project)
    assert shown["participants"] == {
        "returnees": [{"case_id": world.business_case, "member_id": "p"}],
        "members": [],
        "counts": [
            {"sex": "female", "age_band": "18-35", "count": 2},
            {"sex": "male", "age_band": "18-35", "count": 1},
        ],
        "community_members": 3,
        "total": 4,
    }
    evidence = named(shown["milestones"], "milestone_id", "planted")["evidence"]
    assert all(set(e) == set(EvidenceView.__struct_fields__) for e in evidence)
    assert all(len(e["file_hash"]) == 64 for e in evidence)
    assert "person-" not in str(shown)  # the members' person references


def test_projects_page_by_id_within_the_callers_offices(world: World) -> None:
    seen, cursor = [], None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = ok(call(world.client, "officer", "GET", f"/community-projects{query}"))
        seen += [p["project_id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == 5  # the world's projects: one per state a route starts from
    assert ok(call(world.client, "officer-lagos", "GET", "/community-projects"))["items"] == []


# What a project must be to be approved


def test_a_project_with_too_few_community_members_is_refused_naming_the_limit(
    world: World,
) -> None:
    body = project_body((world.business_case, "a1"), (world.business_case, "a2"), community=1)
    project_id = submitted(world, body)
    path = f"/community-projects/{project_id}"
    before = world.journal_length()
    problem = problem_of(post(world, "approver", f"{path}/approval"), 422, "participation-too-low")
    assert problem["field"] == "participants"
    assert (problem["limit"], problem["size"], problem["used"], problem["requested"]) == (
        "minimum share of community members",
        "0.5",
        "1",
        "3",
    )
    assert world.journal_length() == before
    assert project_of(world, project_id)["status"] == "submitted"


def test_an_envelope_worth_more_than_the_policy_allows_per_participant_is_refused(
    world: World,
) -> None:
    body = project_body((world.business_case, "a1"), pump="1580.00")  # 1,700.00 for 4 people
    path = f"/community-projects/{submitted(world, body)}"
    problem = problem_of(
        post(world, "approver", f"{path}/approval"), 422, "value-per-participant-exceeded"
    )
    assert (problem["size"], problem["requested"], problem["currency"]) == (
        "1600.00",
        "1700.00",
        "EUR",
    )


def test_a_rejected_project_keeps_its_reason_and_draws_nothing(world: World) -> None:
    before = committed(world)
    path = f"/community-projects/{world.submitted_project}/rejection"
    shown = ok(post(world, "admin", path, {"reason": "no land title for the plot"}))
    assert (shown["status"], shown["rejection_reason"]) == (
        "rejected",
        "no land title for the plot",
    )
    assert committed(world) == before


def test_a_programme_whose_policy_has_no_community_rules_funds_no_project(world: World) -> None:
    ok(post(world, "admin", "/programmes", programme_body("nocbp")), 201)
    policy = eu_policy_json(programme="nocbp", community=None)
    ok(post(world, "admin", "/programmes/nocbp/policies", policy), 201)
    case = case_body(world.client, DAKAR, dependants=0) | {"programme_id": "nocbp"}
    case_id = created(call(world.client, "officer", "POST", "/cases", case), "case_id")
    response = post(world, "officer", "/community-projects", project_body((case_id, "p")))
    assert problem_of(response, 422, "no-community-rules")["field"] == "programme_id"


def test_a_community_is_named_by_an_area_of_its_country(world: World) -> None:
    body = project_body((world.business_case, "a1"))
    body["community"]["area"] = "NE-8"
    response = post(world, "officer", "/community-projects", body)
    assert problem_of(response, 422, "validation-failed")["field"] == "community.area"


# Participants


def test_a_new_returnee_takes_an_equal_share_and_the_others_shares_shrink(world: World) -> None:
    path = f"/community-projects/{world.approved_project}/participants"
    who = participants((world.business_case, "p"), (world.business_case, "a2"), community=3)
    shown = ok(post(world, "officer", path, who))
    assert shown["participants"]["total"] == 5
    assert [(s["member_id"], s["amount"]) for s in shown["counted"]] == [
        ("a2", eur("60.00")),
        ("p", eur("60.00")),
    ]


def test_a_running_project_cannot_lose_its_community(world: World) -> None:
    path = f"/community-projects/{world.approved_project}/participants"
    who = participants((world.business_case, "p"), (world.business_case, "a2"), community=1)
    problem_of(post(world, "officer", path, who), 422, "participation-too-low")


def test_community_members_are_recorded_as_the_policy_asks(world: World) -> None:
    path = f"/community-projects/{world.draft_project}/participants"
    who = participants((world.business_case, "p")) | {"members": ["cm-001", "cm-002"]}
    problem = problem_of(post(world, "officer", path, who), 422, "validation-failed")
    assert problem["field"] == "participants.members"


# Four eyes, roles and offices


def test_whoever_drafted_and_submitted_a_project_cannot_approve_it(world: World) -> None:
    project_id = submitted(world, project_body((world.business_case, "a1")), who="admin")
    path = f"/community-projects/{project_id}"
    problem_of(post(world, "admin", f"{path}/approval"), 403, "four-eyes")
    problem_of(post(world, "officer", f"{path}/approval"), 403, "forbidden")


def test_who_submitted_the_evidence_cannot_verify_the_milestone(world: World) -> None:
    path = f"/community-projects/{world.active_project}/milestones/planted/verification"
    problem_of(post(world, "officer", path), 403, "four-eyes")


def test_whoever_released_a_payment_cannot_approve_it(world: World) -> None:
    path = f"/community-projects/{world.approved_project}"
    payment = ok(post(world, "admin", f"{path}/tranches/c1/release", RELEASE))["payments"][0]
    route = f"/disbursements/{payment['payment_id']}/approval"
    problem_of(post(world, "admin", route), 403, "four-eyes")


def test_a_tranche_is_paid_into_a_bank_account_that_is_checked_and_never_shown(
    world: World,
) -> None:
    path = f"/community-projects/{world.approved_project}/tranches/c1/release"
    wrong = {"payout": {"iban": "FR7630006000011234567890180"}}
    assert problem_of(post(world, "finance", path, wrong), 422, "validation-failed")["field"] == (
        "payout.iban"
    )
    payment = ok(post(world, "finance", path, RELEASE))["payments"][0]["payment_id"]
    shown = call(world.client, "finance", "GET", f"/disbursements/{payment}")
    assert shown.json()["project_id"] == world.approved_project
    assert "FR76" not in shown.text
    elsewhere = call(world.client, "finance-lagos", "GET", f"/disbursements/{payment}")
    problem_of(elsewhere, 404, "not-found")
    listed = call(world.client, "finance-lagos", "GET", "/disbursements?limit=100")
    assert listed.status_code == 200, listed.text
    assert payment not in {d["disbursement_id"] for d in listed.json()["items"]}
    mine = call(world.client, "finance", "GET", "/disbursements?limit=100").json()["items"]
    assert payment in {d["disbursement_id"] for d in mine}


def test_another_offices_project_is_not_found_and_its_returnees_not_drafted(world: World) -> None:
    path = f"/community-projects/{world.approved_project}"
    body = case_body(world.client, LAGOS, dependants=0, country="NG")
    before = world.journal_length()
    problem_of(call(world.client, "officer-lagos", "GET", path), 404, "not-found")
    problem_of(post(world, "approver-lagos", f"{path}/abandonment"), 404, "not-found")
    lagos = created(call(world.client, "officer-lagos", "POST", "/cases", body), "case_id")
    problem_of(
        post(world, "officer", "/community-projects", project_body((lagos, "p"))), 404, "not-found"
    )
    assert world.journal_length() == before + 1  # the lagos case only


# Milestones, tranches, payments and the end


def test_a_tranche_waits_for_its_milestone_to_be_verified(world: World) -> None:
    path = f"/community-projects/{world.approved_project}/tranches/c2/release"
    problem = problem_of(post(world, "finance", path, RELEASE), 409, "milestone-not-verified")
    assert problem["field"] == "milestone_id"


def test_rejected_evidence_must_be_submitted_again(world: World) -> None:
    path = f"/community-projects/{world.active_project}/milestones/planted"
    shown = ok(post(world, "approver", f"{path}/rejection", {"reason": "the receipt is blurred"}))
    evidence = named(shown["milestones"], "milestone_id", "planted")["evidence"]
    assert {(e["status"], e["reason"]) for e in evidence} == {
        ("rejected", "the receipt is blurred")
    }
    problem_of(post(world, "approver", f"{path}/verification"), 422, "validation-failed")


def test_a_failed_payment_puts_its_tranche_back_to_be_released_again(world: World) -> None:
    path = f"/community-projects/{world.active_project}"
    route = f"/disbursements/{world.pending_payment}/failure"
    ok(post(world, "finance", route, {"reason": "the account is closed"}))
    failed = ok(call(world.client, "finance", "GET", path))
    assert named(failed["tranches"], "tranche_id", "c1")["released"] is False
    assert (failed["pending"], failed["remaining"]) == (eur("0.00"), eur("300.00"))
    again = post(world, "finance", f"/disbursements/{world.pending_payment}/confirmation", {})
    problem_of(again, 409, "invalid-transition")
    released = ok(post(world, "finance", f"{path}/tranches/c1/release", RELEASE))
    assert [p["status"] for p in released["payments"]] == ["failed", "pending"]


def test_outcomes_reach_no_more_people_than_take_part(world: World) -> None:
    path = f"/community-projects/{world.approved_project}/milestones/cleared/outcomes"
    response = post(world, "officer", path, OUTCOMES | {"returnees_reached": 2})
    assert problem_of(response, 422, "validation-failed")["field"] == "returnees_reached"


def test_an_abandoned_project_gives_back_what_was_never_paid(world: World) -> None:
    before = committed(world)
    shown = ok(post(world, "approver", f"/community-projects/{world.approved_project}/abandonment"))
    assert (shown["status"], shown["counted"], shown["paid"]) == ("abandoned", [], eur("0.00"))
    assert Decimal(committed(world)["amount"]) == Decimal(before["amount"]) - 300


def test_a_project_with_a_payment_in_flight_cannot_end(world: World) -> None:
    path = f"/community-projects/{world.active_project}/abandonment"
    assert problem_of(post(world, "approver", path), 409, "invalid-transition")["field"] == (
        "payments"
    )


def test_an_unknown_milestone_or_tranche_is_not_found(world: World) -> None:
    base = f"/community-projects/{world.active_project}"
    for who, path, body in (
        ("approver", f"{base}/milestones/harvest/verification", None),
        ("finance", f"{base}/tranches/t9/release", RELEASE),
    ):
        problem = problem_of(post(world, who, path, body), 404, "not-found")
        assert problem["field"] in {"milestone_id", "tranche_id"}


# Evidence the API refuses, and the conventions


def test_evidence_that_is_not_a_pdf_jpeg_or_png_is_refused_and_nothing_is_kept(
    world: World,
) -> None:
    before, length = project_of(world, world.approved_project), world.journal_length()
    path = f"/community-projects/{world.approved_project}/milestones/planted/evidence"
    text = upload("monitoring_report", FilePart(b"the plot is green", "text/plain"))
    problem_of(post(world, "officer", path, text), 415, "evidence-type-unsupported")
    assert project_of(world, world.approved_project)["version"] == before["version"]
    assert world.journal_length() == length


def test_a_step_with_a_stale_etag_changes_nothing(world: World) -> None:
    path = f"/community-projects/{world.draft_project}"
    stale = call(world.client, "officer", "GET", path).headers["etag"]
    ok(post(world, "officer", f"{path}/submission", **{"If-Match": stale}))
    before = world.journal_length()
    response = post(
        world,
        "officer",
        f"{path}/participants",
        participants((world.business_case, "p")),
        **{"If-Match": stale},
    )
    assert problem_of(response, 412, "precondition-failed")["field"] == "If-Match"
    assert world.journal_length() == before


def test_a_draft_retried_with_the_same_key_is_drafted_once(world: World) -> None:
    body = project_body((world.business_case, "a1"))
    first = call(world.client, "officer", "POST", "/community-projects", body, key="garden-1")
    length = world.journal_length()
    again = call(world.client, "officer", "POST", "/community-projects", body, key="garden-1")
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]
    assert world.journal_length() == length


def test_a_returnees_entitlement_shows_individual_and_community_shares_side_by_side(
    world: World,
) -> None:
    shown = ok(call(world.client, "officer", "GET", f"/cases/{world.business_case}/entitlement"))
    counted = shown["community_shares"]
    assert counted, "the world's running projects count shares against this household's caps"
    assert {s["project_id"] for s in counted} >= {world.approved_project, world.active_project}
    household = next(c for c in shown["caps"] if "household" in c["limit"])
    community = sum(Decimal(s["amount"]["amount"]) for s in counted)
    assert Decimal(household["community"]["amount"]) == community
    assert Decimal(household["individual"]["amount"]) + community == Decimal(
        household["used"]["amount"]
    )
    cash = next(c for c in shown["caps"] if "cash ceiling" in c["limit"])
    assert cash["community"]["amount"] == "0.00"
