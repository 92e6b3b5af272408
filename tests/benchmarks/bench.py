"""GenLab against its baselines, every measurement in one run, one table.

    python tests/benchmarks/bench.py [--quick] [--json FILE] [--only NAME ...]

Each benchmark module's `rows(quick)` measures the lab and its baseline side by side in the
same run (paired rounds, medians), because these machines are shared and noisy.
`--quick` keeps the whole run under about 3 minutes (fewer rounds, one seed);
the full run takes longer and is the one the README's table comes from.
The runner measures; it does not gate: it exits 0 whether goals are met or not.
"""
import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.device import configure_torch  # noqa: E402
from tests.benchmarks.report import Row, markdown  # noqa: E402

# (name, module, what it measures): the order of the table
BENCHMARKS = [
    ("gan", "tests.benchmarks.bench_gan", "GAN training loop vs bare torch"),
    ("rnn", "tests.benchmarks.bench_rnn", "RNN training loop vs bare torch"),
    ("hmm", "tests.benchmarks.bench_hmm", "HMM lab vs hmmlearn"),
    ("bayesnet", "tests.benchmarks.bench_bayesnet", "Bayesian network lab vs pgmpy"),
    ("forest", "tests.benchmarks.bench_forest", "adversarial forest and C2ST"),
    ("uploads", "tests.benchmarks.bench_uploads", "a step on the biggest upload each lab accepts"),
    ("presets", "tests.benchmarks.gan_presets", "GAN presets: time to goal"),
    ("app", "tests.benchmarks.bench_app", "the app in a real browser"),
    ("live", "tests.benchmarks.bench_live", "the GAN lab's live view in a real browser"),
    ("memory", "tests.benchmarks.bench_memory", "server memory with 1 and 10 sessions"),
    ("classroom", "tests.benchmarks.bench_classroom", "30 students on one server"),
]


def machine() -> dict:
    import torch

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    return {"cores": os.cpu_count(), "cpu": cpu, "gpu": gpu, "torch": torch.__version__,
            "python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}


def run_one(module: str, quick: bool) -> tuple[list[Row], float]:
    """A benchmark's rows; a crash becomes one row that says so, and the others still run."""
    t0 = time.perf_counter()
    try:
        rows = importlib.import_module(module).rows(quick=quick)
    except ModuleNotFoundError as err:
        if err.name != module:
            raise
        rows = [Row(module.rsplit(".", 1)[1], "not there yet (its lab is not built)")]
    except Exception as err:  # a measurement failing must not hide the others
        traceback.print_exc()
        rows = [Row(module.rsplit(".", 1)[1], f"failed: {type(err).__name__}: {err}", met=False)]
    return rows, time.perf_counter() - t0


def main(argv=None) -> int:
    names = [name for name, _, _ in BENCHMARKS]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and seeds: under about 3 minutes")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--only", nargs="+", choices=names, help="run only these")
    args = parser.parse_args(argv)
    configure_torch()
    info = machine()
    print(f"machine: {info['cores']} cores, {info['cpu']}, GPU {info['gpu']}, torch {info['torch']}; "
          f"{'quick' if args.quick else 'full'} run", flush=True)
    results, rows = {}, []
    for name, module, what in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        print(f"... {what}", file=sys.stderr, flush=True)
        section, seconds = run_one(module, args.quick)
        results[name] = {"seconds": round(seconds, 1), "rows": [r.as_dict() for r in section]}
        rows += section
    print(markdown(rows))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "quick": args.quick, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
