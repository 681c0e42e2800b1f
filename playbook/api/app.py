"""The FastAPI application: ``create_app(container)`` wires the routers, the JSON errors
and the request-size limit around one container (the same services the pages use)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from playbook.api import ask, entries, errors, handoff, health, search, sharing, writing

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
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.container = container
    errors.install(app)
    for module in (health, search, ask, writing, sharing, entries, handoff):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, max_bytes=container.settings.api_max_body_kb * 1024)
    # Added last, so it is outermost of these: it also answers a failure in the body limit.
    app.add_middleware(errors.Failures)
    return app
