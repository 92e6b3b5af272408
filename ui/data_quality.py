"""The Compare page's data-quality settings: the contamination Train all uses, and the sweep's.

Two small configs (core.data.contamination.Contamination and
core.compare.sweep.SweepConfig) kept in the session under page keys of their
own, `compare.dirt` and `compare.sweep`, and in the link as `dirt.kind=outliers&
dirt.level=0.2` and `sweep.levels=0,0.1,0.2`: the preset sets them, the link
may change them, the sidebar (dirt) and the sweep tab (sweep) show them.
"""
import dataclasses
from typing import Any

import streamlit as st

from core.compare.sweep import SweepConfig
from core.config import config_fields, from_query, to_query
from core.data.contamination import SHARES, Contamination, clean_level, contaminate, kinds_for, why_not
from core.i18n import Words
from ui import controls, keys
from ui.i18n import formatter, lang, t

PAGE = "compare"
DIRT, SWEEP = keys.of(PAGE, "dirt"), keys.of(PAGE, "sweep")  # their page keys: `compare.dirt.w.kind`, ...
PREFIX = {DIRT: "dirt.", SWEEP: "sweep."}  # how the link spells their settings
START_LEVEL = {"noise": 0.1, "rows": 0.5}  # a kind's level when it is picked (shares: 0.2)


def preset_configs(preset) -> dict[str, Any]:
    """page key -> the config the preset sets (none and the default sweep unless it says)."""
    return {DIRT: Contamination(**preset.contamination), SWEEP: SweepConfig(**preset.sweep)}


def is_link_key(key: str) -> bool:
    """True for `dirt.<field>` and `sweep.<field>`."""
    return any(key.startswith(prefix) and key[len(prefix):] in {f.name for f in config_fields(kind)}
               for prefix, kind in (("dirt.", Contamination), ("sweep.", SweepConfig)))


def load(preset, link: dict[str, str] | None = None) -> None:
    """Make the preset's contamination and sweep current, with the link's valid `dirt.`/`sweep.` settings.
    A kind the task cannot take (noise on a table) is said, and the preset's kept."""
    for page, base in preset_configs(preset).items():
        prefix = PREFIX[page]
        mine = {k[len(prefix):]: v for k, v in (link or {}).items() if k.startswith(prefix) and is_link_key(k)}
        config, bad = from_query(base, mine, page_keys=(), prefix=prefix)
        for words in bad:
            controls.link_problem(PAGE, words)
        if why_not(config.kind, preset.task):
            controls.link_problem(PAGE, Words("error.quality.link.kind", {
                "name": f"{prefix}kind", "why": Words(f"quality.why_not.{config.kind}.{preset.task}")}))
            config = dataclasses.replace(config, kind=base.kind)
        if page == DIRT and not _level_ok(config):
            controls.link_problem(PAGE, Words("error.quality.link.level", {"name": "dirt.level"}))
            config = dataclasses.replace(config, level=base.level if _level_ok(base) else clean_level(config.kind))
        st.session_state[keys.of(page, "config")] = config
        controls.seed_widgets(page, config)


def _level_ok(c: Contamination) -> bool:
    return c.kind == "none" or (0 < c.level <= 1 if c.kind == "rows" else c.kind == "noise" or c.level <= 1)


def current(page: str) -> Any:
    """The config as its widgets hold it now (right in a button's callback too)."""
    return controls.config_from_widgets(page, st.session_state[keys.of(page, "config")])


def link_params(preset) -> dict[str, str]:
    """The settings that differ from the preset's, as the link spells them."""
    out = {}
    for page, base in preset_configs(preset).items():
        config = current(page)
        out.update({PREFIX[page] + name: value for name, value in to_query(config, base).items()})
    return out


def kind_label(kind: str, said: str | None = None) -> str:
    from core.i18n import text

    return text(said or lang(), f"quality.kind.{kind}")


def sidebar(task_name: str) -> Contamination:
    """Contamination, level and (for missing cells) imputation in the sidebar; returns the current config."""
    st.sidebar.subheader(t("quality.sidebar"), help=t("quality.sidebar_help"))
    kinds = kinds_for(task_name)
    kind_key, level_key = keys.widget(DIRT, "kind"), keys.widget(DIRT, "level")
    if st.session_state.get(kind_key) not in kinds:  # a task switch: the preset's kind may not apply here
        st.session_state[kind_key] = "none"
    kind = st.sidebar.selectbox(t("quality.kind_label"), kinds, key=kind_key,
                                format_func=formatter(lambda said, k: kind_label(k, said)),
                                on_change=_kind_changed)
    refused = [k for k in ("symbols", "noise", "missing") if k not in kinds]
    if refused:
        st.sidebar.caption(" ".join(t(f"quality.why_not.{k}.{task_name}") for k in refused))
    kept = st.session_state[keys.of(DIRT, "config")]
    for name in ("level", "impute"):  # a widget not drawn last run lost its state: back to the kept config's
        st.session_state.setdefault(keys.widget(DIRT, name), getattr(kept, name))
    if kind != "none":
        top = 10.0 if kind == "noise" else 1.0
        bottom = 0.01 if kind == "rows" else 0.0
        st.session_state[level_key] = min(max(float(st.session_state.get(level_key, 0.0)), bottom), top)
        st.sidebar.number_input(t(f"quality.level.{kind}"), bottom, top, step=0.05 if kind in SHARES else 0.01,
                                key=level_key, format="%g")
    if kind == "missing":
        st.sidebar.selectbox(t("quality.impute_label"), ("drop", "fill"), key=keys.widget(DIRT, "impute"),
                             format_func=formatter(lambda said, how: _say(said, f"quality.impute.{how}")))
        st.sidebar.caption(t(f"quality.imputation.{st.session_state[keys.widget(DIRT, 'impute')]}"))
    config = current(DIRT)
    st.session_state[keys.of(DIRT, "config")] = config
    return config


def _kind_changed() -> None:
    """A kind just picked starts at a level that shows something (20 % of the rows; half of them kept)."""
    kind = st.session_state[keys.widget(DIRT, "kind")]
    st.session_state[keys.widget(DIRT, "level")] = START_LEVEL.get(kind, 0.2)


def _say(said: str, key: str) -> str:
    from core.i18n import text

    return text(said, key)


def contaminated(task):
    """`task` with the sidebar's contamination done to its training data (GenLabError in words when it cannot)."""
    config = current(DIRT)
    if config.kind not in kinds_for(task.task):
        return task
    return contaminate(task, config)


def say_done(task) -> None:
    """A caption saying what was done to the training data of the run shown, if anything."""
    notes = [n for n in task.notes if n.key.startswith("quality.note")]
    if notes:
        st.caption(t("quality.what_was_done", what=notes[-1].say(lang())))
