"""One way to read a user's upload and to show what went wrong, in words."""
import streamlit as st

from core.errors import GenLabError
from ui import keys
from ui.i18n import lang, t


def upload(page: str, label: str, types: list[str], help: str) -> bytes | None:
    """A sidebar uploader whose bytes are kept in the session, so a page switch keeps them."""
    key = keys.of(page, "upload")
    file = st.sidebar.file_uploader(label, type=types, help=help, key=keys.widget(page, "upload"))
    if file is not None:
        st.session_state[key] = (file.name, file.getvalue())
    stored = st.session_state.get(key)
    if stored:
        st.sidebar.caption(plain(t("messages.using_upload", name=stored[0], size=f"{len(stored[1]):,}")))
    return stored[1] if stored else None


def stored_upload(page: str) -> bytes | None:
    """The bytes of the page's last upload (kept in the session), or None."""
    stored = st.session_state.get(keys.of(page, "upload"))
    return stored[1] if stored else None


def try_or_explain(action, *args):
    """Run `action`; a GenLabError becomes a message in the page and None.

    What a loader did to an upload (a subset kept, a separator read, rows
    dropped) comes back as the data's `notes`, and is said here, once per page.
    """
    try:
        result = action(*args)
    except GenLabError as err:
        st.error(err.say(lang()))
        return None
    notes = getattr(result, "notes", ())
    if notes:
        st.caption(plain(t("messages.notes_joiner").join(note.say(lang()) for note in notes)))
    return result


def plain(text: str) -> str:
    """`text` with markdown's active characters escaped: words that hold a user's names, shown as they are."""
    return "".join("\\" + c if c in MARKDOWN else c for c in text)


MARKDOWN = set("\\`*_[]<>#|~$:")  # ':' too: Streamlit reads :red[...] and :emoji: in markdown
