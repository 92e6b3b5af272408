"""Headless GenLab: the pages' code path, from the command line.

    python -m core gan --preset ring8-fixed --seed 1 --json --samples out.csv

Errors in what was asked for (unknown model, preset or setting, bad data) are
one line on stderr and exit code 2; a run that diverges or fails exits 1.
"""
import argparse
import dataclasses
import json
import sys
from pathlib import Path

from core.device import configure_torch
from core.errors import GenLabError
from core.families import FAMILIES, get
from core.jobs import TrainingJob
from core.presets import build_config, presets_for


def build_parser() -> argparse.ArgumentParser:
    lines = []
    for name, family in FAMILIES.items():
        lines.append(f"  {name:9s} {family.title}: {', '.join(p.name for p in presets_for(name))}")
    lines.append("  compare   the Compare arena, all five at once: python -m core compare --help")
    parser = argparse.ArgumentParser(
        prog="python -m core", description="Train a GenLab model headless, as the page would.",
        epilog="models and presets:\n" + "\n".join(lines), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", help="one of: " + ", ".join(FAMILIES))
    parser.add_argument("--preset", help="a named preset of this model")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a setting")
    parser.add_argument("--data", type=Path, help="a data file, checked like an upload in the page")
    parser.add_argument("--steps", type=int, help="training steps (overrides the preset)")
    parser.add_argument("--seed", type=int, help="random seed")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), help="where to train")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the results")
    parser.add_argument("--samples", type=Path, help="write the final samples here")
    return parser


def parse_overrides(args, model_class) -> dict[str, str]:
    """--set KEY=VALUE pairs, plus --steps/--seed/--device mapped onto the model's fields.

    --steps sets the field the lab names in STEPS_FIELD (an HMM's EM iterations,
    else `steps`); a model without a `device` field runs on the CPU only.
    """
    overrides = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise GenLabError("cli.set", item=item)
        overrides[key.strip()] = value
    fields = {f.name for f in dataclasses.fields(model_class.Config)}
    if args.steps is not None:
        overrides[model_class.STEPS_FIELD] = str(args.steps)
    if args.seed is not None:
        overrides["seed"] = str(args.seed)
    if args.device is not None and "device" in fields:
        overrides["device"] = args.device
    elif args.device not in (None, "auto", "cpu"):
        raise GenLabError("cli.cpu_only", model=args.model, device=args.device)
    if args.data is not None:
        overrides.setdefault("dataset", "upload")
    return overrides


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["compare"]:  # the Compare arena has its own arguments (core/compare/cli.py)
        from core.compare.cli import main as compare

        return compare(argv[1:])
    args = build_parser().parse_args(argv)
    configure_torch()
    try:
        result, samples, model = run(args)
    except GenLabError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.samples and samples is not None:
        args.samples.write_text(model.samples_text(samples))
    print(json.dumps(result) if args.json else format_result(result))
    if result["state"] != "done":
        print(f"error: {result['message']}", file=sys.stderr)
        return 1
    return 0


def run(args) -> tuple[dict, "object", "object"]:
    family = get(args.model)
    config = build_config(args.model, args.preset, parse_overrides(args, family.model_class()))
    upload = read_data_file(args.data) if args.data else None
    data = family.load_data(config, upload)
    for note in getattr(data, "notes", ()):  # what the loader did to --data; stdout stays the result
        print(f"note: {note}", file=sys.stderr)
    model = family.model_class()(config)
    model.check(data)
    job = TrainingJob(model, data).run()
    view = job.view()
    last = view.snapshots[-1] if view.snapshots else None
    result = {
        "model": args.model, "preset": args.preset, "seed": config.seed,
        "device": model.device_ or config.device, "steps": view.step,
        "seconds": round(view.seconds, 3), "state": view.state, "message": view.message,
        "metrics": {k: _plain(v) for k, v in (last.metrics if last else {}).items()},
    }
    return result, (last.samples if last else None), model


def read_data_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise GenLabError("cli.data", path=path, reason=err.strerror) from None


def format_result(result: dict) -> str:
    metrics = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in result["metrics"].items())
    return f"{result['model']} {result['preset'] or ''} seed={result['seed']} device={result['device']} " \
           f"steps={result['steps']} {result['seconds']:.1f}s {result['state']}: {metrics}"


def _plain(v):
    return v.item() if hasattr(v, "item") else v


if __name__ == "__main__":
    sys.exit(main())
