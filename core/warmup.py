"""Pay the one-time costs of a fresh server before the first student presses Train.

The first torch optimiser imports torch._dynamo (over a second), the first
forward pass of each layer shape builds its kernels, the diagnostics import
scikit-learn, and the Bayesian-network lab imports pgmpy and reads its network. Done once per process in a
background thread, after the first page has been drawn, the first Train then shows a chart within a second.
The Bayesian network's part (about 3.5 s of the GIL, and Python's import lock for pgmpy's imports) waits
BAYESNET_AFTER seconds, then goes a piece at a time, only while no model trains: at the first Train on a
fresh server, a piece under way held the first chart up by 1 to 4 s.
"""
import threading
import time

_started = False
_lock = threading.Lock()
_import_lock = threading.Lock()


def import_torch() -> None:
    """Import torch in one thread at a time (the app calls it before any page runs).

    torch's modules import each other; when two threads import it at once, Python
    breaks the import-lock cycle by handing one of them a partly built torch
    ("partially initialized module 'torch' has no attribute 'Tensor'"). A class of
    30 opening the GAN page together, beside the warm-up, hit that (the load test).
    Once torch is in, this costs a lock and a dictionary look-up.
    """
    with _import_lock:
        import torch  # noqa: F401


def warm_up(delay: float = 0.0, bayesnet_after: float | None = None) -> None:
    """Import and run a few steps of a tiny GAN through the real code path; then the Bayesian-network
    lab's one-time costs, a piece at a time, each only while no model trains."""
    began = time.monotonic()
    time.sleep(delay)  # let the first page draw before competing with it for the GIL
    import_torch()
    from core.device import configure_torch

    configure_torch()
    import dataclasses

    from core.jobs import Limiter, TrainingJob
    from core.models.gan import GAN, GANConfig, load_data

    config = dataclasses.replace(GANConfig(), steps=2, snapshot_every=1, log_every=1, device="cpu")
    TrainingJob(GAN(config), load_data(config), limiter=Limiter(1)).run()
    after = BAYESNET_AFTER if bayesnet_after is None else bayesnet_after
    time.sleep(max(0.0, after - (time.monotonic() - began)))
    for piece in _bayesnet_pieces():
        _while_training()
        piece()


IDLE_POLL = 0.5  # s between looks at whether a model is training
BAYESNET_AFTER = 20.0  # s after the warm-up begins: a teacher's first Train on a fresh server comes before it


def _while_training() -> None:
    """Wait while any model trains: a piece holds the GIL for up to 1.6 s, which a teacher's first
    Train (its first chart) must not wait behind."""
    from core.jobs import LIMITER

    while LIMITER.running:
        time.sleep(IDLE_POLL)


def prefetch_bayesnet() -> None:
    """Sample the Bayesian-network page's default table in a child process (core.data.network_prefetch):
    the page's first render then rebuilds it from plain lists instead of reading and sampling it here.
    Only the server (app.py's lifespan) calls it: a test process, or an AppTest run, samples in-process
    when it asks, and does not spend a core on a child whose table it may never read."""
    from core.data import network_prefetch
    from core.data.networks import HELDOUT_ROWS
    from core.presets import build_config

    config = build_config("bayesnet", "asia")  # the page's default preset
    network_prefetch.start(config.dataset, config.n_rows, config.seed, HELDOUT_ROWS)


def _bayesnet_pieces() -> list:
    """The Bayesian-network lab's one-time costs, so its first page draws at once: pgmpy's imports (~1.5 s
    and ~50 MB beyond torch's), its default network read (pgmpy's BIF reader builds its pyparsing
    grammar, ~1.6 s once per process) and sampled (its sampler checks its soft dependencies once, ~0.45 s;
    the table is cached)."""
    import functools
    import importlib

    from core.data import networks

    def sample():
        from core.models.bayesnet import load_data
        from core.presets import build_config

        load_data(build_config("bayesnet", "asia"))  # the page's default preset

    modules = ("pgmpy.base", "pgmpy.models", "pgmpy.readwrite", "pgmpy.causal_discovery", "pgmpy.structure_score",
               "pgmpy.parameter_estimator", "pgmpy.inference", "pgmpy.metrics")
    return [functools.partial(importlib.import_module, name) for name in modules] + \
        [functools.partial(networks.load_network, "asia"), sample]


def start_in_background(delay: float = 1.5) -> None:
    """Start warm_up (after `delay` seconds) once per process; later calls do nothing."""
    global _started
    with _lock:
        if _started:
            return
        _started = True
    threading.Thread(target=warm_up, args=(delay,), name="genlab-warmup", daemon=True).start()
