"""The weights file of the torch labs (GAN, RNN): one .pt of tensors, numbers and strings.

`torch.load(..., weights_only=True)` reads back only tensors and plain
containers, so a file a student uploads can never run code. Each lab adds what
its model needs (state_dicts, scalers, the symbol table) beside the format tag,
the settings and the step; restoring rebuilds the model from the settings, then
hands the file to the lab's `_load_weights` hook.

A lab that uses this module declares `WEIGHTS_FORMAT` (the tag), and
`WEIGHTS_ERRORS`: the message keys for a file torch cannot read as plain data,
for a file of another kind, and for weights that do not fit their own settings.
"""
import io

import torch

from core.config import to_query, with_overrides
from core.errors import DataError, GenLabError


def dump(fmt: str, config, step: int, **parts) -> bytes:
    """The bytes of one weights file: the format tag, the settings that differ from the defaults, the step, `parts`."""
    buf = io.BytesIO()
    torch.save({"format": fmt, "settings": to_query(config), "step": step, **parts}, buf)
    return buf.getvalue()


def save(lab, **parts) -> bytes:
    """A lab's weights file: its format, settings and step, and `parts` (state_dicts and numbers)."""
    return dump(lab.WEIGHTS_FORMAT, lab.config, lab.step_, **parts)


def load(raw: bytes, fmt: str, unreadable: str, foreign: str) -> dict:
    """The file's contents; DataError(`unreadable`) if torch cannot read it as plain data,
    DataError(`foreign`) if it is not a `fmt` file (another lab's, or anything else)."""
    try:
        state = torch.load(io.BytesIO(raw), map_location="cpu", weights_only=True)
    except Exception:
        raise DataError(unreadable) from None
    if not isinstance(state, dict) or state.get("format") != fmt:
        raise DataError(foreign)
    return state


def settings(state: dict) -> dict[str, str]:
    """The saved settings without the device: the machine that restores the model picks its own."""
    return {k: v for k, v in state["settings"].items() if k != "device"}


def restore(cls, raw: bytes, load_data):
    """(lab, data) back from `save`'s bytes: rebuilt from its settings, then the file's tensors put in.

    `load_data(config)` gives the data set. `cls._check_weights(state, data)`
    may refuse a file before anything is built (an RNN of another text);
    `lab._load_weights(state, data)` puts the saved parts in. A file that does
    not fit is a DataError in words, never a traceback.
    """
    unreadable, foreign, mismatch = cls.WEIGHTS_ERRORS
    state = load(raw, cls.WEIGHTS_FORMAT, unreadable, foreign)
    try:
        lab = cls(with_overrides(cls.Config(), settings(state)))
        data = load_data(lab.config)
        lab._check_weights(state, data)
        lab._begin(data)
        lab.step_ = int(state["step"])
        lab._load_weights(state, data)
    except GenLabError:
        raise
    except (AttributeError, KeyError, RuntimeError, TypeError, ValueError) as err:
        raise DataError(mismatch, kind=type(err).__name__) from None
    return lab, data
