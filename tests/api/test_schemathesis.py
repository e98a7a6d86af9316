"""Schemathesis against the API's own OpenAPI document, as every role and without a token.

The schema is read from the ASGI app itself (`/schema/openapi.json`), over a SQLite file seeded
with a programme under the EU policy, cases, packages, disbursements, business plans and
community projects in several states, receipt verification rounds (one with an open
follow-up), payment batches (one exported, one open), a provider's statement imported with
a decision proposed on it and that provider's CSV column mapping saved, so that generated
path ids often name real records.
Evidence uploads are multipart/form-data whose `file` part may be a PDF, JPEG or PNG (the
operation's `encoding`); generated files of those types start with the type's signature. Every
operation is tested as the admin with the coverage phase (boundary and invalid values, missing
headers, undeclared methods) and fuzzing, and as every other role and an anonymous caller with
fuzzing (fewer cases each: `MAX_EXAMPLES_OTHERS`). Every answer must not be a 5xx and must be
what the schema documents: status code, content type, headers and body; invalid requests must
be refused. Each POST gets a fresh Idempotency-Key (unless the case deliberately sends an
invalid one). At least `MIN_CASES` authenticated cases run in total: the module counts them and
checks at the end (about 5,200 in some 120 s on one core).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient
from schemathesis import BaseSchema, Case, HookContext
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from api.app import create_app
from reintegrate.access import Role
from reintegrate.demo.provider import provider_statement
from reintegrate.policy import load_policy, policy_to_json
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore
from tests.api.community import RELEASE as PROJECT_RELEASE
from tests.api.community import project_body
from tests.api.plans import RELEASE, FilePart, assessment, pdf, plan_body, png, upload
from tests.api.reconciliation import (
    FEE_WRITE_OFF,
    MAPPING_BODY,
    batch_body,
    payout_body,
    statement_upload,
)
from tests.api.verification import DRAW, answer_body, rounds_path

NOW = dt.datetime(2024, 3, 11, 10, 0, tzinfo=dt.UTC)
RETURNED = "2024-03-01"
PLAN_START = dt.date(2024, 3, 4)
POLICY_FILE = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "policies"
    / "eu-reintegration-programme.toml"
)
OFFICE = "dakar"
PARTNER_OFFICE = "ngo-thies"
ANONYMOUS = "anonymous"
CALLERS: tuple[str, ...] = (*(role.value for role in Role), ANONYMOUS)
USERS = {
    Role.ADMIN: ("admin-1", frozenset[str]()),
    Role.OFFICER: ("officer-1", frozenset({OFFICE})),
    Role.APPROVER: ("approver-1", frozenset({OFFICE})),
    Role.FINANCE: ("finance-1", frozenset({OFFICE})),
    Role.AUDITOR: ("auditor-1", frozenset[str]()),
    Role.PARTNER: ("partner-1", frozenset({PARTNER_OFFICE})),
}
MAX_EXAMPLES = 12
"""Fuzzed cases per operation as the admin (the examples and coverage phases add more)."""
MAX_EXAMPLES_OTHERS = 8
"""Fuzzed cases per operation as every other caller: most of them try the role and the
offices (403, 401, 404), which needs fewer cases than trying the inputs."""
MIN_CASES = 1000
"""Authenticated cases the whole module must have run."""
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
"""The header's schema (`api.context.IdempotencyKey`); a value outside it is a negative case."""
PATH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
"""The path ids' schema pattern (`api.context.PathId`), with at most 64 characters."""
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
]
"""No 5xx; every answer documented (status, content type, headers, body); invalid requests,
a missing required header and an undeclared method refused with a 4xx (405 with `Allow`)."""

EVIDENCE_FILES = {
    "application/pdf": b"%PDF-1.7\n",
    "image/jpeg": b"\xff\xd8\xff\xe0",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
"""The evidence upload's `file` part may be any of these (its OpenAPI `encoding`): generated
files start with the type's signature, so some are accepted and others refused as duplicates."""
for _media_type, _signature in EVIDENCE_FILES.items():
    schemathesis.openapi.media_type(
        _media_type, st.tuples(st.just(_signature), st.binary(max_size=64)).map(b"".join)
    )

_workdir = tempfile.TemporaryDirectory(prefix="reintegrate-schemathesis-")
STORE = SqlStore(f"sqlite:///{_workdir.name}/api.db")
STORE.create_all()
APP = create_app(STORE, clock=lambda: NOW)

KNOWN_IDS: dict[str, list[str]] = {}
"""Real ids by path parameter name, filled by the `seeded` fixture before any case runs."""
TOKENS: dict[str, str] = {}
RAN: Counter[str] = Counter()
"""Cases run, by caller."""


def flatmap_path_parameters(
    context: HookContext, path_parameters: dict[str, Any] | None
) -> st.SearchStrategy[dict[str, Any]]:
    """Often replace a generated id by one that exists, so reads and steps reach the domain.

    Only valid ids are replaced: an invalid one is there on purpose (a negative case).
    """
    choices: dict[str, st.SearchStrategy[Any]] = {}
    for name, value in (path_parameters or {}).items():
        known = KNOWN_IDS.get(name)
        valid = isinstance(value, str) and len(value) <= 64 and PATH_ID.search(value) is not None
        choices[name] = (
            st.sampled_from(known) | st.just(value) if known and valid else st.just(value)
        )
    return st.fixed_dictionaries(choices)


def map_query(context: HookContext, query: dict[str, Any] | None) -> dict[str, Any] | None:
    """The event feed asked to answer at once rather than long-poll: a valid `wait` of up to
    30 s on a feed with nothing new holds the case that long, hundreds of times (the long
    poll itself is tested in tests/api/test_event_feed.py). Invalid waits are left as drawn."""
    wait = (query or {}).get("wait")
    feed = context.operation is not None and context.operation.path == "/events"
    if feed and type(wait) is int and 0 < wait <= 30:
        return {**(query or {}), "wait": 0}
    return query


def load_schema(*phases: str, max_examples: int = MAX_EXAMPLES) -> BaseSchema:
    """The app's own OpenAPI document, generating with `phases`."""
    loaded = schemathesis.openapi.from_asgi("/schema/openapi.json", APP)
    loaded.config.phases.update(phases=list(phases))
    loaded.config.generation.update(max_examples=max_examples, with_security_parameters=False)
    loaded.hook(flatmap_path_parameters)
    loaded.hook(map_query)
    return loaded


thorough = load_schema("examples", "coverage", "fuzzing")
"""With the coverage phase's catalogue of boundary and invalid values (run as the admin)."""
fuzzed = load_schema("examples", "fuzzing", max_examples=MAX_EXAMPLES_OTHERS)
"""Random valid and invalid requests (run as every other caller)."""


class Seeder:
    """Writes the demo data through the API itself, as the users who may do each step."""

    def __init__(self, client: TestClient[Any]) -> None:
        self.client = client

    def post(self, role: Role, path: str, body: Any = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {TOKENS[role.value]}", "Idempotency-Key": _key()}
        response = self.client.post(path, json=body, headers=headers)
        assert response.status_code in (200, 201), (path, response.status_code, response.text)
        found: dict[str, Any] = response.json()
        return found

    def upload(self, path: str, body: dict[str, Any]) -> None:
        """A multipart/form-data evidence upload, as the officer."""
        headers = {"Authorization": f"Bearer {TOKENS['officer']}", "Idempotency-Key": _key()}
        file: FilePart = body.pop("file")
        files = {"file": (file.filename, file.content, file.media_type)}
        response = self.client.post(path, data=body, files=files, headers=headers)
        assert response.status_code == 201, (path, response.status_code, response.text)

    def reconciliation(self, programme: str) -> dict[str, list[str]]:
        """As finance: the approved mobile-money payments batched, exported as CSV and the
        demo provider's statement of them imported with a write-off of its fee line proposed;
        the approved bank transfers batched and not exported; the demo provider's mapping
        saved."""
        headers = {"Authorization": f"Bearer {TOKENS['finance']}"}
        saved = self.post(Role.FINANCE, "/provider-mappings", MAPPING_BODY)
        sent = self.post(Role.FINANCE, f"/programmes/{programme}/payment-batches", batch_body())
        path = f"/payment-batches/{sent['batch_id']}/export"
        exported = self.client.post(
            path, json={"format": "csv"}, headers=headers | {"Idempotency-Key": _key()}
        )
        assert exported.status_code == 200, (path, exported.status_code, exported.text)
        opened = self.post(
            Role.FINANCE, f"/programmes/{programme}/payment-batches", batch_body("bank")
        )
        form = statement_upload(provider_statement(exported.content, NOW.date()))
        file: FilePart = form.pop("file")
        imported = self.client.post(
            f"/programmes/{programme}/statement-imports",
            data=form,
            files={"file": (file.filename, file.content, file.media_type)},
            headers=headers | {"Idempotency-Key": _key()},
        )
        assert imported.status_code == 201, (imported.status_code, imported.text)
        import_id = imported.json()["import_id"]
        shown = self.client.get(f"/statement-imports/{import_id}/reconciliation", headers=headers)
        fee = next(f for f in shown.json()["findings"] if f["outcome"] == "unknown_line")
        decisions = f"/statement-imports/{import_id}/decisions"
        decided = self.post(Role.FINANCE, decisions, FEE_WRITE_OFF | {"position": fee["position"]})
        return {
            "batch_id": [sent["batch_id"], opened["batch_id"]],
            "import_id": [import_id],
            "decision_id": [decided["decisions"][0]["decision_id"]],
            "provider": [saved["provider"]],
        }

    def plan(self, case_id: str, *steps: str) -> str:
        """A plan owned by the case's principal, taken through `steps` by who may take each."""
        body = plan_body((case_id, "m1", 1), start=PLAN_START)
        plan_id: str = self.post(Role.OFFICER, "/business-plans", body)["plan_id"]
        by = {"submission": Role.OFFICER, "assessment": Role.APPROVER}
        for name in steps:
            path = f"/business-plans/{plan_id}/{name}"
            self.post(
                by.get(name, Role.APPROVER), path, assessment() if name == "assessment" else None
            )
        return plan_id

    def project(self, case_id: str, *steps: str) -> str:
        """A community project of the case's principal, taken through `steps`."""
        body = project_body((case_id, "m1"), start=PLAN_START)
        project_id: str = self.post(Role.OFFICER, "/community-projects", body)["project_id"]
        for name in steps:
            role = Role.OFFICER if name == "submission" else Role.APPROVER
            self.post(role, f"/community-projects/{project_id}/{name}")
        return project_id

    def member(self, office: str, member_id: str, role: str, born: int) -> dict[str, Any]:
        """A member naming a person newly registered by the admin."""
        person_id = self.post(Role.ADMIN, "/persons", _person(office, born))["person_id"]
        return {"member_id": member_id, "person_id": person_id, "role": role}

    def case(self, role: Role, office: str) -> str:
        members = [
            self.member(office, "m1", "principal", 1990),
            self.member(office, "m2", "dependant", 2015),
            self.member(office, "m3", "dependant", 2018),
        ]
        body = {
            "programme_id": "eurp",
            "office": office,
            "country_of_return": "SN",
            "return_date": RETURNED,
            "return_type": "assisted_voluntary",
            "members": members,
        }
        case_id: str = self.post(role, "/cases", body)["case_id"]
        return case_id

    def package(self, role: Role, case_id: str) -> str:
        components = [
            _component("m1", "cash", "other", "300.00"),
            _component("m1", "in_kind", "business", "900.00", supplier="Shop"),
            _component("m2", "in_kind", "education", "400.00", supplier="School"),
        ]
        body = {"budget_line": "individual", "components": components}
        package_id: str = self.post(role, f"/cases/{case_id}/packages", body)["package_id"]
        return package_id

    def disbursement(
        self, package_id: str, component_id: str, amount: str, channel: str = "mobile_money"
    ) -> str:
        body: dict[str, Any] = {
            "component_id": component_id,
            "amount": {"amount": amount, "currency": "EUR"},
            "channel": channel,
        }
        if component_id != "c1":  # the in-kind ones: paid to the supplier against an invoice
            body.update(channel="supplier_transfer", invoice_ref=f"inv-{component_id}")
        found = self.post(Role.OFFICER, f"/packages/{package_id}/disbursements", body)
        disbursement_id: str = found["disbursement_id"]
        return disbursement_id


def _person(office: str, born: int) -> dict[str, Any]:
    return {
        "office": office,
        "given_names": "Test",
        "family_name": "Person",
        "birth_year": born,
        "nationality": "SN",
        "payout": payout_body("SN"),
        "external_refs": [f"ref-{uuid.uuid4().hex[:16]}"],
    }


def _component(
    member_id: str, form: str, category: str, amount: str, supplier: str | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "member_id": member_id,
        "form": form,
        "category": category,
        "amount": {"amount": amount, "currency": "EUR"},
    }
    if supplier is not None:
        found["supplier"] = supplier
    return found


def _key() -> str:
    return f"st-{uuid.uuid4().hex}"


def _seed() -> None:
    records = ApiRecords(STORE.engine)
    for role, (user_id, offices) in USERS.items():
        TOKENS[role.value] = add_user(records, user_id, NOW, role=role, offices=offices)
    policy = json.loads(policy_to_json(load_policy(POLICY_FILE.read_bytes())))
    programme = {
        "programme_id": "eurp",
        "name": "EU Reintegration Programme",
        "currency": "EUR",
        "budget_lines": [{"code": "individual", "label": "Individual", "amount": "100000.00"}],
    }
    rate = {
        "base": "EUR",
        "quote": "XOF",
        "rate": "655.957",
        "source": "BCEAO",
        "valid_from": "2024-01-01",
    }
    # A second app over the same store: the one under test keeps its lifespan to schemathesis.
    with TestClient(create_app(STORE, clock=lambda: NOW)) as client:
        seed = Seeder(client)
        seed.post(Role.ADMIN, "/programmes", programme)
        seed.post(Role.ADMIN, "/programmes/eurp/policies", policy)
        seed.post(Role.FINANCE, "/fx-rates", rate)
        cases = [seed.case(Role.OFFICER, OFFICE) for _ in range(3)]
        cases.append(seed.case(Role.PARTNER, PARTNER_OFFICE))
        draft = seed.package(Role.OFFICER, cases[0])
        submitted = seed.package(Role.OFFICER, cases[1])
        seed.post(Role.OFFICER, f"/packages/{submitted}/submission")
        approved = seed.package(Role.OFFICER, cases[2])
        seed.post(Role.OFFICER, f"/packages/{approved}/submission")
        seed.post(Role.APPROVER, f"/packages/{approved}/approval")
        partner = seed.package(Role.PARTNER, cases[3])
        requested = seed.disbursement(approved, "c1", "100.00")
        sent = seed.disbursement(approved, "c1", "50.00")
        seed.post(Role.FINANCE, f"/disbursements/{sent}/approval")
        by_bank = seed.disbursement(approved, "c1", "20.00", channel="bank")
        seed.post(Role.APPROVER, f"/disbursements/{by_bank}/approval")
        paid = seed.disbursement(approved, "c2", "900.00")
        seed.post(Role.FINANCE, f"/disbursements/{paid}/approval")
        seed.post(Role.ADMIN, f"/disbursements/{paid}/confirmation", {"provider_ref": "tx-1"})
        owner = seed.case(Role.OFFICER, OFFICE)
        plans = [
            seed.plan(owner),
            seed.plan(owner, "submission"),
            seed.plan(owner, "submission", "assessment"),
        ]
        active = seed.plan(owner, "submission", "assessment", "approval", "activation")
        evidence = f"/business-plans/{active}/milestones"
        seed.upload(
            f"{evidence}/registered/evidence", upload("registration_certificate", pdf("st"))
        )
        seed.post(Role.APPROVER, f"{evidence}/registered/verification")
        seed.upload(f"{evidence}/equipped/evidence", upload("monitoring_report", png("st")))
        seed.post(Role.FINANCE, f"/business-plans/{active}/tranches/t1/release", RELEASE)
        garden = seed.case(Role.OFFICER, OFFICE)
        projects = [seed.project(garden), seed.project(garden, "submission")]
        running = seed.project(garden, "submission", "approval")
        milestones = f"/community-projects/{running}/milestones"
        seed.upload(f"{milestones}/cleared/evidence", upload("photo", png("st-garden")))
        seed.post(Role.APPROVER, f"{milestones}/cleared/verification")
        released = seed.post(
            Role.OFFICER, f"/community-projects/{running}/tranches/c1/release", PROJECT_RELEASE
        )
        seed.upload(f"{milestones}/planted/evidence", upload("monitoring_report", pdf("st-garden")))
        rounds = [seed.post(Role.APPROVER, rounds_path("eurp"), DRAW)["round_id"] for _ in "ab"]
        missing = answer_body(paid, "not_received")
        seed.post(Role.OFFICER, f"{rounds_path('eurp', rounds[1])}/answers", missing)
        reconciled = seed.reconciliation("eurp")
    KNOWN_IDS.update(
        **reconciled,
        programme_id=["eurp"],
        case_id=cases,
        package_id=[draft, submitted, approved, partner],
        disbursement_id=[requested, sent, paid, released["payments"][0]["payment_id"]],
        plan_id=[*plans, active],
        milestone_id=["registered", "equipped", "cleared", "planted", "pumping"],
        tranche_id=["t1", "t2", "c1", "c2", "k1"],
        project_id=[*projects, running],
        round_id=rounds,
        follow_up_id=["fu1"],
    )


@pytest.fixture(scope="module")
def seeded(request: pytest.FixtureRequest) -> Iterator[None]:
    """Seed once; at the end, when every generated test of the module ran, count the cases."""
    _seed()
    yield
    authenticated = sum(n for caller, n in RAN.items() if caller != ANONYMOUS)
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nschemathesis: {sum(RAN.values())} generated cases, {authenticated} "
                f"authenticated ({dict(sorted(RAN.items()))})"
            )
    module = sys.modules[__name__]
    selected = [
        item
        for item in request.session.items
        if getattr(item, "module", None) is module and "seeded" in getattr(item, "fixturenames", ())
    ]
    everything_ran = len(selected) == len(CALLERS) * len(fuzzed) and not request.session.testsfailed
    if everything_ran:
        assert authenticated >= MIN_CASES, f"only {authenticated} authenticated cases ran"


@pytest.mark.parametrize("caller", [Role.ADMIN.value])  # (also names each test by operation)
@thorough.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_admin_gets_documented_answers_and_no_server_error(
    case: Case[Any], caller: str, seeded: None
) -> None:
    call_and_validate(case, caller)


@pytest.mark.parametrize("caller", [c for c in CALLERS if c != Role.ADMIN.value])
@fuzzed.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_caller_gets_documented_answers_and_no_server_error(
    case: Case[Any], caller: str, seeded: None
) -> None:
    call_and_validate(case, caller)


def call_and_validate(case: Case[Any], caller: str) -> None:
    """Send `case` as `caller` with a fresh Idempotency-Key; check status, headers and body."""
    if caller != ANONYMOUS:
        case.headers["Authorization"] = f"Bearer {TOKENS[caller]}"
    key = case.headers.get("Idempotency-Key")
    if case.method.upper() == "POST" and isinstance(key, str) and IDEMPOTENCY_KEY.match(key):
        case.headers["Idempotency-Key"] = _key()
    RAN[caller] += 1
    case.call_and_validate(checks=CHECKS)


def test_the_schema_declares_bearer_auth_headers_and_problem_answers() -> None:
    document = fuzzed.raw_schema
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert document["security"] == [{"bearer": []}]
    assert document["paths"]["/health"]["get"]["security"] == [{}]
    operations = [
        (path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if path != "/health"
    ]
    for path, method, op in operations:
        headers = {
            p["name"]: p.get("required", False)
            for p in op.get("parameters", [])
            if p["in"] == "header"
        }
        problems = {
            status: answer["content"]["application/problem+json"]["schema"]
            for status, answer in op["responses"].items()
            if status.startswith("4")
        }
        assert problems["401"] == {"$ref": "#/components/schemas/Problem"}, (path, method)
        if method == "post":
            assert headers["Idempotency-Key"] is True, (path, method)
            assert {"400", "409", "413", "422"} <= set(problems), (path, method)
        if "If-Match" in headers:
            assert headers["If-Match"] is False, (path, method)
            assert "412" in problems, (path, method)
    assert any("If-Match" in str(op.get("parameters")) for _, _, op in operations)
