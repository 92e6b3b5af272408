"""Benchmark the GAN presets against the goals of the issue, through the CLI's code path.

    python tests/benchmarks/gan_presets.py [--presets ring8-fixed grid25-fixed] [--seeds 0 1 2 3 4]
                                           [--set key=value ...] [--cli]

Each preset trains once per seed exactly as `python -m core gan --preset NAME --seed S`
does (core.presets.build_config, the model's load_data, core.jobs.TrainingJob(...).run()),
one run at a time in this process, with torch on one thread (core.device.configure_torch).
It prints a Markdown table per preset: the final snapshot's metrics per seed, the training
seconds (the job's own clock), the wall seconds of the run (config, data, training), and the
estimated wall of one CLI call (the run plus this process's measured import time); then the
mean and whether the preset's goal is met. With `--cli`, each run is instead a real
`python -m core gan ... --json` subprocess and "CLI wall s" is its measured wall time
(interpreter start, imports, training, exit); without it, that column is an estimate
that can read 1-2 s low. `--set` overrides settings for every preset run
(for trying recipes; the table then says so). It always exits 0: it measures, it does not gate.
"""
import time

_T0 = time.perf_counter()

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.device import configure_torch  # noqa: E402

configure_torch()

import numpy as np  # noqa: E402
import torch  # noqa: E402,F401  (imported here so its cost counts as import time)

from core.jobs import TrainingJob  # noqa: E402
from core.families import get  # noqa: E402
from core.presets import build_config, presets_for  # noqa: E402



def _seconds_since_process_start() -> float:
    """Interpreter start-up and imports so far (Linux /proc); the module-level clock elsewhere."""
    try:
        import os

        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _T0


IMPORT_SECONDS = _seconds_since_process_start()

# The goals. "points": means over seeds; "collapse": per seed, counted over seeds.
GOALS = {
    "ring8-minimax": None,  # no numeric goal: it shows what the saturating loss does
    "ring8-collapse": {"kind": "collapse", "max_modes": 3, "min_rkl": 1.0, "min_share": 0.8, "wall": 10.0},
    "ring8-fixed": {"kind": "points", "modes": 8, "hq": 0.90, "rkl": 0.10, "wall": 15.0},
    "grid25-fixed": {"kind": "points", "modes": 25, "hq": 0.90, "rkl": 0.10, "wall": 30.0},
    "digits-gan": {"kind": "digits", "classes": 10, "kl": 0.10},
    "digits-cgan": {"kind": "digits", "classes": 10, "kl": 0.10},
}


def run_one(preset: str, seed: int, overrides: dict[str, str]) -> dict:
    """One training run as the CLI does it; returns metrics and timings."""
    t0 = time.perf_counter()
    spec = get("gan")
    config = build_config("gan", preset, {**overrides, "seed": str(seed)})
    data = spec.load_data(config)
    model = spec.model_class()(config)
    job = TrainingJob(model, data).run()
    view = job.view()
    wall = time.perf_counter() - t0
    last = view.snapshots[-1] if view.snapshots else None
    metrics = {k: (v.item() if hasattr(v, "item") else v) for k, v in (last.metrics if last else {}).items()}
    return {"seed": seed, "state": view.state, "steps": view.step, "train_s": view.seconds,
            "wall_s": wall, "cli_wall_s": wall + IMPORT_SECONDS, "metrics": metrics}


def run_cli(preset: str, seed: int, overrides: dict[str, str]) -> dict:
    """One training run as a real CLI process, timed from outside."""
    import json
    import subprocess

    cmd = [sys.executable, "-m", "core", "gan", "--preset", preset, "--seed", str(seed), "--json"]
    for key, value in overrides.items():
        cmd += ["--set", f"{key}={value}"]
    root = Path(__file__).resolve().parents[2]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        result = {"state": f"failed (exit {proc.returncode})", "steps": 0, "seconds": float("nan"), "metrics": {}}
    return {"seed": seed, "state": result["state"], "steps": result["steps"], "train_s": result["seconds"],
            "wall_s": wall, "cli_wall_s": wall, "metrics": result["metrics"]}


def _fmt(x, digits=3):
    return "—" if x is None else (f"{x:.{digits}f}" if isinstance(x, float) else str(x))


def table(preset: str, rows: list[dict]) -> str:
    goal = GOALS.get(preset)
    images = "classes_covered" in rows[0]["metrics"]
    if images:
        head = "| seed | state | classes | class KL | train s | wall s | CLI wall s |"
    else:
        head = "| seed | state | modes | HQ | reverse KL | train s | wall s | CLI wall s |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]

    def cells(r, mean=False):
        m = r["metrics"]
        if images:
            vals = [m.get("classes_covered"), m.get("class_kl")]
        else:
            vals = [m.get("modes"), m.get("hq"), m.get("rkl")]
        return [_fmt(v, 2 if (mean and i == 0) else 3) for i, v in enumerate(vals)]

    for r in rows:
        lines.append("| " + " | ".join([str(r["seed"]), r["state"], *cells(r), _fmt(r["train_s"], 1),
                                        _fmt(r["wall_s"], 1), _fmt(r["cli_wall_s"], 1)]) + " |")
    keys = ["classes_covered", "class_kl"] if images else ["modes", "hq", "rkl"]
    mean = {k: float(np.mean([r["metrics"].get(k, np.nan) for r in rows])) for k in keys}
    mean_row = {"metrics": mean}
    lines.append("| **mean** | | " + " | ".join(cells(mean_row, mean=True)) + " | "
                 + " | ".join(_fmt(float(np.mean([r[k] for r in rows])), 1)
                              for k in ("train_s", "wall_s", "cli_wall_s")) + " |")
    return "\n".join(lines) + "\n\n" + verdict(goal, rows, mean)


def verdict(goal, rows, mean) -> str:
    if goal is None:
        return "Goal: none (this preset shows what the loss does)."
    text, ok = judge(goal, rows, mean)
    return f"{text} → **{'met' if ok else 'not met'}**"


def judge(goal, rows, mean) -> tuple[str, bool]:
    """The goal in words with what happened, and whether it was met."""
    max_wall = max(r["cli_wall_s"] for r in rows)
    if goal["kind"] == "collapse":
        hits = sum(r["metrics"].get("modes", 99) <= goal["max_modes"] or r["metrics"].get("rkl", 0) >= goal["min_rkl"]
                   for r in rows)
        ok = hits >= goal["min_share"] * len(rows) and max_wall <= goal["wall"]
        return (f"Goal (≤ {goal['max_modes']} modes or reverse KL ≥ {goal['min_rkl']} in ≥ 80 % of seeds, "
                f"each CLI wall ≤ {goal['wall']:.0f} s): collapsed in {hits}/{len(rows)}, "
                f"slowest CLI wall {max_wall:.1f} s"), ok
    if goal["kind"] == "points":
        checks = {
            f"modes = {goal['modes']}": mean["modes"] >= goal["modes"],
            f"HQ ≥ {goal['hq']:.0%}": mean["hq"] >= goal["hq"],
            f"reverse KL ≤ {goal['rkl']}": mean["rkl"] <= goal["rkl"],
            f"each CLI wall ≤ {goal['wall']:.0f} s": max_wall <= goal["wall"],
        }
    else:
        checks = {
            f"classes = {goal['classes']}": mean["classes_covered"] >= goal["classes"],
            f"class KL ≤ {goal['kl']}": mean["class_kl"] <= goal["kl"],
        }
    ok = all(checks.values()) and all(r["state"] == "done" for r in rows)
    return "Goal (" + ", ".join(f"{k}: {'yes' if v else 'no'}" for k, v in checks.items()) + ")", ok


RUNNER_PRESETS = ("ring8-collapse", "ring8-fixed", "grid25-fixed")  # the mode-collapse presets, in this order
QUICK_SECONDS = 30.0  # --quick: one seed each, a preset started only while its wall goal fits in what is left


def rows(quick: bool = False) -> list:
    """Time to goal of the three mode-collapse presets, for the benchmarks runner (a row each)."""
    seeds = [0] if quick else [0, 1, 2, 3, 4]
    t0 = time.perf_counter()
    rows_out = []
    for preset in RUNNER_PRESETS:
        left = QUICK_SECONDS - (time.perf_counter() - t0)
        if quick and GOALS[preset]["wall"] > left:
            rows_out.append(skipped_row(preset, left))
            continue
        rows_out.append(preset_row(preset, seeds))
    return rows_out


def skipped_row(preset: str, left: float):
    """The row of a preset --quick had no time for, saying how to measure it."""
    from tests.benchmarks.report import Row

    return Row(f"`{preset}` time to goal", f"not run: --quick had {max(left, 0):.0f} s of its {QUICK_SECONDS:.0f} s left, "
               f"the goal allows {GOALS[preset]['wall']:.0f} s (python tests/benchmarks/gan_presets.py --cli "
               f"--presets {preset})", "", None, None)


def preset_row(preset: str, seeds: list[int]):
    """One preset's row: each seed as a real `python -m core` process, timed from outside."""
    from tests.benchmarks.report import Row

    rows = [run_cli(preset, seed, {}) for seed in seeds]
    mean = {k: float(np.mean([r["metrics"][k] for r in rows])) for k in ("modes", "hq", "rkl")}
    goal = GOALS[preset]
    text, ok = judge(goal, rows, mean)
    wall = float(np.mean([r["cli_wall_s"] for r in rows]))
    result = (f"modes {mean['modes']:.1f}, HQ {mean['hq']:.3f}, reverse KL {mean['rkl']:.3f}, "
              f"{wall:.1f} s per CLI run (seeds {seeds[0]}-{seeds[-1]})")
    said = text.split(":")[0].removeprefix("Goal (").rstrip(")") if goal["kind"] == "collapse" else \
        text.removeprefix("Goal ")
    return Row(f"`{preset}` time to goal", result, said, ok, wall)


def main(argv=None) -> int:
    names = [p.name for p in presets_for("gan")]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", nargs="+", default=names, choices=names)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--cli", action="store_true", help="run each as a timed `python -m core` process")
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.set)
    mode = "each run a `python -m core` process, timed from outside" if args.cli else \
        f"in-process; CLI wall = run wall + {IMPORT_SECONDS:.1f} s start-up (an estimate)"
    print(f"torch threads: {torch.get_num_threads()}; {mode}")
    if overrides:
        print(f"overrides for every run: {overrides}")
    for preset in args.presets:
        rows = []
        for seed in args.seeds:
            rows.append((run_cli if args.cli else run_one)(preset, seed, overrides))
            m = rows[-1]["metrics"]
            print(f"  {preset} seed {seed}: {m} ({rows[-1]['train_s']:.1f} s)", file=sys.stderr, flush=True)
        print(f"\n### {preset}\n\n{table(preset, rows)}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
