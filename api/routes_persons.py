"""/persons: the person registry. A person's record is sealed at rest; what a caller sees of
it is decided by their role (docs/classification.md), and every read that shows personal
data is written to the access log."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody

from api import schemas_people as sp
from api.context import IdempotencyKey, PathId, actor, now, serialized, store
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS
from api.security import allow
from api.views_people import person_view, personal_data_of
from reintegrate.access import Role
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.services import people
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
