"""The errors GenLab shows to a person, each with what to do next.

Every message here is written for the page (and the CLI): plain words, no
traceback. Code raises these; the page and the CLI catch exactly these.
"""


class GenLabError(Exception):
    """Base class: the message is meant for the user, as it is."""


class DataError(GenLabError):
    """The data (an upload, a --data file) cannot be used; the message says why."""


class ConfigError(GenLabError):
    """A setting, or a combination of settings, is impossible; the message says which."""


class TrainingDiverged(GenLabError):
    """A loss became NaN or inf. The model has been put back to its last good state."""

    def __init__(self, step: int, message: str):
        super().__init__(message)
        self.step = step
