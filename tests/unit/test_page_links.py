"""Who a page link lets in: the one path it names, until it expires, while its user is not
revoked."""

from __future__ import annotations

import datetime as dt

from reintegrate.access import PAGE_LINK_LIFETIME, page_link_opens

NOW = dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC)
PAGE = "/programmes/eurp/dashboard"
EXPIRES = NOW + PAGE_LINK_LIFETIME


def test_a_link_opens_its_own_page_until_it_expires() -> None:
    assert page_link_opens(PAGE, PAGE, EXPIRES, None, NOW)
    assert page_link_opens(PAGE, PAGE, EXPIRES, None, EXPIRES - dt.timedelta(seconds=1))
    assert not page_link_opens(PAGE, PAGE, EXPIRES, None, EXPIRES)


def test_a_link_opens_no_other_page() -> None:
    assert not page_link_opens(PAGE, "/programmes/eurp/financial-report", EXPIRES, None, NOW)
    assert not page_link_opens(PAGE, "/programmes/other/dashboard", EXPIRES, None, NOW)


def test_a_link_of_a_revoked_user_opens_nothing() -> None:
    assert not page_link_opens(PAGE, PAGE, EXPIRES, NOW, NOW)
    assert page_link_opens(PAGE, PAGE, EXPIRES, NOW + dt.timedelta(minutes=1), NOW)


def test_a_link_lives_a_quarter_of_an_hour() -> None:
    assert dt.timedelta(minutes=15) == PAGE_LINK_LIFETIME
