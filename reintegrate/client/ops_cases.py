"""Cases, their packages and the packages' disbursements."""

from __future__ import annotations

import datetime as dt

from api import schemas as s
from reintegrate.client.calls import Call, IfMatch, get, post
from reintegrate.client.operations import operation


class CaseOperations:
    @operation
    def register_case(body: s.CaseCreate) -> Call[s.CaseView]:
        return post("/cases", s.CaseView, body)

    @operation
    def get_case(case_id: str) -> Call[s.CaseView]:
        return get("/cases/{case_id}", s.CaseView, case_id=case_id)

    @operation
    def get_entitlement(case_id: str, *, as_of: dt.date | None = None) -> Call[s.EntitlementView]:
        return get("/cases/{case_id}/entitlement", s.EntitlementView, case_id=case_id, as_of=as_of)

    @operation
    def list_packages(case_id: str) -> Call[s.PackageList]:
        return get("/cases/{case_id}/packages", s.PackageList, case_id=case_id)

    @operation
    def draft_package(case_id: str, body: s.PackageCreate) -> Call[s.PackageView]:
        return post("/cases/{case_id}/packages", s.PackageView, body, case_id=case_id)


PACKAGE = "/packages/{package_id}"


class PackageOperations:
    @operation
    def get_package(package_id: str) -> Call[s.PackageView]:
        return get(PACKAGE, s.PackageView, package_id=package_id)

    @operation
    def submit_package(package_id: str, *, if_match: IfMatch = None) -> Call[s.PackageView]:
        return post(f"{PACKAGE}/submission", s.PackageView, tag=if_match, package_id=package_id)

    @operation
    def approve_package(package_id: str, *, if_match: IfMatch = None) -> Call[s.PackageView]:
        return post(f"{PACKAGE}/approval", s.PackageView, tag=if_match, package_id=package_id)

    @operation
    def reject_package(
        package_id: str, body: s.ReasonIn, *, if_match: IfMatch = None
    ) -> Call[s.PackageView]:
        path = f"{PACKAGE}/rejection"
        return post(path, s.PackageView, body, tag=if_match, package_id=package_id)

    @operation
    def cancel_package(
        package_id: str, body: s.ReasonIn, *, if_match: IfMatch = None
    ) -> Call[s.PackageView]:
        path = f"{PACKAGE}/cancellation"
        return post(path, s.PackageView, body, tag=if_match, package_id=package_id)

    @operation
    def close_package(package_id: str, *, if_match: IfMatch = None) -> Call[s.PackageView]:
        return post(f"{PACKAGE}/closure", s.PackageView, tag=if_match, package_id=package_id)

    @operation
    def list_disbursements(package_id: str) -> Call[s.DisbursementList]:
        return get(f"{PACKAGE}/disbursements", s.DisbursementList, package_id=package_id)

    @operation
    def request_disbursement(
        package_id: str, body: s.DisbursementCreate
    ) -> Call[s.DisbursementView]:
        path = f"{PACKAGE}/disbursements"
        return post(path, s.DisbursementView, body, package_id=package_id)


DISBURSEMENT = "/disbursements/{disbursement_id}"


class DisbursementOperations:
    @operation
    def get_disbursement(disbursement_id: str) -> Call[s.DisbursementView]:
        return get(DISBURSEMENT, s.DisbursementView, disbursement_id=disbursement_id)

    @operation
    def approve_disbursement(
        disbursement_id: str, *, if_match: IfMatch = None
    ) -> Call[s.DisbursementView]:
        path = f"{DISBURSEMENT}/approval"
        return post(path, s.DisbursementView, tag=if_match, disbursement_id=disbursement_id)

    @operation
    def confirm_disbursement(
        disbursement_id: str, body: s.ConfirmationIn, *, if_match: IfMatch = None
    ) -> Call[s.DisbursementView]:
        path = f"{DISBURSEMENT}/confirmation"
        return post(path, s.DisbursementView, body, tag=if_match, disbursement_id=disbursement_id)

    @operation
    def fail_disbursement(
        disbursement_id: str, body: s.FailureIn, *, if_match: IfMatch = None
    ) -> Call[s.DisbursementView]:
        path = f"{DISBURSEMENT}/failure"
        return post(path, s.DisbursementView, body, tag=if_match, disbursement_id=disbursement_id)

    @operation
    def reverse_disbursement(
        disbursement_id: str, body: s.ReasonIn, *, if_match: IfMatch = None
    ) -> Call[s.DisbursementView]:
        path = f"{DISBURSEMENT}/reversal"
        return post(path, s.DisbursementView, body, tag=if_match, disbursement_id=disbursement_id)
