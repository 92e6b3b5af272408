"""GenLab against its baselines, every measurement in one run, one table.

    python tests/benchmarks/bench.py [--quick] [--json FILE] [--only NAME ...]

Each benchmark module's `rows(quick)` measures the lab and its baseline side by side in the
same run (paired rounds, medians), because these machines are shared and noisy.
The full run takes about 15 minutes and is the one the README's table comes from.

`--quick` is sized by time, not by counts: each paired comparison runs rounds for a few
seconds (tests/benchmarks/paired.py), and the runner holds the whole run to a budget
(`--budget`, 180 s): it starts a benchmark only if what that benchmark took in a quick run
on the 2-core machine (`Benchmark.quick_seconds`), scaled by how much slower today's run
has been so far, fits in what is left; a benchmark it leaves out gets a row saying so.

Interrupted (Ctrl-C, SIGTERM, SIGHUP: a `timeout`), it prints the rows it has and exits
130; the `streamlit run` servers it started end with it (tests/browser.serve_app).
The runner measures; it does not gate: otherwise it exits 0 whether goals are met or not.
"""
import time

STARTED = time.perf_counter()  # --quick's budget counts from here, imports included

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.device import configure_torch  # noqa: E402
from tests.benchmarks.report import Row, markdown  # noqa: E402
from tests.browser import exit_on_signals  # noqa: E402

QUICK_BUDGET = 180.0  # s: --quick's whole run, 3 minutes on the 2-core machine


@dataclass(frozen=True)
class Benchmark:
    name: str  # for --only
    module: str  # its rows(quick) gives the table's rows
    what: str  # said on stderr while it runs
    quick_seconds: float  # about what its --quick takes on the 2-core machine: the budget's plan


BENCHMARKS = [  # the order of the table; the seconds: a --quick run on the 2-core machine, load average 3-4
    Benchmark("gan", "tests.benchmarks.bench_gan", "GAN training loop vs bare torch", 13),
    Benchmark("rnn", "tests.benchmarks.bench_rnn", "RNN training loop vs bare torch", 9),
    Benchmark("hmm", "tests.benchmarks.bench_hmm", "HMM lab vs hmmlearn", 6),
    Benchmark("bayesnet", "tests.benchmarks.bench_bayesnet", "Bayesian network lab vs pgmpy", 11),
    Benchmark("forest", "tests.benchmarks.bench_forest", "adversarial forest and C2ST", 10),
    Benchmark("uploads", "tests.benchmarks.bench_uploads", "a step on the biggest upload each lab accepts", 11),
    Benchmark("presets", "tests.benchmarks.gan_presets", "GAN presets: time to goal", 32),
    Benchmark("app", "tests.benchmarks.bench_app", "the app in a real browser", 27),
    Benchmark("live", "tests.benchmarks.bench_live", "the GAN lab's live view in a real browser", 45),
    Benchmark("memory", "tests.benchmarks.bench_memory", "server memory with 1 session and with several", 66),
    Benchmark("classroom", "tests.benchmarks.bench_classroom", "a class of students on one server", 78),
]


@dataclass
class Clock:
    """The --quick budget: which benchmarks still fit, judged by how long the ones so far took."""

    budget: float | None  # seconds for the whole run; None: no limit (the full run)
    started: float = STARTED
    planned: float = 0.0  # the quick_seconds of the benchmarks run so far
    taken: float = 0.0  # and what they took today

    def slowdown(self) -> float:
        """How much slower than planned today's run has been (never below 1)."""
        return max(1.0, self.taken / self.planned) if self.planned else 1.0

    def left(self) -> float:
        return self.budget - (time.perf_counter() - self.started) if self.budget is not None else float("inf")

    def fits(self, bench: Benchmark) -> bool:
        return bench.quick_seconds * self.slowdown() <= self.left()

    def record(self, bench: Benchmark, seconds: float) -> None:
        self.planned += bench.quick_seconds
        self.taken += seconds

    def skipped(self, bench: Benchmark) -> Row:
        """The row of a benchmark left out of the budget, with how to run it on its own."""
        return Row(bench.name, f"not run: --quick's {self.budget:.0f} s budget had {max(self.left(), 0):.0f} s left, "
                   f"this takes about {bench.quick_seconds * self.slowdown():.0f} s (bench.py --quick --only "
                   f"{bench.name})")


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
    args = parse_args(argv)
    exit_on_signals()  # SIGTERM (a timeout) stops the run as Ctrl-C does: the rows so far, no server left
    configure_torch()
    info = machine()
    clock = Clock(args.budget if args.quick else None)
    print(f"machine: {info['cores']} cores, {info['cpu']}, GPU {info['gpu']}, torch {info['torch']}; "
          + (f"quick run, budget {clock.budget:.0f} s" if args.quick else "full run"), flush=True)
    results, rows = {}, []
    try:
        run_all([b for b in BENCHMARKS if not args.only or b.name in args.only], args.quick, clock, results, rows)
    except KeyboardInterrupt as why:
        print(f"interrupted ({str(why) or 'Ctrl-C'}) after {time.perf_counter() - clock.started:.0f} s: "
              f"the rows measured so far", file=sys.stderr, flush=True)
        report(rows, args, info, results, interrupted=True)
        return 130
    report(rows, args, info, results)
    print(f"... {time.perf_counter() - clock.started:.0f} s in all", file=sys.stderr)
    return 0


def parse_args(argv):
    names = [b.name for b in BENCHMARKS]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="sized by time: the whole run within --budget")
    parser.add_argument("--budget", type=float, default=QUICK_BUDGET, metavar="SECONDS",
                        help=f"--quick's time for the whole run (default {QUICK_BUDGET:.0f})")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--only", nargs="+", choices=names, help="run only these")
    return parser.parse_args(argv)


def run_all(benchmarks: list[Benchmark], quick: bool, clock: Clock, results: dict, rows: list) -> None:
    """Each benchmark that fits the clock, its rows appended to `rows` as they come (so an interrupt keeps them)."""
    for bench in benchmarks:
        if not clock.fits(bench):
            print(f"... {bench.what}: left out, the budget is spent", file=sys.stderr, flush=True)
            section, seconds = [clock.skipped(bench)], 0.0
        else:
            print(f"... {bench.what}", file=sys.stderr, flush=True)
            section, seconds = run_one(bench.module, quick)
            clock.record(bench, seconds)
            print(f"    {seconds:.0f} s", file=sys.stderr, flush=True)
        results[bench.name] = {"seconds": round(seconds, 1), "rows": [r.as_dict() for r in section]}
        rows += section


def report(rows: list[Row], args, info: dict, results: dict, interrupted: bool = False) -> None:
    """The table on stdout, and the figures in --json's file."""
    print(markdown(rows), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "quick": args.quick, "interrupted": interrupted,
                                         "results": results}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
