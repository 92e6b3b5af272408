"""`python -m core compare`: the arena headless, the page's code path.

    python -m core compare --task points --json
    python -m core compare --preset arena-digits --set rnn.steps=500 --json
    python -m core compare --task points --data my_points.csv

prints {"task": ..., "rows": [{"family", "applies", "why", "metrics"}, ...]},
one row for each of the five families. Errors in what was asked for are one
line on stderr and exit code 2; a family whose training fails exits 1.
"""
import argparse
import json
import math
import sys
from pathlib import Path

from core.compare import arena, presets, scoreboard
from core.compare.tasks import DATASETS, TASKS, load_task
from core.device import configure_torch
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
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--markdown", action="store_true", help="print the scoreboard as a Markdown table")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_torch()
    try:
        task, rows = run(args)
    except GenLabError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(_strict({"task": task.task, "dataset": task.name, "rows": rows}), allow_nan=False))
    elif args.markdown:
        print(scoreboard.to_markdown(task, rows))
    else:
        print(scoreboard.to_csv(task, rows))
    failed = [r for r in rows if r["applies"] and not r["metrics"]]
    for row in failed:
        print(f"error: {row['family']}: {row['why']}", file=sys.stderr)
    return 1 if failed else 0


def run(args):
    preset = presets.get_preset(args.preset or presets.TASK_PRESET[args.task or "points"])
    if args.task and args.task != preset.task:
        raise ConfigError("compare.preset_task_mismatch", name=preset.name, task=preset.task, asked=args.task)
    upload = _read(args.data) if args.data else None
    dataset = "upload" if upload is not None else (args.dataset or preset.dataset)
    seed = args.seed if args.seed is not None else 0
    task = load_task(preset.task, dataset, upload, seed)
    for note in task.notes:  # what the loader did to --data (a subset kept); stdout stays the scoreboard
        print(f"note: {note}", file=sys.stderr)
    rows, _ = arena.run(task, arena.configs(preset, arena.parse_sets(args.set), args.seed))
    return task, rows


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
