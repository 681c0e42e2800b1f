"""The FastAPI application: ``create_app(container)`` wires the routers, the JSON errors
and the request-size limit around one container (the same services the pages use)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from playbook.api import (
    ask,
    entries,
    errors,
    handoff,
    health,
    programme_health,
    search,
    sharing,
    writing,
)

if TYPE_CHECKING:
    from playbook.wiring import Container

DESCRIPTION = """Search, Ask, write journal entries and debriefs, share and withdraw, read
playbook entries and handoff packs — as the user a personal access token belongs to, with
what that user may read or do. Send `Authorization: Bearer <token>` (make one with
`playbook tokens create`). Every error is `{"error": "<sentence>"}`."""


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413 before a route reads them: by the
    declared ``Content-Length`` at once (the server holds a body to its declared length),
    and by counting for a body sent in chunks."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and not declared.isdigit():
            await errors.error(400, "the Content-Length header is not a number")(
                scope, _nothing, send
            )
            return
        if declared is not None and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        # No length declared (a chunked body): read it here, at most the limit, then replay
        # it; the bodies allowed are small, and a route never sees a partial one.
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await self._refuse(send)
                return
            if message["type"] != "http.request" or not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        response = errors.error(
            413, f"the request body is larger than {self.max_bytes // 1024} KiB"
        )
        await response({"type": "http"}, _nothing, send)


async def _nothing() -> dict[str, Any]:
    return {"type": "http.disconnect"}


def create_app(container: Container) -> FastAPI:
    """The API over ``container``'s services.

    Args:
        container: The wiring of this process (its settings give the limits).

    Returns:
        An ASGI application; ``playbook serve`` runs it with uvicorn.
    """
    app = FastAPI(
        title="Living Playbook API",
        version="1",
        description=DESCRIPTION,
        docs_url=None,  # served below from the installed Swagger UI, not a CDN
        redoc_url=None,
    )
    _offline_docs(app)
    app.state.container = container
    errors.install(app)
    for module in (health, search, ask, writing, sharing, entries, handoff, programme_health):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, max_bytes=container.settings.api_max_body_kb * 1024)
    # Added last, so it is outermost of these: it also answers a failure in the body limit.
    app.add_middleware(errors.Failures)
    return app


DOCS_ASSETS = "/docs/assets"


def _offline_docs(app: FastAPI) -> None:
    """OpenAPI docs at ``/docs`` whose scripts, styles and icon come from this server.

    FastAPI's own page loads Swagger UI from a CDN, which an installation without internet
    access (the norm here) cannot reach; the ``swagger-ui-bundle`` package ships the same
    files.
    """
    assets = str(swagger_ui_bundle.swagger_ui_path)
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"),
            title=f"{app.title} — docs",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon-32x32.png",
        )
