"""Every route of the app, taken from the app itself, against the same five questions.

Without a token: 401. With a role the route does not allow: 403. On another office's object:
404. With an allowed role and a valid request: 2xx and a body of the route's schema. With a
bad request: 4xx problem+json. The table below gives, for each route, concrete path
parameters and bodies; a route missing from it (or a stale entry) fails the first test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import msgspec
import pytest
from _pytest.mark.structures import ParameterSet
from litestar import Litestar, Response
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from api.app import create_app
from api.security import PUBLIC_PATHS, roles_of
from reintegrate.access import SEES_EVERY_OFFICE, Role
from reintegrate.adapters import signing
from reintegrate.business.plans import MAX_OWNERS
from reintegrate.checkpoints import SignedCheckpoint
from reintegrate.services.checkpoints import make_checkpoint
from reintegrate.store.sql import SqlStore
from tests.api.community import OUTCOMES, participants, project_body
from tests.api.community import RELEASE as PROJECT_RELEASE
from tests.api.conftest import (
    DAKAR,
    FIXED_NOW,
    LAGOS,
    RETURNED,
    USERS,
    World,
    call,
    case_body,
    cash_request,
    eu_policy_json,
    eur,
    in_kind,
    package_body,
    person_body,
    problem_of,
    programme_body,
    register_person,
    user_with,
)
from tests.api.plans import RELEASE, FilePart, assessment, pdf, plan_body, upload
from tests.api.reconciliation import (
    FEE_WRITE_OFF,
    MAPPING_BODY,
    batch_body,
    statement_upload,
)
from tests.api.surveys import adopted, answers_body, follow_up_body, instrument_body, reached
from tests.api.verification import DRAW, PROVIDER_CLAIM, answer_body
from tests.people.caseload_files import as_csv, households


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    """The path template, parameters without their type: /cases/{case_id}."""
    roles: frozenset[Role]
    schema: type[msgspec.Struct] | None
    """None: the route answers a file (its example says which media type)."""
    status: int
    takes_body: bool

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path

    @property
    def ids(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    def at(self, params: dict[str, str]) -> str:
        return self.path.format(**params)


def response_schema(handler: HTTPRouteHandler) -> type[msgspec.Struct] | None:
    returned = handler.parsed_fn_signature.return_type
    if returned.is_subclass_of(Response):
        returned = returned.inner_types[0]
    schema = returned.annotation
    if schema is bytes:
        return None
    assert isinstance(schema, type)
    assert issubclass(schema, msgspec.Struct), f"{handler} returns {schema}"
    return schema


def routes_of(app: Litestar) -> list[Route]:
    """Every (method, path) the app serves, except OPTIONS and the public paths."""
    found = []
    for route in app.routes:
        assert isinstance(route, HTTPRoute), f"{route.path} is not an HTTP route"
        if route.path.startswith(PUBLIC_PATHS):
            continue
        for handler in route.route_handlers:
            for method in sorted(set(handler.http_methods) - {"OPTIONS"}):
                found.append(
                    Route(
                        method=method,
                        path=re.sub(r":\w+}", "}", route.path),
                        roles=roles_of(handler),
                        schema=response_schema(handler),
                        status=handler.status_code,
                        takes_body="data" in handler.parsed_fn_signature.parameters,
                    )
                )
    return sorted(found, key=lambda r: (r.path, r.method))


ROUTES = routes_of(create_app(SqlStore("sqlite://")))


@dataclass(frozen=True)
class Visit:
    """Who asks for which object of an office that is not theirs."""

    user: str
    params: dict[str, str]


@dataclass(frozen=True)
class Example:
    user: str
    """An allowed user for whom the request succeeds."""
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    wrong_type: Any = None
    """The body with one field of the wrong type."""
    wrong_field: str | None = None
    """The field a 400 names for `wrong_type`."""
    foreign: Visit | None = None
    """Another office's object: None only where objects belong to no office (programmes)."""
    shows: dict[str, Any] = field(default_factory=dict)
    """Part of the successful answer."""
    unknown_body: Any = None
    """The body to send with unknown ids, when `body` itself names the id."""
    file_type: str | None = None
    """The media type of the file the route answers (a route answering a file only)."""


Table = dict[tuple[str, str], Callable[[World], Example]]


def checkpointed(w: World) -> SignedCheckpoint:
    """A checkpoint of the world's journal, signed by a key made for it."""
    key = signing.new_key()
    sign = signing.sign
    public_key = signing.public_key_of(key)
    return make_checkpoint(w.store, lambda data: sign(key, data), public_key, FIXED_NOW)


HOOK = {"url": "https://partner.example/hooks", "types": ["PackageApproved"]}


def subscribed(w: World, who: str) -> str:
    """The id of a new webhook subscription of `who`, for its own office."""
    response = call(w.client, who, "POST", "/webhook-subscriptions", HOOK)
    assert response.status_code == 201, response.text
    found: str = response.json()["subscription_id"]
    return found


EXAMPLES: Table = {
    ("GET", "/programmes"): lambda w: Example(user="partner"),
    ("POST", "/programmes"): lambda w: Example(
        user="admin",
        body=programme_body("second"),
        wrong_type={**programme_body("second"), "currency": 978},
        wrong_field="currency",
        shows={"programme_id": "second", "policy_versions": []},
    ),
    ("GET", "/programmes/{programme_id}"): lambda w: Example(
        user="finance",
        params={"programme_id": w.programme},
        shows={"programme_id": w.programme, "policy_versions": ["2022"]},
    ),
    ("POST", "/programmes/{programme_id}/policies"): lambda w: Example(
        user="admin",
        params={"programme_id": w.programme},
        body=eu_policy_json(version="2026", effective_from="2026-01-01"),
        wrong_type=eu_policy_json(version=2026, effective_from="2026-01-01"),
        wrong_field="version",
        shows={"programme_id": w.programme, "version": "2026"},
        unknown_body=eu_policy_json(
            programme="unknown-id", version="2026", effective_from="2026-01-01"
        ),
    ),
    ("GET", "/programmes/{programme_id}/financial-report"): lambda w: Example(
        user="finance",
        params={"programme_id": w.programme},
        shows={"programme_id": w.programme, "offices": ["dakar"], "agrees_with_ledger": True},
    ),
    ("GET", "/programmes/{programme_id}/dashboard"): lambda w: Example(
        user="finance", params={"programme_id": w.programme}, file_type="text/html"
    ),
    ("GET", "/programmes/{programme_id}/dashboard/link"): lambda w: Example(
        user="finance", params={"programme_id": w.programme}
    ),
    ("GET", "/fx-rates"): lambda w: Example(user="auditor"),
    ("POST", "/fx-rates"): lambda w: Example(
        user="finance",
        body={
            "base": "EUR",
            "quote": "XOF",
            "rate": "655.957",
            "source": "BCEAO",
            "valid_from": "2025-01-01",
        },
        wrong_type={
            "base": "EUR",
            "quote": "XOF",
            "rate": 655.957,
            "source": "BCEAO",
            "valid_from": "2025-01-01",
        },
        wrong_field="rate",
        shows={"rate": "655.957"},
    ),
    ("GET", "/journal"): lambda w: Example(user="auditor"),
    ("GET", "/events"): lambda w: Example(user="partner"),
    ("POST", "/webhook-subscriptions"): lambda w: Example(
        user="partner",
        body=HOOK,
        wrong_type={**HOOK, "url": 443},
        wrong_field="url",
        shows={"office": DAKAR, "types": ["PackageApproved"], "url": HOOK["url"]},
    ),
    ("GET", "/webhook-subscriptions"): lambda w: Example(user="admin"),
    ("GET", "/webhook-subscriptions/{subscription_id}"): lambda w: Example(
        user="partner",
        params={"subscription_id": subscribed(w, "partner")},
        foreign=Visit("partner", {"subscription_id": subscribed(w, "partner-lagos")}),
        shows={"office": DAKAR},
    ),
    ("DELETE", "/webhook-subscriptions/{subscription_id}"): lambda w: Example(
        user="partner",
        params={"subscription_id": subscribed(w, "partner")},
        foreign=Visit("partner", {"subscription_id": subscribed(w, "partner-lagos")}),
        shows={"office": DAKAR},
    ),
    ("GET", "/audit/verification"): lambda w: Example(
        user="auditor",
        shows={"ok": True, "chain_break": None, "replay_stopped": None, "differences": []},
    ),
    ("GET", "/audit/checkpoint"): lambda w: Example(
        user="auditor", shows={"seq": checkpointed(w).seq}
    ),
    ("POST", "/persons"): lambda w: Example(
        user="officer",
        body=person_body(DAKAR, birth_year=1990),
        wrong_type={**person_body(DAKAR, birth_year=1990), "given_names": ["Test"]},
        wrong_field="given_names",
        shows={"office": "dakar", "given_names": None, "status": "active"},
    ),
    ("GET", "/persons/{person_id}"): lambda w: Example(
        user="officer",
        params={"person_id": w.dakar_person},
        foreign=Visit("officer", {"person_id": w.lagos_person}),
        shows={"person_id": w.dakar_person, "office": "dakar", "given_names": "Test"},
    ),
    ("POST", "/persons/{person_id}/erasure"): lambda w: Example(
        user="admin",
        params={"person_id": register_person(w.client, DAKAR, 1990, "SN")},
        body={"reason": "person_asked"},
        wrong_type={"reason": 1},
        wrong_field="reason",
        shows={"status": "erasure_requested"},
        foreign=None,
    ),
    ("POST", "/persons/{person_id}/erasure/confirmation"): lambda w: Example(
        user="approver",
        params={"person_id": erasure_asked(w, DAKAR, "SN")},
        foreign=Visit("approver", {"person_id": erasure_asked(w, LAGOS, "NG")}),
        shows={"status": "erased", "given_names": None},
    ),
    ("GET", "/access-log"): lambda w: Example(user="auditor"),
    ("GET", "/persons/possible-duplicates"): lambda w: Example(user="officer"),
    ("POST", "/persons/possible-duplicates/decisions"): lambda w: Example(
        user="approver",
        body=two_people(w),
        wrong_type={**two_people(w), "same": "no"},
        wrong_field="same",
        shows={"status": "active"},
    ),
    ("POST", "/persons/{person_id}/corrections"): lambda w: Example(
        user="officer",
        params={"person_id": register_person(w.client, DAKAR, 1990, "SN")},
        body=correction(1991),
        wrong_type={**correction(1991), "reason": 3},
        wrong_field="reason",
        foreign=Visit("officer", {"person_id": register_person(w.client, LAGOS, 1990, "NG")}),
        shows={"version": 2, "proposed_fields": None},
    ),
    ("POST", "/persons/{person_id}/corrections/confirmation"): lambda w: Example(
        user="approver",
        params={"person_id": correction_proposed(w, DAKAR, "SN")},
        foreign=Visit("approver", {"person_id": correction_proposed(w, LAGOS, "NG")}),
        shows={"proposed_fields": None},
    ),
    ("GET", "/cases"): lambda w: Example(user="officer"),
    ("POST", "/cases"): lambda w: Example(
        user="officer",
        body=case_body(w.client),
        wrong_type={**case_body(w.client), "return_date": 20250501},
        wrong_field="return_date",
        shows={"office": "dakar", "version": 1},
    ),
    ("GET", "/cases/{case_id}"): lambda w: Example(
        user="partner",
        params={"case_id": w.dakar_case},
        foreign=Visit("partner", {"case_id": w.lagos_case}),
        shows={"case_id": w.dakar_case, "office": "dakar"},
    ),
    ("GET", "/cases/{case_id}/entitlement"): lambda w: Example(
        user="officer",
        params={"case_id": w.dakar_case},
        foreign=Visit("approver", {"case_id": w.lagos_case}),
        shows={"granted": True, "eligible": True, "total": eur("4615.00")},
    ),
    ("GET", "/cases/{case_id}/packages"): lambda w: Example(
        user="approver",
        params={"case_id": w.dakar_case},
        foreign=Visit("finance", {"case_id": w.lagos_case}),
    ),
    ("POST", "/cases/{case_id}/packages"): lambda w: Example(
        user="officer",
        params={"case_id": w.dakar_case},
        body=package_body(in_kind("250.00", "d1")),
        wrong_type=package_body(in_kind("250.00", "d1")) | {"budget_line": 7},
        wrong_field="budget_line",
        foreign=Visit("officer", {"case_id": w.lagos_case}),
        shows={"status": "draft", "total": eur("250.00"), "drafted_by": "officer"},
    ),
    ("GET", "/packages/{package_id}"): lambda w: Example(
        user="auditor",
        params={"package_id": w.approved_package},
        foreign=Visit("officer-lagos", {"package_id": w.approved_package}),
        shows={"status": "active", "total": eur("2615.00")},
    ),
    ("POST", "/packages/{package_id}/submission"): lambda w: Example(
        user="officer",
        params={"package_id": w.draft_package},
        foreign=Visit("partner-lagos", {"package_id": w.draft_package}),
        shows={"status": "submitted", "submitted_by": "officer"},
    ),
    ("POST", "/packages/{package_id}/approval"): lambda w: Example(
        user="approver",
        params={"package_id": w.submitted_package},
        foreign=Visit("approver-lagos", {"package_id": w.submitted_package}),
        shows={"status": "approved", "approved_by": "approver", "policy_version": "2022"},
    ),
    ("POST", "/packages/{package_id}/rejection"): lambda w: Example(
        user="approver",
        params={"package_id": w.submitted_package},
        body={"reason": "the quote is not from a registered supplier"},
        wrong_type={"reason": 5},
        wrong_field="reason",
        foreign=Visit("approver-lagos", {"package_id": w.submitted_package}),
        shows={"status": "rejected", "reason": "the quote is not from a registered supplier"},
    ),
    ("POST", "/packages/{package_id}/cancellation"): lambda w: Example(
        user="officer",
        params={"package_id": w.submitted_package},
        body={"reason": "the household moved away"},
        wrong_type={"reason": ["the household moved away"]},
        wrong_field="reason",
        foreign=Visit("officer-lagos", {"package_id": w.submitted_package}),
        shows={"status": "cancelled"},
    ),
    ("POST", "/packages/{package_id}/closure"): lambda w: Example(
        user="approver",
        params={"package_id": w.closable_package},
        foreign=Visit("approver-lagos", {"package_id": w.closable_package}),
        shows={"status": "closed"},
    ),
    ("GET", "/packages/{package_id}/disbursements"): lambda w: Example(
        user="finance",
        params={"package_id": w.approved_package},
        foreign=Visit("finance-lagos", {"package_id": w.approved_package}),
    ),
    ("POST", "/packages/{package_id}/disbursements"): lambda w: Example(
        user="officer",
        params={"package_id": w.approved_package},
        body=cash_request("50.00"),
        wrong_type=cash_request("50.00") | {"channel": 3},
        wrong_field="channel",
        foreign=Visit("officer-lagos", {"package_id": w.approved_package}),
        shows={"status": "requested", "amount": eur("50.00"), "requested_by": "officer"},
    ),
    ("GET", "/disbursements"): lambda w: Example(user="partner"),
    ("GET", "/packages"): lambda w: Example(user="approver"),
    ("GET", "/disbursements/{disbursement_id}"): lambda w: Example(
        user="partner",
        params={"disbursement_id": w.paid_disbursement},
        foreign=Visit("partner-lagos", {"disbursement_id": w.paid_disbursement}),
        shows={"status": "paid", "amount": eur("100.00")},
    ),
    ("POST", "/disbursements/{disbursement_id}/approval"): lambda w: Example(
        user="finance",
        params={"disbursement_id": w.requested_disbursement},
        foreign=Visit("finance-lagos", {"disbursement_id": w.requested_disbursement}),
        shows={"status": "approved", "approved_by": "finance"},
    ),
    ("POST", "/disbursements/{disbursement_id}/confirmation"): lambda w: Example(
        user="finance",
        params={"disbursement_id": w.approved_disbursement},
        body={"provider_ref": "mm-2025-0042"},
        wrong_type={"provider_ref": 42},
        wrong_field="provider_ref",
        foreign=Visit("finance-lagos", {"disbursement_id": w.approved_disbursement}),
        shows={"status": "paid", "confirmed_by": "finance", "provider_ref": "mm-2025-0042"},
    ),
    ("POST", "/disbursements/{disbursement_id}/failure"): lambda w: Example(
        user="finance",
        params={"disbursement_id": w.approved_disbursement},
        body={"reason": "the wallet is closed", "returned": True},
        wrong_type={"reason": "the wallet is closed", "returned": "yes"},
        wrong_field="returned",
        foreign=Visit("finance-lagos", {"disbursement_id": w.approved_disbursement}),
        shows={"status": "returned", "reason": "the wallet is closed"},
    ),
    ("POST", "/disbursements/{disbursement_id}/reversal"): lambda w: Example(
        user="admin",  # finance confirmed it, and who confirmed a payment cannot reverse it
        params={"disbursement_id": w.paid_disbursement},
        body={"reason": "paid to the wrong wallet"},
        wrong_type={"reason": None},
        wrong_field="reason",
        foreign=Visit("finance-lagos", {"disbursement_id": w.paid_disbursement}),
        shows={"status": "reversed"},
    ),
}


def plan_step(
    plan: Callable[[World], str],
    user: str,
    foreign: str,
    *,
    body: Any = None,
    wrong_type: Any = None,
    wrong_field: str | None = None,
    **shows: Any,
) -> Callable[[World], Example]:
    """A lifecycle step of a world's plan: `user` may take it, `foreign` works elsewhere."""

    def make(w: World) -> Example:
        params = {"plan_id": plan(w)}
        return Example(
            user=user,
            params=params,
            body=body,
            wrong_type=wrong_type,
            wrong_field=wrong_field,
            foreign=Visit(foreign, params),
            shows=shows,
        )

    return make


def milestone_step(
    name: str, user: str, foreign: str, body: Any = None, **example: Any
) -> Callable[[World], Example]:
    """A step on milestone `name` of the world's active plan."""
    return lambda w: Example(
        user=user,
        params={"plan_id": w.active_plan, "milestone_id": name},
        body=body,
        foreign=Visit(foreign, {"plan_id": w.active_plan, "milestone_id": name}),
        **example,
    )


REASON = {"reason": "the owner moved to Thies"}

EXAMPLES |= {
    ("GET", "/business-plans"): lambda w: Example(user="auditor"),
    ("POST", "/business-plans"): lambda w: Example(
        user="partner",
        body=plan_body((w.business_case, "a1", 1)),
        wrong_type=plan_body((w.business_case, "a1", 1)) | {"start_date": 20250520},
        wrong_field="start_date",
        shows={"status": "draft", "grant": eur("900.00"), "drafted_by": "partner"},
    ),
    ("GET", "/business-plans/{plan_id}"): lambda w: Example(
        user="partner",
        params={"plan_id": w.active_plan},
        foreign=Visit("partner-lagos", {"plan_id": w.active_plan}),
        shows={"status": "active", "grant": eur("900.00")},
    ),
    ("POST", "/business-plans/{plan_id}/submission"): plan_step(
        lambda w: w.draft_plan, "officer", "officer-lagos", status="submitted"
    ),
    ("POST", "/business-plans/{plan_id}/assessment"): plan_step(
        lambda w: w.submitted_plan,
        "approver",
        "approver-lagos",
        body=assessment(),
        wrong_type=assessment() | {"reasons": 5},
        wrong_field="reasons",
        status="assessed",
    ),
    ("POST", "/business-plans/{plan_id}/approval"): plan_step(
        lambda w: w.assessed_plan, "approver", "approver-lagos", status="approved"
    ),
    ("POST", "/business-plans/{plan_id}/activation"): plan_step(
        lambda w: w.approved_plan, "approver", "approver-lagos", status="active"
    ),
    ("POST", "/business-plans/{plan_id}/completion"): plan_step(
        lambda w: w.finished_plan, "approver", "approver-lagos", status="completed"
    ),
    ("POST", "/business-plans/{plan_id}/failure"): plan_step(
        lambda w: w.finished_plan,
        "admin",
        "approver-lagos",
        body={"reason": "a visit found the workshop closed"},
        wrong_type={"reason": ["closed"]},
        wrong_field="reason",
        status="failed",
    ),
    ("POST", "/business-plans/{plan_id}/abandonment"): plan_step(
        lambda w: w.draft_plan,
        "approver",
        "approver-lagos",
        body=REASON,
        wrong_type={"reason": None},
        wrong_field="reason",
        status="abandoned",
    ),
    ("POST", "/business-plans/{plan_id}/milestones/{milestone_id}/evidence"): milestone_step(
        "equipped",
        "partner",
        "partner-lagos",
        upload("photo", pdf("every-route-photo")),
        wrong_type=upload("receipt", pdf("every-route-receipt")) | {"amount": "twelve"},
        wrong_field="amount",
    ),
    ("POST", "/business-plans/{plan_id}/milestones/{milestone_id}/verification"): milestone_step(
        "equipped", "approver", "officer-lagos"
    ),
    ("POST", "/business-plans/{plan_id}/milestones/{milestone_id}/rejection"): milestone_step(
        "equipped",
        "approver",  # the officer submitted the evidence: four eyes keep them out
        "officer-lagos",
        {"reason": "the receipt is illegible"},
        wrong_type={"reason": 3},
        wrong_field="reason",
    ),
    ("POST", "/business-plans/{plan_id}/tranches/{tranche_id}/release"): lambda w: Example(
        user="finance",
        params={"plan_id": w.active_plan, "tranche_id": "t1"},
        body=RELEASE,
        wrong_type=RELEASE | {"channel": 4},
        wrong_field="channel",
        foreign=Visit("finance-lagos", {"plan_id": w.active_plan, "tranche_id": "t1"}),
    ),
    ("POST", "/business-plans/{plan_id}/tranches/{tranche_id}/parts/{owner}/repayment"): (
        lambda w: Example(
            user="finance",
            params={"plan_id": w.repayable_plan, "tranche_id": "t1", "owner": "0"},
            body=RELEASE | {"invoice_ref": "INV-2025-001b"},
            wrong_type=RELEASE | {"invoice_ref": 7},
            wrong_field="invoice_ref",
            foreign=Visit(
                "finance-lagos", {"plan_id": w.repayable_plan, "tranche_id": "t1", "owner": "0"}
            ),
        )
    ),
    ("POST", "/business-plans/{plan_id}/visits"): plan_step(
        lambda w: w.active_plan,
        "officer",
        "officer-lagos",
        body={
            "on": "2025-06-01",
            "status": "operating",
            "revenue": eur("450.00"),
            "jobs_created": 1,
        },
        wrong_type={"on": "2025-06-01", "status": "operating", "jobs_created": "one"},
        wrong_field="jobs_created",
        status="active",
    ),
    ("POST", "/business-plans/{plan_id}/owners/{owner}/departure"): lambda w: Example(
        user="approver",
        params={"plan_id": w.active_plan, "owner": "1"},
        body={"reallocate": True, **REASON},
        wrong_type={"reallocate": "yes", **REASON},
        wrong_field="reallocate",
        foreign=Visit("approver-lagos", {"plan_id": w.active_plan, "owner": "1"}),
    ),
}


def project_step(
    project: Callable[[World], str],
    user: str,
    foreign: str,
    *,
    body: Any = None,
    wrong_type: Any = None,
    wrong_field: str | None = None,
    **shows: Any,
) -> Callable[[World], Example]:
    """A step of a world's community project: `user` may take it, `foreign` works elsewhere."""

    def make(w: World) -> Example:
        params = {"project_id": project(w)}
        return Example(
            user=user,
            params=params,
            body=body,
            wrong_type=wrong_type,
            wrong_field=wrong_field,
            foreign=Visit(foreign, params),
            shows=shows,
        )

    return make


def project_part(
    project: Callable[[World], str], part: str, name: str, user: str, foreign: str, **example: Any
) -> Callable[[World], Example]:
    """A step on `part` (milestone_id, tranche_id, payment_id) `name` of a world's project."""

    def make(w: World) -> Example:
        params = {"project_id": project(w), part: name}
        return Example(user=user, params=params, foreign=Visit(foreign, params), **example)

    return make


def garden(w: World) -> dict[str, Any]:
    return project_body((w.business_case, "p"))


EXAMPLES |= {
    ("GET", "/community-projects"): lambda w: Example(user="auditor"),
    ("POST", "/community-projects"): lambda w: Example(
        user="partner",
        body=garden(w),
        wrong_type=garden(w) | {"starts_on": 20250520},
        wrong_field="starts_on",
        shows={"status": "draft", "envelope": eur("300.00"), "drafted_by": "partner"},
    ),
    ("GET", "/community-projects/{project_id}"): lambda w: Example(
        user="partner",
        params={"project_id": w.active_project},
        foreign=Visit("partner-lagos", {"project_id": w.active_project}),
        shows={"status": "active", "envelope": eur("300.00"), "pending": eur("60.00")},
    ),
    ("POST", "/community-projects/{project_id}/submission"): project_step(
        lambda w: w.draft_project, "officer", "officer-lagos", status="submitted"
    ),
    ("POST", "/community-projects/{project_id}/approval"): project_step(
        lambda w: w.submitted_project,
        "approver",
        "approver-lagos",
        status="approved",
        decided_by="approver",
    ),
    ("POST", "/community-projects/{project_id}/rejection"): project_step(
        lambda w: w.submitted_project,
        "approver",
        "approver-lagos",
        body={"reason": "the partner is not registered"},
        wrong_type={"reason": 5},
        wrong_field="reason",
        status="rejected",
        rejection_reason="the partner is not registered",
    ),
    ("POST", "/community-projects/{project_id}/participants"): lambda w: Example(
        user="officer",
        params={"project_id": w.approved_project},
        body=participants((w.business_case, "p"), community=4),
        wrong_type=participants((w.business_case, "p")) | {"counts": "four"},
        wrong_field="counts",
        foreign=Visit("officer-lagos", {"project_id": w.approved_project}),
        shows={"status": "approved"},
    ),
    ("POST", "/community-projects/{project_id}/milestones/{milestone_id}/evidence"): project_part(
        lambda w: w.approved_project,
        "milestone_id",
        "planted",
        "partner",
        "partner-lagos",
        body=upload("monitoring_report", pdf("every-route-garden")),
        wrong_type=upload("receipt", pdf("every-route-seeds")) | {"amount": "twelve"},
        wrong_field="amount",
    ),
    ("POST", "/community-projects/{project_id}/milestones/{milestone_id}/verification"): (
        project_part(
            lambda w: w.active_project, "milestone_id", "planted", "approver", "officer-lagos"
        )
    ),
    ("POST", "/community-projects/{project_id}/milestones/{milestone_id}/rejection"): project_part(
        lambda w: w.active_project,
        "milestone_id",
        "planted",
        "approver",  # the officer submitted the evidence: four eyes keep them out
        "officer-lagos",
        body={"reason": "the receipt is illegible"},
        wrong_type={"reason": 3},
        wrong_field="reason",
    ),
    ("POST", "/community-projects/{project_id}/milestones/{milestone_id}/outcomes"): project_part(
        lambda w: w.approved_project,
        "milestone_id",
        "cleared",
        "officer",
        "officer-lagos",
        body=OUTCOMES,
        wrong_type=OUTCOMES | {"jobs_created": "two"},
        wrong_field="jobs_created",
    ),
    ("POST", "/community-projects/{project_id}/tranches/{tranche_id}/release"): project_part(
        lambda w: w.approved_project,
        "tranche_id",
        "c1",
        "finance",
        "finance-lagos",
        body=PROJECT_RELEASE,
        wrong_type={"payout": {"iban": 7}},
        wrong_field="payout.iban",
    ),
    ("POST", "/community-projects/{project_id}/completion"): project_step(
        lambda w: w.finished_project, "approver", "approver-lagos", status="completed"
    ),
    ("POST", "/community-projects/{project_id}/abandonment"): project_step(
        lambda w: w.approved_project, "approver", "approver-lagos", status="abandoned"
    ),
}


ROUNDS = "/programmes/{programme_id}/receipt-verifications"


def round_example(
    round_id: Callable[[World], str],
    user: str,
    foreign: str,
    *,
    follow_up: str | None = None,
    **example: Any,
) -> Callable[[World], Example]:
    """A route on a world's round (and `follow_up` of it): `user` may use it, `foreign`
    works elsewhere."""

    def make(w: World) -> Example:
        params = {"programme_id": w.programme, "round_id": round_id(w)}
        if follow_up is not None:
            params["follow_up_id"] = follow_up
        return Example(user=user, params=params, foreign=Visit(foreign, params), **example)

    return make


def two_people(w: World) -> dict[str, Any]:
    """Two new persons of Dakar, decided to be different people."""
    first, second = (register_person(w.client, DAKAR, 1990, "SN") for _ in range(2))
    return {"first": first, "second": second, "same": False}


def correction(birth_year: int, country: str = "SN") -> dict[str, Any]:
    body = person_body(DAKAR, birth_year=birth_year, country=country)
    del body["office"]
    return {"reason": "data_entry_error", "person": body}


def correction_proposed(w: World, office: str, country: str) -> str:
    """The principal of a new case of `office`, whose birth year the officer corrected: a
    correction waiting for a second person."""
    body = case_body(w.client, office, dependants=0, country=country)
    user = "officer" if office == DAKAR else "officer-lagos"
    assert call(w.client, user, "POST", "/cases", body).status_code == 201
    person_id: str = body["members"][0]["person_id"]
    shown = call(w.client, user, "GET", f"/persons/{person_id}").json()
    fields = {k: shown[k] for k in ("given_names", "family_name", "nationality", "external_refs")}
    fields["payout"] = [
        {"type": p["kind"], **{k: v for k, v in p.items() if k != "kind" and v is not None}}
        for p in shown["payout"]
    ]
    asked = {"reason": "document_presented", "person": {**fields, "birth_year": 1986}}
    answer = call(w.client, user, "POST", f"/persons/{person_id}/corrections", asked)
    assert answer.json()["proposed_fields"] == ["birth_year"], answer.text
    return person_id


def erasure_asked(w: World, office: str, country: str) -> str:
    """A new person of `office` whose erasure the admin asked."""
    person_id = register_person(w.client, office, 1990, country)
    path = f"/persons/{person_id}/erasure"
    assert call(w.client, "admin", "POST", path, {"reason": "person_asked"}).status_code == 200
    return person_id


def with_body(
    make: Callable[[World], Example], body_of: Callable[[World], dict[str, Any]], **example: Any
) -> Callable[[World], Example]:
    """`make`'s example with the body `body_of` gives and `example`'s fields."""

    def made(w: World) -> Example:
        return replace(make(w), body=body_of(w), **example)

    return made


def issues(w: World) -> dict[str, Any]:
    return answer_body(w.sampled_disbursement, "received_with_issues", note="a fee was asked")


EXAMPLES |= {
    ("POST", ROUNDS): lambda w: Example(
        user="approver",
        params={"programme_id": w.programme},
        body=DRAW,
        wrong_type=DRAW | {"confidence": 0.95},
        wrong_field="confidence",
        shows={"seed": 11, "confidence": "0.95", "offices": ["dakar"], "answered": 0},
    ),
    ("GET", ROUNDS): lambda w: Example(user="officer", params={"programme_id": w.programme}),
    ("GET", ROUNDS + "/{round_id}"): round_example(
        lambda w: w.open_round, "partner", "partner-lagos", shows={"answered": 0, "seed": 11}
    ),
    ("POST", ROUNDS + "/{round_id}/answers"): with_body(
        # finance confirmed the payments: four eyes keep them out
        round_example(lambda w: w.open_round, "officer", "officer-lagos"),
        issues,
        wrong_type={"disbursement_id": "x", "answer": "received", "note": 5},
        wrong_field="note",
        shows={"answered": 1, "open_follow_ups": 0},
    ),
    ("POST", ROUNDS + "/{round_id}/follow-ups/{follow_up_id}/closure"): with_body(
        # the officer recorded the answer that opened it
        round_example(lambda w: w.followed_round, "approver", "approver-lagos", follow_up="fu1"),
        lambda w: PROVIDER_CLAIM,
        wrong_type=PROVIDER_CLAIM | {"resolution": 3},
        wrong_field="resolution",
        shows={"answered": 1, "open_follow_ups": 0},
    ),
}


FEE_ONLY = (
    b"date,reference,amount,currency,status,counterparty\n2025-06-02,,-2.00,EUR,SUCCESS,fee\n"
)
"""A statement the world has not imported: one fee line."""
CANCEL = {"reason": "sent to the wrong provider"}
IMPORT = "/statement-imports/{import_id}"


def on_import(user: str, **example: Any) -> Callable[[World], Example]:
    """A route on the world's statement import."""
    return lambda w: Example(user=user, params={"import_id": w.statement_import}, **example)


EXAMPLES |= {
    ("POST", "/programmes/{programme_id}/payment-batches"): lambda w: Example(
        user="finance",  # batches the world's one approved mobile-money payment not batched yet
        params={"programme_id": w.programme},
        body=batch_body(),
        wrong_type=batch_body() | {"currency": 978},
        wrong_field="currency",
        shows={"provider": "mobile_money", "count": 1, "total": eur("100.00"), "status": "open"},
    ),
    ("GET", "/payment-batches"): lambda w: Example(user="auditor"),
    ("GET", "/statement-imports"): lambda w: Example(user="finance"),
    ("GET", "/payment-batches/{batch_id}"): lambda w: Example(
        user="auditor",
        params={"batch_id": w.sent_batch},
        shows={"status": "exported", "count": 5, "total": eur("150.00")},
    ),
    ("POST", "/payment-batches/{batch_id}/export"): lambda w: Example(
        user="finance",
        params={"batch_id": w.open_batch},
        body={"format": "pain001", "debtor": "EU Reintegration Programme"},
        wrong_type={"format": 1},
        wrong_field="format",
        file_type="application/xml",
    ),
    ("POST", "/payment-batches/{batch_id}/cancellation"): lambda w: Example(
        user="admin",
        params={"batch_id": w.open_batch},
        body=CANCEL,
        wrong_type={"reason": 5},
        wrong_field="reason",
        shows={"status": "cancelled", "cancellation_reason": CANCEL["reason"]},
    ),
    ("POST", "/programmes/{programme_id}/statement-imports"): lambda w: Example(
        user="finance",
        params={"programme_id": w.programme},
        body=statement_upload(FEE_ONLY),
        wrong_type=statement_upload(FEE_ONLY, format="excel"),
        wrong_field="format",
        shows={"format": "csv", "provider": "demo-mobile-money", "decisions": []},
    ),
    ("GET", IMPORT): on_import("auditor", shows={"format": "csv", "version": 2}),
    ("GET", IMPORT + "/reconciliation"): on_import(
        "finance",
        shows={
            "counts": {
                "matched": 2,
                "amount_differs": 1,
                "returned_or_reversed": 1,
                "duplicate_payment": 1,
                "unknown_line": 1,
                "missing": 1,
            }
        },
    ),
    ("POST", IMPORT + "/decisions"): lambda w: Example(
        user="finance",
        params={"import_id": w.statement_import},
        body=FEE_WRITE_OFF | {"position": w.missing_payment},
        wrong_type=FEE_WRITE_OFF | {"position": 4},
        wrong_field="position",
        shows={"version": 3},
    ),
    ("POST", IMPORT + "/decisions/{decision_id}/confirmation"): lambda w: Example(
        user="admin",  # finance proposed it: four eyes keep them out
        params={"import_id": w.statement_import, "decision_id": w.fee_decision},
        shows={"version": 3},
    ),
    ("POST", IMPORT + "/application"): on_import(
        "finance", shows={"recorded": {"DisbursementFailed": 1, "DisbursementPaid": 2}}
    ),
}

LAGOS_BANK = MAPPING_BODY | {"provider": "lagos-bank", "delimiter": ";"}
"""Another provider's mapping, not saved in the world."""

EXAMPLES |= {
    ("POST", "/provider-mappings"): lambda w: Example(
        user="admin",
        body=LAGOS_BANK,
        wrong_type=LAGOS_BANK | {"amount": 3},
        wrong_field="amount",
        shows={"provider": "lagos-bank", "version": 1, "saved_by": "admin"},
    ),
    ("GET", "/provider-mappings"): lambda w: Example(user="auditor"),
    ("GET", "/provider-mappings/{provider}"): lambda w: Example(
        user="finance",
        params={"provider": w.saved_provider},
        shows={"provider": w.saved_provider, "version": 1, "saved_by": "finance"},
    ),
}

CASELOAD = FilePart(as_csv(households(2, 1, returned=RETURNED)), "text/csv", "caseload.csv")
EXAMPLES |= {
    ("POST", "/programmes/{programme_id}/case-imports"): lambda w: Example(
        user="officer",
        params={"programme_id": w.programme},
        body={"file": CASELOAD},
        wrong_type={"file": "not a file", "other": CASELOAD},
        wrong_field="file",
        shows={"dry_run": True, "imported": False, "households": 2, "errors": []},
    ),
}

EXAMPLES |= {
    ("GET", "/programmes/{programme_id}/outcomes"): lambda w: Example(
        user="officer",
        params={"programme_id": w.programme},
        shows={"programme_id": w.programme, "by": "form", "offices": ["dakar"]},
    ),
    ("POST", "/survey-instruments"): lambda w: Example(
        user="admin",
        body=instrument_body(),
        wrong_type=instrument_body(title=5),
        wrong_field="title",
        shows={"instrument_id": "iom-rss", "version": 1},
    ),
    ("GET", "/survey-instruments/{instrument_id}"): lambda w: Example(
        user="partner",
        params={"instrument_id": adopted(w.client)},
        shows={"id": "iom-rss", "missing": "renormalise"},
    ),
    ("GET", "/follow-ups"): lambda w: Example(user="partner"),
    ("POST", "/cases/{case_id}/follow-ups"): lambda w: Example(
        user="officer",
        params={"case_id": w.dakar_case},
        body=follow_up_body("declined"),
        wrong_type=follow_up_body() | {"number": "first"},
        wrong_field="number",
        foreign=Visit("officer", {"case_id": w.lagos_case}),
        shows={"number": 1, "outcome": "declined", "by": "officer"},
    ),
    ("POST", "/follow-ups/{follow_up_id}/answers"): lambda w: Example(
        user="partner",
        params={"follow_up_id": reached(w.client, w.dakar_case)},
        body=answers_body(),
        wrong_type=answers_body() | {"answered_on": 7},
        wrong_field="answered_on",
        foreign=Visit(
            "officer", {"follow_up_id": reached(w.client, w.lagos_case, "officer-lagos")}
        ),
        shows={"complete": True, "instrument_version": 1},
    ),
    ("GET", "/persons/{person_id}/survey-responses"): lambda w: Example(
        user="officer",
        params={"person_id": w.dakar_person},
        foreign=Visit("officer", {"person_id": w.lagos_person}),
        shows={"items": []},
    ),
}

PROGRAMME_WIDE = {
    "programme_id",
    "batch_id",
    "import_id",
    "decision_id",
    "provider",
    "instrument_id",
}
"""Path parameters of objects that belong to no office (finance works programme-wide; a
provider's saved mapping belongs to no programme either)."""


KNOWN_BUGS: dict[tuple[str, tuple[str, str]], pytest.MarkDecorator] = {}


def each(routes: list[Route], test: str = "") -> list[ParameterSet]:
    return [
        pytest.param(r, id=f"{r.method} {r.path}", marks=KNOWN_BUGS.get((test, r.key), ()))
        for r in routes
    ]


WITH_IDS = [r for r in ROUTES if r.ids]
WITH_BODIES = [r for r in ROUTES if r.takes_body]


def example(route: Route, world: World) -> Example:
    found = EXAMPLES[route.key](world)
    assert set(found.params) == set(route.ids), f"{route.key}: give every path parameter"
    return found


def unknown(params: dict[str, str]) -> dict[str, str]:
    """Ids that name nothing; a number (an owner's position) stays a valid number."""
    return {k: str(MAX_OWNERS - 1) if v.isdigit() else "unknown-id" for k, v in params.items()}


def test_the_table_covers_exactly_the_routes_of_the_app() -> None:
    served = {r.key for r in ROUTES}
    assert not served - set(EXAMPLES), "routes without examples"
    assert not set(EXAMPLES) - served, "examples of routes the app does not serve"


@pytest.mark.parametrize("route", each(ROUTES))
def test_a_request_without_a_token_is_unauthenticated(route: Route, world: World) -> None:
    ex = example(route, world)
    before = world.journal_length()
    response = call(world.client, None, route.method, route.at(ex.params), ex.body)
    problem_of(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert world.journal_length() == before


@pytest.mark.parametrize("route", each(ROUTES))
def test_a_role_the_route_does_not_allow_is_forbidden(route: Route, world: World) -> None:
    refused = [role for role in Role if role not in route.roles]
    if not refused:
        pytest.skip("every role may use this route")
    ex = example(route, world)
    before = world.journal_length()
    for role in refused:
        response = call(world.client, user_with(role), route.method, route.at(ex.params), ex.body)
        body = problem_of(response, 403, "forbidden")
        assert role.value in body["detail"]
    assert world.journal_length() == before


@pytest.mark.parametrize("route", each(WITH_IDS))
def test_another_offices_object_is_not_found(route: Route, world: World) -> None:
    ex = example(route, world)
    if ex.foreign is None:
        assert set(route.ids) <= PROGRAMME_WIDE or set(route.roles) <= SEES_EVERY_OFFICE, (
            f"{route.key} needs an object of another office"
        )
        pytest.skip(
            "programmes, their payment batches and statements belong to no office; admins "
            "and auditors see every office"
        )
    visit = ex.foreign
    assert USERS[visit.user][0] in route.roles, (
        f"{visit.user} would be refused by role, not by office"
    )
    before = world.journal_length()
    response = call(world.client, visit.user, route.method, route.at(visit.params), ex.body)
    problem_of(response, 404, "not-found")
    assert world.journal_length() == before


@pytest.mark.parametrize("route", each(ROUTES))
def test_an_allowed_role_gets_an_answer_of_the_route_schema(route: Route, world: World) -> None:
    ex = example(route, world)
    assert USERS[ex.user][0] in route.roles
    response = call(world.client, ex.user, route.method, route.at(ex.params), ex.body)
    assert response.status_code == route.status, response.text
    if route.schema is None:
        assert ex.file_type is not None, f"{route.key} answers a file: give its media type"
        assert response.headers["content-type"].startswith(ex.file_type)
        if ex.file_type == "text/html":  # a page, shown in the browser
            assert "<html" in response.text
            return
        assert response.headers["content-disposition"].startswith("attachment;")
        assert response.content
        return
    assert response.headers["content-type"].startswith("application/json")
    msgspec.json.decode(response.content, type=route.schema, strict=True)
    shown = response.json()
    assert set(shown) == set(route.schema.__struct_fields__)
    assert {k: shown[k] for k in ex.shows} == ex.shows


@pytest.mark.parametrize("route", each(WITH_IDS))
def test_an_unknown_id_is_not_found(route: Route, world: World) -> None:
    ex = example(route, world)
    before = world.journal_length()
    body = ex.body if ex.unknown_body is None else ex.unknown_body
    response = call(world.client, ex.user, route.method, route.at(unknown(ex.params)), body)
    problem = problem_of(response, 404, "not-found")
    assert problem["field"] in route.ids
    assert world.journal_length() == before


@pytest.mark.parametrize("route", each(WITH_BODIES, "wrong type"))
def test_a_field_of_the_wrong_type_is_a_bad_request_naming_it(route: Route, world: World) -> None:
    ex = example(route, world)
    assert ex.wrong_type is not None, f"{route.key} needs a body with a wrong type"
    before = world.journal_length()
    response = call(world.client, ex.user, route.method, route.at(ex.params), ex.wrong_type)
    problem = problem_of(response, 400, "request-invalid")
    assert problem["field"] == ex.wrong_field
    assert world.journal_length() == before


@pytest.mark.parametrize("route", each(WITH_BODIES, "unknown field"))
def test_an_unknown_field_is_a_bad_request_with_a_field(route: Route, world: World) -> None:
    ex = example(route, world)
    assert isinstance(ex.body, dict)
    before = world.journal_length()
    body = {**ex.body, "surprise": 1}
    response = call(world.client, ex.user, route.method, route.at(ex.params), body)
    problem = problem_of(response, 400, "request-invalid")
    assert problem["field"]
    assert world.journal_length() == before
