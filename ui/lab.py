"""The frame every lab page shares: sidebar settings, the preset's notice, a model factory."""
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from core.config import to_query
from core.models import MODELS
from core.presets import PRESETS, build_config
from ui import controls, messages
from ui.i18n import lang, t

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def settings(page: str, default_preset: str, upload: tuple[str, str] | None = None) -> tuple[Any, bytes | None]:
    """Preset picker and controls in the sidebar, kept in the URL; the preset's notice.

    `upload` is (label, help) for the file uploader shown when the dataset is
    'upload' (or another 'upload-...' kind). Returns the config and the uploaded bytes (or None).
    """
    controls.init_config(page, default_preset)
    flags = controls.classroom_flags(page)
    controls.preset_picker(page, locked="teacher" in flags)
    hidden = tuple(flags.get("hide", "").split(","))
    config = controls.config_controls(page, hidden=hidden, advanced="teacher" not in flags)
    raw = None
    if upload and config.dataset.startswith("upload"):
        raw = _uploader(page, upload, fixed="dataset" in hidden)
    controls.sync_url(page, config, flags)
    controls.show_url_problems(page)
    preset = PRESETS.get(st.session_state[f"{page}.preset"])
    if preset:
        st.info(t("lab.notice", title=t(f"preset.{preset.name}.title", default=preset.title),
                  notice=t(f"preset.{preset.name}.notice", default=preset.notice)))
        changed = to_query(config, build_config(page, preset.name))
        if changed:
            st.caption(t("lab.changed", changes=controls.describe(page, config, changed)))
    return config, raw


def _uploader(page: str, upload: tuple[str, str], fixed: bool) -> bytes | None:
    """The uploader of an 'upload' data set, drawn even where the link hides the data set picker.

    A teacher who sends `dataset=upload&hide=dataset` wants the class on their own
    files and off the built-in ones; without the uploader the page could only
    say that no file was given. The sidebar says why the picker is missing.
    """
    if fixed:
        st.sidebar.caption(t("controls.link.upload_fixed"))
    return messages.upload(page, upload[0], ["csv", "txt"], upload[1])


def model_factory(page: str, load_data: Callable, model_class: type) -> Callable[[], tuple[Any, Any]]:
    """make() for Train's callback: a new model and its data from the widgets as they are now.

    Impossible settings raise a ConfigError, which the buttons show in words.
    """
    def make():
        config = controls.config_from_widgets(page)
        data, model = load_data(config, messages.stored_upload(page)), model_class(config)
        model.check(data)
        return model, data

    return make


def theory(name: str) -> None:
    """The Theory tab's text: assets/theory/<name>.<lang>.md where translated, else <name>.md (English)."""
    translated = ASSETS / "theory" / f"{name}.{lang()}.md"
    st.markdown((translated if translated.exists() else ASSETS / "theory" / f"{name}.md").read_text())


def not_built(title: str, what: str) -> None:
    """A lab whose issue is still open: say so in one line, and point to the labs that train."""
    st.title(title)
    built = [spec for spec in MODELS.values() if spec.built]
    st.info(t("lab.not_built", what=what, labs=", ".join(s.title for s in built)))
    for spec in built:
        st.page_link(f"app_pages/{spec.name}.py", label=t("lab.open_lab", title=spec.title))
