"""One row per measurement, the same shape from every benchmark, so bench.py can print one table."""
import statistics
from dataclasses import asdict, dataclass


@dataclass
class Row:
    measure: str  # what was measured, and how (briefly)
    result: str  # the figure as a reader wants it, with units
    goal: str = ""  # the goal, in words ("" when there is none)
    met: bool | None = None  # None: no goal, or not decidable
    value: float | None = None  # the headline number, for the JSON

    def as_dict(self) -> dict:
        return asdict(self)


def ratio_row(measure: str, lab: list[float], base: list[float], unit: str, goal: str, ok) -> Row:
    """The median lab/baseline ratio over paired rounds, with the range of each side."""
    ratio = statistics.median(a / b for a, b in zip(lab, base))
    result = (f"{ratio:.3f} (lab {_num(min(lab))}-{_num(max(lab))} vs baseline {_num(min(base))}-{_num(max(base))} "
              f"{unit}, {len(lab)} rounds)")
    return Row(measure, result, goal, bool(ok(ratio)), ratio)


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def markdown(rows: list[Row]) -> str:
    lines = ["| measure | result | goal | met |", "|---|---|---|---|"]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.measure} | {r.result} | {r.goal} | {met} |")
    return "\n".join(lines)
