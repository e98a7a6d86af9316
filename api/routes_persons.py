"""/persons: the person registry. A person's record is sealed at rest; what a caller sees of
it is decided by their role (docs/classification.md), and every read that shows personal
data is written to the access log."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody

from api import schemas_people as sp
from api.context import IdempotencyKey, PathId, actor, now, serialized, step, store
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS
from api.security import allow
from api.views_people import person_view, personal_data_of
from reintegrate.access import Role
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.services import erasure, people
from reintegrate.services.users import Caller

REGISTRARS = (Role.ADMIN, Role.OFFICER, Role.PARTNER)
EVERY_ROLE = tuple(Role)
CHECKS = LibraryIdentifierChecks()


class PersonController(Controller):
    path = "/persons"
    tags = ("persons",)

    @post(
        "/",
        guards=[allow(*REGISTRARS)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def register_person(
        self,
        request: Request[Caller, Any, Any],
        data: JSONBody[sp.PersonCreate],
        idempotency_key: IdempotencyKey,
    ) -> Response[sp.PersonView]:
        """Register a person: their record is sealed under a key of their own. Identifiers
        (ID documents, phone numbers, external references) that match a registered person
        answer 409 `/problems/person-exists`, naming the match only if the caller may see
        it. The answer shows what the caller's role may see."""
        given = personal_data_of(data)
        with serialized(request):
            created, clean = people.register_person(
                store(request),
                CHECKS,
                actor(request),
                now(request),
                office=data.office,
                data=given,
            )
        return Response(person_view(created, clean, request.user.role), status_code=201)

    @get(
        "/{person_id:str}",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_person(self, request: Request[Caller, Any, Any], person_id: PathId) -> sp.PersonView:
        """A person of the caller's offices, with the fields the caller's role may see."""
        found, data = people.read_person(store(request), actor(request), person_id)
        return person_view(found, data, request.user.role)

    @step("/{person_id:str}/erasure", Role.ADMIN)
    def request_erasure(
        self,
        request: Request[Caller, Any, Any],
        person_id: PathId,
        data: JSONBody[sp.ErasureRequest],
        idempotency_key: IdempotencyKey,
    ) -> sp.PersonView:
        """Ask for a person's erasure (GDPR art. 17), with a reason from a fixed vocabulary;
        refused (409 `/problems/erasure-refused`) while they are a member of an open case or
        a payment for their cases is unsettled. Another admin or an approver confirms it."""
        with serialized(request):
            found = erasure.request_erasure(
                store(request), actor(request), now(request), person_id, data.reason
            )
        return person_view(found, None, request.user.role)

    @step("/{person_id:str}/erasure/confirmation", Role.ADMIN, Role.APPROVER)
    def confirm_erasure(
        self,
        request: Request[Caller, Any, Any],
        person_id: PathId,
        idempotency_key: IdempotencyKey,
    ) -> sp.PersonView:
        """Erase the person, by someone other than who asked (403 `/problems/four-eyes`
        otherwise): their data key is destroyed and their sealed record overwritten. The
        journal, which holds only their id and digests, still verifies; every financial total
        is unchanged; cases show the member's person as erased."""
        with serialized(request):
            found = erasure.confirm_erasure(store(request), actor(request), now(request), person_id)
        return person_view(found, None, request.user.role)
