"""Where a classroom rerun spends its time: the browser's input, the server's script run, the page.

    python tests/benchmarks/rerun_split.py [--sessions 30] [--json FILE]

Runs tests/classroom_load.py with a probe in its server (rerun_probe/sitecustomize.py, on the server's
PYTHONPATH: it logs each rerun request and script run, with the run thread's CPU time) and splits
every rerun the load test timed, Train clicks and seed changes apart:

    before input     Playwright's checks on the element before it clicks or types (the harness's)
    input->request   the browser's event until the server has the rerun request
    request->run     waiting for the session's script runner
    run              the script run, wall clock; "run CPU" is its own thread's CPU time, the rest of
                     its wall time it waited for the GIL (training threads, other sessions) or a core
    run->shown       the messages' way to the page and the browser's drawing; negative when the
                     result (a status drawn early in the script) was shown before the run ended
    after shown      until Playwright's poll saw it (0, 20, 50, 100, 100 ms, then every 500 ms)

The in-page rerun time, the load test's figure, is input->request + request->run + run + run->shown.
All times are epoch seconds on one machine: the page's performance.timeOrigin + now(), the server's
time.time().
"""
import argparse
import json
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import classroom_load  # noqa: E402
from tests.classroom_load import p95  # noqa: E402

PROBE = Path(__file__).resolve().parent / "rerun_probe"
PARTS = ("before input", "input->request", "request->run", "run", "run CPU", "run->shown", "after shown", "in page")


def sessions_of(events: list[dict]) -> dict[int, str]:
    """student -> their server session, from the budget (steps=100+i) that only their page's URL carries."""
    found = {}
    for e in events:
        budget = re.search(r"(?:^|&)steps=(\d+)(?:&|$)", e.get("query") or "")
        if e["ev"] == "run" and budget:
            found.setdefault(int(budget.group(1)) - classroom_load.budget(0), e["session"])
    return found


def split(rerun, session: str, events: list[dict]) -> dict | None:
    """The parts of one rerun: its request is the session's first full-run request after the input."""
    full = [e for e in events if e["session"] == session and not e["fragment"]]
    request = next((e for e in full if e["ev"] == "request" and e["t"] >= rerun.input - 0.05), None)
    run = request and next((e for e in full if e["ev"] == "run" and e["began"] >= request["t"] - 0.001), None)
    if run is None:
        return None
    return {"before input": rerun.input - rerun.began, "input->request": request["t"] - rerun.input,
            "request->run": run["began"] - request["t"], "run": run["t"] - run["began"], "run CPU": run["cpu"],
            "run->shown": rerun.shown - run["t"], "after shown": rerun.seen - rerun.shown, "in page": rerun.in_page,
            "student": rerun.student, "input at": rerun.input}


def table(rows: list[dict]) -> dict[str, dict[str, float]]:
    return {part: {"median": statistics.median(r[part] for r in rows), "p95": p95([r[part] for r in rows]),
                   "max": max(r[part] for r in rows)} for part in PARTS}


def measure(sessions: int = 30) -> tuple[dict, dict[str, list[dict]]]:
    """The load test's result, and each timed rerun's parts (Train clicks and seed changes apart)."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "reruns.jsonl"
        path = os.pathsep.join(filter(None, [str(PROBE), os.environ.get("PYTHONPATH")]))
        result = classroom_load.run(sessions, 2, {"PYTHONPATH": path, "GENLAB_RERUN_LOG": str(log)})
        events = [json.loads(line) for line in log.read_text().splitlines()]
    found = sessions_of(events)
    parts = {what: [p for r in result["timed"] if r.what == what and r.student in found
                    for p in [split(r, found[r.student], events)] if p] for what in ("train", "seed")}
    return result, parts


def server_part(parts: dict[str, list[dict]]) -> list[float]:
    """Each rerun's time until the server's script run ended (input->request + request->run + run): what
    is left of a rerun once the browsers run elsewhere, but for drawing it; an upper bound, since a
    status drawn early in the run can be shown before the run ends."""
    return [r["input->request"] + r["request->run"] + r["run"] for rows in parts.values() for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the split (and every rerun's parts) here")
    args = parser.parse_args()
    result, parts = measure(args.sessions)
    print(f"{args.sessions} students; errors {len(result['errors'])}; matched "
          f"{sum(map(len, parts.values()))} of {len(result['timed'])} reruns with the server's log; "
          f"in the page p95 {result['rerun p95 s']:.2f} s, until the run ended p95 {p95(server_part(parts)):.2f} s")
    report = {what: table(rows) for what, rows in parts.items() if rows}
    for what, rows in report.items():
        print(f"\n{what} ({len(parts[what])}), seconds:   median     p95     max")
        for part, figures in rows.items():
            print(f"  {part:<22}" + "".join(f"{figures[k]:8.2f}" for k in ("median", "p95", "max")))
    if args.json:
        args.json.write_text(json.dumps({"split": report, "reruns": parts}, indent=1))


if __name__ == "__main__":
    main()
