"""The Litestar application: routes, bearer auth, problem+json, idempotency, OpenAPI 3.1."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from anyio import CapacityLimiter
from litestar import Controller, Litestar
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from api.array_structs import ArrayLikeStructs
from api.body_rules import body_rules_middleware
from api.docs_assets import assets_router, swagger_plugin
from api.idempotency import idempotency_middleware
from api.logs import request_log_middleware
from api.operations import OperationIds, describe
from api.problems import EXCEPTION_HANDLERS
from api.query_rules import declared, query_rules_middleware
from api.routes_admin import (
    FxRateController,
    HealthController,
    JournalController,
    ProgrammeController,
)
from api.routes_audit import AuditController
from api.routes_business import BusinessPlanController
from api.routes_business_milestones import (
    BusinessPlanEvidenceController,
    BusinessPlanMilestoneController,
)
from api.routes_case_imports import CaseImportController
from api.routes_cases import CaseController
from api.routes_community import CommunityProjectController
from api.routes_community_activities import (
    CommunityProjectActivityController,
    CommunityProjectEvidenceController,
)
from api.routes_dashboard import DashboardController, dashboard_assets
from api.routes_disbursements import DisbursementController
from api.routes_events import EventController
from api.routes_outcomes import OutcomesController
from api.routes_packages import PackageController
from api.routes_payment_batches import PaymentBatchController, ProgrammePaymentBatchController
from api.routes_persons import AccessLogController, PersonController
from api.routes_provider_mappings import ProviderMappingController
from api.routes_reconciliation import ReconciliationController
from api.routes_reports import FinancialReportController
from api.routes_statement_imports import (
    ProgrammeStatementImportController,
    StatementImportController,
)
from api.routes_surveys import (
    CaseFollowUpController,
    FollowUpController,
    PersonResponsesController,
    SurveyInstrumentController,
)
from api.routes_verification import ReceiptVerificationController
from api.routes_webhooks import WebhookSubscriptionController
from api.security import PUBLIC_PATHS, BearerTokens, roles_of
from reintegrate.services.dashboard_outcomes import SurveyOutcomes
from reintegrate.services.outcomes import outcome_sources
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.fast_sql import HeldReader
from reintegrate.store.queries import Queries
from reintegrate.store.queries_business import PlanQueries
from reintegrate.store.queries_community import ProjectQueries
from reintegrate.store.queries_events import EventFeed
from reintegrate.store.sql import SqlStore, make_engine
from reintegrate.store.sql_webhooks import WebhookRows

ROUTES: list[type[Controller]] = [
    HealthController,
    ProgrammeController,
    FxRateController,
    PersonController,
    AccessLogController,
    CaseController,
    CaseImportController,
    PackageController,
    DisbursementController,
    BusinessPlanController,
    BusinessPlanMilestoneController,
    BusinessPlanEvidenceController,
    CommunityProjectController,
    CommunityProjectActivityController,
    CommunityProjectEvidenceController,
    FinancialReportController,
    OutcomesController,
    DashboardController,
    ProgrammePaymentBatchController,
    PaymentBatchController,
    ProgrammeStatementImportController,
    StatementImportController,
    ProviderMappingController,
    ReconciliationController,
    ReceiptVerificationController,
    JournalController,
    AuditController,
    EventController,
    WebhookSubscriptionController,
    SurveyInstrumentController,
    FollowUpController,
    CaseFollowUpController,
    PersonResponsesController,
]


SQLITE_RECORD_THREADS = 4
"""On SQLite, at most this many threads of this process claim or complete Idempotency-Keys
(and, on an in-memory database, look up tokens) at once. Each call is a statement or two,
in-process, that queues for the one writer connection or for the GIL anyway, so more
threads only add wake-ups and GIL hand-offs: with anyio's default of 40, a 2-core machine
served 5-10 % fewer requests per second, with up to twice the context switches per request
when other processes competed for the cores.
Requests beyond these wait in the event loop, where waiting costs nothing. On PostgreSQL the
calls wait on the network, and anyio's default lets more of them overlap."""


def record_threads(store: SqlStore) -> CapacityLimiter | None:
    """The threads for the API's own records (None: anyio's default, see above)."""
    on_sqlite = store.engine.dialect.name == "sqlite"
    return CapacityLimiter(SQLITE_RECORD_THREADS) if on_sqlite else None


def loop_records(store: SqlStore) -> ApiRecords | None:
    """On an SQLite file, the records the event loop itself reads tokens from (None: tokens
    are looked up in a worker thread). The look-up is one indexed SELECT of a local file,
    about 40 us, where handing it to a thread and back cost several times that in CPU; a
    WAL reader never waits for the writer, and this reader engine of its own is used by the
    loop alone, so it never waits for a pooled connection either."""
    if store.engine.dialect.name != "sqlite" or store.reader is store.engine:
        return None  # PostgreSQL waits on the network; an in-memory database is not shared
    reader = make_engine(store.url, writer=False)
    return ApiRecords(store.engine, reader, held=HeldReader(reader))


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_app(store: SqlStore, clock: Callable[[], dt.datetime] = utc_now) -> Litestar:
    """The API over `store`; `clock` gives command times (tests pass a fixed one)."""
    operation_ids = OperationIds()
    surveys = outcome_sources(store)
    app = Litestar(
        route_handlers=[*ROUTES, assets_router(), dashboard_assets()],
        state=State(
            {
                "store": store,
                "records": ApiRecords(store.engine, store.reader),
                "record_threads": record_threads(store),
                "loop_records": loop_records(store),
                "queries": Queries(store.reader),
                "event_feed": EventFeed(store.reader),
                "webhooks": WebhookRows(store.engine, store.keyring),
                "plan_queries": PlanQueries(store.reader),
                "project_queries": ProjectQueries(store.reader),
                "outcomes": SurveyOutcomes(store, surveys, lambda: clock().date()),
                "clock": clock,
                "command_lock": threading.Lock(),
                "outcome_sources": surveys,
            }
        ),
        middleware=[
            request_log_middleware,
            DefineMiddleware(BearerTokens, exclude=[f"^{p}" for p in PUBLIC_PATHS]),
            query_rules_middleware,
            body_rules_middleware,
            idempotency_middleware,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        plugins=[ArrayLikeStructs()],
        on_startup=[declared],  # each route's query parameters, before the first request
        request_max_body_size=1_000_000,
        openapi_config=OpenAPIConfig(
            title="reintegrate",
            version="0.1.0",
            description="Reintegration assistance for returning migrants: cases, entitlements "
            "under cap policies, packages, disbursements, business plans and community projects "
            "with milestone-gated tranches, journal. Errors are RFC 9457 problem+json.",
            path="/schema",
            render_plugins=[swagger_plugin()],
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
            ),
            security=[{"bearer": []}],
            operation_id_creator=operation_ids,
        ),
    )
    operation_ids.learn(app)  # before the schema is first asked for
    describe(app)
    _deny_by_default(app)
    return app


def _deny_by_default(app: Litestar) -> None:
    """Refuse to start when a route other than the public ones names no role."""
    for route in app.routes:
        if route.path.startswith(PUBLIC_PATHS):
            continue
        for handler in getattr(route, "route_handlers", []):
            if set(getattr(handler, "http_methods", ())) == {"OPTIONS"}:
                continue  # the automatic preflight answer
            if not roles_of(handler):
                raise RuntimeError(f"route {route.path} allows no role: add an allow(...) guard")
