"""The frame every lab page shares: title, sidebar settings, the preset's notice, the buttons, the tabs.

A lab page is then a short script: `top` (everything above the tabs), `tabs`, and in
them the lab's panels module (ui/<page>_panels.py), which offers the same functions
with the same arguments for every lab: `data_preview(data)`, `curves(job, view)`,
`latest(job, view)` and `snapshot_panel(snap, job, where)`. Its words are
`<page>.title`, `<page>.caption`, `<page>.upload_label`, `<page>.upload_help` and
`<page>.tab.<name>` in assets/i18n/<lang>/<page>.toml.
"""
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import streamlit as st
from streamlit import config

from core.config import to_query
from core.presets import PRESETS, build_config
from ui import controls, keys, messages, training
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
    preset = PRESETS.get(controls.current_preset(page))
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


def top(page: str, default_preset: str, load_data: Callable, model_class: type) -> tuple[Any, Any, Any]:
    """Everything above the tabs: title, sidebar settings, the data, Train / Stop / Reset, the status.

    Returns the config, the data (None where it failed its checks: the page says why) and
    the page's job (None before the first Train).
    """
    _take_tab_link(page)
    st.title(t(f"{page}.title"))
    st.caption(t(f"{page}.caption"))
    config, upload = settings(page, default_preset, upload=(t(f"{page}.upload_label"), t(f"{page}.upload_help")))
    data = messages.try_or_explain(load_data, config, upload)
    training.buttons(page, config, model_factory(page, load_data, model_class))
    training.status_panel(page, lambda job: t(f"{page}.device", "") or job.model.device_)  # torch's, or the library's words
    return config, data, training.current_job(page)


class Tab:
    """One of a page's tabs, and whether its content is drawn in this run (`shown`).

    Streamlit draws every tab's content on every run unless asked not to, and a browser pays for
    the hidden ones on each rerun: while a GAN trained, the Theory tab's typeset equations
    (thousands of nodes, hidden) cost the page about a tenth of a core, which the charts need. So in
    a browser only the open tab is drawn; choosing another reruns the page. Page tests (AppTest)
    read every tab in one run, so there all of them are drawn.
    """

    def __init__(self, container, shown: bool):
        self.container, self.shown = container, shown

    def __enter__(self):
        self.container.__enter__()
        return self

    def __exit__(self, *exc):
        return self.container.__exit__(*exc)


LINK_TAB = "tab"  # ?tab=<name> opens that tab; ?tab=errata opens Theory with its errata box first (home's links)


def tabs(page: str, *names: str) -> list[Tab]:
    """The page's tabs, titled `<page>.tab.<name>`: draw a tab's content only where `tab.shown`."""
    labels = [t(f"{page}.tab.{name}") for name in names]
    asked = _linked_tab(page, names)
    default = labels[names.index(asked)] if asked else None
    if config.get_option("global.appTest"):
        return [Tab(c, True) for c in st.tabs(labels, default=default)]
    shown = [Tab(c, bool(c.open)) for c in st.tabs(labels, key=keys.of(page, "tabs"), on_change="rerun",
                                                   default=default)]
    if "theory" in names and not shown[names.index("theory")].shown:
        st.session_state.pop(keys.of(page, "errata_first"), None)  # the box goes back to the tab's end
    return shown


def _take_tab_link(page: str) -> None:
    """Keep a link's ?tab= for tabs(): the settings rewrite the URL before the tabs are drawn."""
    if LINK_TAB in st.query_params:
        st.session_state[keys.of(page, "link_tab")] = st.query_params[LINK_TAB]


def _linked_tab(page: str, names: tuple[str, ...]) -> str | None:
    """The tab a link asked for, once (then the student's own choice of tab holds)."""
    asked = st.session_state.pop(keys.of(page, "link_tab"), None)
    if asked == "errata" and "theory" in names:
        st.session_state[keys.of(page, "errata_first")] = True
        return "theory"
    return asked if asked in names else None


def live(page: str, panels: ModuleType, data: Any, job: Any, curves_every: float = 0.5,
         latest_every: float = 1.5) -> None:
    """The Live tab: the data until something trains, then the curves (cheap, redrawn every
    `curves_every` s) and the newest snapshot (heavy, every `latest_every` s)."""
    if job is None and data is not None:
        panels.data_preview(data)
    training.live(page, lambda view: panels.curves(job, view), curves_every, "curves")
    training.live(page, lambda view: panels.latest(job, view), latest_every, "snapshot", heavy=True)


def snapshots(page: str, panels: ModuleType, job: Any) -> None:
    """The Snapshots tab: a slider over the job's snapshots, each drawn by the panels; earlier runs below."""
    training.scrubber(page, lambda snap, shots: panels.snapshot_panel(snap, job, "scrub"))


def theory(name: str) -> None:
    """The Theory tab's text: assets/theory/<name>.<lang>.md where translated, else <name>.md (English).

    Reached by the home page's errata link, the box that closes the tab ("What the notes say / what
    is true", its last section) comes first, until the student opens another tab."""
    translated = ASSETS / "theory" / f"{name}.{lang()}.md"
    text = (translated if translated.exists() else ASSETS / "theory" / f"{name}.md").read_text()
    body, heading, box = text.rpartition("\n### ")
    if heading and st.session_state.get(keys.of(name, "errata_first")):
        st.markdown("### " + box)
        st.divider()
        st.markdown(body)
    else:
        st.markdown(text)
