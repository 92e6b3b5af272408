"""`python -m core compare`: the arena headless, the page's code path.

    python -m core compare --task points --json
    python -m core compare --preset arena-digits --set rnn.steps=500 --json
    python -m core compare --task points --data my_points.csv
    python -m core compare --task digits --device cuda --json
    python -m core compare --task points --contaminate outliers=0.2 --json
    python -m core compare --task points --sweep outliers=0,0.1,0.2,0.4 --json   (core/compare/sweep_cli.py)

prints {"task": ..., "device": ..., "rows": [{"family", "applies", "why",
"device", "metrics"}, ...]}, one row for each of the five families. `--device`
is where the torch families (RNN, GAN) train; hmmlearn, pgmpy and scikit-learn
train on the CPU, and a row says so (`device_note`, also on stderr) when another
device was asked for. Errors in what was asked for are one
line on stderr and exit code 2; a family whose training fails exits 1.
"""
import argparse
import json
import math
import sys
from pathlib import Path

from core.compare import arena, presets, scoreboard
from core.compare.tasks import DATASETS, TASKS, load_task
from core.data.contamination import KINDS
from core.device import DEVICES, configure_torch, resolve_device
from core.errors import ConfigError, DataError, GenLabError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m core compare", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train all five families on one task at once and print one scoreboard.",
        epilog="presets:\n" + "\n".join(f"  {p.name:16s} {p.task} ({p.dataset}): {p.title}"
                                         for p in presets.PRESETS.values())
        + "\ndata sets:\n" + "\n".join(f"  {t:10s} {', '.join(DATASETS[t])}" for t in TASKS))
    parser.add_argument("--task", choices=TASKS, help="the task (its preset's defaults)")
    parser.add_argument("--preset", help="an arena preset: " + ", ".join(presets.PRESETS))
    parser.add_argument("--dataset", help="one of the task's data sets (default: the preset's)")
    parser.add_argument("--data", type=Path, help="a file to upload, checked as in the page (sets --dataset upload)")
    parser.add_argument("--set", action="append", default=[], metavar="FAMILY.KEY=VALUE",
                        help="override one family's setting, e.g. gan.steps=500")
    parser.add_argument("--seed", type=int, help="one seed for the data and every family")
    parser.add_argument("--device", default="auto", metavar="{" + ",".join(DEVICES) + "}",
                        help="where the torch families (RNN, GAN) train; the others train on the CPU (default: auto)")
    parser.add_argument("--contaminate", metavar="KIND=LEVEL",
                        help="spoil the training data only, e.g. outliers=0.2 (kinds: symbols, noise, outliers, "
                             "missing, rows; the held-out data stays clean)")
    parser.add_argument("--sweep", metavar="KIND=L1,L2,...",
                        help="train every family at every level, e.g. outliers=0,0.1,0.2,0.4 (the clean level is "
                             "always added); prints one row per family per level")
    parser.add_argument("--impute", choices=("drop", "fill"), default="drop",
                        help="what missing cells get: drop incomplete rows (default) or fill each column's mean/mode")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--markdown", action="store_true", help="print the scoreboard as a Markdown table")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_torch()
    try:
        resolve_device(args.device)  # an unknown or absent device: one line, before anything trains
    except GenLabError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.sweep:  # the robustness sweep: one row per family per level (core/compare/sweep_cli.py)
        from core.compare.sweep_cli import main as sweep

        return sweep(args, read=_read, strict=_strict)
    try:
        task, rows, device = run(args)
    except GenLabError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for row in rows:  # a CPU-only family under --device cuda; stdout stays the scoreboard
        if row.get("device_note"):
            print(f"note: {row['device_note']}", file=sys.stderr)
    if args.json:
        print(json.dumps(_strict({"task": task.task, "dataset": task.name, "device": device, "rows": rows}),
                         allow_nan=False))
    elif args.markdown:
        print(scoreboard.to_markdown(task, rows))
    else:
        print(scoreboard.to_csv(task, rows))
    failed = [r for r in rows if r["applies"] and not r["metrics"]]
    for row in failed:
        print(f"error: {row['family']}: {row['why']}", file=sys.stderr)
    return 1 if failed else 0


def run(args):
    """(task, rows, device): the arena trained as asked; the device is checked before any data is loaded."""
    device = resolve_device(args.device)  # an unknown or absent device is refused in words, as everywhere
    preset = presets.get_preset(args.preset or presets.TASK_PRESET[args.task or "points"])
    if args.task and args.task != preset.task:
        raise ConfigError("compare.preset_task_mismatch", name=preset.name, task=preset.task, asked=args.task)
    upload = _read(args.data) if args.data else None
    dataset = "upload" if upload is not None else (args.dataset or preset.dataset)
    seed = args.seed if args.seed is not None else 0
    task = load_task(preset.task, dataset, upload, seed)
    for note in task.notes:  # what the loader did to --data (a subset kept); stdout stays the scoreboard
        print(f"note: {note}", file=sys.stderr)
    task = contaminated(task, args.contaminate or _preset_dirt(preset), args.impute, seed)
    rows, _ = arena.run(task, arena.configs(preset, arena.parse_sets(args.set), args.seed), device=args.device)
    return task, rows, device


def contaminated(task, item: str | None, impute: str = "drop", seed: int = 0):
    """The task with `--contaminate KIND=LEVEL` done to its training data (said on stderr), or as it is."""
    if not item:
        return task
    from core.data.contamination import Contamination, contaminate

    kind, sep, level = item.partition("=")
    try:
        dirt = Contamination(kind.strip(), float(level), impute, seed)
    except ValueError:
        raise ConfigError("quality.bad_levels", levels=level[:40]) from None
    if not sep or dirt.kind not in KINDS:
        raise ConfigError("quality.unknown_kind", kind=kind[:40], kinds=", ".join(KINDS))
    dirty = contaminate(task, dirt)
    if dirty is not task:
        print(f"note: {dirty.notes[-1]}", file=sys.stderr)
    return dirty


def _preset_dirt(preset) -> str | None:
    """The preset's contamination as `--contaminate` spells it (arena-outliers: outliers=0.2), or None."""
    dirt = preset.contamination
    return f"{dirt['kind']}={dirt['level']}" if dirt else None


def _strict(value):
    """Strict JSON: a log-likelihood of -inf (zero density somewhere) becomes the text "-inf"."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(v) for v in value]
    return value


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise DataError("compare.cannot_read", path=str(path), reason=err.strerror) from None
