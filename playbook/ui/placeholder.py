"""Pages whose capability is still being built say so plainly."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def coming(title: str, what: str) -> Callable[[], None]:
    """A page that names the capability coming to it."""

    def page() -> None:
        st.title(title)
        st.info(f"Coming soon: {what}")

    page.__name__ = "page_" + "".join(ch for ch in title.lower() if ch.isalnum())
    return page
