"""What every page shares: the container (built once), the signed-in user and their session
cookie, safe text."""

from __future__ import annotations

import datetime as dt
import logging
import re
import traceback
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import streamlit as st

from playbook.failures import explain
from playbook.models import Principal
from playbook.permissions import RULES, Action, NotAllowedError, allows
from playbook.services.accounts import SignInError, session_expired
from playbook.settings import Settings
from playbook.wiring import Container

log = logging.getLogger(__name__)
SSO = "signed_in_by_sso"  # session keys
SSO_ERROR = "sso_error"
SESSION_KEY = "session_token"  # this tab's sign-in session (its token, as in the cookie)
CLEAR_COOKIE = "clear_session_cookie"  # a token whose cookie the browser should forget
COOKIE = "playbook_session"
T = TypeVar("T")
PAGES_KEY = "app_pages"  # this run's pages by address, so one page can link to another
# The browser keeps the session's token in a first-party cookie so a reload, a new tab or a
# bookmark finds the session again; Streamlit reads cookies (``st.context.cookies``) but
# cannot write one from a script, so this component does it in the page. SameSite=Strict:
# no other site's link or form sends it; Secure whenever the app is served over HTTPS. The
# data holds only our own token, never user text (the script is trusted code).
_COOKIE_JS = """
export default function (component) {
  const data = component.data;
  if (!data || !data.name) return;
  const attrs = "; Path=/; SameSite=Strict" + (location.protocol === "https:" ? "; Secure" : "");
  const prefix = data.name + "=";
  const held = (document.cookie.split("; ").find((c) => c.startsWith(prefix)) || "")
    .slice(prefix.length);
  if (data.token) {
    document.cookie = prefix + data.token + "; Max-Age=" + data.maxAge + attrs;
  } else if (data.clear && held === data.clear) {
    // Only the session that ended: another tab may have signed in again meanwhile.
    document.cookie = prefix + "; Max-Age=0" + attrs;
  }
}
"""
_cookie_writer = st.components.v2.component("playbook_session_cookie", js=_COOKIE_JS)
_ROLE_SUFFIX = re.compile(
    r"\s*\((?:leader|rotation participant|participant|coordinator|admin|administrator"
    r"|sponsor|champion|steward)\)\s*$",
    re.IGNORECASE,
)
# Every character with a meaning in Streamlit's Markdown (CommonMark, GFM, math, directives),
# escaped with a backslash, which CommonMark allows before any ASCII punctuation.
_SPECIAL = re.compile(r"([\\`*_~\[\](){}!<>#+\-.|$&=:])")
# What Streamlit's Markdown finds in the *decoded* text, after escapes are gone: GFM's bare
# autolinks (``http://``, ``www.``, ``a@b.c``), emoji shortcodes (``:smile:``) and icons
# (``:material/x:``). An invisible word joiner after the colon, the ``@`` or the ``www``
# breaks each pattern without changing what a reader sees.
_DECODED_SYNTAX = re.compile(r"(?:(?<=:)|(?<=@))(?=[\w+\-/])|(?i:(?<=\bwww)(?=\.))")
WORD_JOINER = "\u2060"
_SPACE = re.compile(r"\s+")


@st.cache_resource(show_spinner="Loading models…")
def get_container() -> Container:
    """One container per server process: models and clients load once."""
    c = Container(Settings())
    c.records  # noqa: B018 - migrate before the first page renders
    c.indexing.repair()
    c.sessions.purge()  # sessions over for a day or more say nothing any more
    secret = c.bootstrap_admin()
    if secret:
        # Shown once, on the server's console, for whoever installed it.
        print(
            f"\nLiving Playbook: first admin created. Sign in as 'admin' with: {secret}\n"
            "It is not shown again; set PLAYBOOK_ADMIN_PASSWORD to choose it yourself.\n",
            flush=True,
        )
    return c


def plain(text: object, *, lines: bool = False) -> str:
    """User-derived ``text`` as inert Markdown: shown literally, character for character, by
    every Streamlit element that reads Markdown (labels of expanders, checkboxes, radios,
    tabs, buttons and metrics; captions, toasts, titles, alerts, ``st.markdown``,
    ``st.write``). Nothing in it becomes a link, an image, HTML, emphasis, code, a heading, a
    list, a table, a colour, an icon, an emoji or LaTeX (principle 4: untrusted text stays
    data). Interpolate only its result into a Markdown string; never pass user text with
    ``unsafe_allow_html``.

    By default whitespace runs, line breaks included, become one space (a label is one
    line). With ``lines=True`` (a body of text, or a piece of one) line breaks are kept as
    line breaks, and indentation (two or more leading spaces or a tab) becomes no-break
    spaces, so no line starts a code block; one leading space stays, so streamed pieces
    (" word") still wrap.

    Not for what Streamlit shows as plain text already (there the backslashes would show):
    the options of ``st.selectbox`` and ``st.multiselect`` (their *labels* are Markdown),
    widget values, ``st.text``, ``st.code``, ``st.dataframe``, file names.
    """
    s = _SPECIAL.sub(r"\\\1", _DECODED_SYNTAX.sub(WORD_JOINER, str(text)))
    if not lines:
        return _SPACE.sub(" ", s)
    out = []
    for line in s.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        body = line.lstrip(" \t")
        indent = line[: len(line) - len(body)].replace("\t", "    ")
        out.append(("\u00a0" * len(indent) if len(indent) > 1 else indent) + body)
    return "  \n".join(out)


def show_failure(exc: Exception) -> None:
    """A failure no page expected, shown as one sentence naming the fix (the server's log
    gets its type and where it happened, never its message: that may quote user text)."""
    log.error(
        "page failed: %s\n%s", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__))
    )
    try:
        where = str(Settings().data_dir.resolve())
    except Exception:  # settings that cannot be read: name no folder
        where = "the data directory"
    sentence = explain(exc, where) or (
        "something went wrong on this page; nothing you saved was lost. Reload the page, and "
        "tell your administrator if it keeps happening"
    )
    st.error(plain(sentence[0].upper() + sentence[1:] + "."), icon=":material/error:")


def current_user() -> Principal | None:
    """The signed-in principal, if any. This tab's session is checked with the store on every
    run, so signing out in another tab, deactivation or a new password ends it here too; with
    none, the browser's session cookie (a reload, a bookmark, a new tab) signs in; a session
    past its lifetime is signed out."""
    c = get_container()
    token = st.session_state.get(SESSION_KEY)
    username = st.session_state.get("username")
    if token:
        if c.sessions.user(token) != username:
            sign_out()
            st.session_state["ended"] = True
            return None
    elif not username:
        cookie = _browser_token()
        username = c.sessions.user(cookie)
        if username and cookie:
            st.session_state.update({"username": username, SESSION_KEY: cookie})
        else:
            username = _single_sign_on()
    if not username:
        return None
    since = st.session_state.setdefault("signed_in_at", dt.datetime.now(dt.UTC))
    if session_expired(since, dt.datetime.now(dt.UTC), c.settings.session_hours):
        sign_out()
        st.session_state["expired"] = True
        return None
    principal = c.administration.principal(username)
    if not principal.active:
        sign_out()
        st.session_state["deactivated"] = True
        return None
    return principal


def sso_configured() -> bool:
    """Whether single sign-on is set up (an ``[auth]`` section in ``.streamlit/secrets.toml``)."""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # an unreadable secrets file: no single sign-on, and say nothing here
        return False


def _single_sign_on() -> str | None:
    """The local user a provider's identity (``st.user``) is linked to, signing them in; None
    when single sign-on is off, nobody is signed in with the provider, or the identity is
    not linked (the sign-in page then says why)."""
    if not sso_configured() or st.session_state.get(SSO_ERROR):
        return None
    claims = st.user.to_dict()
    if not claims.get("is_logged_in"):
        return None
    try:
        username = get_container().accounts.sso_sign_in(claims)
    except (SignInError, ValueError) as exc:
        st.session_state[SSO_ERROR] = str(exc)
        return None
    sign_in(username)
    st.session_state[SSO] = True
    return username


def model_limit(principal: Principal) -> str | None:
    """When a model is configured and ``principal`` has used up their model requests, the
    sentence saying when the next is available; otherwise None. Ask it before the request."""
    c = get_container()
    if c.llm is None:
        return None
    wait = c.limiter.wait_for(principal.user_id)
    return None if wait is None else c.limiter.message(wait)


def permitted(principal: Principal, action: Action) -> bool:
    """Whether ``principal`` may use a page for ``action``; when not, the page says why."""
    if allows(principal, action):
        return True
    st.info(RULES[action].refusal[0].upper() + RULES[action].refusal[1:] + ".")
    return False


def sign_in(username: str) -> None:
    """Start a session for ``username`` (its cookie is written by ``keep_session_cookie``)."""
    st.session_state[SESSION_KEY] = get_container().sessions.start(username)
    st.session_state["username"] = username
    st.session_state["signed_in_at"] = dt.datetime.now(dt.UTC)
    st.session_state.pop("expired", None)


def sign_out() -> None:
    """End the session in the store (every tab holding it is signed out on its next run) and
    forget who is signed in and everything the pages kept; the browser forgets the cookie
    (and, after single sign-on, the provider's identity cookie too)."""
    by_sso = st.session_state.get(SSO)
    token = st.session_state.get(SESSION_KEY) or _browser_token()
    get_container().sessions.end(token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if token:
        st.session_state[CLEAR_COOKIE] = token
    if by_sso:
        st.logout()


def _browser_token() -> str | None:
    """The session token the browser sent when this tab connected, if any."""
    value = st.context.cookies.get(COOKIE)
    # Only text is a token (outside a browser, as under streamlit.testing, it is not).
    return value if isinstance(value, str) else None


def keep_session_cookie() -> None:
    """Write this tab's session token into the browser's cookie, or remove the cookie of a
    session that ended here. Call once per run, before the page."""
    token = st.session_state.get(SESSION_KEY)
    if token and _browser_token() != token:
        left = get_container().sessions.seconds_left(token)
        _cookie_writer(data={"name": COOKIE, "token": token, "maxAge": left}, key="cookie:set")
    ended = st.session_state.pop(CLEAR_COOKIE, None)
    if ended:
        _cookie_writer(data={"name": COOKIE, "clear": ended}, key="cookie:clear")


def count(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun that agrees with it: "1 entry", "2 entries", "0 people"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def greeting_name(display_name: str) -> str:
    """A display name without a role in brackets ("Ada (leader)" greets "Ada"): the role
    helps pick a demo user, not to greet one."""
    return _ROLE_SUFFIX.sub("", display_name) or display_name


def remember_pages(pages: Mapping[str, Any]) -> None:
    """Keep this run's navigation pages (by address) for ``link``; app.py calls it."""
    st.session_state[PAGES_KEY] = dict(pages)


def link(address: str, label: str, **query: str) -> None:
    """A link to another page of the app, opening it with ``query`` in its address.

    Args:
        address: The page's address ("reflect"); a page the person may not open (or one not
            registered in this run, as in a page's unit test) shows ``label`` as text only.
        label: Already plain text (``plain(...)``): Streamlit reads link labels as Markdown.
        **query: Query parameters the page reads (``open=<document id>``).
    """
    page = st.session_state.get(PAGES_KEY, {}).get(address)
    if page is None:
        st.markdown(label)
        return
    st.page_link(page, label=label, query_params=query or None)


def held_view(
    key: str,
    wanted: object,
    build: Callable[[], T],
    *,
    refresh: str | None = None,
    refusals: tuple[type[Exception], ...] = (NotAllowedError,),
) -> T | None:
    """A view built (and so audited) once per ``wanted`` (its programme and period), kept
    across reruns (a download, a widget), and built again when **Refresh** is pressed.

    Args:
        key: Where the session keeps it.
        wanted: What it is a view of; a change builds it again.
        build: Makes the view.
        refresh: The Refresh button's widget key (None: Streamlit's own).
        refusals: Errors shown as a sentence instead of the view.

    Returns:
        The view, or None when ``build`` was refused (the sentence is on the page).
    """
    held = st.session_state.get(key)
    if st.button("Refresh", key=refresh) or held is None or held[0] != wanted:
        try:
            view = build()
        except refusals as exc:
            st.info(plain(str(exc)[:1].upper() + str(exc)[1:]) + ".")
            return None
        st.session_state[key] = (wanted, view)
        return view
    kept: T = held[1]
    return kept
