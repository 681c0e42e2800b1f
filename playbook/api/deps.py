"""What every router shares: the container of the app, and the signed-in principal of a
request from its bearer token, for the scope the route needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from playbook.models import Principal

if TYPE_CHECKING:
    from playbook.wiring import Container

# auto_error=False: a missing or non-Bearer header is answered by the token service, so the
# refusal is audited and phrased like every other; the scheme still shows in /docs.
_bearer = HTTPBearer(
    auto_error=False, description="A personal access token (`playbook tokens create`)."
)


def container_of(request: Request) -> Container:
    """The container the app was built with."""
    return request.app.state.container


def _principal_for(scope: str) -> Callable[..., Principal]:
    def principal(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        secret = credentials.credentials if credentials is not None else None
        return container_of(request).tokens.authenticate(secret, scope)

    return principal


Reader = Annotated[Principal, Depends(_principal_for("read"))]
Writer = Annotated[Principal, Depends(_principal_for("write"))]
App = Annotated["Container", Depends(container_of)]
