"""GET /audit/checkpoint: the latest signed checkpoint, for auditors and admins."""

from __future__ import annotations

import datetime as dt

from reintegrate.adapters import signing
from reintegrate.checkpoints import signed_bytes
from reintegrate.services.checkpoints import make_checkpoint
from tests.api.conftest import FIXED_NOW, World, call, problem_of


def test_the_latest_checkpoint_is_shown_with_what_verifies_it(world: World) -> None:
    problem_of(call(world.client, "auditor", "GET", "/audit/checkpoint"), 404, "not-found")
    key = signing.new_key()
    made = make_checkpoint(
        world.store, lambda data: signing.sign(key, data), signing.public_key_of(key), FIXED_NOW
    )

    shown = call(world.client, "auditor", "GET", "/audit/checkpoint").json()

    assert (shown["seq"], shown["hash"]) == (made.seq, made.hash)
    assert made.seq == world.journal_length()
    assert dt.datetime.fromisoformat(shown["at"]) == FIXED_NOW
    assert signing.verifies(
        shown["public_key"], signed_bytes(made.checkpoint()), shown["signature"]
    )
    assert call(world.client, "officer", "GET", "/audit/checkpoint").status_code == 403
