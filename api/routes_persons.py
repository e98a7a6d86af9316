"""/persons: the person registry. A person's record is sealed at rest; what a caller sees of
it is decided by their role (docs/classification.md), and every read that shows personal
data is written to the access log."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import HeaderParameter, JSONBody, QueryParameter

from api import schemas_people as sp
from api.context import (
    Cursor,
    IdempotencyKey,
    Limit,
    PathId,
    actor,
    decode_number_cursor,
    encode_cursor,
    now,
    reader,
    serialized,
    step,
    store,
)
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS, STEP_PROBLEMS
from api.security import EVERY_ROLE, allow
from api.views_people import access_view, person_view, personal_data_of
from reintegrate.access import ASKS_ERASURE, CONFIRMS_ERASURE, Role
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.adapters.names import edit_distance
from reintegrate.services import corrections, duplicates, erasure, people
from reintegrate.services.users import Caller

REGISTRARS = (Role.ADMIN, Role.OFFICER, Role.PARTNER)
CHECKS = LibraryIdentifierChecks()


Purpose = Annotated[
    str | None,
    HeaderParameter(
        name="X-Purpose",
        required=False,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        description="Why the caller reads the person's data, as a code (recorded in the "
        "access log)",
    ),
]


class AccessLogController(Controller):
    path = "/access-log"
    tags = ("persons",)

    @get(
        "/", guards=[allow(Role.AUDITOR, Role.ADMIN)], sync_to_thread=True, responses=READ_PROBLEMS
    )
    def read_access_log(
        self,
        request: Request[Caller, Any, Any],
        cursor: Cursor,
        limit: Limit = 50,
        person_id: PersonFilter = None,
    ) -> sp.AccessLogPage:
        """Every read of a person's personal or sensitive data through the API, oldest first:
        who, which person, which route, when, for which declared purpose, which classes of
        field. It holds no personal value."""
        after = decode_number_cursor(cursor) or 0
        found = people.personal_reads(store(request), after, limit + 1, person_id)
        page = found[:limit]
        return sp.AccessLogPage(
            items=[access_view(n, read) for n, read in page],
            next_cursor=encode_cursor(str(page[-1][0])) if len(found) > limit else None,
        )


PersonFilter = Annotated[
    str | None,
    QueryParameter(name="person_id", required=False, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$"),
]


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
        it. The answer holds the person's id and status, no personal value (it is kept for
        Idempotency-Key replays): GET /persons/{person_id} shows the record."""
        given = personal_data_of(data)
        with serialized(request):
            created, _ = people.register_person(
                store(request),
                CHECKS,
                actor(request),
                now(request),
                office=data.office,
                data=given,
            )
        return Response(person_view(created, None, request.user.role), status_code=201)

    @get(
        "/{person_id:str}",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_person(
        self, request: Request[Caller, Any, Any], person_id: PathId, purpose: Purpose = None
    ) -> sp.PersonView:
        """A person of the caller's offices, with the fields the caller's role may see. A
        read that shows personal data is logged (GET /access-log), with the purpose the
        optional `X-Purpose` header gives as a code (`casework`, `payment`...)."""
        found, data = people.read_person(
            store(request), actor(request), now(request), person_id, reader(request, purpose)
        )
        return person_view(found, data, request.user.role)

    @step("/{person_id:str}/erasure", *ASKS_ERASURE)
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

    @step("/{person_id:str}/erasure/confirmation", *CONFIRMS_ERASURE)
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

    @step("/{person_id:str}/corrections", Role.ADMIN, Role.OFFICER)
    def correct_person(
        self,
        request: Request[Caller, Any, Any],
        person_id: PathId,
        data: JSONBody[sp.PersonCorrection],
        idempotency_key: IdempotencyKey,
    ) -> sp.PersonView:
        """Correct a person's record (the whole record, corrected, with a reason). A change
        of birth, nationality or vulnerabilities of a case member waits for a second person
        (`proposal` shows it); any other correction is done at once."""
        with serialized(request):
            found = corrections.correct_person(
                store(request),
                CHECKS,
                actor(request),
                now(request),
                person_id,
                data=personal_data_of(data.person),
                reason=data.reason,
            )
        return person_view(found, None, request.user.role)

    @step("/{person_id:str}/corrections/confirmation", Role.ADMIN, Role.APPROVER)
    def confirm_correction(
        self,
        request: Request[Caller, Any, Any],
        person_id: PathId,
        idempotency_key: IdempotencyKey,
    ) -> sp.PersonView:
        """Confirm a proposed correction, by someone other than who proposed it: every
        granted case of the person has its caps revised, or the whole correction is refused
        (409 `/problems/cap-below-use`, with each cap's size now and after, and what was
        used) when a cap would fall below what was already used."""
        with serialized(request):
            found = corrections.confirm_correction(
                store(request), actor(request), now(request), person_id
            )
        return person_view(found, None, request.user.role)

    @get(
        "/possible-duplicates",
        guards=[allow(Role.ADMIN, Role.APPROVER, Role.OFFICER)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def list_possible_duplicates(
        self, request: Request[Caller, Any, Any]
    ) -> sp.PossibleDuplicateList:
        """Pairs of persons of the caller's offices with the same birth year and nationality
        whose names are within two edits (words in any order), not already decided to be
        different people: ids and the edits only (GET each person to compare)."""
        found = duplicates.possible_duplicates(store(request), actor(request), edit_distance)
        return sp.PossibleDuplicateList(
            items=[
                sp.PossibleDuplicateView(first=d.first, second=d.second, edits=d.edits)
                for d in found
            ]
        )

    @post(
        "/possible-duplicates/decisions",
        guards=[allow(Role.ADMIN, Role.APPROVER)],
        sync_to_thread=True,
        status_code=200,
        responses=STEP_PROBLEMS,
    )
    def decide_duplicates(
        self,
        request: Request[Caller, Any, Any],
        data: JSONBody[sp.DuplicateDecision],
        idempotency_key: IdempotencyKey,
    ) -> sp.PersonView:
        """Decide a pair: the same person (`second` is merged into `first`: both keep their
        records and cases, and every rule reads them as `first`; refused while both are in
        open cases) or different people (the pair is not listed again)."""
        with serialized(request):
            found = duplicates.decide_duplicates(
                store(request),
                actor(request),
                now(request),
                data.first,
                data.second,
                same=data.same,
            )
        return person_view(found, None, request.user.role)
