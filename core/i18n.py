"""The interface's words in English and 中文: tables in assets/i18n/<lang>/*.toml.

Keys are dotted (`training.train`); values may hold `{name}` fields filled by
`text(..., name=...)`, format specs included (`{share:.0%}`); a field that is
itself `Words` is said in the same language. Each lab keeps its
words in its own file (`gan.toml`), and the files of one language merge into
one table; a key defined twice is an error. English is complete by definition;
a test fails when the Chinese table lacks a key or a field. Pure Python: pages,
the CLI and tests can all use it.
"""
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LANGS = {"en": "English", "zh": "中文"}
TABLES = Path(__file__).resolve().parent.parent / "assets" / "i18n"


@functools.cache
def table(lang: str) -> dict[str, str]:
    """The flat key -> text table of one language, merged from its files."""
    merged: dict[str, str] = {}
    for path in sorted((TABLES / lang).glob("*.toml")):
        with open(path, "rb") as f:
            for key, value in _flatten(tomllib.load(f)):
                if key in merged:
                    raise KeyError(f"'{key}' is defined twice in assets/i18n/{lang}/ (again in {path.name})")
                merged[key] = value
    return merged


def _flatten(tree: dict, prefix: str = ""):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def text(lang: str, key: str, default: str | None = None, /, **fields) -> str:
    """The text for `key` in `lang` (English if that language lacks it, then `default`)."""
    words = table(lang).get(key) or table("en").get(key) or default
    if words is None:
        raise KeyError(f"no text for '{key}' in assets/i18n/en/")
    if not fields:
        return words
    return words.format(**{k: v.say(lang) if isinstance(v, Words) else v for k, v in fields.items()})


@dataclass(frozen=True)
class Words:
    """A sentence for a person, kept as its key and fields so each reader gets it in their language.

    Core code (errors, job messages) cannot know the reader's language; it
    hands over Words, and the page says them with `say(lang)`. str() is English,
    for the CLI, logs and tests.
    """

    key: str
    fields: dict = field(default_factory=dict)

    def say(self, lang: str = "en") -> str:
        return text(lang, self.key, **self.fields)

    def __str__(self) -> str:
        return self.say("en")
