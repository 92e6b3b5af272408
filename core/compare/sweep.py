"""The robustness sweep: the arena at every level of one contamination, all judged on the same clean data.

A sweep takes one task, one kind of contamination (core.data.contamination)
and a list of levels. At each level the training data is spoiled that much
and every family that plays trains on it, each in its own `TrainingJob`
through the same limiter as the arena, level after level; the held-out data
is the task's one clean set at every level, so the scores say what each
family learned from dirty data, not how well it copies the dirt. The clean
level (0; all rows for `rows`) is always among the levels: it is the
reference every other level is read against.

`Sweep.run()` trains in the calling thread (the CLI); `Sweep.start()` in a
thread of its own, which the page polls with `view()` ("level 2 of 4: GAN
training"). The result has one row per family per level, in the CLI's JSON
shape, and the samples each family drew at each level.
"""
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from core.compare import arena, scoreboard
from core.compare.tasks import TaskData
from core.config import param, seed_param
from core.data.contamination import IMPUTE, KINDS, Contamination, check_level, clean_level, contaminate
from core.errors import ConfigError, GenLabError
from core.families import FAMILIES
from core.i18n import Words
from core.jobs import LIMITER, TrainingJob

MAX_LEVELS = 8  # a classroom server trains every family at every level: keep a sweep a few minutes long
WAIT = 0.1  # s between looks at the running jobs (a Stop is noticed this soon)


@dataclass
class SweepConfig:
    """What the page's sweep panel and a link (`sweep.kind=outliers&sweep.levels=0,0.1`) set."""

    kind: str = param("outliers", "Contamination to sweep", choices=KINDS[1:])
    levels: str = param("0,0.05,0.1,0.2,0.4", "Levels (comma-separated)")
    impute: str = param("drop", "Missing cells", choices=IMPUTE, when=("kind", ("missing",)))
    seed: int = seed_param()


def parse_levels(kind: str, words: str) -> tuple[float, ...]:
    """'0,0.1,0.2' -> (0.0, 0.1, 0.2): each level checked for the kind, the clean level added where missing,
    ordered from clean to dirtiest (for `rows`: from all rows to the fewest)."""
    try:
        levels = [float(w) for w in str(words).replace(";", ",").split(",") if w.strip()]
    except ValueError:
        raise ConfigError("quality.bad_levels", levels=str(words)[:40]) from None
    if not levels or not all(np.isfinite(levels)):
        raise ConfigError("quality.bad_levels", levels=str(words)[:40])
    for level in levels:
        check_level(kind, level)
    levels = sorted(set(levels) | {clean_level(kind)}, reverse=kind == "rows")
    if len(levels) > MAX_LEVELS:
        raise ConfigError("quality.too_many_levels", n=len(levels), most=MAX_LEVELS)
    return tuple(levels)


def parse_sweep(item: str, preset=None) -> tuple[str, tuple[float, ...]]:
    """The CLI's `outliers=0,0.1,0.2` -> ("outliers", (0.0, 0.1, 0.2)); a kind alone takes the preset's levels
    where the preset sweeps that kind, else the default ones."""
    kind, sep, levels = item.partition("=")
    kind = kind.strip()
    if kind not in KINDS[1:]:
        raise ConfigError("quality.bad_sweep", item=item[:40], kinds=", ".join(KINDS[1:]))
    if not sep:
        own = getattr(preset, "sweep", {}) or {}
        levels = own.get("levels") if own.get("kind") == kind else default_levels(kind)
    return kind, parse_levels(kind, levels)


def default_levels(kind: str) -> str:
    """Levels to sweep when none are given: shares up to 40 %, noise up to 0.4, rows down to 5 %."""
    return "1,0.5,0.2,0.05" if kind == "rows" else SweepConfig().levels


def headline(task: TaskData) -> str:
    """The task's own measure a sweep charts: the first of the scoreboard's, except on the ring.

    On the ring it is the high-quality share (samples within 3 sigma of a mode): a model that copies
    junk puts samples off the modes, while the modes captured (one good sample on a mode is enough)
    stayed at 7 or 8 for every family up to 40 % junk in our runs, so that line would say nothing.
    """
    keys = [key for key, _ in scoreboard.measure_columns(task)]
    return "hq" if "hq" in keys else keys[0]


@dataclass
class SweepView:
    """A consistent copy of a sweep's progress, safe to draw from the page's thread."""

    state: str  # queued, running, done, stopped, failed
    level_index: int  # 0-based index of the level training now (or last trained)
    levels: tuple[float, ...]
    jobs: dict[str, tuple[str, int, int]]  # family -> (state, step, total) at the current level
    rows: list[dict]  # the rows so far

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")


@dataclass
class SweepResult:
    task: TaskData  # the clean task: its held-out data judged every level
    kind: str
    levels: tuple[float, ...]
    rows: list[dict] = field(default_factory=list)  # {family, level, applies, why, metrics} (+ words: Words)
    samples: dict[tuple[float, str], np.ndarray] = field(default_factory=dict)  # (level, family) -> samples
    train: dict[float, np.ndarray] = field(default_factory=dict)  # level -> the training data it was
    train_rows: dict[float, int] = field(default_factory=dict)  # level -> rows (a stream: symbols) trained on

    def to_json(self) -> dict:
        """The CLI's object: {"task", "dataset", "sweep": {"kind", "levels", "train_rows"}, "rows": [...]}."""
        keys = ("family", "level", "applies", "why", "metrics")
        return {"task": self.task.task, "dataset": self.task.name,
                "sweep": {"kind": self.kind, "levels": list(self.levels),
                          "train_rows": [self.train_rows.get(level) for level in self.levels]},
                "rows": [{k: row[k] for k in keys} for row in self.rows]}

    def worst(self) -> float:
        """The dirtiest level that trained (the last of the levels, unless it could not be used)."""
        trained = [level for level in self.levels if level in self.train]
        return trained[-1] if trained else self.levels[0]


class Sweep:
    """Every family at every level of one contamination, level after level, each family in its own job."""

    def __init__(self, task: TaskData, family_configs: dict[str, Any], kind: str, levels, impute: str = "drop",
                 seed: int = 0, limiter=None, owner: Any = None, on_level: Callable[[int, float], None] | None = None,
                 device: str = "auto"):
        self.task, self.configs, self.kind, self.device = task, family_configs, kind, device
        self.levels = tuple(levels)
        self.impute, self.seed, self.limiter = impute, seed, limiter or LIMITER
        self.on_level = on_level  # told (index, level) as each level starts: the CLI's progress line
        self._owner = weakref.ref(owner) if owner is not None else None  # a dropped session stops the sweep
        Contamination(kind, clean_level(kind), impute, seed).check(task.task)  # a kind that makes no sense here
        self.result = SweepResult(task, kind, self.levels)
        self.state, self.words = "queued", None
        self._index, self._jobs = 0, {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> "Sweep":
        self._thread = threading.Thread(target=self.run, name="genlab-sweep", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the jobs training now and skip the levels left; what finished is kept."""
        self._stop.set()
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.stop()

    def wait(self, timeout: float | None = None) -> "Sweep":
        if self._thread:
            self._thread.join(timeout)
        return self

    def view(self) -> SweepView:
        with self._lock:
            jobs = {family: (v.state, v.step, v.total) for family, v in
                    ((f, j.view(max_points=2)) for f, j in self._jobs.items())}
            return SweepView(self.state, self._index, self.levels, jobs, list(self.result.rows))

    def run(self) -> SweepResult:
        """Train level after level; a level that cannot be used (too few rows left) is said in its rows."""
        self.state = "running"
        try:
            for index, level in enumerate(self.levels):
                if self._stop.is_set() or (self._owner is not None and self._owner() is None):
                    break
                with self._lock:
                    self._index, self._jobs = index, {}
                if self.on_level:
                    self.on_level(index, level)
                self._level(level)
            self.state = "stopped" if self._stop.is_set() else "done"
        except Exception as err:  # a bug, not the user's fault: the page says it plainly
            self.state, self.words = "failed", Words("job.bug", {"error": f"{type(err).__name__}: {err}"})
            raise
        return self.result

    def _level(self, level: float) -> None:
        """One level: spoil the training data, train every family that plays, keep its row and samples."""
        try:
            dirty = contaminate(self.task, Contamination(self.kind, level, self.impute, self.seed))
        except GenLabError as err:
            rows = []
            for family, spec in FAMILIES.items():  # a family that sits the task out says its own reason
                sits_out = spec.why_not(self.task.task)
                rows.append({"family": family, "level": level, "applies": False, "why": sits_out or str(err),
                             "words": None if sits_out else err.words, "metrics": {}})
            self._add(rows)
            return
        self.result.train[level], self.result.train_rows[level] = dirty.train, len(dirty.train)
        players, jobs, refused = arena.entrants(dirty, self.configs, device=self.device), {}, {}
        owner = self._owner() if self._owner is not None else None
        for family, player in players.items():
            if isinstance(player, str):
                continue
            try:
                player.check(dirty)
            except GenLabError as err:
                refused[family] = err
                continue
            jobs[family] = TrainingJob(player, dirty, limiter=self.limiter, owner=owner)
        del owner  # held while this level trains, the session's token could never be dropped (nor its jobs stop)
        with self._lock:
            self._jobs = jobs
        for job in jobs.values():
            job.start()
            if self._stop.is_set():
                job.stop()
        for job in jobs.values():
            while job.view(max_points=2).active:
                if self._stop.is_set():
                    job.stop()
                time.sleep(WAIT)
            job.wait()
        rows = []
        for row in arena.rows(dirty, {f: p if f not in refused else str(refused[f]) for f, p in players.items()},
                              jobs):
            row = {"family": row["family"], "level": level, **row}
            if row["family"] in refused:
                row.update(applies=True, why=str(refused[row["family"]]), words=refused[row["family"]].words)
            elif row["applies"] and not row["metrics"]:
                row["words"] = jobs[row["family"]].view(max_points=2).words
            if row["family"] in jobs:
                view = jobs[row["family"]].view(max_points=2)
                snap = view.snapshots[-1] if view.snapshots else None
                if snap is not None and snap.metrics:
                    self.result.samples[(level, row["family"])] = snap.samples
            rows.append(row)
        self._add(rows)

    def _add(self, rows: list[dict]) -> None:
        with self._lock:
            self.result.rows.extend(rows)
