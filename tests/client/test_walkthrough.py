"""The README's walk-through with curl, redone through the client, sync and async, against
the demo server in process: the same values come back, and the refusals it mentions are
raised as typed problems carrying their figures."""

from __future__ import annotations

import asyncio

import pytest

from api import schemas as s
from reintegrate.client import FourEyes, LimitExceeded
from tests.client import walkthrough as w
from tests.client.conftest import Demo


def test_the_readme_walkthrough_runs_through_the_client(demo_server: Demo) -> None:
    with demo_server.client("officer-dakar") as officer:
        approver = officer.as_user(demo_server.tokens["approver-dakar"])
        finance = officer.as_user(demo_server.tokens["finance-dakar"])
        treasurer = officer.as_user(demo_server.tokens["treasurer-dakar"])
        auditor = officer.as_user(demo_server.tokens["auditor-1"])

        parent = officer.register_person(w.person("Awa", 1990)).person_id
        child = officer.register_person(w.person("Binta", 2016)).person_id
        case = officer.register_case(w.household(parent, child)).case_id
        assert officer.get_entitlement(case).total == w.ENTITLED

        package = officer.draft_package(case, w.package()).package_id
        assert officer.submit_package(package).status == "submitted"
        assert approver.approve_package(package).status == "approved"

        payment = officer.request_disbursement(package, w.cash_in_cfa()).disbursement_id
        assert finance.approve_disbursement(payment).status == "approved"
        paid = treasurer.confirm_disbursement(payment, s.ConfirmationIn(provider_ref="OM-7731"))
        assert paid.programme_amount == w.PAID_IN_EUR

        newest = auditor.read_journal(newest_first=True, limit=1).items
        assert [entry.type for entry in newest] == ["DisbursementPaid"]


def test_the_readme_walkthrough_runs_through_the_async_client(demo_server: Demo) -> None:
    async def walk() -> None:
        async with demo_server.async_client("officer-dakar") as officer, officer.http:
            approver = officer.as_user(demo_server.tokens["approver-dakar"])
            finance = officer.as_user(demo_server.tokens["finance-dakar"])
            treasurer = officer.as_user(demo_server.tokens["treasurer-dakar"])
            auditor = officer.as_user(demo_server.tokens["auditor-1"])

            parent = (await officer.register_person(w.person("Awa", 1990))).person_id
            child = (await officer.register_person(w.person("Binta", 2016))).person_id
            case = (await officer.register_case(w.household(parent, child))).case_id
            assert (await officer.get_entitlement(case)).total == w.ENTITLED

            package = (await officer.draft_package(case, w.package())).package_id
            assert (await officer.submit_package(package)).status == "submitted"
            assert (await approver.approve_package(package)).status == "approved"

            requested = await officer.request_disbursement(package, w.cash_in_cfa())
            payment = requested.disbursement_id
            assert (await finance.approve_disbursement(payment)).status == "approved"
            confirmation = s.ConfirmationIn(provider_ref="OM-7731")
            paid = await treasurer.confirm_disbursement(payment, confirmation)
            assert paid.programme_amount == w.PAID_IN_EUR

            newest = (await auditor.read_journal(newest_first=True, limit=1)).items
            assert [entry.type for entry in newest] == ["DisbursementPaid"]

    asyncio.run(walk())


def test_refusals_are_raised_as_their_problem_types_with_their_figures(demo_server: Demo) -> None:
    with demo_server.client("officer-dakar") as officer:
        approver = officer.as_user(demo_server.tokens["approver-dakar"])
        finance = officer.as_user(demo_server.tokens["finance-dakar"])
        parent = officer.register_person(w.person("Awa", 1990)).person_id
        child = officer.register_person(w.person("Binta", 2016)).person_id
        case = officer.register_case(w.household(parent, child)).case_id
        package = officer.draft_package(case, w.package()).package_id
        officer.submit_package(package)
        approver.approve_package(package)

        with pytest.raises(LimitExceeded) as over:
            officer.request_disbursement(package, w.more_than_the_equipment())
        refused = over.value
        assert (refused.status, refused.type, refused.currency) == (422, "limit-exceeded", "EUR")
        assert (refused.size, refused.used, refused.requested) == ("2000.00", "0.00", "2000.01")
        assert refused.limit is not None

        payment = officer.request_disbursement(package, w.cash_in_cfa()).disbursement_id
        finance.approve_disbursement(payment)
        with pytest.raises(FourEyes) as own:
            finance.confirm_disbursement(payment, s.ConfirmationIn(provider_ref="OM-7731"))
        assert (own.value.status, own.value.type, own.value.field) == (403, "four-eyes", "actor")
        assert "finance-dakar" in own.value.detail
