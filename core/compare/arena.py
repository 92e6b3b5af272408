"""The arena: one entrant per family for a task, trained at once, then one scoreboard.

`entrants(task, settings)` builds, for each of the five families, either its
entrant (a model following core.protocol) or the one sentence saying why the
family does not honestly apply. `run(...)` trains them all at once, each in
its own `TrainingJob` within the limiter, the same jobs the page starts, and
returns the rows of the scoreboard. The CLI and the tests call it.
"""
import dataclasses
from typing import Any

from core.compare.tasks import TaskData
from core.config import validate, with_overrides
from core.errors import ConfigError
from core.families import FAMILIES
from core.i18n import text
from core.jobs import LIMITER, TrainingJob


def default_config(family: str, preset) -> Any:
    """The family's Config as the preset sets it."""
    config = FAMILIES[family].entrant_class().Config()
    config = dataclasses.replace(config, **preset.settings.get(family, {}))
    validate(config)
    return config


def configs(preset, overrides: dict[str, dict[str, str]] | None = None, seed: int | None = None) -> dict:
    """family -> Config: the preset's, with text overrides (CLI `--set gan.steps=500`) and a seed."""
    out = {}
    for family in FAMILIES:
        config = default_config(family, preset)
        changes = dict((overrides or {}).get(family, {}))
        if seed is not None:
            changes["seed"] = str(seed)
        out[family] = with_overrides(config, changes) if changes else config
    return out


def entrants(task: TaskData, family_configs: dict[str, Any], device: str = "auto") -> dict[str, Any]:
    """family -> entrant, or -> the sentence saying why the family sits this task out.

    `device` is where the torch entrants (RNN, GAN) train; the others train on the CPU whatever it says.
    """
    out = {}
    for family in FAMILIES:
        spec = FAMILIES[family]
        why = spec.why_not(task.task)
        out[family] = why if why else spec.entrant_class()(family_configs[family], device=device)
    return out


def rows(task: TaskData, players: dict[str, Any], jobs: dict[str, Any]) -> list[dict]:
    """One scoreboard row per family from the jobs' last snapshots."""
    out = []
    for family in FAMILIES:
        player = players[family]
        if isinstance(player, str):
            out.append({"family": family, "applies": False, "why": player, "device": None, "metrics": {}})
            continue
        view = jobs[family].view(max_points=10)
        snap = view.snapshots[-1] if view.snapshots and view.snapshots[-1].metrics else None
        why = "" if snap else (view.message or text("en", "compare.not_scored", state=view.state))
        row = {"family": family, "applies": True, "why": why, "state": view.state, "device": player.device_,
               "metrics": _plain(snap.metrics) if snap else {}}
        if note := cpu_only_note(player):
            row["device_note"] = note
        out.append(row)
    return out


def cpu_only_note(player) -> str:
    """Why a family trained on the CPU though another device was asked for ("" when it was not).

    The single-model CLI refuses `--device cuda` for a CPU-only model; in the arena the
    other families still use the GPU, so a CPU-only one trains on the CPU and says so.
    """
    if player.ON_TORCH or player.device in ("auto", "cpu"):
        return ""
    return text("en", "compare.cpu_only", family=player.family, library=player.library, device=player.device)


def run(task: TaskData, family_configs: dict[str, Any], limiter=None, device: str = "auto") -> tuple[list[dict], dict]:
    """Train every entrant that plays, all at once (each in its own job, the torch ones on `device`), and score them."""
    players = entrants(task, family_configs, device)
    jobs = {}
    for family, player in players.items():
        if not isinstance(player, str):
            player.check(task)
            jobs[family] = TrainingJob(player, task, limiter=limiter or LIMITER).start()
    for job in jobs.values():
        job.wait()
    return rows(task, players, jobs), jobs


def parse_sets(items: list[str]) -> dict[str, dict[str, str]]:
    """`gan.steps=500` -> {"gan": {"steps": "500"}}; a bad item is a ConfigError in words."""
    out: dict[str, dict[str, str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        family, dot, name = key.partition(".")
        if not sep or not dot or family not in FAMILIES or not name:
            raise ConfigError("compare.bad_set", families=", ".join(FAMILIES), item=item)
        out.setdefault(family, {})[name.strip()] = value
    return out


def _plain(values: dict) -> dict:
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in values.items()}
