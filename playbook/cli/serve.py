"""`playbook serve`: the HTTP API (``playbook.api``) with uvicorn, one process; run several
behind a load balancer on one database to scale out (README: "HTTP API")."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from playbook.cli.common import container, err, friendly


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@friendly
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Run the HTTP API (OpenAPI docs at /docs) until interrupted."""
    # Imported here: `playbook --help` must not pay for FastAPI and uvicorn.
    import uvicorn

    from playbook.api import create_app

    c = container()
    problem = c.tokens.store_problem()  # opens (and migrates) the store before listening
    if problem:
        raise ValueError(problem)
    if not _loopback(host):
        err.print(
            "Note: tokens travel in clear over plain HTTP; put a TLS proxy in front of "
            f"{host}:{port}.",
            highlight=False,
        )
    err.print(f"Serving the API on http://{host}:{port} (docs at /docs).", highlight=False)
    # No access log: a URL can carry a search query, which is the user's text, unredacted.
    uvicorn.run(create_app(c), host=host, port=port, access_log=False, log_level="warning")
