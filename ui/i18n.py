"""The session's language: a sidebar switch, kept in the URL as `lang` (en or zh)."""
from typing import Any, Callable

import streamlit as st

from core.i18n import LANGS, text

KEY = "genlab.lang"


def lang() -> str:
    return st.session_state.get(KEY, "en")


def t(key: str, default: str | None = None, **fields) -> str:
    """The interface text for `key` in the session's language."""
    return text(lang(), key, default, **fields)


def formatter(words: Callable[[str, Any], str]) -> Callable[[Any], str]:
    """A widget's format_func saying `words(lang, option)` in this run's language.

    The language is read now, not when an option is shown: Streamlit's AppTest
    calls format_func again outside the script run, where the session's choice
    cannot be read.
    """
    current = lang()
    return lambda option: words(current, option)


def from_url() -> None:
    """A link's `lang` wins (a shared link opens in its language); otherwise the session's choice stays."""
    wanted = st.query_params.get("lang")
    if wanted in LANGS:
        st.session_state[KEY] = wanted
    st.session_state.setdefault(KEY, "en")


def switch() -> None:
    """English / 中文 in the sidebar; the choice goes into the URL so a copied link keeps it."""
    st.sidebar.segmented_control("Language / 语言", list(LANGS), format_func=LANGS.get, key=KEY,
                                 on_change=_to_url, selection_mode="single")


def _to_url() -> None:
    if st.session_state.get(KEY) is None:  # clicking the selected option again deselects it
        st.session_state[KEY] = "en"
    if lang() == "en":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang()
