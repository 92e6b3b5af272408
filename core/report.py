"""A run report a student can hand in: what ran, on what, how long, and what came out (Markdown).

Charts stay in the page: plotly's static image export needs kaleido and a
browser it drives, which a classroom server should not start per download.
The report says so and links nothing it does not contain.
"""
import dataclasses
import math
import platform
import time
from typing import Any

from core.config import format_value, info_of


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))[:200]
    return str(value).replace("|", "\\|")


def run_report(title: str, preset: str | None, config: Any, view: Any, device: str, command: str) -> str:
    """Markdown: settings, device, state, time, the last losses and the final metrics."""
    import torch

    last = view.snapshots[-1] if view.snapshots else None
    rate = view.step / view.seconds if view.seconds else 0.0
    lines = [
        f"# GenLab run report: {title}", "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
        f"- Preset: {preset or '(custom)'}",
        f"- State: {view.state}{' — ' + view.message if view.message else ''}",
        f"- Steps: {view.step:,} of {view.total:,} in {view.seconds:.1f} s ({rate:,.1f} steps/s)",
        f"- Device: {device}; Python {platform.python_version()}, torch {torch.__version__}",
        "", "Reproduce it from the command line:", "", "```bash", command, "```", "",
        "## Settings", "", "| setting | value |", "|---|---|",
    ]
    for f in dataclasses.fields(config):
        lines.append(f"| {info_of(f).label} (`{f.name}`) | {_cell(format_value(getattr(config, f.name)))} |")
    losses = {k: v[-1] for k, v in view.history.items() if k != "step" and len(v)}
    if losses:
        lines += ["", "## Last logged values", "", "| series | value |", "|---|---|"]
        lines += [f"| {k} | {_cell(float(v))} |" for k, v in losses.items()]
    if last is not None and last.metrics:
        lines += ["", f"## Metrics of the last snapshot (step {last.step:,})", "", "| metric | value |", "|---|---|"]
        lines += [f"| {k} | {_cell(v.item() if hasattr(v, 'item') else v)} |" for k, v in last.metrics.items()]
    lines += ["", "Charts: open the page for the interactive charts (static images are not exported).", ""]
    return "\n".join(lines)
