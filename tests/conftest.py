"""Shared fixtures: one torch thread (as the app), small data, tiny GAN configs."""
import dataclasses
import os

import pytest

from core.device import configure_torch

configure_torch()
os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")  # real tracebacks when a page test fails


@pytest.fixture(scope="session")
def ring():
    from core.data.points import ring_of_gaussians

    return ring_of_gaussians(n=2000, seed=0)


@pytest.fixture
def tiny_gan_config():
    """A GAN small enough that 20 steps take well under a second."""
    from core.models.gan import GANConfig

    def make(**changes):
        base = GANConfig(steps=20, batch_size=64, g_width=32, d_width=32, g_depth=2, d_depth=2,
                         log_every=5, snapshot_every=10, lr_g=1e-3, lr_d=1e-3)
        return dataclasses.replace(base, **changes)

    return make


def pytest_sessionfinish(session, exitstatus):
    """Let the app's warm-up thread (started by AppTest runs of streamlit_app.py) finish its torch work,
    so the interpreter never exits under a running torch op."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "genlab-warmup":
            thread.join(timeout=60)
