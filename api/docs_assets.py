"""The interactive API docs served with their own assets, for a field office without internet.

Swagger UI's script, preset and style come from the `swagger-ui-py` package (its `static`
folder, pinned in the lock file), served under `/schema/assets/`, never from a CDN. The
package is located, not imported: its Python part (handlers for other frameworks) is unused.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from litestar import Router
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

ASSETS = "/schema/assets"


def swagger_static() -> Path:
    """The folder of Swagger UI's files in the installed `swagger-ui-py` package."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the swagger-ui-py package is not installed (see requirements.lock)")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def swagger_plugin() -> SwaggerRenderPlugin:
    """Swagger UI at /schema and /schema/swagger, every file it loads from /schema/assets/."""
    return SwaggerRenderPlugin(
        js_url=f"{ASSETS}/swagger-ui-bundle.js",
        standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
        css_url=f"{ASSETS}/swagger-ui.css",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
    )


def assets_router() -> Router:
    return create_static_files_router(
        path=ASSETS, directories=[swagger_static()], include_in_schema=False
    )
