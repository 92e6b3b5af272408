"""The weights file of the torch labs: one .pt of tensors, numbers and strings.

`torch.load(..., weights_only=True)` reads back only tensors and plain
containers, so a file a student uploads can never run code. Each lab adds what
its model needs (state_dicts, scalers, the symbol table) beside the format tag,
the settings and the step; restoring rebuilds the model from the settings.
"""
import io

import torch

from core.config import to_query
from core.errors import DataError


def dump(fmt: str, config, step: int, **parts) -> bytes:
    """The bytes of one weights file: the format tag, the settings that differ from the defaults, the step, `parts`."""
    buf = io.BytesIO()
    torch.save({"format": fmt, "settings": to_query(config), "step": step, **parts}, buf)
    return buf.getvalue()


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
