"""Settings as dataclasses: one field per slider, with its range and label.

A model's `Config` is a dataclass whose fields are made with `param(...)`. The
metadata on each field (label, range, choices) is the single source for the
page's widgets, the CLI's `--set KEY=VALUE`, and the shareable URL, so the three
can never disagree about what a setting means or which values are allowed.
"""
import dataclasses
import math
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


def from_query(base: Any, params: dict[str, str]) -> tuple[Any, list[Words]]:
    """Apply the URL's settings to `base`; bad ones are skipped and explained (str() is English)."""
    by_name = {f.name: f for f in config_fields(base)}
    changes, problems = {}, []
    for key, text in params.items():
        if key not in by_name:
            continue  # page-level keys such as 'preset' live beside the config
        try:
            changes[key] = parse_value(by_name[key], text)
        except ConfigError as err:
            problems.append(err.words)
    return dataclasses.replace(base, **changes), problems
