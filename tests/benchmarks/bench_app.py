"""How fast the app feels: server start, first render of every page, first chart after Train.

    python tests/benchmarks/bench_app.py [--rounds 3]

Drives `streamlit run app.py` in headless Debian Chromium, like the browser
test. Goals (issue: Foundation): server up and home rendered <= 5 s; each
page's first render <= 2 s; first chart update <= 1 s after Train.
Each round is a fresh server, so first renders are really first. While the GAN
trains, it also reads how often the curves refresh, how far they trail the
training, and how many steps/s the page's job makes against the same preset
trained headless.
"""
import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser import PAGES, STATUS, TITLES, chromium, serve_app, wait_idle  # noqa: E402


WATCH_SECONDS = 6.0  # training watched in the page (and headless), per round
QUICK_WATCH_SECONDS = 3.0  # --quick: one round, watched half as long


def one_round(browser, watch: float = WATCH_SECONDS) -> dict:
    """A fresh server: home, every page's first render, then a GAN training watched for `watch` s."""
    t0 = time.perf_counter()
    with serve_app() as (base, healthy):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base)
        page.get_by_text("The family tree").wait_for()
        times = {"server healthy": healthy, "home rendered": time.perf_counter() - t0}
        wait_idle(page, quiet=0.3)
        for name, path in PAGES.items():
            if name == "home":
                continue
            t_click = page.evaluate("performance.now()")
            page.locator(f'a[data-testid="stSidebarNavLink"][href$="/{path}"]').click()
            page.locator("h1", has_text=TITLES[name]).first.wait_for()
            wait_idle(page, quiet=0.3)
            times[f"{name} first render"] = (page.evaluate("window.__genlabLast") - t_click) / 1000
        page.goto(f"{base}/gan?preset=ring8-collapse&steps=100000")  # still training while watched
        wait_idle(page)
        start = time.perf_counter()
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text(re.compile(r"running: step [1-9]")).first.wait_for(timeout=20_000)
        times["first chart update after Train"] = time.perf_counter() - start
        times.update(watch_training(page, start, watch))
        page.get_by_role("button", name="Stop", exact=True).click()
        page.close()
    return times


PROGRESS = re.compile(r"step ([\d,]+) of [\d,]+ · ([\d.]+) s")


def watch_training(page, clicked: float, seconds: float = 6.0) -> dict:
    """Chart refreshes per second, display lag and steps/s, read off the page's status line.

    The status line is redrawn with the curves; each change is one refresh. Its
    text carries the job's own step and clock, so lag = (when the browser showed
    it) - (when the job was there), counting the job's clock from the click.
    """
    seen, last = [], None
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        text = page.locator(STATUS).first.inner_text()
        if text != last and (m := PROGRESS.search(text)):
            seen.append((time.perf_counter() - clicked, int(m[1].replace(",", "")), float(m[2])))
            last = text
        time.sleep(0.02)
    lags = [t - job_t for t, _, job_t in seen]
    (t0, s0, j0), (t1, s1, j1) = seen[0], seen[-1]
    return {"chart refreshes per second": (len(seen) - 1) / (t1 - t0),
            "display lag (s)": statistics.median(lags),
            "steps/s in the page": (s1 - s0) / (j1 - j0)}


def headless_steps_per_second(seconds: float = 6.0) -> float:
    """The same preset trained by the CLI's code path, no server: the throughput baseline."""
    from core.device import configure_torch
    from core.jobs import Limiter, TrainingJob
    from core.models.gan import GAN, load_data
    from core.presets import build_config

    configure_torch()
    config = build_config("gan", "ring8-collapse", {"steps": "100000"})
    job = TrainingJob(GAN(config), load_data(config), limiter=Limiter(1)).start()
    time.sleep(1.0)
    s0, t0 = job.view().step, job.view().seconds
    time.sleep(seconds)
    s1, t1 = job.view().step, job.view().seconds
    job.stop()
    job.wait(10)
    return (s1 - s0) / (t1 - t0)


def measure(rounds: int, watch: float = WATCH_SECONDS) -> list[dict]:
    with chromium() as browser:
        results = [one_round(browser, watch) for _ in range(rounds)]
    for r in results:
        r["steps/s headless (same preset)"] = headless_steps_per_second(watch)
        r["training throughput lost to the page"] = 1 - r["steps/s in the page"] / r["steps/s headless (same preset)"]
    return results


GOALS = {  # (goal in words, test) for the issue's measures; pages' first renders share one goal
    "home rendered": ("<= 5 s", lambda v: v <= 5),
    "first render": ("<= 2 s", lambda v: v <= 2),
    "first chart update after Train": ("<= 1 s", lambda v: v <= 1),
    "chart refreshes per second": (">= 4 per s", lambda v: v >= 4),
    "display lag (s)": ("<= 0.5 s", lambda v: v <= 0.5),
    "training throughput lost to the page": ("<= 10 %", lambda v: v <= 0.10),
}


def rows(quick: bool = False) -> list:
    from tests.benchmarks.report import Row

    results = measure(1, QUICK_WATCH_SECONDS) if quick else measure(3)
    rows = []
    for key in results[0]:
        value = statistics.median(r[key] for r in results)
        goal = next((g for name, g in GOALS.items() if key.endswith(name)), None)
        shown = f"{value:.0%}" if key.startswith("training throughput") else f"{value:.2f}"
        rows.append(Row(f"browser: {key} (median of {len(results)} fresh servers)", shown,
                        goal[0] if goal else "", goal[1](value) if goal else None, value))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rounds = measure(args.rounds)
    print("| measure (seconds unless named) | " + " | ".join(f"round {i + 1}" for i in range(len(rounds))) + " | median |")
    print("|---|" + "---|" * (len(rounds) + 1))
    for key in rounds[0]:
        values = [r[key] for r in rounds]
        print(f"| {key} | " + " | ".join(f"{v:.2f}" for v in values) + f" | {statistics.median(values):.2f} |")


if __name__ == "__main__":
    main()
