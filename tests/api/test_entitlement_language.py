"""The explained entitlement in the caller's language: Accept-Language picks the words of its
lines, labels and reasons (the policy's labels in the translations it carries),
Content-Language says which were used, and what machines read never changes."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import World, call, case_body

WORDED = {"label", "reason", "reasons", "excluded", "cash_reason", "cash_ceiling_reason"}


def shown(world: World, case_id: str, language: str | None) -> tuple[dict[str, Any], str]:
    headers = {} if language is None else {"Accept-Language": language}
    path = f"/cases/{case_id}/entitlement"
    answer = call(world.client, "officer", "GET", path, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["vary"] == "Accept-Language"
    body: dict[str, Any] = answer.json()
    return body, answer.headers["content-language"]


def machine_read(value: Any) -> Any:
    """`value` without its words for people."""
    if isinstance(value, dict):
        return {k: machine_read(v) for k, v in value.items() if k not in WORDED}
    if isinstance(value, list):
        return [machine_read(v) for v in value]
    return value


def test_the_walkthrough_case_is_explained_in_french_with_the_same_amounts(
    world: World,
) -> None:
    """The README's walk-through: a parent and a child returning to Senegal under the EU
    programme."""
    created = call(world.client, "officer", "POST", "/cases", case_body(world.client, dependants=1))
    case_id = created.json()["case_id"]
    english, said_in = shown(world, case_id, None)
    french, said_in_fr = shown(world, case_id, "fr-SN, en;q=0.5")

    assert (said_in, said_in_fr) == ("en", "fr")
    assert machine_read(french) == machine_read(english)
    assert french["total"] == {"amount": "3615.00", "currency": "EUR"}
    parent, child = french["persons"]
    assert [line["label"] for line in parent["lines"]] == [
        "paquet à l'arrivée (espèces et/ou services)",
        "aide à la réintégration en nature après le retour, personne rentrée volontairement",
    ]
    assert parent["lines"][0]["reason"] == (
        "personne principale, 39 ans au retour (aucune tranche d'âge), catégorie de pays partner"
    )
    assert english["persons"][0]["lines"][0]["reason"] == (
        "principal, age 39 on return (no age band), country category partner"
    )
    assert [line["label"] for line in child["lines"]] == [
        "aide à la réintégration en nature après le retour, membre de la famille à charge"
    ]
    assert child["lines"][0]["reason"].startswith("personne à charge, ")
    assert parent["cash_reason"] == "parts en espèces des lignes de la personne"
    assert french["cash_ceiling_reason"] == "parts en espèces des lignes des droits"
    assert english["cash_ceiling_reason"] == "cash parts of the entitlement's lines"


def test_the_entitlement_is_explained_in_spanish(world: World) -> None:
    spanish, said_in = shown(world, world.dakar_case, "es")
    english, _ = shown(world, world.dakar_case, "de")

    assert said_in == "es"
    assert machine_read(spanish) == machine_read(english)
    assert spanish["persons"][0]["lines"][0]["label"] == (
        "paquete a la llegada (efectivo y/o servicios)"
    )
    assert spanish["persons"][0]["lines"][0]["reason"].startswith("persona principal, ")
    household = f"derechos del hogar del expediente {world.dakar_case}"
    assert spanish["caps"][0]["label"] == household
    assert spanish["caps"][0]["limit"] == f"household entitlement of case {world.dakar_case}"
    assert english["caps"][0]["label"] == english["caps"][0]["limit"]
    assert english["persons"][0]["lines"][0]["label"] == (
        "post-arrival package (cash and/or services)"
    )
