"""A refusal in the caller's language: Accept-Language picks French or Spanish, Content-Language
says which was used, and what machines read (the type, the figures) never changes."""

from __future__ import annotations

from tests.api.conftest import World, call, eur, problem_of


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


def test_a_cap_refusal_is_worded_in_french_with_the_same_figures(world: World) -> None:
    english, french, spanish = (_overpay(world, lang) for lang in (None, "fr-SN", "es"))

    assert english["title"] == "Refused"
    assert "limit 2000.00 EUR, used 0.00 EUR, asked 2000.01 EUR" in str(english["detail"])
    assert french["title"] == "Refusé"
    assert "plafond 2\u202f000,00\xa0€, utilisé 0,00\xa0€, demandé 2\u202f000,01\xa0€" in str(
        french["detail"]
    )
    assert spanish["title"] == "Rechazado"
    assert "límite 2.000,00\xa0€, usado 0,00\xa0€, solicitado 2.000,01\xa0€" in str(
        spanish["detail"]
    )
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
