"""When a failed delivery is tried again, and whose events a subscription may receive."""

from __future__ import annotations

import pytest

from reintegrate.access import Role
from reintegrate.errors import ValidationFailed
from reintegrate.webhooks import RETRY_FOR_MS, delivered, next_due_ms, subscription_office

HOUR = 3_600_000


def test_the_wait_before_a_retry_doubles_from_five_seconds_up_to_an_hour() -> None:
    waits = [next_due_ms(n, 0, 0) for n in range(1, 14)]

    assert waits[:5] == [5_000, 10_000, 20_000, 40_000, 80_000]
    assert waits[-1] == HOUR
    assert waits == sorted(w for w in waits if w is not None)


def test_no_retry_is_due_more_than_a_day_after_the_first_attempt() -> None:
    assert next_due_ms(30, 0, RETRY_FOR_MS - HOUR) == RETRY_FOR_MS
    assert next_due_ms(30, 0, RETRY_FOR_MS - HOUR + 1) is None


def test_only_a_2xx_answer_delivers() -> None:
    assert [delivered(s) for s in (200, 204, 299)] == [True, True, True]
    assert [delivered(s) for s in (None, 301, 410, 500)] == [False, False, False, False]


def test_a_partner_follows_its_own_office_and_an_admin_any_or_every_office() -> None:
    own = frozenset({"partner-7"})

    assert subscription_office(Role.PARTNER, own, None) == "partner-7"
    assert subscription_office(Role.PARTNER, own, "partner-7") == "partner-7"
    assert subscription_office(Role.ADMIN, frozenset(), None) is None
    assert subscription_office(Role.ADMIN, frozenset(), "lagos") == "lagos"
    with pytest.raises(ValidationFailed, match="'lagos'") as refused:
        subscription_office(Role.PARTNER, own, "lagos")
    assert refused.value.field == "office"
