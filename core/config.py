"""Settings as dataclasses: one field per slider, with its range and label.

A model's `Config` is a dataclass whose fields are made with `param(...)`. The
metadata on each field (label, range, choices) is the single source for the
page's widgets, the CLI's `--set KEY=VALUE`, and the shareable URL, so the three
can never disagree about what a setting means or which values are allowed.
"""
import dataclasses
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from core.errors import ConfigError
from core.i18n import Words


@dataclass(frozen=True)
class ParamInfo:
    """How a setting is shown and checked."""

    label: str
    help: str = ""
    min: float | None = None
    max: float | None = None
    step: float | None = None
    choices: tuple = ()
    advanced: bool = False  # hidden behind "Advanced" in the sidebar
    log: bool = False  # a learning rate: offered on a log scale
    when: tuple = ()  # (field, values): shown only while that field holds one of the values; kept otherwise


def param(default: Any, label: str, **info: Any) -> Any:
    """A dataclass field carrying its `ParamInfo` (label, range, choices)."""
    if "choices" in info:
        info["choices"] = tuple(info["choices"])
    if "when" in info:
        name, values = info["when"]
        info["when"] = (name, tuple(values))
    return field(default=default, metadata={"info": ParamInfo(label, **info)})


def seed_param() -> Any:
    """The seed every lab's Config has: the same seed and settings give the same run."""
    return param(0, "Seed", min=0, max=2**31 - 1)


def device_param() -> Any:
    """Where a torch lab trains: 'auto' picks CUDA, then MPS, then the CPU (core.device)."""
    return param("auto", "Device", choices=("auto", "cpu", "cuda", "mps"), advanced=True)


def log_every_param() -> Any:
    """How often a torch lab reports its losses (each report is one point of the live curves)."""
    return param(10, "Report every (steps)", min=1, max=1000, advanced=True)


def snapshot_every_param() -> Any:
    """How often a torch lab takes a snapshot (samples and diagnostics: the costly part of a report)."""
    return param(100, "Snapshot every (steps)", min=1, max=10_000, advanced=True)


def info_of(f: dataclasses.Field) -> ParamInfo:
    return f.metadata.get("info") or ParamInfo(f.name)


def config_fields(cls_or_obj: Any) -> list[dataclasses.Field]:
    return list(dataclasses.fields(cls_or_obj))


def format_value(value: Any) -> str:
    """Text that `parse_value` turns back into exactly `value` (floats by repr)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_value(f: dataclasses.Field, text: str) -> Any:
    """Parse and check one setting; a ConfigError says what is allowed."""
    kind = f.type if isinstance(f.type, type) else type(f.default)
    text = str(text).strip()
    try:
        if kind is bool:
            lowered = text.lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
                raise ValueError
            value: Any = lowered in ("true", "1", "yes", "on")
        elif kind is int:
            value = int(text)
        elif kind is float:
            value = float(text)
            if not math.isfinite(value):
                raise ValueError
        else:
            value = text
    except ValueError:
        raise ConfigError("config.type", name=f.name, kind=Words(f"config_kind.{kind.__name__}"), value=text) from None
    check_value(f, value)
    return value


def check_value(f: dataclasses.Field, value: Any) -> None:
    info = info_of(f)
    if info.choices and value not in info.choices:
        raise ConfigError("config.choice", name=f.name, choices=", ".join(map(str, info.choices)), value=value)
    if info.min is not None and value < info.min:
        raise ConfigError("config.min", name=f.name, min=info.min, value=value)
    if info.max is not None and value > info.max:
        raise ConfigError("config.max", name=f.name, max=info.max, value=value)


def validate(config: Any) -> None:
    """Check every field's range and choices (the model checks combinations)."""
    for f in config_fields(config):
        check_value(f, getattr(config, f.name))


def with_overrides(config: Any, overrides: dict[str, str]) -> Any:
    """A copy of `config` with text overrides applied; unknown keys are refused."""
    by_name = {f.name: f for f in config_fields(config)}
    unknown = sorted(set(overrides) - set(by_name))
    if unknown:
        raise ConfigError("config.unknown", name=unknown[0], known=", ".join(sorted(by_name)))
    changes = {k: parse_value(by_name[k], v) for k, v in overrides.items()}
    return dataclasses.replace(config, **changes)


def to_query(config: Any, base: Any | None = None) -> dict[str, str]:
    """The fields that differ from `base` (defaults if None), as URL text."""
    base = base if base is not None else type(config)()
    return {
        f.name: format_value(getattr(config, f.name))
        for f in config_fields(config)
        if getattr(config, f.name) != getattr(base, f.name)
    }


PAGE_KEYS = ("preset", "lang", "teacher", "hide", "tab")  # link keys beside the config (ui.controls, ui.lab)
SHOWN = 40  # characters of a link's text that a message repeats
KEEP = {"\u200d"}  # the joiner inside emoji such as 👩‍🔬: invisible, but harmless


def link_text(text: Any, limit: int = SHOWN) -> str:
    """A link's (or a file's) text as a message repeats it, inside a code span: at most `limit`
    characters, then "…".

    Anyone can write a link, and the page's messages are markdown: inside backticks
    nothing formats or links, so only the backticks themselves go, with the characters
    a reader cannot see (controls, line breaks, right-to-left overrides) that could
    break the line or reorder the sentence around it; `""` marks an empty value.
    """
    text = str(text)
    cut = text[:limit]
    safe = "".join(c if c in KEEP or not unicodedata.category(c).startswith(("C", "Zl", "Zp")) else "\ufffd"
                   for c in cut.replace("`", "'"))
    return (safe + "…" if len(text) > limit else safe) or '""'


def link_names(names: list[str], shown: int = 3) -> str | Words:
    """The first `shown` names, each in a code span (link_text), and how many more: short however long the link."""
    names = list(dict.fromkeys(names))
    listed = ", ".join(f"`{link_text(n)}`" for n in names[:shown])
    return Words("error.link.more", {"names": listed, "count": len(names) - shown}) if len(names) > shown else listed


def _for_link(words: Words, prefix: str) -> Words:
    """A setting's message with the link's value made safe to repeat (`link_text`), named as the link names it."""
    fields = {k: link_text(v) if k == "value" else v for k, v in words.fields.items()}
    if "name" in fields:
        fields["name"] = prefix + fields["name"]
    return Words("error.link.bad_value", {"problem": Words(words.key, fields)})


def from_query(base: Any, params: dict[str, str], page_keys: tuple[str, ...] = PAGE_KEYS,
               prefix: str = "") -> tuple[Any, list[Words]]:
    """Apply the URL's settings to `base`; bad values and unknown keys are skipped and explained.

    Each bad value gets its own message; the keys that name no setting (and are not
    `page_keys`) share one, so a link full of junk says so once. `prefix` is how the
    link spells the settings' names (Compare's `gan.`). str() is English.
    """
    by_name = {f.name: f for f in config_fields(base)}
    changes, problems, unknown = {}, [], []
    for key, text in params.items():
        if key in page_keys:
            continue
        if key not in by_name:
            unknown.append(key)
            continue
        try:
            changes[key] = parse_value(by_name[key], text)
        except ConfigError as err:
            problems.append(_for_link(err.words, prefix))
    if unknown:
        problems.append(Words("error.link.ignored", {"names": link_names([prefix + k for k in unknown])}))
    return dataclasses.replace(base, **changes), problems
