"""One seed, one scoreboard: the arena's torch entrants start in parallel threads, yet their weights repeat.

The GAN and the RNN build their networks from torch's one global RNG in their
own job threads, started together. Their two builds take milliseconds and seldom
overlap, so the second run adds a neighbour (another session of the class) that
seeds and builds networks all the while: any seed-and-build not inside
`core.seeding.seeded` is then cut into, and the second scoreboard differs.
"""
import threading
import time

from torch import nn

from core.compare import arena, presets
from core.families import FAMILIES
from core.compare.tasks import load_task
from core.jobs import Limiter
from core.seeding import seeded

TINY = {  # a few steps each: enough for both torch entrants to train, in seconds
    "gan": {"steps": "5", "width": "16"},
    "hmm": {"steps": "1", "n_states": "2"},
    "forest": {"steps": "1", "n_trees": "2"},
    "rnn": {"steps": "5", "hidden": "8", "batch_size": "16"},
    "bayesnet": {},
}
CLOCK = ("fit_seconds", "sample_seconds_per_1000")  # wall time: the only cells allowed to differ


def scoreboard(task, preset, seed: int) -> list[dict]:
    """The rows of one arena run, every job in its own thread at once, less the timings."""
    rows, jobs = arena.run(task, arena.configs(preset, TINY, seed=seed), limiter=Limiter(len(FAMILIES)))
    assert all(job.view().state == "done" for job in jobs.values())
    return [{**row, "metrics": {k: v for k, v in row["metrics"].items() if k not in CLOCK}} for row in rows]


def neighbour(stop: threading.Event) -> None:
    """Another session's job: seeds torch with its own seed and builds networks, over and over."""
    while not stop.is_set():
        with seeded(12345):
            nn.Linear(16, 16)
        time.sleep(0.001)


def test_one_seed_gives_one_scoreboard_though_the_torch_entrants_start_together():
    preset = presets.get_preset(presets.TASK_PRESET["tabular"])  # asia: the GAN and the RNN both play
    task = load_task("tabular", preset.dataset)
    first = scoreboard(task, preset, seed=3)
    stop = threading.Event()
    other = threading.Thread(target=neighbour, args=(stop,), daemon=True)
    other.start()
    try:
        second = scoreboard(task, preset, seed=3)
    finally:
        stop.set()
        other.join()
    torch_rows = [r for r in first if r["family"] in ("gan", "rnn")]
    assert all(r["applies"] and r["metrics"]["steps"] == 5 for r in torch_rows)
    assert second == first


def test_the_bn_entrant_learns_the_same_graph_in_every_process():
    """pgmpy breaks ties in the order of a set of node pairs; string names would make that order (and the
    learned graph, its parameters and its scores) change with PYTHONHASHSEED from one process to the next."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("from core.compare.bayesnet import BNEntrant\nfrom core.compare.tasks import load_task\n"
            "task = load_task('tabular', 'asia')\nlab = BNEntrant(BNEntrant.Config())\n"
            "for _ in lab.fit(task): pass\nprint(sorted(lab.network_.edges()), lab.n_params())")
    root = Path(__file__).resolve().parent.parent
    runs = [subprocess.Popen([sys.executable, "-c", code], cwd=root, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}) for seed in ("1", "2", "3")]  # at once
    outs = {run.communicate(timeout=120)[0] for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert len(outs) == 1, outs
