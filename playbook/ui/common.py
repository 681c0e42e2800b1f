"""What every page shares: the container (built once), the signed-in user, safe text."""

from __future__ import annotations

import re

import streamlit as st

from playbook.models import Principal
from playbook.settings import Settings
from playbook.wiring import Container

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


@st.cache_resource(show_spinner="Loading models…")
def get_container() -> Container:
    """One container per server process: models and clients load once."""
    c = Container(Settings())
    c.records  # noqa: B018 - migrate before the first page renders
    c.repair()
    return c


def escape_md(text: str) -> str:
    """User content shown as text: no Markdown, no HTML (principle 4: untrusted text stays data)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def current_user() -> Principal | None:
    """The signed-in principal, if any."""
    username = st.session_state.get("username")
    if not username:
        return None
    return get_container().records.principal(username)
