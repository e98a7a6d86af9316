"""The lists that take filters (docs/api.md, Lists): each filter given narrows what the
caller may see; `created_since` and `updated_since` are aware datetimes. A page's
`next_cursor` is valid only with the same filters; `.all(...)` walks every page."""

from __future__ import annotations

import datetime as dt

from api import schemas as s
from api import schemas_business as sb
from api import schemas_community as scm
from api import schemas_reconciliation as sr
from api import schemas_verification as sv
from reintegrate.client.calls import Call, get
from reintegrate.client.operations import paged

Since = dt.datetime | None


class ListOperations:
    @paged(s.CaseView)
    def list_cases(
        *,
        office: str | None = None,
        programme_id: str | None = None,
        person_id: str | None = None,
        created_since: Since = None,
        updated_since: Since = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Call[s.CasePage]:
        return get(
            "/cases",
            s.CasePage,
            office=office,
            programme_id=programme_id,
            person_id=person_id,
            created_since=created_since,
            updated_since=updated_since,
            limit=limit,
            cursor=cursor,
        )

    @paged(s.PackageView)
    def find_packages(
        *,
        status: str | None = None,
        office: str | None = None,
        programme_id: str | None = None,
        person_id: str | None = None,
        created_since: Since = None,
        updated_since: Since = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Call[s.PackagePage]:
        return get(
            "/packages",
            s.PackagePage,
            status=status,
            office=office,
            programme_id=programme_id,
            person_id=person_id,
            created_since=created_since,
            updated_since=updated_since,
            limit=limit,
            cursor=cursor,
        )

    @paged(s.DisbursementView)
    def find_disbursements(
        *,
        status: str | None = None,
        office: str | None = None,
        programme_id: str | None = None,
        channel: str | None = None,
        person_id: str | None = None,
        created_since: Since = None,
        updated_since: Since = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Call[s.DisbursementPage]:
        return get(
            "/disbursements",
            s.DisbursementPage,
            status=status,
            office=office,
            programme_id=programme_id,
            channel=channel,
            person_id=person_id,
            created_since=created_since,
            updated_since=updated_since,
            limit=limit,
            cursor=cursor,
        )

    @paged(sb.BusinessPlanView)
    def list_plans(
        *,
        status: str | None = None,
        office: str | None = None,
        programme_id: str | None = None,
        created_since: Since = None,
        updated_since: Since = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Call[sb.BusinessPlanPage]:
        return get(
            "/business-plans",
            sb.BusinessPlanPage,
            status=status,
            office=office,
            programme_id=programme_id,
            created_since=created_since,
            updated_since=updated_since,
            limit=limit,
            cursor=cursor,
        )

    @paged(scm.CommunityProjectView)
    def list_projects(
        *,
        status: str | None = None,
        office: str | None = None,
        programme_id: str | None = None,
        created_since: Since = None,
        updated_since: Since = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Call[scm.CommunityProjectPage]:
        return get(
            "/community-projects",
            scm.CommunityProjectPage,
            status=status,
            office=office,
            programme_id=programme_id,
            created_since=created_since,
            updated_since=updated_since,
            limit=limit,
            cursor=cursor,
        )

    @paged(sr.PaymentBatchView)
    def list_batches(
        *,
        status: str | None = None,
        programme_id: str | None = None,
        channel: str | None = None,
        created_since: Since = None,
        updated_since: Since = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Call[sr.PaymentBatchPage]:
        return get(
            "/payment-batches",
            sr.PaymentBatchPage,
            status=status,
            programme_id=programme_id,
            channel=channel,
            created_since=created_since,
            updated_since=updated_since,
            limit=limit,
            cursor=cursor,
        )

    @paged(sr.StatementImportView)
    def list_imports(
        *,
        programme_id: str | None = None,
        created_since: Since = None,
        updated_since: Since = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Call[sr.StatementImportPage]:
        return get(
            "/statement-imports",
            sr.StatementImportPage,
            programme_id=programme_id,
            created_since=created_since,
            updated_since=updated_since,
            limit=limit,
            cursor=cursor,
        )

    @paged(sv.VerificationRoundView)
    def list_verification_rounds(
        programme_id: str,
        *,
        created_since: Since = None,
        updated_since: Since = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Call[sv.VerificationRoundPage]:
        return get(
            "/programmes/{programme_id}/receipt-verifications",
            sv.VerificationRoundPage,
            programme_id=programme_id,
            created_since=created_since,
            updated_since=updated_since,
            limit=limit,
            cursor=cursor,
        )
