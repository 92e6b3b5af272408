"""Sidebar controls drawn from a Config dataclass, kept in the session and the URL.

Each Config field becomes one widget (its ParamInfo says which). The current
config lives in `st.session_state[keys.of(page, "config")]`, not only in widget state,
because Streamlit forgets a widget's value when its page is not shown: coming
back re-seeds the widgets from the stored config, so nothing is lost. The URL's
query string carries the preset and every setting that differs from it.

`page` is the session key prefix (ui.keys): a lab's name, or one Compare family's
`compare.<family>`, so the same functions serve one config and Compare's N of them.
"""
import dataclasses
import math
from typing import Any

import streamlit as st

from core.config import config_fields, from_query, info_of, link_names, link_text, to_query
from core.errors import GenLabError
from core.i18n import Words, text
from core.presets import PRESETS, build_config, presets_for
from ui import keys
from ui.i18n import formatter, lang, t

CUSTOM = "(custom)"
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def classroom_flags(page: str) -> dict[str, str]:
    """Teacher mode and hidden controls, from the URL (kept for the session, as TF Playground's flags).

    `teacher=1` locks the preset and hides the Advanced settings, so a projector
    shows only what the lesson needs; `hide=a,b` hides those settings too. The
    values stay in force (preset and link decide them). `teacher=0` leaves. A
    `teacher` value that is neither, or a hidden name that is no setting, is
    said and ignored: a teacher who mistyped must not think the lock is on.
    Call after init_config (the names are checked against the page's config).
    """
    params = st.query_params
    if "teacher" in params:
        _teacher_from_link(page, params["teacher"])
    if "hide" in params:
        st.session_state[keys.of(page, "hide")] = _hidden_from_link(page, params["hide"])
    flags = {}
    if st.session_state.get("genlab.teacher"):
        flags["teacher"] = "1"
    if st.session_state.get(keys.of(page, "hide")):
        flags["hide"] = ",".join(st.session_state[keys.of(page, "hide")])
    if lang() != "en":
        flags["lang"] = lang()  # the page rewrites the URL: keep the language in it
    return flags


def _teacher_from_link(page: str, value: str) -> None:
    """teacher=1/true/yes/on or 0/false/no/off; anything else leaves the mode as it was, and says so."""
    word = value.strip().lower()
    if word in TRUE + FALSE:
        st.session_state["genlab.teacher"] = word in TRUE
    else:
        link_problem(page, Words("error.link.teacher", {"value": link_text(value)}))


def _hidden_from_link(page: str, value: str) -> tuple[str, ...]:
    """The names in `hide=a,b` that are settings of this page; the others are said and dropped."""
    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    known = {f.name for f in config_fields(current_config(page))}
    unknown = [n for n in names if n not in known]
    if unknown:
        link_problem(page, Words("error.link.hide", {"names": link_names(unknown)}))
    return tuple(n for n in names if n in known)


def link_problem(page: str, words: Words) -> None:
    """Keep a sentence about the link for show_url_problems (once, in the reader's language)."""
    st.session_state.setdefault(keys.of(page, "url_problems"), []).append(words)


def preset_from_link(params: dict[str, str], names, default: str) -> tuple[str, list[Words]]:
    """The link's `preset=` where it names one of `names`; else `default`, and a sentence saying so."""
    name = params.get("preset", default)
    if name in names:
        return name, []
    return default, [Words("error.preset.unknown_in_link", {"name": link_text(name), "fallback": default})]


def init_config(page: str, default_preset: str) -> None:
    """Take the preset and settings from the URL on first visit, or when a link changed it.

    A URL equal to the one this page last wrote is ours; an empty one (the
    sidebar's page switch) keeps the session's settings; any other came from a
    shared link or a preset link, and wins.
    """
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "tab"}  # a tab link keeps the settings
    known = keys.of(page, "config") in st.session_state
    if known and (not params or params == st.session_state.get(keys.of(page, "url"))):
        return
    preset, problems = preset_from_link(params, [p.name for p in presets_for(page)], default_preset)
    config, bad = from_query(build_config(page, preset), params)
    _store(page, preset, config)
    st.session_state[keys.of(page, "url_problems")] = problems + bad


def current_config(page: str) -> Any:
    """The page's config as the sidebar last drew it (or as the preset and the link set it)."""
    return st.session_state[keys.of(page, "config")]


def current_preset(page: str) -> str:
    return st.session_state[keys.of(page, "preset")]


def _store(page: str, preset: str, config: Any) -> None:
    """Make `config` current: the session's copy, the preset picker and every widget."""
    st.session_state[keys.of(page, "preset")] = preset
    st.session_state[keys.of(page, "config")] = config
    st.session_state[keys.widget(page, "preset")] = preset
    seed_widgets(page, config)


def seed_widgets(page: str, config: Any) -> None:
    """Every setting's widget shows `config`'s value from the next run on."""
    for f in config_fields(config):
        st.session_state[keys.widget(page, f.name)] = getattr(config, f.name)


def store_config(page: str, config: Any) -> None:
    """Make a config from elsewhere (a restored model's) current, under the preset in use."""
    _store(page, current_preset(page), config)


def apply_preset(page: str) -> None:
    """Callback of the preset picker: load the preset into the config and the widgets."""
    name = st.session_state[keys.widget(page, "preset")]
    if name == CUSTOM:
        return
    _store(page, name, build_config(page, name))


def preset_picker(page: str, locked: bool = False) -> None:
    names = [p.name for p in presets_for(page)]
    key = keys.widget(page, "preset")
    if key not in st.session_state:
        st.session_state[key] = current_preset(page)
    st.sidebar.selectbox(t("controls.preset"), names + [CUSTOM], key=key, on_change=apply_preset, args=(page,),
                         disabled=locked, format_func=formatter(preset_title),
                         help=t("controls.preset_locked") if locked else t("controls.preset_help"))


def config_controls(page: str, hidden: tuple[str, ...] = (), advanced: bool = True) -> Any:
    """Draw a widget per config field (advanced ones in an expander, or none); return the new config.

    Hidden settings keep the values the preset and the link gave them.
    """
    config = current_config(page)
    fields = [f for f in config_fields(config) if f.name not in hidden and _applies(page, f, config)]
    basic = [f for f in fields if not info_of(f).advanced]
    more = [f for f in fields if info_of(f).advanced] if advanced else []
    config = settings_widgets(st.sidebar, page, config, basic)
    if more:
        with st.sidebar.expander(t("controls.advanced")):
            config = settings_widgets(st, page, config, more)
    st.session_state[keys.of(page, "config")] = config
    return config


def settings_widgets(where, page: str, config: Any, fields: list[dataclasses.Field]) -> Any:
    """A widget in `where` for each of `fields`, seeded from `config`; returns `config` with their values."""
    return dataclasses.replace(config, **{f.name: widget(where, page, f, config) for f in fields})


def _applies(page: str, f: dataclasses.Field, config: Any) -> bool:
    """False for a setting that only matters for other choices (a WGAN's clip under another loss)."""
    when = info_of(f).when
    if not when:
        return True
    name, values = when
    return st.session_state.get(keys.widget(page, name), getattr(config, name)) in values


def config_from_widgets(page: str, base: Any = None) -> Any:
    """The config as the widgets hold it now: right inside a button's callback too,
    which runs before the script has re-read the widgets. Settings without a widget keep
    `base`'s values (by default the page's current config)."""
    config = current_config(page) if base is None else base
    values = {f.name: st.session_state[key] for f in config_fields(config)
              if (key := keys.widget(page, f.name)) in st.session_state}
    return dataclasses.replace(config, **values)


def widget(where, page: str, f: dataclasses.Field, config: Any) -> Any:
    """One setting's widget (kind chosen by its ParamInfo), keyed "{page}.w.{field}", seeded from `config`."""
    info, key = _translated(page, f), keys.widget(page, f.name)
    if key not in st.session_state:
        st.session_state[key] = getattr(config, f.name)
    kind = type(f.default)
    if info.choices:
        return where.selectbox(info.label, list(info.choices), key=key, help=info.help or None,
                               format_func=formatter(lambda language, value: choice_label(page, f.name, value, language)))
    if kind is bool:
        return where.toggle(info.label, key=key, help=info.help or None)
    if kind is int and info.max is not None and info.max - info.min <= 256:
        return where.slider(info.label, int(info.min), int(info.max), key=key, help=info.help or None)
    if kind is int:
        return int(where.number_input(info.label, int(info.min), int(info.max), step=int(info.step or 1),
                                      key=key, help=info.help or None))
    fmt = "%.1e" if info.log else "%g"
    step = info.step or (_log_step(st.session_state[key]) if info.log else 0.01)
    return float(where.number_input(info.label, float(info.min), float(info.max), step=step, format=fmt,
                                    key=key, help=info.help or None))


def _translated(page: str, f: dataclasses.Field):
    """The field's label and help in the session's language (English lives beside the field)."""
    info = info_of(f)
    return dataclasses.replace(info, label=t(f"param.{page}.{f.name}", default=info.label),
                               help=t(f"param_help.{page}.{f.name}", default=info.help or "") if info.help else "")


def describe(page: str, config: Any, names) -> str:
    """'Label = value, ...' for the named settings, as the sidebar words them."""
    fields = {f.name: f for f in config_fields(config)}
    def value(name: str) -> str:
        v = getattr(config, name)
        return t("controls.on" if v else "controls.off") if isinstance(v, bool) else choice_label(page, name, v)

    return t("controls.list_sep").join(f"{_translated(page, fields[n]).label} = {value(n)}" for n in names)


def choice_label(page: str, name: str, value: Any, language: str | None = None) -> str:
    """How a choice reads (`choice.<page>.<field>.<value>`; the session's language unless given); the
    value itself (the name the URL and the CLI use) where the tables have no entry, as for numbers."""
    return text(language or lang(), f"choice.{page}.{name}.{value}", str(value))


def preset_title(language: str, name: str) -> str:
    """A preset as the picker shows it: its title in `language`, then its name (kept in the URL)."""
    if name == CUSTOM:
        return text(language, "controls.custom")
    return f"{text(language, f'preset.{name}.title', PRESETS[name].title)} ({name})"


def _log_step(value: float) -> float:
    """One unit of the leading digit (3e-4 steps by 1e-4), so +/- moves a rate sensibly."""
    return 10.0 ** math.floor(math.log10(value)) if value > 0 else 1e-6


def sync_url(page: str, config: Any, extra: dict[str, str] | None = None) -> None:
    """Write preset + settings that differ from it into the query string (round-trips exactly)."""
    preset = current_preset(page)
    try:
        base = build_config(page, preset)
    except GenLabError:
        base = type(config)()
    write_url(page, {"preset": preset, **link_params(config, base), **(extra or {})})


def link_params(config: Any, base: Any, prefix: str = "") -> dict[str, str]:
    """The settings of `config` that differ from `base`, as the link spells them (`prefix`: Compare's `gan.`)."""
    return {f"{prefix}{name}": value for name, value in to_query(config, base).items()}


def write_url(page: str, params: dict[str, str]) -> None:
    """Make `params` the query string, and remember it as the page's own (init_config knows it again)."""
    st.session_state[keys.of(page, "url")] = params
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def show_url_problems(page: str) -> None:
    """One warning per thing the link got wrong, once: its text already made safe (core.config.link_text)."""
    for problem in st.session_state.pop(keys.of(page, "url_problems"), []):
        st.warning(problem.say(lang()))


def ignore_link(keep: tuple[str, ...] = ("lang",)) -> None:
    """A page without settings (home): the link's other keys are said once and taken out of the URL."""
    unknown = [key for key in st.query_params if key not in keep]
    if unknown:
        st.warning(Words("error.link.no_settings", {"names": link_names(unknown)}).say(lang()))
        for key in unknown:
            st.query_params.pop(key, None)
