"""`python -m core compare --sweep KIND=L1,L2,...`: the robustness sweep headless, the page's code path.

    python -m core compare --task points --sweep outliers=0,0.1,0.2,0.4 --json
    python -m core compare --preset arena-few-rows --sweep rows --json   # the preset's own levels

prints {"task", "dataset", "sweep": {"kind", "levels", "train_rows"},
"rows": [{"family", "level", "applies", "why", "metrics"}, ...]}: one row per
family per level, the clean level first. Without --json, one CSV line per
row (family, level, the task's measure, C2ST, log-likelihood). A line on
stderr says when each level starts. Errors in what was asked for exit 2; a
family that fails to train at some level exits 1.
"""
import csv
import io
import json
import sys
from typing import Any, Callable

from core.compare import arena, presets
from core.compare.sweep import Sweep, headline, parse_sweep
from core.errors import ConfigError, GenLabError


def main(args, read: Callable[[Any], bytes], strict: Callable[[Any], Any]) -> int:
    """Run the sweep `args` asks for; `read` reads --data, `strict` makes the JSON strict (core/compare/cli.py's)."""
    try:
        preset = presets.get_preset(args.preset or presets.TASK_PRESET[args.task or "points"])
        if args.task and args.task != preset.task:
            raise ConfigError("compare.preset_task_mismatch", name=preset.name, task=preset.task, asked=args.task)
        kind, levels = parse_sweep(args.sweep, preset)
        upload = read(args.data) if args.data else None
        dataset = "upload" if upload is not None else (args.dataset or preset.dataset)
        seed = args.seed if args.seed is not None else 0
        from core.compare.tasks import load_task

        task = load_task(preset.task, dataset, upload, seed)
        for note in task.notes:
            print(f"note: {note}", file=sys.stderr)
        configs = arena.configs(preset, arena.parse_sets(args.set), args.seed)
        sweep = Sweep(task, configs, kind, levels, impute=args.impute, seed=seed, device=args.device,
                      on_level=lambda i, level: print(f"sweep: level {i + 1} of {len(levels)}: {kind} = {level:g}",
                                                      file=sys.stderr, flush=True))
    except GenLabError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    result = sweep.run()
    if args.json:
        print(json.dumps(strict(result.to_json()), allow_nan=False))
    else:
        print(to_csv(result), end="")
    failed = [r for r in result.rows if r["applies"] and not r["metrics"]]
    for row in failed:
        print(f"error: {row['family']} at {row['level']:g}: {row['why']}", file=sys.stderr)
    return 1 if failed else 0


def to_csv(result) -> str:
    """family, level, rows trained on, the task's measure, C2ST, held-out log-likelihood: one line per row."""
    measure = headline(result.task)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["family", "level", "train_rows", measure, "c2st", "loglik", "why"])
    for row in result.rows:
        m = row["metrics"]
        writer.writerow([row["family"], row["level"], result.train_rows.get(row["level"], ""), m.get(measure, ""),
                         m.get("c2st", ""), m.get("loglik", ""), "" if m else row["why"]])
    return out.getvalue()
