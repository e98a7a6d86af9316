"""Business plans over HTTP: a group business from its draft to its last tranche, evidence
uploads the API refuses (and keeps nothing of), and the refusals of the plan's steps."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reintegrate.tranches.evidence import MAX_BYTES
from tests.api.conftest import (
    DAKAR,
    LAGOS,
    PROGRAMME,
    World,
    call,
    case_body,
    created,
    eu_policy_json,
    problem_of,
    programme_body,
)
from tests.api.plans import (
    RELEASE,
    SCORES,
    FilePart,
    assessment,
    eur,
    pdf,
    plan_body,
    png,
    upload,
)


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith("application/json")
    found: dict[str, Any] = response.json()
    return found


def post(world: World, who: str, path: str, body: Any = None, **headers: str) -> httpx.Response:
    return call(world.client, who, "POST", path, body, headers=headers)


def plan_of(world: World, plan_id: str) -> dict[str, Any]:
    return ok(call(world.client, "auditor", "GET", f"/business-plans/{plan_id}"))


def milestone(plan: dict[str, Any], milestone_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in plan["milestones"] if m["milestone_id"] == milestone_id)
    return found


def tranche(plan: dict[str, Any], tranche_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in plan["tranches"] if t["tranche_id"] == tranche_id)
    return found


def pay(world: World, disbursement_id: str) -> None:
    """Approve and confirm a tranche's disbursement (requested by whoever released it)."""
    path = f"/disbursements/{disbursement_id}"
    assert ok(post(world, "approver", f"{path}/approval"))["status"] == "approved"
    confirmed = post(world, "admin", f"{path}/confirmation", {"provider_ref": "bank-77"})
    assert ok(confirmed)["status"] == "paid"


def register(world: World, office: str = DAKAR) -> str:
    user = "officer" if office == DAKAR else "officer-lagos"
    body = case_body(world.client, office, dependants=0, country="SN" if office == DAKAR else "NG")
    return created(call(world.client, user, "POST", "/cases", body), "case_id")


# The whole flow


def test_a_group_business_is_paid_tranche_by_tranche_from_draft_to_completion(
    world: World,
) -> None:
    first, second = register(world), register(world)
    body = plan_body((first, "p", 2), (second, "p", 1), amount="1200.00")
    plan = ok(post(world, "officer", "/business-plans", body), 201)
    plan_id = plan["plan_id"]
    assert plan["status"] == "draft"
    assert plan["components"] == [
        {
            "component_id": "kind-1",
            "form": "in_kind",
            "amount": eur("1200.00"),
            "supplier": "dakar-tools-sarl",
        }
    ]
    assert [o["shares"][0]["allotted"] for o in plan["owners"]] == [eur("800.00"), eur("400.00")]
    assert [t["amount"] for t in plan["tranches"]] == [eur("720.00"), eur("480.00")]

    path = f"/business-plans/{plan_id}"
    tag = call(world.client, "partner", "GET", path).headers["etag"]
    submitted = ok(post(world, "officer", f"{path}/submission", **{"If-Match": tag}))
    assert [o["package_id"] for o in submitted["owners"]] == [f"{plan_id}-1", f"{plan_id}-2"]
    assessed = ok(post(world, "approver", f"{path}/assessment", assessment()))
    assert assessed["assessment"]["weighted"] == "3.60"
    assert assessed["assessment"]["passed"] is True
    assert [s["criterion"] for s in assessed["assessment"]["scores"]] == list(SCORES)
    assert ok(post(world, "approver", f"{path}/approval"))["approved_by"] == "approver"
    assert ok(post(world, "admin", f"{path}/activation"))["status"] == "active"

    evidence = upload("registration_certificate", pdf("flow-registration"))
    shown = ok(post(world, "partner", f"{path}/milestones/registered/evidence", evidence), 201)
    (kept,) = milestone(shown, "registered")["evidence"]
    assert kept["status"] == "pending"
    assert kept["submitted_by"] == "partner"
    assert (kept["media_type"], kept["size"]) == ("application/pdf", len(evidence["file"].content))
    assert len(kept["file_hash"]) == 64
    verified = ok(post(world, "approver", f"{path}/milestones/registered/verification"))
    assert milestone(verified, "registered")["verified_by"] == "approver"

    first_tranche = tranche(
        ok(post(world, "finance", f"{path}/tranches/t1/release", RELEASE)), "t1"
    )
    assert [p["amount"] for p in first_tranche["parts"]] == [eur("480.00"), eur("240.00")]
    for part in first_tranche["parts"]:
        d = ok(call(world.client, "officer", "GET", f"/disbursements/{part['disbursement_id']}"))
        assert (d["status"], d["amount"], d["package_id"]) == (
            "requested",
            part["amount"],
            part["package_id"],
        )
        pay(world, part["disbursement_id"])

    report = upload("monitoring_report", png("flow-visit"))
    receipt = upload("receipt", pdf("flow-receipt"), "600.00")
    ok(post(world, "officer", f"{path}/milestones/equipped/evidence", report), 201)
    ok(post(world, "officer", f"{path}/milestones/equipped/evidence", receipt), 201)
    ok(post(world, "approver", f"{path}/milestones/equipped/verification"))
    last = ok(post(world, "officer", f"{path}/tranches/t2/release", RELEASE))
    assert [p["amount"] for p in tranche(last, "t2")["parts"]] == [eur("320.00"), eur("160.00")]
    assert [o["shares"][0]["still_owed"] for o in last["owners"]] == [eur("0.00"), eur("0.00")]
    for part in tranche(last, "t2")["parts"]:
        pay(world, part["disbursement_id"])

    done = ok(post(world, "approver", f"{path}/completion"))
    assert done["status"] == "completed"
    for n in (1, 2):
        package = ok(call(world.client, "auditor", "GET", f"/packages/{plan_id}-{n}"))
        assert package["status"] == "closed"
    listed = ok(call(world.client, "officer", "GET", "/business-plans?limit=100"))["items"]
    assert plan_id in [p["plan_id"] for p in listed]


# Evidence the API refuses


BAD_UPLOADS = {
    "over the evidence file limit (5 MiB)": (
        upload("photo", FilePart(b"%PDF-" + b"x" * MAX_BYTES, "application/pdf")),
        413,
        "evidence-too-large",
    ),
    "over the upload's body limit (5 MiB + 64 KiB)": (
        upload("photo", FilePart(b"%PDF-" + b"x" * (MAX_BYTES + 70_000), "application/pdf")),
        413,
        "request-too-large",
    ),
    "text": (
        upload("photo", FilePart(b"a receipt, typed", "text/plain")),
        415,
        "evidence-type-unsupported",
    ),
    "a PNG declared as a PDF": (
        upload("photo", FilePart(png("disguised").content, "application/pdf")),
        415,
        "evidence-type-unsupported",
    ),
    "without a media type": (
        upload("photo", FilePart(b"%PDF-1.7", "application/octet-stream")),
        415,
        "evidence-type-unsupported",
    ),
    "empty": (upload("photo", FilePart(b"", "application/pdf")), 422, "evidence-empty"),
    "a file already submitted": (
        upload("photo", pdf("active-receipt")),  # the active plan's receipt, byte for byte
        409,
        "evidence-duplicate",
    ),
    "a receipt without its amount": (
        upload("receipt", pdf("no-amount")),
        422,
        "validation-failed",
    ),
    "an amount without its currency": (
        {"kind": "receipt", "file": pdf("no-currency"), "amount": "12.00"},
        400,
        "request-invalid",
    ),
    "a JSON body": ({"kind": "photo", "file": "%PDF-1.7"}, 400, "request-invalid"),
}


@pytest.mark.parametrize(("body", "status", "type_"), BAD_UPLOADS.values(), ids=BAD_UPLOADS)
def test_bad_evidence_is_refused_and_nothing_is_kept(
    world: World, body: dict[str, Any], status: int, type_: str
) -> None:
    before, length = plan_of(world, world.active_plan), world.journal_length()
    path = f"/business-plans/{world.active_plan}/milestones/equipped/evidence"
    problem_of(post(world, "officer", path, body), status, type_)
    after = plan_of(world, world.active_plan)
    assert after["version"] == before["version"]
    assert milestone(after, "equipped")["evidence"] == milestone(before, "equipped")["evidence"]
    assert world.journal_length() == length


def test_a_file_refused_as_a_duplicate_names_its_hash(world: World) -> None:
    path = f"/business-plans/{world.active_plan}/milestones/equipped/evidence"
    response = post(world, "officer", path, upload("photo", pdf("active-reg")))
    assert "sha256" in problem_of(response, 409, "evidence-duplicate")["detail"]


# Refusals of the plan's steps


def test_a_tranche_waits_for_its_milestone_to_be_verified(world: World) -> None:
    path = f"/business-plans/{world.active_plan}/tranches/t2/release"
    problem = problem_of(post(world, "finance", path, RELEASE), 409, "milestone-not-verified")
    assert problem["field"] == "milestone_id"


def test_who_submitted_the_evidence_cannot_verify_the_milestone(world: World) -> None:
    path = f"/business-plans/{world.active_plan}/milestones/equipped/verification"
    problem_of(post(world, "officer", path), 403, "four-eyes")


def test_receipts_must_justify_what_was_already_released_naming_the_limit(world: World) -> None:
    path = f"/business-plans/{world.active_plan}"
    ok(post(world, "finance", f"{path}/tranches/t1/release", RELEASE))  # 540.00 released
    rejected = post(
        world, "approver", f"{path}/milestones/equipped/rejection", {"reason": "blurred"}
    )
    assert {e["status"] for e in milestone(ok(rejected), "equipped")["evidence"]} == {"rejected"}
    for evidence in (
        upload("monitoring_report", png("again-visit")),
        upload("receipt", pdf("again-receipt"), "100.00"),
    ):
        ok(post(world, "officer", f"{path}/milestones/equipped/evidence", evidence), 201)
    ok(post(world, "approver", f"{path}/milestones/equipped/verification"))
    problem = problem_of(
        post(world, "finance", f"{path}/tranches/t2/release", RELEASE), 422, "receipts-short"
    )
    assert (problem["size"], problem["used"], problem["requested"], problem["currency"]) == (
        "432.00",
        "100.00",
        "540.00",
        "EUR",
    )


def test_a_plan_that_failed_its_assessment_cannot_be_approved(world: World) -> None:
    path = f"/business-plans/{world.submitted_plan}"
    low = assessment(dict.fromkeys(SCORES, 1))
    assert ok(post(world, "approver", f"{path}/assessment", low))["assessment"]["passed"] is False
    problem_of(post(world, "approver", f"{path}/approval"), 409, "assessment-failed")


def test_an_assessment_scores_each_criterion_once(world: World) -> None:
    body = assessment()
    body["scores"].append({"criterion": "market", "score": 1})
    path = f"/business-plans/{world.submitted_plan}/assessment"
    problem = problem_of(post(world, "approver", path, body), 422, "validation-failed")
    assert problem["field"] == "scores[4].criterion"


def test_an_approval_with_a_stale_etag_changes_nothing(world: World) -> None:
    path = f"/business-plans/{world.submitted_plan}"
    stale = call(world.client, "approver", "GET", path).headers["etag"]
    ok(post(world, "approver", f"{path}/assessment", assessment()))
    before = world.journal_length()
    response = post(world, "approver", f"{path}/approval", **{"If-Match": stale})
    problem_of(response, 412, "precondition-failed")
    assert world.journal_length() == before
    assert plan_of(world, world.submitted_plan)["status"] == "assessed"


def test_a_plans_package_is_paid_only_through_the_plan(world: World) -> None:
    path = f"/packages/{world.active_plan}-1/disbursements"
    body = {"component_id": "kind-1", "amount": eur("10.00"), "channel": "supplier_transfer"}
    problem_of(
        post(world, "officer", path, body | {"invoice_ref": "X"}), 409, "package-belongs-to-plan"
    )


def test_an_owner_who_leaves_leaves_their_share_to_the_other_owner(world: World) -> None:
    path = f"/business-plans/{world.active_plan}/owners/1/departure"
    plan = ok(post(world, "approver", path, {"reallocate": True, "reason": "moved away"}))
    assert [o["left"] for o in plan["owners"]] == [False, True]
    assert [o["shares"][0]["allotted"] for o in plan["owners"]] == [eur("900.00"), eur("0.00")]
    again = post(world, "approver", path, {"reallocate": True, "reason": "moved away"})
    problem_of(again, 409, "invalid-transition")


def test_an_unknown_milestone_tranche_or_owner_is_not_found(world: World) -> None:
    base = f"/business-plans/{world.active_plan}"
    for who, path, body in (
        ("approver", f"{base}/milestones/opened/verification", None),
        ("finance", f"{base}/tranches/t9/release", RELEASE),
        ("approver", f"{base}/owners/5/departure", {"reallocate": False, "reason": "gone"}),
    ):
        problem = problem_of(post(world, who, path, body), 404, "not-found")
        assert problem["field"] in {"milestone_id", "tranche_id", "owner"}


def test_an_officer_cannot_draft_a_plan_for_another_offices_case(world: World) -> None:
    body = plan_body((register(world, LAGOS), "p", 1))
    before = world.journal_length()
    problem_of(post(world, "officer", "/business-plans", body), 404, "not-found")
    assert world.journal_length() == before


def test_a_programme_whose_policy_has_no_business_rules_funds_no_plan(world: World) -> None:
    ok(post(world, "admin", "/programmes", programme_body("nobiz")), 201)
    policy = eu_policy_json(programme="nobiz", business=None)
    ok(post(world, "admin", "/programmes/nobiz/policies", policy), 201)
    case = case_body(world.client, DAKAR, dependants=0) | {"programme_id": "nobiz"}
    case_id = created(call(world.client, "officer", "POST", "/cases", case), "case_id")
    response = post(world, "officer", "/business-plans", plan_body((case_id, "p", 1)))
    assert problem_of(response, 422, "no-business-rules")["field"] == "programme_id"


def test_plans_page_by_id_within_the_callers_offices(world: World) -> None:
    seen, cursor = [], None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = ok(call(world.client, "officer", "GET", f"/business-plans{query}"))
        seen += [p["plan_id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == 7  # the world's plans: one per state a route starts from
    assert PROGRAMME in {p["programme_id"] for p in page["items"]}
    assert ok(call(world.client, "officer-lagos", "GET", "/business-plans"))["items"] == []


def test_an_evidence_file_over_the_usual_request_limit_is_kept_up_to_its_own(world: World) -> None:
    path = f"/business-plans/{world.active_plan}/milestones/equipped/evidence"
    big = FilePart(b"%PDF-1.7\n" + b"x" * 2_000_000, "application/pdf")

    answer = ok(post(world, "officer", path, upload("photo", big)), 201)

    shown = next(m for m in answer["milestones"] if m["milestone_id"] == "equipped")
    assert shown["evidence"][-1]["size"] == len(big.content)
