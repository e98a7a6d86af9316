"""The programme dashboard over HTTP: who sees it, how a browser opens it, what it holds."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from api.dashboard_page import POLICY
from reintegrate.services.page_links import issue_link
from reintegrate.store.api_records import ApiRecords
from tests.api.conftest import FIXED_NOW, World, call, problem_of, programme_body

PAGE = "/programmes/{}/dashboard"


def page(world: World, who: str | None, programme: str | None = None) -> httpx.Response:
    return call(world.client, who, "GET", PAGE.format(programme or world.programme))


def link_of(world: World, who: str) -> str:
    response = call(world.client, who, "GET", PAGE.format(world.programme) + "/link")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    url: str = response.json()["url"]
    return url


def spending_rows(html: str) -> dict[str, list[str]]:
    """The spending table's rows: line or form to its budget, committed, paid, pending."""
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>', html)
    return {label: re.findall(r"<td>([^<]*)</td>", cells) for label, cells in rows}


def svg_ids(html: str) -> set[str]:
    return set(re.findall(r'<svg [^>]*\bid="([^"]+)"', html))


@pytest.mark.parametrize("who", ["admin", "auditor", "finance"])
def test_those_who_read_the_financial_report_see_the_dashboard(world: World, who: str) -> None:
    response = page(world, who)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert {"spending", "payments"} <= svg_ids(response.text)


def test_a_finance_user_sees_the_figures_of_their_offices(world: World) -> None:
    dakar, lagos = page(world, "finance").text, page(world, "finance-lagos").text
    assert "Figures of the offices dakar" in dakar
    assert "Figures of the offices lagos" in lagos
    assert "Figures of the whole programme" in page(world, "auditor").text
    assert spending_rows(dakar) != spending_rows(lagos)
    assert spending_rows(dakar)["individual"][0] == spending_rows(lagos)["individual"][0], (
        "a budget line's funds are the whole programme's"
    )


@pytest.mark.parametrize("who", ["officer", "officer-lagos", "approver", "partner"])
def test_casework_roles_may_not_see_the_dashboard(world: World, who: str) -> None:
    problem_of(page(world, who), 403, "forbidden")


def test_without_a_token_or_a_link_the_dashboard_is_not_shown(world: World) -> None:
    response = page(world, None)
    problem_of(response, 401, "unauthenticated")
    assert "<svg" not in response.text


def test_an_unknown_programme_has_no_dashboard(world: World) -> None:
    problem_of(page(world, "auditor", "no-such-programme"), 404, "not-found")
    response = call(world.client, "auditor", "GET", PAGE.format("no-such-programme") + "/link")
    problem_of(response, 404, "not-found")


def test_the_page_loads_nothing_but_its_own_stylesheet(world: World) -> None:
    response = page(world, "auditor")
    assert response.headers["content-security-policy"] == POLICY
    assert "script-src" not in POLICY
    assert "default-src 'none'" in POLICY
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    loaded = re.findall(r'(?:href|src)="([^"]*)"', response.text)
    assert loaded, "the page names its stylesheet"
    assert all(url.startswith(("/dashboard-assets/", "#")) for url in loaded), loaded
    assert "<script" not in response.text
    assert ' style="' not in response.text, "a style attribute would be blocked by the policy"


def test_the_stylesheet_is_served_by_the_app_to_anyone(world: World) -> None:
    response = call(world.client, None, "GET", "/dashboard-assets/dashboard.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


def test_sections_without_survey_answers_or_follow_ups_say_so(world: World) -> None:
    html = page(world, "auditor").text
    assert "No survey answers yet." in html
    assert "No follow-up has fallen due yet." in html
    assert not {i for i in svg_ids(html) if i.startswith(("scores-", "follow-ups"))}


def test_every_value_from_the_data_is_escaped(world: World) -> None:
    body = {**programme_body("hostile"), "name": '<script>alert("x")</script> & Co'}
    assert call(world.client, "admin", "POST", "/programmes", body).status_code == 201
    html = page(world, "admin", "hostile").text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html


def test_a_browser_opens_the_page_with_the_link_the_api_gave(world: World) -> None:
    url = link_of(world, "finance")
    assert url.startswith(PAGE.format(world.programme) + "?link=")
    response = call(world.client, None, "GET", url)
    assert response.status_code == 200, response.text
    assert "Figures of the offices dakar" in response.text


def test_a_link_opens_no_other_page(world: World) -> None:
    link = link_of(world, "finance").partition("?")[2]
    other = f"/programmes/{world.programme}/financial-report?{link}"
    problem_of(call(world.client, None, "GET", other), 401, "unauthenticated")


def test_a_changed_link_is_refused(world: World) -> None:
    url = link_of(world, "finance")
    claims, _, signature = url.partition("?link=")[2].partition(".")
    forged = f"{claims}.{signature[::-1]}"
    problem_of(
        call(world.client, None, "GET", PAGE.format(world.programme) + f"?link={forged}"),
        401,
        "unauthenticated",
    )


def test_a_link_expires_after_fifteen_minutes(world: World) -> None:
    path = PAGE.format(world.programme)
    fresh, _ = issue_link(
        world.store.keyring, "finance", path, FIXED_NOW - dt.timedelta(minutes=14)
    )
    stale, _ = issue_link(
        world.store.keyring, "finance", path, FIXED_NOW - dt.timedelta(minutes=15)
    )
    assert call(world.client, None, "GET", f"{path}?link={fresh}").status_code == 200
    problem_of(call(world.client, None, "GET", f"{path}?link={stale}"), 401, "unauthenticated")


def test_a_revoked_users_link_stops_working(world: World) -> None:
    url = link_of(world, "finance")
    ApiRecords(world.store.engine, world.store.reader).revoke_user("finance", FIXED_NOW)
    problem_of(call(world.client, None, "GET", url), 401, "unauthenticated")


def test_a_link_made_for_a_user_who_may_not_see_the_page_does_not_open_it(world: World) -> None:
    path = PAGE.format(world.programme)
    link, _ = issue_link(world.store.keyring, "officer", path, FIXED_NOW)
    problem_of(call(world.client, None, "GET", f"{path}?link={link}"), 403, "forbidden")
