"""The interface's words in English and 中文: one table per language in assets/i18n/<lang>.toml.

Keys are dotted (`training.train`); values may hold `{name}` fields filled by
`text(..., name=...)`. English is complete by definition; a test fails when
the Chinese table lacks a key or a field. Pure Python: pages, the CLI and
tests can all use it.
"""
import functools
import tomllib
from pathlib import Path

LANGS = {"en": "English", "zh": "中文"}
TABLES = Path(__file__).resolve().parent.parent / "assets" / "i18n"


@functools.cache
def table(lang: str) -> dict[str, str]:
    """The flat key -> text table of one language."""
    with open(TABLES / f"{lang}.toml", "rb") as f:
        return dict(_flatten(tomllib.load(f)))


def _flatten(tree: dict, prefix: str = ""):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def text(lang: str, key: str, default: str | None = None, **fields) -> str:
    """The text for `key` in `lang` (English if that language lacks it, then `default`)."""
    words = table(lang).get(key) or table("en").get(key) or default
    if words is None:
        raise KeyError(f"no text for '{key}' in assets/i18n/en.toml")
    return words.format(**fields) if fields else words
