"""What every command group shares: the consoles, plain-text output of user text, errors as
sentences, who is acting, and the container the commands use."""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from playbook.failures import explain
from playbook.models import Principal
from playbook.pseudonyms import RedactionError as RedactionFailed

out = Console()
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

AsUser = Annotated[
    str | None, typer.Option("--as", help="Act as this user (default: PLAYBOOK_USER).")
]


def term(text: str) -> str:
    """User text for the terminal: Rich markup escaped, control characters (and so terminal
    escape sequences: hyperlinks, colours, cursor moves) dropped."""
    return escape(_CONTROL.sub("", text))


def friendly(fn: F) -> F:
    """Turn errors a user can meet into one clear line and a non-zero exit, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except (ValueError, LookupError, RedactionFailed) as exc:
            err.print(f"[red]Error:[/red] {term(str(exc))}", highlight=False)
            raise typer.Exit(1) from None
        except Exception as exc:  # an operational failure: a sentence, never a traceback
            log.debug("command failed", exc_info=True)
            sentence = explain(exc, _data_dir()) or (
                f"the command failed unexpectedly ({type(exc).__name__}); nothing committed "
                "was lost. Run it again, and report it if it keeps failing"
            )
            err.print(f"[red]Error:[/red] {term(sentence[0].upper() + sentence[1:])}.")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


if TYPE_CHECKING:  # built on first use: `--help` and bad usage load no settings or store
    from playbook.wiring import Container


def _data_dir() -> str:
    from playbook.settings import Settings

    try:
        return str(Settings().data_dir.resolve())
    except Exception:  # settings that cannot even be read: say so generically
        return "the data directory"


def build_container() -> Container:
    """The adapters for this process, from the environment's settings.

    Returns:
        A new container; nothing heavy is loaded until a command asks for it.
    """
    from playbook.settings import Settings
    from playbook.wiring import Container

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return Container(Settings())


# The package's root callback sets this before every command (to ``playbook.cli.container``,
# which tests and embedding programs may replace), so the command modules never import the
# package that imports them.
_factory: Callable[[], Container] = build_container


def use_container(factory: Callable[[], Container]) -> None:
    """Make the commands build their container with ``factory`` from now on.

    Args:
        factory: Called once per command; returns the container it acts on.
    """
    global _factory
    _factory = factory


def container() -> Container:
    """The container this command acts on (see ``use_container``)."""
    return _factory()


def yield_to_sessions(c: Container) -> None:
    """Lower this process's CPU priority by ``batch_nice`` (a batch command: an import or a
    reindex), so sessions served on the same cores keep their latency. Where the platform
    has no ``os.nice``, nothing changes."""
    if c.settings.batch_nice and hasattr(os, "nice"):
        os.nice(c.settings.batch_nice)


def acting(c: Container, as_user: str | None) -> Principal:
    """Who is acting (``--as`` or PLAYBOOK_USER), looked up once; a deactivated account is
    refused.

    Args:
        c: The container of this command.
        as_user: The ``--as`` option, if given.

    Returns:
        The acting user with their roles.

    Raises:
        ValueError: Nobody was named.
        PermissionError: The account is deactivated.
    """
    who = as_user or c.settings.user
    if not who:
        raise ValueError(
            "say who is acting: --as USER (or set PLAYBOOK_USER); "
            "results depend on what that user may read"
        )
    found = c.administration.principal(who)
    if not found.active:
        raise PermissionError(f"the account {who!r} is deactivated; ask an admin")
    return found


def acting_name(c: Container, as_user: str | None) -> str:
    """The acting user's name, checked like ``acting``."""
    return acting(c, as_user).username


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr; yields the function that advances it."""
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)
        yield lambda n: progress.update(task, advance=n)
