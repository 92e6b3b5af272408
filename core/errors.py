"""The errors GenLab shows to a person, each with what to do next.

Every message is written for the page (and the CLI): plain words, no
traceback. Code raises these with a key into the string tables
(`ConfigError("gan.batch_not_packable", batch=64, pack=3)` says
`error.gan.batch_not_packable`),
so the page can say them in the reader's language; str() is the English.
The page and the CLI catch exactly these.
"""
from core.i18n import Words


class GenLabError(Exception):
    """Base class: `key` names the message in the tables (under `error.`), `fields` fill it."""

    def __init__(self, key: str, **fields):
        if " " in key:  # a plain English sentence, not yet moved into the tables
            key, fields = "untranslated", {"message": key}
        self.words = Words(f"error.{key}", fields)
        super().__init__(str(self.words))

    def say(self, lang: str = "en") -> str:
        return self.words.say(lang)


class DataError(GenLabError):
    """The data (an upload, a --data file) cannot be used; the message says why."""


class ConfigError(GenLabError):
    """A setting, or a combination of settings, is impossible; the message says which."""


class TrainingDiverged(GenLabError):
    """A loss became NaN or inf. The model has been put back to its last good state."""

    def __init__(self, step: int, key: str, **fields):
        super().__init__(key, step=step, **fields)
        self.step = step
