"""Persons: registration, reading (with the purpose recorded), corrections, duplicates,
erasure, the access log, and caseload files imported."""

from __future__ import annotations

from dataclasses import replace

from api import schemas_case_imports as sci
from api import schemas_people as sp
from reintegrate.client.calls import Call, Upload, get, post, query, upload
from reintegrate.client.operations import operation, paged

PERSON = "/persons/{person_id}"


class PersonOperations:
    @operation
    def register_person(body: sp.PersonCreate) -> Call[sp.PersonView]:
        return post("/persons", sp.PersonView, body)

    @operation
    def get_person(person_id: str, *, purpose: str | None = None) -> Call[sp.PersonView]:
        """`purpose`: why you read the record, as a code (`casework`), kept in the access log."""
        call = get(PERSON, sp.PersonView, person_id=person_id)
        return call if purpose is None else call.with_headers({"X-Purpose": purpose})

    @operation
    def correct_person(person_id: str, body: sp.PersonCorrection) -> Call[sp.PersonView]:
        return post(f"{PERSON}/corrections", sp.PersonView, body, person_id=person_id)

    @operation
    def confirm_correction(person_id: str) -> Call[sp.PersonView]:
        return post(f"{PERSON}/corrections/confirmation", sp.PersonView, person_id=person_id)

    @operation
    def request_erasure(person_id: str, body: sp.ErasureRequest) -> Call[sp.PersonView]:
        return post(f"{PERSON}/erasure", sp.PersonView, body, person_id=person_id)

    @operation
    def confirm_erasure(person_id: str) -> Call[sp.PersonView]:
        return post(f"{PERSON}/erasure/confirmation", sp.PersonView, person_id=person_id)

    @operation
    def list_possible_duplicates() -> Call[sp.PossibleDuplicateList]:
        return get("/persons/possible-duplicates", sp.PossibleDuplicateList)

    @operation
    def decide_duplicates(body: sp.DuplicateDecision) -> Call[sp.PersonView]:
        return post("/persons/possible-duplicates/decisions", sp.PersonView, body)

    @paged(sp.PersonalReadView)
    def read_access_log(
        *, person_id: str | None = None, limit: int | None = None, cursor: str | None = None
    ) -> Call[sp.AccessLogPage]:
        page = sp.AccessLogPage
        return get("/access-log", page, person_id=person_id, limit=limit, cursor=cursor)

    @operation
    def import_cases(
        programme_id: str, file: Upload, *, dry_run: bool = True
    ) -> Call[sci.CaseImportView]:
        """Check a caseload file (docs/case-imports.md), and with `dry_run=False` register
        every household, all or none; the same file again imports nothing new."""
        path, view = "/programmes/{programme_id}/case-imports", sci.CaseImportView
        call = upload(path, view, {"file": file}, {}, programme_id=programme_id)
        return replace(call, query=query(dry_run=dry_run))
