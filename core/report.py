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
from core.i18n import text


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))[:200]
    return str(value).replace("|", "\\|")


def run_report(title: str, preset: str | None, config: Any, view: Any, device: str, command: str,
               lang: str = "en", page: str = "") -> str:
    """Markdown: settings, device, state, time, the last losses and the final metrics, in `lang`.
    `page` names the lab, for the settings' translated labels."""
    import torch

    def say(key: str, **fields) -> str:
        return text(lang, f"report.{key}", **fields)

    last = view.snapshots[-1] if view.snapshots else None
    rate = view.step / view.seconds if view.seconds else 0.0
    state = text(lang, f"training.state_{view.state}")
    lines = [
        say("title", title=title), "",
        say("date", date=time.strftime("%Y-%m-%d %H:%M:%S %Z")),
        say("preset", preset=preset or text(lang, "controls.custom")),
        say("state", state=state + (" — " + view.words.say(lang) if view.words else "")),
        say("steps", step=f"{view.step:,}", total=f"{view.total:,}", seconds=f"{view.seconds:.1f}", rate=f"{rate:,.1f}"),
        say("device", device=device, python=platform.python_version(), torch=torch.__version__),
        "", say("reproduce"), "", "```bash", command, "```", "",
        say("settings"), "", say("settings_head"), "|---|---|",
    ]
    for f in dataclasses.fields(config):
        label = text(lang, f"param.{page}.{f.name}", info_of(f).label)
        lines.append(f"| {label} (`{f.name}`) | {_cell(format_value(getattr(config, f.name)))} |")
    losses = {k: v[-1] for k, v in view.history.items() if k != "step" and len(v)}
    if losses:
        lines += ["", say("last_values"), "", say("series_head"), "|---|---|"]
        lines += [f"| {text(lang, f'series.{page}.{k}', k)} | {_cell(float(v))} |" for k, v in losses.items()]
    if last is not None and last.metrics:
        lines += ["", say("metrics", step=f"{last.step:,}"), "", say("metrics_head"), "|---|---|"]
        lines += [f"| {k} | {_cell(v.item() if hasattr(v, 'item') else v)} |" for k, v in last.metrics.items()]
    lines += ["", say("charts"), ""]
    return "\n".join(lines)
