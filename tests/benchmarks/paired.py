"""Paired timing for the benchmarks: the lab and its baseline in the same run, in turn.

Rounds alternate which side goes first, so a noisy shared machine and order
effects hurt both alike; the table gives each round and the median ratio.
"""
import statistics
from typing import Any, Callable


def alternate(rounds: int, lab: Callable[[], Any], base: Callable[[], Any]) -> list[tuple[Any, Any]]:
    """(lab result, baseline result) per round, the lab first in even rounds."""
    pairs = []
    for i in range(rounds):
        if i % 2:
            b = base()
            pairs.append((lab(), b))
        else:
            a = lab()
            pairs.append((a, base()))
    return pairs


def ratio_table(lab: list[float], base: list[float], columns: tuple[str, str], fmt: str, goal: str) -> str:
    """A Markdown table of the rounds and the median lab/baseline ratio."""
    ratios = [a / b for a, b in zip(lab, base)]
    rows = [f"| round | {columns[0]} | {columns[1]} | ratio |", "|---|---|---|---|"]
    rows += [f"| {i + 1} | {a:{fmt}} | {b:{fmt}} | {r:.3f} |" for i, (a, b, r) in enumerate(zip(lab, base, ratios))]
    rows.append(f"median ratio lab/{columns[1].split()[0]}: {statistics.median(ratios):.3f} ({goal})")
    return "\n".join(rows)
