"""Seeded weight initialisation that holds when jobs run in threads.

An nn.Module draws its initial weights from torch's one process-wide RNG, so
"torch.manual_seed(seed), then build the network" gives the same weights only
if no other thread seeds or draws in between. GenLab runs every job in its own
thread (the Compare arena starts the GAN and the RNN at once; a classroom
shares one server), so every place that builds seeded torch modules does it
inside `seeded(seed)`, which holds the one lock for the whole seed-and-build.

Keep the block to building modules: the lock is not reentrant, and training
inside it would stall every other job's start.
"""
import threading
from contextlib import contextmanager
from typing import Iterator

import torch

_LOCK = threading.Lock()  # the only one: two locks would not exclude each other


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Seed torch's global RNG and keep every other `seeded` block out until this one ends."""
    with _LOCK:
        torch.manual_seed(seed)
        yield
