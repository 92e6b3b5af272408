"""Paired timing for the benchmarks: the lab and its baseline in the same run, in turn.

Rounds alternate which side goes first, so a noisy shared machine and order
effects hurt both alike; the table gives each round and the median ratio.

The full run pairs a fixed number of rounds. `--quick` pairs rounds for a fixed
time instead (`Rounds`), and the throughput benchmarks size each round's work
from their warm-up's rate (`steps_for`): on a slow day a quick run makes fewer or
shorter rounds, not a longer run.
"""
import statistics
import time
from dataclasses import dataclass
from typing import Any, Callable


def one_round(i: int, lab: Callable[[], Any], base: Callable[[], Any]) -> tuple[Any, Any]:
    """(lab result, baseline result) of round i: the lab goes first in even rounds."""
    if i % 2:
        b = base()
        return lab(), b
    a = lab()
    return a, base()


def alternate(rounds: int, lab: Callable[[], Any], base: Callable[[], Any]) -> list[tuple[Any, Any]]:
    """(lab result, baseline result) per round, the lab first in even rounds."""
    return [one_round(i, lab, base) for i in range(rounds)]


def alternate_for(seconds: float, lab: Callable[[], Any], base: Callable[[], Any], min_rounds: int = 2,
                  max_rounds: int = 20) -> list[tuple[Any, Any]]:
    """As `alternate`, but round after round until `seconds` have passed (at least `min_rounds`)."""
    pairs, t0 = [], time.perf_counter()
    while len(pairs) < min_rounds or (time.perf_counter() - t0 < seconds and len(pairs) < max_rounds):
        pairs.append(one_round(len(pairs), lab, base))
    return pairs


@dataclass(frozen=True)
class Rounds:
    """How many paired rounds a comparison runs: a count in the full run, a time in --quick."""

    full: int  # the full run: exactly this many rounds
    quick_seconds: float  # --quick: rounds until this long has passed...
    min_rounds: int = 2  # ...but at least this many (two show the spread), at most max_rounds
    max_rounds: int = 20

    @classmethod
    def exactly(cls, n: int) -> "Rounds":
        """n rounds, quick or not (a benchmark's own --rounds)."""
        return cls(full=n, quick_seconds=0.0, min_rounds=n, max_rounds=n)

    def pairs(self, quick: bool, lab: Callable[[], Any], base: Callable[[], Any]) -> list[tuple[Any, Any]]:
        if not quick:
            return alternate(self.full, lab, base)
        return alternate_for(self.quick_seconds, lab, base, self.min_rounds, self.max_rounds)


def steps_for(seconds: float, per_second: float, least: int = 50) -> int:
    """The steps that take about `seconds` at `per_second` (a warm-up's rate): a round's work sized by time."""
    return max(least, int(seconds * per_second))


def ratio_table(lab: list[float], base: list[float], columns: tuple[str, str], fmt: str, goal: str) -> str:
    """A Markdown table of the rounds and the median lab/baseline ratio."""
    ratios = [a / b for a, b in zip(lab, base)]
    rows = [f"| round | {columns[0]} | {columns[1]} | ratio |", "|---|---|---|---|"]
    rows += [f"| {i + 1} | {a:{fmt}} | {b:{fmt}} | {r:.3f} |" for i, (a, b, r) in enumerate(zip(lab, base, ratios))]
    rows.append(f"median ratio lab/{columns[1].split()[0]}: {statistics.median(ratios):.3f} ({goal})")
    return "\n".join(rows)
