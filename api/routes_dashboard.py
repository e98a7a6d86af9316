"""/programmes/{programme_id}/dashboard: the programme's dashboard as a page, for a browser.

Those who may read the programme's financial report may see it (its figures are the
report's, with the payments and outcomes beside them), scoped to their offices the same
way. With a bearer token the page answers at once; a browser, which cannot send one, opens
the URL that `.../dashboard/link` gives the token's user (valid 15 minutes, for this page
only: `reintegrate.services.page_links`). The page's stylesheet is served by the app under
`/dashboard-assets/`, public: it holds no data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, Response, Router, get
from litestar.enums import MediaType
from litestar.params import QueryParameter
from litestar.static_files import create_static_files_router

from api.context import PathId, actor, now, store
from api.dashboard_page import ASSETS, HEADERS, render
from api.problems import READ_PROBLEMS
from api.schemas_dashboard import PageLink
from api.security import allow
from reintegrate.access import FINANCE_READERS
from reintegrate.services.dashboard import OutcomeSource, dashboard_link, programme_dashboard
from reintegrate.services.users import Caller

LinkQuery = Annotated[
    str | None,
    QueryParameter(
        name="link",
        required=False,
        max_length=400,
        description="what GET .../dashboard/link answered, for a browser that sends no token",
    ),
]


class DashboardController(Controller):
    path = "/programmes"
    tags = ("reports",)

    @get(
        "/{programme_id:str}/dashboard",
        guards=[allow(*FINANCE_READERS)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
        media_type=MediaType.HTML,
    )
    def programme_dashboard(
        self, request: Request[Caller, Any, Any], programme_id: PathId, link: LinkQuery = None
    ) -> Response[bytes]:
        """The programme's dashboard, an HTML page: spending against budget by line and form,
        payments by status over time, score distributions by group, follow-up completion.
        A caller who works for some offices sees their figures."""
        del link  # read by the authentication, before the route
        outcomes: OutcomeSource = request.app.state.outcomes
        figures = programme_dashboard(store(request), actor(request), programme_id, outcomes)
        page = render(figures)
        return Response(page.encode(), media_type=MediaType.HTML, headers=HEADERS)

    @get(
        "/{programme_id:str}/dashboard/link",
        guards=[allow(*FINANCE_READERS)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def dashboard_link(
        self, request: Request[Caller, Any, Any], programme_id: PathId
    ) -> Response[PageLink]:
        """A link that opens the programme's dashboard in a browser, as the caller, for 15
        minutes: the page's path with a signed `link` parameter (no token, no personal
        data). Anyone who has the link sees the page as the caller would: open it, do not
        pass it on."""
        path = f"/programmes/{programme_id}/dashboard"
        link, expires_at = dashboard_link(
            store(request), request.user.user_id, programme_id, path, now(request)
        )
        answer = PageLink(url=f"{path}?link={link}", expires_at=expires_at)
        return Response(answer, headers={"Cache-Control": "no-store"})


def dashboard_assets() -> Router:
    """The dashboard's stylesheet, from this package's `assets` folder."""
    folder = Path(__file__).resolve().parent / "assets"
    return create_static_files_router(path=ASSETS, directories=[folder], include_in_schema=False)
