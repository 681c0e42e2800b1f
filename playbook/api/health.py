"""``GET /health``: whether this process answers and can reach the store (no token needed,
nothing about the content is said)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from playbook.api.deps import App

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and the store's reachability")
def health(c: App) -> JSONResponse:
    """``{"status": "ok"}``, or 503 with the reason when the store cannot be reached."""
    problem = c.tokens.store_problem()
    if problem:
        return JSONResponse({"status": "unavailable", "error": problem}, status_code=503)
    return JSONResponse({"status": "ok"})
