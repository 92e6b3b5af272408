"""Which device trains a model, and how many threads a small model gets.

Small models train faster on one thread each: with several students training at
once on a 2-core server, more threads only fight over the cores. The thread
count must be set before the first torch operation, so every entry point (the
app, the CLI, the tests) calls `configure_torch()` first.
"""
import os

from core.errors import ConfigError
from core.i18n import text

DEVICES = ("auto", "cpu", "cuda", "mps")


def configure_torch(threads: int | None = None) -> None:
    """Give torch one intra-op thread (or GENLAB_TORCH_THREADS) before any work."""
    import torch

    n = threads or int(os.environ.get("GENLAB_TORCH_THREADS", "1"))
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


def resolve_device(name: str = "auto") -> str:
    """Turn 'auto' into CUDA, then MPS, then CPU; refuse a device that is absent."""
    import torch

    if name not in DEVICES:
        raise ConfigError("device.unknown", name=name, devices=", ".join(DEVICES))
    if name == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device.no_cuda")
    if name == "mps" and not torch.backends.mps.is_available():
        raise ConfigError("device.no_mps")
    return name


def device_name(name: str, lang: str = "en") -> str:
    """How the page names a device: 'cpu', 'cuda:0' as torch writes them in English; read as names
    (CPU, CUDA:0) in another language, where a lower-case Latin word would look like an English one."""
    return name if lang == "en" else name.upper()


def describe_device(name: str, lang: str = "en") -> str:
    """A line for the page: 'CUDA (NVIDIA H100)', 'Apple MPS' or 'CPU (2 cores, ...)'."""
    import torch

    if name.startswith("cuda"):
        return f"CUDA ({torch.cuda.get_device_name(0)})"
    if name == "mps":
        return "Apple MPS"
    return text(lang, "device.cpu", cores=os.cpu_count(), threads=torch.get_num_threads())
