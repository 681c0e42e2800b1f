"""Every error the API returns is JSON ``{"error": "<a clear sentence>"}`` with the status
that says what kind of problem it is; FastAPI's own validation errors and unknown routes
too. Nothing in an error repeats what the client sent (it may be personal text)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from playbook.failures import explain
from playbook.models import StoreError
from playbook.pseudonyms import RedactionError
from playbook.services.reflection import ReflectionError
from playbook.services.tokens import RateLimitedError, ScopeError, TokenError

log = logging.getLogger(__name__)

_STATUS_WORDS = {
    400: "the request is malformed",
    401: "authentication is required",
    403: "this is not allowed",
    404: "there is no such route or item",
    405: "this route does not take that method",
    409: "this conflicts with the item's current state",
    413: "the request body is too large",
    422: "the request's fields are not valid",
    429: "too many requests",
    503: "the service is unavailable for now; try again shortly",
}


class FieldsError(ValueError):
    """A form refused field by field (HTTP 422). The services' ``FormError`` is a frozen
    dataclass, which Starlette cannot handle (it clears an exception's traceback), so the
    routes re-raise its fields as this."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def error(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """The JSON error response: ``{"error": message, ...extra}``."""
    sentence = message[:1].upper() + message[1:] if message else _STATUS_WORDS.get(status, "error")
    return JSONResponse({"error": sentence, **extra}, status_code=status, headers=headers)


def status_of(exc: Exception) -> int:
    """The status of a service's refusal.

    The services phrase refusals as sentences on a few exception types rather than one type
    per case, so "no such ..." or "no <thing> with id ..." (an unknown id) and "already ..."
    (a state conflict) are told apart from other bad input by their wording; everything else
    a ValueError says is 400.
    """
    if isinstance(exc, TokenError):
        return 401
    if isinstance(exc, PermissionError):
        return 403
    if isinstance(exc, LookupError):
        return 404
    text = str(exc).casefold()
    if isinstance(exc, StoreError | ReflectionError) and text.startswith("no "):
        return 404
    if "already" in text:
        return 409
    return 400


def _field_problem(problem: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("body", "query", "path"))
    what = str(problem.get("msg", "is not valid")).rstrip(".")
    return f"{where or 'the body'}: {what[0].lower() + what[1:] if what else what}"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into a JSON error."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else ""
        # Starlette's own details ("Not Found") are words, not sentences: say it fully.
        if exc.status_code in _STATUS_WORDS and detail in ("", "Not Found", "Method Not Allowed"):
            detail = _STATUS_WORDS[exc.status_code]
        return error(exc.status_code, detail, dict(exc.headers or {}) or None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_field_problem(p) for p in exc.errors()]
        if any(p.get("type") == "json_invalid" for p in exc.errors()):
            return error(400, "the body is not valid JSON")
        said = "; ".join(problems)
        return error(422, f"{_STATUS_WORDS[422]}: {said}" if said else "", fields=problems)

    @app.exception_handler(TokenError)
    async def _unauthenticated(_: Request, exc: TokenError) -> JSONResponse:
        return error(401, str(exc), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(ScopeError)
    async def _scope(_: Request, exc: ScopeError) -> JSONResponse:
        return error(403, str(exc))

    @app.exception_handler(RateLimitedError)
    async def _limited(_: Request, exc: RateLimitedError) -> JSONResponse:
        return error(429, str(exc), {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(FieldsError)
    async def _form(_: Request, exc: FieldsError) -> JSONResponse:
        return error(422, str(exc), fields=exc.errors)

    @app.exception_handler(RedactionError)
    async def _redaction(_: Request, exc: RedactionError) -> JSONResponse:
        # Redaction failed, so nothing was stored: a transient failure of the engine.
        return error(503, "the text could not be redacted, so nothing was stored; try again")

    async def _refused(_: Request, exc: Exception) -> JSONResponse:
        return error(status_of(exc), str(exc))

    # Registered per type (not under Exception), so a refusal is an answer, not a crash.
    for kind in (ValueError, LookupError, PermissionError):
        app.add_exception_handler(kind, _refused)

    async def _bug(_: Request, exc: Exception) -> JSONResponse:
        return failure(exc)

    # A KeyError or IndexError is a bug, not a refusal: its message is no sentence for a
    # client (it may even be a piece of data), so it is answered like a failure.
    for kind in (KeyError, IndexError, UnicodeError):
        app.add_exception_handler(kind, _bug)


def failure(exc: BaseException) -> JSONResponse:
    """The 503 for an operational failure (the store or an index unreachable): a sentence,
    and in the log only the kind of failure, never a traceback that could hold text."""
    name = type(exc).__name__
    if isinstance(exc, OSError):
        # ``explain`` names the file (or quotes a library's message): right for an operator
        # at a terminal, not for a remote client. The log gets the error number only.
        log.warning("API request failed: %s errno=%s", name, exc.errno)
        return error(503, f"the server could not read or write its files ({name}); try again")
    log.warning("API request failed: %s", name)
    sentence = explain(exc, "the data directory") or (
        f"the request failed unexpectedly ({name}); nothing committed was lost"
    )
    return error(503, sentence)


class Failures:
    """Answer any exception a route lets through with ``failure`` (Starlette's own last
    resort would log the traceback and answer a bare 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:  # the last resort: every failure becomes a JSON answer
            if started:  # too late for another answer: the client sees a cut response
                log.warning("API response cut short: %s", type(exc).__name__)
                return
            await failure(exc)(scope, receive, send)
