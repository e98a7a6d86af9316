"""A small world built through the API once per session and restored before every test.

Users: one per role in office "dakar" (admin and auditor see every office), and the
office-scoped roles again in "lagos", so that every route can be tried on another office's
object by a caller whose role it allows. The world holds the EU programme under its example
policy, a dakar case and a lagos case, packages in every state a route starts from and
disbursements in every state; every object is created with API requests, so building the
world already tests the happy path of most POST routes. The store is SQLite on a file; before
each test the file gets back the snapshot taken right after the world was built.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.app import create_app
from reintegrate.access import Role
from reintegrate.policy import load_policy, policy_to_json
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore
from tests.api.community import ProjectIds, build_projects
from tests.api.plans import FilePart, PlanIds, build_plans, household_body
from tests.api.reconciliation import ReconciliationIds, build_reconciliation, payout_body
from tests.api.verification import RoundIds, build_rounds

FIXED_NOW = dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC)
"""The API's clock in every test."""
RETURNED = dt.date(2025, 5, 1)
DAKAR, LAGOS = "dakar", "lagos"
PROGRAMME = "eurp"
LINE = "individual"
EU_POLICY_FILE = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "policies"
    / "eu-reintegration-programme.toml"
)

USERS: dict[str, tuple[Role, frozenset[str]]] = {
    "admin": (Role.ADMIN, frozenset()),
    "auditor": (Role.AUDITOR, frozenset()),
    "officer": (Role.OFFICER, frozenset({DAKAR})),
    "approver": (Role.APPROVER, frozenset({DAKAR})),
    "finance": (Role.FINANCE, frozenset({DAKAR})),
    "partner": (Role.PARTNER, frozenset({DAKAR})),
    "officer-lagos": (Role.OFFICER, frozenset({LAGOS})),
    "approver-lagos": (Role.APPROVER, frozenset({LAGOS})),
    "finance-lagos": (Role.FINANCE, frozenset({LAGOS})),
    "partner-lagos": (Role.PARTNER, frozenset({LAGOS})),
}
"""Users by id: their role and offices."""


def user_with(role: Role, office: str = DAKAR) -> str:
    """The id of the user with `role` (in `office` when the role works for one)."""
    for user_id, (their_role, offices) in USERS.items():
        if their_role is role and (not offices or office in offices):
            return user_id
    raise LookupError(f"no {role} user in {office}")


class ApiClient(TestClient[Litestar]):
    """A test client that knows every user's bearer token."""

    def __init__(self, app: Litestar, tokens: dict[str, str]) -> None:
        super().__init__(app)
        self.tokens = tokens


def call(
    client: ApiClient,
    who: str | None,
    method: str,
    path: str,
    body: Any = None,
    *,
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A request as user `who` (None: without a token). A POST gets an Idempotency-Key, unique
    unless `key` is given; a body that is not bytes is sent as JSON, encoded by msgspec, so
    that tests know the exact bytes; a dict holding a `FilePart` is sent as a form
    (multipart/form-data)."""
    sent = dict(headers or {})
    if who is not None:
        sent["Authorization"] = f"Bearer {client.tokens[who]}"
    if method == "POST":
        sent.setdefault("Idempotency-Key", key or f"key-{uuid.uuid4().hex}")
    if isinstance(body, dict) and any(isinstance(v, FilePart) for v in body.values()):
        files = {
            k: (v.filename, v.content, v.media_type)
            for k, v in body.items()
            if isinstance(v, FilePart)
        }
        fields = {k: str(v) for k, v in body.items() if not isinstance(v, FilePart)}
        return client.request(method, path, data=fields, files=files, headers=sent)
    content: bytes | None = None
    if body is not None:
        content = body if isinstance(body, bytes) else msgspec.json.encode(body)
        sent.setdefault("Content-Type", "application/json")
    return client.request(method, path, content=content, headers=sent)


def created(response: httpx.Response, field: str) -> str:
    """`field` of a successful response; fails the test with the problem otherwise."""
    assert response.is_success, f"{response.status_code}: {response.text}"
    value = response.json()[field]
    assert isinstance(value, str)
    return value


def eu_policy_json(**changes: object) -> dict[str, Any]:
    """The EU programme's example policy as the JSON document POST .../policies takes."""
    document: dict[str, Any] = msgspec.json.decode(
        policy_to_json(load_policy(EU_POLICY_FILE.read_bytes()))
    )
    document.update(changes)
    return document


def programme_body(programme_id: str = PROGRAMME) -> dict[str, Any]:
    return {
        "programme_id": programme_id,
        "name": "EU Reintegration Programme",
        "currency": "EUR",
        "budget_lines": [{"code": LINE, "label": "individual packages", "amount": "100000.00"}],
    }


def person_body(office: str, *, birth_year: int, country: str = "SN") -> dict[str, Any]:
    """A plainly fake person with a fresh external reference (so that no one registered
    earlier matches them)."""
    return {
        "office": office,
        "given_names": "Test",
        "family_name": f"Person-{uuid.uuid4().hex[:8]}",
        "birth_year": birth_year,
        "nationality": country,
        "external_refs": [f"ref-{uuid.uuid4().hex[:16]}"],
    }


def register_person(client: ApiClient, office: str, birth_year: int, country: str) -> str:
    body = person_body(office, birth_year=birth_year, country=country)
    body["payout"] = payout_body(country)
    return created(call(client, "admin", "POST", "/persons", body), "person_id")


def case_body(
    client: ApiClient,
    office: str = DAKAR,
    *,
    dependants: int = 2,
    country: str = "SN",
    dependant_birth_year: int = 2015,
) -> dict[str, Any]:
    """A household returned on RETURNED: principal `p` (born 1985), dependants `d1`, `d2`...;
    each a person newly registered (by the admin), so that no case looks like earlier
    assistance to another."""
    members = [
        {
            "member_id": "p",
            "person_id": register_person(client, office, 1985, country),
            "role": "principal",
        }
    ] + [
        {
            "member_id": f"d{i}",
            "person_id": register_person(client, office, dependant_birth_year, country),
            "role": "dependant",
        }
        for i in range(1, dependants + 1)
    ]
    return {
        "programme_id": PROGRAMME,
        "office": office,
        "country_of_return": country,
        "return_date": RETURNED.isoformat(),
        "return_type": "assisted_voluntary",
        "members": members,
    }


def eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


def cash(amount: str, member_id: str = "p") -> dict[str, Any]:
    return {"member_id": member_id, "form": "cash", "category": "business", "amount": eur(amount)}


def in_kind(amount: str, member_id: str = "p") -> dict[str, Any]:
    return {
        "member_id": member_id,
        "form": "in_kind",
        "category": "housing",
        "amount": eur(amount),
        "supplier": "builders-cooperative",
    }


def package_body(*components: dict[str, Any]) -> dict[str, Any]:
    return {"budget_line": LINE, "components": list(components)}


def cash_request(amount: str, component_id: str = "c1") -> dict[str, Any]:
    return {"component_id": component_id, "amount": eur(amount), "channel": "mobile_money"}


@dataclass(frozen=True)
class Ids(PlanIds, ProjectIds, RoundIds, ReconciliationIds):
    """What the world holds. Dakar case: principal p and dependants d1, d2 (4,615.00 EUR in
    all, 615.00 of it in cash); the approved package (c1: 615.00 cash, c2: 2,000.00 in kind
    for p) has one disbursement of 100.00 on c1 in each state; the closable package (300.00 in
    kind for d2) is approved with nothing in flight. A second dakar household owns business
    plans in every state (tests/api/plans.py), and its principal takes part in community
    projects in every state (tests/api/community.py); receipt verification rounds sample the
    plans' paid tranches (tests/api/verification.py). The lagos household's cash payments
    are batched, exported and reconciled against a provider's statement
    (tests/api/reconciliation.py)."""

    programme: str
    dakar_case: str
    lagos_case: str
    dakar_person: str
    """The dakar case's principal."""
    lagos_person: str
    draft_package: str
    submitted_package: str
    approved_package: str
    closable_package: str
    requested_disbursement: str
    approved_disbursement: str
    paid_disbursement: str


@dataclass(frozen=True)
class World(Ids):
    client: ApiClient
    store: SqlStore

    def journal_length(self) -> int:
        return sum(1 for _ in self.store.entries())


def draft(client: ApiClient, case_id: str, *components: dict[str, Any]) -> str:
    response = call(
        client, "officer", "POST", f"/cases/{case_id}/packages", package_body(*components)
    )
    return created(response, "package_id")


def submit(client: ApiClient, package_id: str) -> str:
    response = call(client, "officer", "POST", f"/packages/{package_id}/submission")
    assert created(response, "status") == "submitted"
    return package_id


def approve(client: ApiClient, package_id: str) -> str:
    response = call(client, "approver", "POST", f"/packages/{package_id}/approval")
    assert created(response, "status") == "approved"
    return package_id


def request_payment(client: ApiClient, package_id: str, amount: str = "100.00") -> str:
    path = f"/packages/{package_id}/disbursements"
    return created(call(client, "officer", "POST", path, cash_request(amount)), "disbursement_id")


def approve_payment(client: ApiClient, disbursement_id: str) -> str:
    response = call(client, "approver", "POST", f"/disbursements/{disbursement_id}/approval")
    assert created(response, "status") == "approved"
    return disbursement_id


def confirm_payment(client: ApiClient, disbursement_id: str) -> str:
    path = f"/disbursements/{disbursement_id}/confirmation"
    response = call(client, "finance", "POST", path, {"provider_ref": "mm-1"})
    assert created(response, "status") == "paid"
    return disbursement_id


def build_world(client: ApiClient) -> Ids:
    """Everything through the API, each step checked."""
    created(call(client, "admin", "POST", "/programmes", programme_body()), "programme_id")
    path = f"/programmes/{PROGRAMME}/policies"
    created(call(client, "admin", "POST", path, eu_policy_json()), "version")
    dakar_body = case_body(client, DAKAR)
    dakar = created(call(client, "officer", "POST", "/cases", dakar_body), "case_id")
    lagos_body = case_body(client, LAGOS, dependants=0, country="NG")
    lagos = created(call(client, "officer-lagos", "POST", "/cases", lagos_body), "case_id")
    approved = approve(
        client, submit(client, draft(client, dakar, cash("615.00"), in_kind("2000.00")))
    )
    closable = approve(client, submit(client, draft(client, dakar, in_kind("300.00", "d2"))))
    household = household_body(DAKAR, functools.partial(case_body, client))
    business = created(call(client, "officer", "POST", "/cases", household), "case_id")

    def post(who: str, path: str, body: Any) -> dict[str, Any]:
        response = call(client, who, "POST", path, body)
        assert response.is_success, f"{path}: {response.status_code}: {response.text}"
        answer: dict[str, Any] = response.json()
        return answer

    plans = build_plans(post, business)
    projects = build_projects(post, business)
    rounds = build_rounds(post, PROGRAMME)
    reconciled = build_reconciliation(
        lambda who, method, path, body: call(client, who, method, path, body), PROGRAMME, lagos
    )
    return Ids(
        **vars(plans),
        **vars(projects),
        **vars(rounds),
        **vars(reconciled),
        programme=PROGRAMME,
        dakar_case=dakar,
        lagos_case=lagos,
        dakar_person=dakar_body["members"][0]["person_id"],
        lagos_person=lagos_body["members"][0]["person_id"],
        draft_package=draft(client, dakar, in_kind("200.00", "d1")),
        submitted_package=submit(client, draft(client, dakar, in_kind("500.00", "d1"))),
        approved_package=approved,
        closable_package=closable,
        requested_disbursement=request_payment(client, approved),
        approved_disbursement=approve_payment(client, request_payment(client, approved)),
        paid_disbursement=confirm_payment(
            client, approve_payment(client, request_payment(client, approved))
        ),
    )


def add_users(store: SqlStore) -> dict[str, str]:
    """Every user of USERS, with the token add_user shows once."""
    records = ApiRecords(store.engine)
    return {
        user_id: add_user(records, user_id, FIXED_NOW, role=role, offices=offices)
        for user_id, (role, offices) in USERS.items()
    }


def copy_database(source: Path, target: Path) -> None:
    """Replace the content of the SQLite file `target` by that of `source` (no one connected)."""
    with (
        contextlib.closing(sqlite3.connect(source)) as reader,
        contextlib.closing(sqlite3.connect(target)) as writer,
    ):
        reader.backup(writer)


@dataclass(frozen=True)
class Session:
    client: ApiClient
    store: SqlStore
    tokens: dict[str, str]
    ids: Ids
    database: Path
    snapshot: Path


@pytest.fixture(scope="session")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """One store, app and client for the session; the world is built once, through the API.

    Building an app costs a fifth of a second, so every test shares this one; each test gets
    the world afresh by copying a snapshot of the database back into the store's file.
    """
    folder = tmp_path_factory.mktemp("api")
    database, snapshot = folder / "api.sqlite", folder / "world.sqlite"
    store = SqlStore(f"sqlite:///{database}")
    store.create_all()
    tokens = add_users(store)
    app = create_app(store, clock=lambda: FIXED_NOW)
    with ApiClient(app, dict(tokens)) as client:
        ids = build_world(client)
        store.engine.dispose()
        copy_database(database, snapshot)
        yield Session(client, store, tokens, ids, database, snapshot)
    store.engine.dispose()


@pytest.fixture
def store(session: Session) -> SqlStore:
    """The session's store, holding the world as it was just built, whatever earlier tests did."""
    session.store.engine.dispose()  # closes every pooled connection to the file
    copy_database(session.snapshot, session.database)
    return session.store


@pytest.fixture
def client(session: Session, store: SqlStore) -> ApiClient:
    session.client.tokens = dict(session.tokens)
    return session.client


@pytest.fixture
def world(session: Session, client: ApiClient, store: SqlStore) -> World:
    return World(**vars(session.ids), client=client, store=store)


def problem_of(response: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    """The problem+json body of `response`, checked to have `status` and `type`."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    media_type = response.headers["content-type"].split(";")[0].strip()
    assert media_type == "application/problem+json", response.headers["content-type"]
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{type_}", body
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body
