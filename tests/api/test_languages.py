"""A refusal in the caller's language: Accept-Language picks French or Spanish, Content-Language
says which was used, and what machines read (the type, the figures) never changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest

from api.idempotency import lost_answer
from tests.api.conftest import World, call, case_body, cash_request, eu_policy_json, eur, problem_of


def _overpay(world: World, language: str | None) -> dict[str, object]:
    body = {
        "component_id": "c2",
        "amount": eur("2000.01"),
        "channel": "supplier_transfer",
        "invoice_ref": "INV-2025-7",
    }
    headers = {} if language is None else {"Accept-Language": language}
    path = f"/packages/{world.approved_package}/disbursements"
    response = call(world.client, "officer", "POST", path, body, headers=headers)
    assert response.headers["content-language"] == (language or "en")[:2]
    return problem_of(response, 422, "limit-exceeded")


def test_a_cap_refusal_is_worded_in_french_and_spanish_with_the_same_figures(world: World) -> None:
    english, french, spanish = (_overpay(world, lang) for lang in (None, "fr-SN", "es"))

    assert english["title"] == "Refused"
    assert english["detail"] == (
        "amount left to pay on component c2: limit 2000.00 EUR, used 0.00 EUR, asked 2000.01 EUR"
    )
    assert french["title"] == "Refusé"
    assert french["detail"] == (
        "montant restant à payer sur la composante c2 : "
        "plafond 2\u202f000,00\xa0€, utilisé 0,00\xa0€, demandé 2\u202f000,01\xa0€"
    )
    assert spanish["title"] == "Rechazado"
    assert spanish["detail"] == (
        "importe pendiente de pago del componente c2: "
        "límite 2.000,00\xa0€, usado 0,00\xa0€, solicitado 2.000,01\xa0€"
    )
    assert english["limit"] == "amount left to pay on component c2"
    machine = ("type", "status", "limit", "size", "used", "requested", "currency", "field")
    assert {k: french[k] for k in machine} == {k: english[k] for k in machine}
    assert {k: spanish[k] for k in machine} == {k: english[k] for k in machine}


def test_a_role_refusal_is_worded_in_the_callers_language(world: World) -> None:
    path = f"/packages/{world.submitted_package}/approval"
    response = call(world.client, "officer", "POST", path, headers={"Accept-Language": "fr"})

    problem = problem_of(response, 403, "forbidden")
    assert response.headers["content-language"] == "fr"
    assert problem["title"] == "Interdit"
    assert problem["detail"].startswith("le rôle officer ne peut pas faire ceci (autorisés : ")


def test_a_caller_without_a_token_is_told_in_spanish(world: World) -> None:
    response = call(world.client, None, "GET", "/packages", headers={"Accept-Language": "es"})

    problem = problem_of(response, 401, "unauthenticated")
    assert problem["title"] == "No autenticado"
    assert problem["detail"] == "envíe «Authorization: Bearer <token>»"


# Every problem the API itself words, in each language: the same machine fields as in English.

MACHINE = ("type", "status", "field")
SAID = {"fr": "fr-SN,fr;q=0.9", "es": "es-419"}
"""How a French and a Spanish caller may ask: a region, a list, a weight."""


def _in_each(asking: Callable[[dict[str, str]], httpx.Response]) -> dict[str, dict[str, Any]]:
    """The problem answered to the same request asked in English, French and Spanish."""
    found: dict[str, dict[str, Any]] = {}
    for language in ("en", "fr", "es"):
        headers = {} if language == "en" else {"Accept-Language": SAID[language]}
        response = asking(headers)
        assert response.headers["content-language"] == language
        assert "Accept-Language" in response.headers["vary"]
        found[language] = response.json()
    for language in ("fr", "es"):
        assert {k: found[language].get(k) for k in MACHINE} == {
            k: found["en"].get(k) for k in MACHINE
        }
    return found


def test_a_body_of_the_wrong_shape_is_explained_around_the_validators_own_reason(
    world: World,
) -> None:
    path = f"/packages/{world.approved_package}/disbursements"
    body = cash_request("1.00") | {"amount": 5}

    said = _in_each(lambda h: call(world.client, "officer", "POST", path, body, headers=h))

    reason = "Expected `object`, got `int`"
    assert said["en"]["detail"] == f"amount is invalid: {reason}"
    assert said["fr"]["detail"] == f"amount n'est pas valide : {reason}"
    assert said["es"]["detail"] == f"amount no es válido: {reason}"
    assert [said[x]["title"] for x in said] == [
        "Bad request",
        "Requête invalide",
        "Solicitud incorrecta",
    ]
    assert said["en"]["field"] == "amount"


def test_a_programme_not_found_is_said_in_the_callers_language(world: World) -> None:
    said = _in_each(lambda h: call(world.client, "admin", "GET", "/programmes/nowhere", headers=h))

    assert [said[x]["type"] for x in said] == ["/problems/not-found"] * 3
    assert [(said[x]["title"], said[x]["detail"]) for x in said] == [
        ("Not found", "no programme nowhere"),
        ("Introuvable", "aucun programme nowhere"),
        ("No encontrado", "no hay ningún programa nowhere"),
    ]
    assert said["en"]["field"] == "programme_id"


def test_a_stale_if_match_is_said_in_the_callers_language_with_both_etags(
    world: World,
) -> None:
    package = f"/packages/{world.draft_package}"
    seen = call(world.client, "officer", "GET", package).headers["etag"]
    call(world.client, "officer", "POST", f"{package}/submission", headers={"If-Match": seen})
    current = call(world.client, "officer", "GET", package).headers["etag"]

    said = _in_each(
        lambda h: call(
            world.client, "officer", "POST", f"{package}/submission", headers=h | {"If-Match": seen}
        )
    )

    assert said["en"]["status"] == 412
    assert said["en"]["field"] == "If-Match"
    assert [(said[x]["title"], said[x]["detail"]) for x in said] == [
        (
            "Precondition failed",
            f"the resource changed: its ETag is now {current}, you sent {seen}",
        ),
        (
            "Précondition non remplie",
            f"la ressource a changé : son ETag est maintenant {current}, vous avez envoyé {seen}",
        ),
        (
            "Precondición no cumplida",
            f"el recurso cambió: su ETag es ahora {current}, usted envió {seen}",
        ),
    ]


@pytest.mark.parametrize("keyed", [False, True], ids=["claimed-first", "claimed-in-command"])
def test_a_reused_idempotency_key_is_said_in_the_callers_language(
    world: World, keyed: bool
) -> None:
    """Both ways a key is claimed: by the middleware before the route runs (a case), and by
    the route in its command's transaction (a payment)."""
    if keyed:
        path = f"/packages/{world.approved_package}/disbursements"
        first, other = cash_request("10.00"), cash_request("11.00")
    else:
        path, first, other = "/cases", case_body(world.client), case_body(world.client)
    assert call(world.client, "officer", "POST", path, first, key="key-1").status_code == 201

    said = _in_each(
        lambda h: call(world.client, "officer", "POST", path, other, key="key-1", headers=h)
    )

    assert said["en"]["type"] == "/problems/idempotency-key-reused"
    assert said["en"]["field"] == "Idempotency-Key"
    assert [(said[x]["title"], said[x]["detail"]) for x in said] == [
        ("Refused", "this Idempotency-Key was used with another request body or path"),
        (
            "Refusé",
            "cette Idempotency-Key a servi à une requête d'un autre corps ou d'un autre chemin",
        ),
        ("Rechazado", "esta Idempotency-Key se usó con otro cuerpo u otra ruta de solicitud"),
    ]


def test_a_refusal_made_before_the_route_runs_is_in_the_callers_language_too(
    world: World,
) -> None:
    """The middlewares' own answers: an unknown query parameter, a key given twice."""
    unknown = _in_each(
        lambda h: call(world.client, "officer", "GET", "/journal?after=5", headers=h)
    )
    path = f"/packages/{world.approved_package}/disbursements"
    twice = b'{"component_id": "c1", "component_id": "c2"}'
    given_twice = _in_each(lambda h: call(world.client, "officer", "POST", path, twice, headers=h))

    assert unknown["en"]["detail"].startswith("unknown query parameter after: this route takes ")
    assert unknown["fr"]["detail"].startswith("paramètre de requête inconnu after : cette route ")
    assert unknown["es"]["detail"].startswith("parámetro de consulta desconocido after: esta ")
    assert [given_twice[x]["detail"] for x in given_twice] == [
        "the key 'component_id' is given twice in one object",
        "la clé « component_id » est donnée deux fois dans un même objet",
        "la clave «component_id» aparece dos veces en un mismo objeto",
    ]
    assert given_twice["es"]["title"] == "Solicitud incorrecta"


def test_an_address_or_a_method_the_api_does_not_have_is_said_in_the_callers_language(
    world: World,
) -> None:
    nowhere = _in_each(lambda h: call(world.client, "officer", "GET", "/nowhere", headers=h))
    method = _in_each(lambda h: call(world.client, "officer", "DELETE", "/packages", headers=h))

    assert [nowhere[x]["detail"] for x in nowhere] == [
        "there is nothing at this address",
        "il n'y a rien à cette adresse",
        "no hay nada en esta dirección",
    ]
    assert method["fr"]["title"] == "Méthode non permise"
    assert method["es"]["detail"].startswith("esta dirección no acepta este método")


def test_a_lost_answer_names_its_journal_entry_only_when_it_is_known() -> None:
    unknown, known = lost_answer(None, "fr"), lost_answer(7, "es")

    assert ("content-language", "fr") in unknown.headers
    assert msgspec.json.decode(unknown.body)["detail"].startswith("cette requête a été exécutée,")
    assert "entrada 7 del diario" in msgspec.json.decode(known.body)["detail"]
    assert msgspec.json.decode(known.body)["type"] == "/problems/answer-lost"


def test_an_invalid_policy_is_explained_in_spanish_with_its_field_the_same(world: World) -> None:
    policy = eu_policy_json(version="2099", currency="XXZ")
    path = f"/programmes/{world.programme}/policies"

    def asked(headers: dict[str, str]) -> dict[str, Any]:
        response = call(world.client, "admin", "POST", path, policy, headers=headers)
        return problem_of(response, 422, "policy-invalid")

    english, spanish = asked({}), asked({"Accept-Language": "es"})

    assert english["detail"] == (
        "policy eurp 2099: 1 problem(s); first: $.currency: 'XXZ' is not an ISO 4217 currency"
    )
    assert spanish["detail"] == (
        "política eurp 2099: 1 problema(s); el primero: $.currency: «XXZ» no es una moneda ISO 4217"
    )
    assert spanish["field"] == english["field"] == "$.currency"
