"""How the OpenAPI document names and describes each operation, for client generators.

Descriptions: the handler's docstring, then who may call it, read from its guards (so the
document cannot drift from what the server enforces), the four-eyes rule where one applies and
the problem types it can answer (`api.answers`, which also declares the response headers).

Operation ids, short names that generators turn into readable method names:

A handler's own name where no other handler has it (`register_person`, `draft_package`);
where several share one (`approve` on packages, business plans, community projects and
disbursements), the resource its path starts with is added after the verb:
`approve_package`, `approve_business_plan`, `verify_community_project_milestone`.
"""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.types import Method

from api.answers import FOUR_EYES, headers_of, problem_types, problems_text
from api.security import roles_of


class OperationIds:
    """The `operation_id_creator` of the OpenAPI config; `learn` the app's handlers first."""

    def __init__(self) -> None:
        self.shared: set[str] = set()

    def learn(self, app: Litestar) -> None:
        """Note the handler names that more than one operation has."""
        names = Counter(
            handler.handler_name
            for route in app.routes
            for handler in getattr(route, "route_handlers", ())
            if isinstance(handler, HTTPRouteHandler)
            for method in handler.http_methods
            if method != "OPTIONS"
        )
        self.shared = {name for name, count in names.items() if count > 1}

    def __call__(self, handler: HTTPRouteHandler, method: Method, components: list[Any]) -> str:
        name = handler.handler_name
        if name not in self.shared:
            return name
        verb, _, rest = name.partition("_")
        words = [verb, resource(components), rest]
        return "_".join(word for word in words if word)


def resource(components: list[Any]) -> str:
    """The resource a path starts with, singular: `/business-plans/{id}` is business_plan."""
    first = next((c for c in components if isinstance(c, str) and c), "")
    return singular(first.replace("-", "_"))


def singular(plural: str) -> str:
    if plural.endswith(("ches", "shes", "sses", "xes")):
        return plural[:-2]
    return plural.removesuffix("s")


def describe(app: Litestar) -> None:
    """Give each operation its description (the handler's docstring, who may call it, the
    four-eyes rule that applies, the problem types it can answer) and its response headers
    (`api.answers`)."""
    paths = set()
    for route in app.routes:
        paths.add(route.path_format)
        for handler in getattr(route, "route_handlers", ()):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            if handler.description is None:
                handler.description = description(handler, route.path_format)
            handler.response_headers = [*(handler.response_headers or ()), *headers_of(handler)]
    unknown = sorted(set(FOUR_EYES) - paths)
    if unknown:
        raise RuntimeError(f"four-eyes rules name paths no route has: {', '.join(unknown)}")


def description(handler: HTTPRouteHandler, path: str) -> str:
    fn = getattr(handler.fn, "func", handler.fn)  # a handler run in a thread wraps its function
    said = inspect.getdoc(fn) or ""
    roles = sorted(roles_of(handler))
    who = f"Who may call it: {', '.join(roles)}." if roles else "No token is needed."
    parts = [said, who] if said else [who]
    if path in FOUR_EYES:
        parts.append(f"Four eyes: {FOUR_EYES[path]} (403 `four-eyes`).")
    types = problem_types(handler, path)
    if types:
        parts.append(problems_text(types))
    return "\n\n".join(parts)
