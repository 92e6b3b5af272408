"""The session's language: a sidebar switch, kept in the URL as `lang` (en or zh)."""
import json
from typing import Any, Callable

import streamlit as st

from core.config import link_text
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
    """A link's `lang` wins (a shared link opens in its language); otherwise the session's choice stays.

    A language we do not have is said, in the session's language, and taken out of
    the URL, so the page does not repeat it on every rerun.
    """
    wanted = st.query_params.get("lang")
    known = wanted is not None and wanted.strip().lower() in LANGS
    if known:
        st.session_state[KEY] = wanted.strip().lower()
    st.session_state.setdefault(KEY, "en")
    if wanted is not None and not known:
        st.warning(t("error.link.lang", value=link_text(wanted)))
        st.query_params.pop("lang", None)


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


def frontend_words() -> None:
    """Streamlit's own words in the page (the file uploader's button and size line), in 中文.

    Streamlit 1.67 offers no way to word its file uploader (streamlit#13500), so
    a style sheet hides its English and shows ours. The words come from our own
    tables, never from a user, so nothing unescaped reaches the page.
    """
    if lang() == "en":
        return
    button, limit = (json.dumps(t(f"frontend.{key}"), ensure_ascii=False) for key in ("upload", "upload_limit"))
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: {button}; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {limit}; font-size: 0.75rem; }}
</style>""")
