"""Monitoring after return through the API: the example instrument, adopted, and follow-ups
recorded on the world's cases, for the route tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from reintegrate.surveys.instrument import load_instrument
from tests.api.conftest import ApiClient, call, created

INSTRUMENT_FILE = Path(__file__).resolve().parents[2] / "examples" / "instruments" / "iom-rss.toml"
FOLLOWED_ON = "2025-06-01"
"""A day after the world's return date (2025-05-01) and before its clock (2025-06-02)."""


def instrument_body(**changes: Any) -> dict[str, Any]:
    """The example instrument as the JSON document POST /survey-instruments takes."""
    document: dict[str, Any] = msgspec.to_builtins(load_instrument(INSTRUMENT_FILE.read_text()))
    return document | changes


def adopted(client: ApiClient) -> str:
    """The example instrument adopted (again: nothing changes if it was); its id."""
    return created(
        call(client, "admin", "POST", "/survey-instruments", instrument_body()), "instrument_id"
    )


def follow_up_body(outcome: str = "reached", number: int = 1) -> dict[str, Any]:
    return {"number": number, "on": FOLLOWED_ON, "mode": "visit", "outcome": outcome}


def reached(client: ApiClient, case_id: str, who: str = "officer") -> str:
    """The id of a follow-up of `case_id` that reached the returnee, with the instrument
    adopted for its answers."""
    adopted(client)
    path = f"/cases/{case_id}/follow-ups"
    return created(call(client, who, "POST", path, follow_up_body()), "follow_up_id")


def answers_body(**answers: str) -> dict[str, Any]:
    given = answers or {
        "economic_satisfaction": "satisfied",
        "housing": "good",
        "distress": "rarely",
    }
    return {"member_id": "p", "answered_on": FOLLOWED_ON, "answers": given}
