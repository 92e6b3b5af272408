"""A class of 30 on one server (tests/classroom_load.py): errors, leaks, rerun times, memory, freed slots.

    python tests/benchmarks/bench.py --only classroom [--quick]     (--quick: 8 students)

CI's tests/test_load.py runs 8 students to keep CI under 20 minutes; the 30-student figures live here.
Reruns are timed in the page (input event -> result shown), with the class's browsers on the server's
own cores; beside it, each rerun's time until the server's script run ended (rerun_split.py's probe),
what is left of it once the browsers run on the students' laptops, and Playwright's own view.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.report import Row  # noqa: E402

STUDENTS = 30  # the class
QUICK_STUDENTS = 8  # --quick: the same checks on a small class (16 took about 130 s)


def rows(quick: bool = False) -> list[Row]:
    from tests.benchmarks.rerun_split import measure, p95, server_part

    n = QUICK_STUDENTS if quick else STUDENTS
    r, parts = measure(n)
    server = server_part(parts)
    said = f"{n} students, 2 training slots"
    return [
        Row(f"classroom: errors / leaks ({said})", f"{len(r['errors'])} / {r['leaks']}", "0 / 0",
            not r["errors"] and r["leaks"] == 0, len(r["errors"]) + r["leaks"]),
        Row(f"classroom: rerun median / 95th percentile, in the page, the {n} browsers on the server's cores ({said})",
            f"{r['rerun median s']:.2f} / {r['rerun p95 s']:.2f} s", "p95 <= 2 s",
            r["rerun p95 s"] <= 2, r["rerun p95 s"]),
        Row(f"classroom: rerun until the server's script run ended, 95th percentile ({said})",
            f"{p95(server):.2f} s" if server else "not matched", "", None, p95(server) if server else None),
        Row(f"classroom: rerun median / 95th percentile as Playwright saw them ({said})",
            f"{r['harness rerun median s']:.2f} / {r['harness rerun p95 s']:.2f} s", "", None, r["harness rerun p95 s"]),
        Row(f"classroom: server peak memory ({said})", f"{r['peak MB']:.0f} MB", "<= 2048 MB",
            r["peak MB"] <= 2048, r["peak MB"]),
        Row("classroom: a closed tab's slot back after (TTL 5 s)",
            "never" if r["slots freed after tabs closed s"] is None else f"{r['slots freed after tabs closed s']:.1f} s",
            "", None, r["slots freed after tabs closed s"]),
    ]
