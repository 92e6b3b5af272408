"""The GAN lab's live view in a real browser: first chart, updates per second, blank frames, throughput, Pause/Step.

    python tests/benchmarks/bench_live.py [--rounds 3]
    python tests/benchmarks/bench.py --only live [--quick]      (--quick: 1 round; full: 3)

Each round is a fresh `streamlit run app.py` (tests/browser.serve_app) and a fresh headless Chromium
page at /gan?preset=ring8-collapse&steps=100000, a budget so long that it is still training while
watched. The chart watched is the GAN losses, the first `.live-chart` (ui/live_chart.py's plotly graph
div) of the curves in the Live tab (found by its key, gan-losses, else as the first live chart after the
status line). What the page shows is recorded in the page itself (performance.now(), a
20 ms check until the first data, a MutationObserver on the chart's data-points attribute, a sample
every 100 ms by setInterval), so Playwright's own latency on a busy machine neither delays nor thins
what is counted. Goals (issue: the live view), per round:

- first chart with data after Train (<= 0.5 s): from the Train button's click event (a capture
  listener on the page) to the first moment the chart's plotly data holds a point
  (gd.data[0].x.length > 0), seen by the 20 ms check or by the observer, whichever is first.
- chart updates per second (>= 10 per s), over 10 s of training from the first data. `updates per
  second`: the rise of the chart's data-updates counter (live_chart.js's mark() adds 1 after each
  full draw, extendTraces, or batch of points from the job's feed) across the 100 ms samples, over
  their span. `point-adding updates per second`: only the updates after which the chart held more
  raw points (the sum of its data-points, the raw point count of each series) than before; the observer sees each one, so updates faster
  than the samples are still counted one by one. Updates that add nothing (a resent full draw) count
  in the first figure only.
- blank samples (0 of ~100), in the same 10 s: a 100 ms sample is blank when there is no chart, no
  trace holds a point, or plotly has drawn no line (no `.scatterlayer .trace path.js-line` whose `d`
  holds a segment, an `L`: two points joined). `graph div replaced` counts the samples whose chart
  is another div than at the window's start (each would be a remount, drawn from scratch). Fewer than ~100 samples,
  and a `longest gap between samples` well over 0.1 s, mean the page's main thread was busy that long
  (drawing, or a starved browser): the chart could not change on screen in that time either.
- training throughput, page vs headless (>= 0.9x): steps/s off the status line in the same 10 s
  (the job's step and clock in the first and last status text the samples saw, as bench_app's
  watch_training reads them), against bench_app.headless_steps_per_second() for the same preset:
  the mean of one run right before the round's server starts and one right after it has stopped.
- Pause, Step, Step, Continue: Pause, wait for "paused: step N"; Step twice, each time waiting for
  "paused: step N+k"; Continue training must then show "running: step M" with M > N+2; then Stop.
  `steps between the pauses` (goal: exactly 2) is the last paused step minus N; `chart points added
  by the two Steps` (goal: 2 per series, one history row per step) is the rise of each series' count
  in the chart's data-points from the first pause to the last, each read once the page is idle.

A round that cannot measure (no chart, a status line that never reads as expected) raises a
RuntimeError that says what it waited for; every wait is bounded. The rows give the median over the
rounds (and each round's figure); `met` is the median against the goal, except for the blank
samples and the Pause/Step counts, which every round must meet.
"""
import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_app import PROGRESS, headless_steps_per_second  # noqa: E402
from tests.browser import chromium, serve_app, wait_idle  # noqa: E402

URL = "/gan?preset=ring8-collapse&steps=100000"
WINDOW = 10.0  # s of training watched after the first data
FIRST_DATA_TIMEOUT = 30.0  # s from the click to a chart with data (a cold server builds torch first)
STATUS_TIMEOUT = 30.0  # s for the status line to read as a click should make it read

# The chart: the live chart keyed KEY; failing that, the first .live-chart in the first tab panel (the
# Live tab: the losses, then D's outputs and the gradient norms; the data preview before Train is no
# live curve), or the page's first .live-chart where there are no tabs (tests/live_chart_demo.py). Installed before the click: the click listener, the first-data check
# every 20 ms, and an observer of data-points (set by mark() after every draw and extend) on that chart.
KEY = "gan-losses"  # ui/gan_panels.curves()'s history_chart key: its container has class st-key-live-chart-<key>
INSTALL = """([label, key]) => {
  const chart = () => {
    const keyed = document.querySelector(`.st-key-live-chart-${key} .live-chart`);
    if (keyed) return keyed;
    const tab = document.querySelector('[data-testid="stTabs"] [role="tabpanel"]');
    return (tab ?? document).querySelector('.live-chart');
  };
  const hasData = (gd) => !!gd && !!gd.data && gd.data.length > 0 && !!gd.data[0].x && gd.data[0].x.length > 0;
  const ids = new WeakMap();
  const L = window.__live = {chart, hasData, clicked: null, first: null, samples: [], events: [], els: [],
                             sampler: null,
                             idOf: (el) => { if (!ids.has(el)) { L.els.push(el); ids.set(el, L.els.length); }
                                             return ids.get(el); }};
  if (hasData(chart())) throw new Error('a .live-chart already holds data before the click');
  document.addEventListener('click', (e) => {
    const target = e.target.closest && e.target.closest('button, a');
    if (L.clicked === null && target && target.innerText.trim() === label) L.clicked = performance.now();
  }, true);
  const check = () => {
    if (L.clicked !== null && L.first === null && hasData(chart())) {
      L.first = performance.now();
      clearInterval(L.poll);
    }
  };
  L.poll = setInterval(check, 20);
  new MutationObserver((records) => {
    const now = performance.now(), gd = chart();
    for (const r of records) if (r.target === gd) L.events.push({t: now, id: L.idOf(gd), old: r.oldValue});
    check();
  }).observe(document.body,
              {subtree: true, attributes: true, attributeFilter: ['data-points'], attributeOldValue: true});
}"""
# One sample of the chart and the status line, every 100 ms for the window.
START_WINDOW = """() => {
  const L = window.__live;
  const take = () => {
    const gd = L.chart();
    const line = gd && gd.querySelector('.scatterlayer .trace path.js-line');
    const status = document.querySelector('[data-testid="stProgress"], .live-status');
    return {t: performance.now(), id: gd ? L.idOf(gd) : 0,
            points: gd && gd.data ? gd.data.map((trace) => (trace.x || []).length) : [],
            drawn: !!line && (line.getAttribute('d') || '').includes('L'),
            updates: gd ? Number(gd.dataset.updates || 0) : 0, status: status ? status.textContent : ''};
  };
  clearInterval(L.sampler);
  L.samples = [take()];
  L.sampler = setInterval(() => L.samples.push(take()), 100);
}"""
# The samples, and each data-points change as (t, chart id, old, new): the new value of one change is the
# old value of the next change to the same div, or the div's value now.
STOP_WINDOW = """() => {
  const L = window.__live;
  clearInterval(L.sampler);
  const events = L.events.map((e, i) => {
    const next = L.events.slice(i + 1).find((f) => f.id === e.id);
    return {...e, new: next ? next.old : (L.els[e.id - 1].dataset.points ?? null)};
  });
  return {samples: L.samples, events};
}"""
POINTS = "() => { const gd = window.__live.chart(); return gd ? gd.dataset.points ?? null : null; }"


def one_round(browser) -> dict:
    """One fresh server and page: train, watch, Pause / Step / Step / Continue / Stop; the figures.
    The headless baseline is the mean of a run just before the server starts and one just after it
    stops: these shared machines drift by a tenth within a minute, and one baseline after the page
    paired the page with whatever the machine did next."""
    before = headless_steps_per_second()
    with serve_app() as (base, _):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            page.goto(base + URL)
            wait_idle(page, timeout=60)
            page.evaluate(INSTALL, ["Train", KEY])
            press(page, "Train")
            first = first_data(page)
            watched = watch(page, WINDOW)
            figures = {"first chart with data after Train (s)": first, **watched}
            figures.update(pause_step_step_continue(page))
            press(page, "Stop")
            wait_status(page, r"Stopped at step ([\d,]+)")
        finally:
            page.close()
    figures["steps/s headless (same preset)"] = (before + headless_steps_per_second()) / 2
    figures["training throughput, page / headless"] = (figures["steps/s in the page"]
                                                       / figures["steps/s headless (same preset)"])
    return figures


def press(page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click(timeout=15_000)


def first_data(page, timeout: float = FIRST_DATA_TIMEOUT) -> float:
    """Seconds from the click (the page's click event) to the first chart holding a point."""
    try:
        page.wait_for_function("() => window.__live.first !== null", timeout=timeout * 1000, polling=100)
    except Exception as err:
        state = page.evaluate("() => ({clicked: window.__live.clicked, charts: document.querySelectorAll("
                              "'.live-chart').length, status: document.querySelector('[data-testid=\"stProgress\"], .live-status')"
                              "?.innerText ?? null})")
        raise RuntimeError(f"no .live-chart with data within {timeout:.0f} s of the click ({state}); does the GAN "
                           f"page draw its curves with ui.live_chart?") from err
    clicked, first = page.evaluate("() => [window.__live.clicked, window.__live.first]")
    if clicked is None:
        raise RuntimeError("the page never saw the click")
    return (first - clicked) / 1000


def watch(page, seconds: float) -> dict:
    """Updates, point-adding updates, blank samples and steps/s over `seconds` of samples in the page."""
    page.evaluate(START_WINDOW)
    time.sleep(seconds)
    got = page.evaluate(STOP_WINDOW)
    samples, events = got["samples"], got["events"]
    if len(samples) < 2:
        raise RuntimeError(f"the page took {len(samples)} samples in {seconds:.0f} s")
    t0, t1 = samples[0]["t"], samples[-1]["t"]
    span = (t1 - t0) / 1000
    # a draw on a div that replaced the watched one counts from that div's own zero
    updates = sum(b["updates"] - (a["updates"] if a["id"] == b["id"] else 0) for a, b in zip(samples, samples[1:]))
    adding = sum(1 for e in events if t0 < e["t"] <= t1 and total(e["new"]) > total(e["old"]))
    blank = sum(1 for s in samples if not (s["id"] and s["drawn"] and any(n > 0 for n in s["points"])))
    figures = {"updates per second": updates / span,
               "point-adding updates per second": adding / span,
               "blank samples": blank, "samples": len(samples),
               "graph div replaced (samples)": sum(1 for s in samples if s["id"] != samples[0]["id"]),
               "longest gap between samples (s)": max(b["t"] - a["t"] for a, b in zip(samples, samples[1:])) / 1000}
    figures["steps/s in the page"] = steps_per_second(samples)
    return figures


def total(points: str | None) -> int:
    """The raw points a chart holds in all, from its data-points ("120,120")."""
    return sum(int(n) for n in points.split(",") if n) if points else 0


def steps_per_second(samples: list[dict]) -> float:
    """The job's steps/s between the first and last status line the samples read (its own step and clock)."""
    seen = [(int(m[1].replace(",", "")), float(m[2])) for s in samples if (m := PROGRESS.search(s["status"]))]
    if len(seen) < 2 or seen[-1][1] <= seen[0][1]:
        last = samples[-1]["status"]
        raise RuntimeError(f"the status line did not move while watched (it reads {last!r})")
    (s0, j0), (s1, j1) = seen[0], seen[-1]
    return (s1 - s0) / (j1 - j0)


def wait_status(page, pattern: str, timeout: float = STATUS_TIMEOUT) -> int:
    """Wait for text matching `pattern` (its one group a step number such as 1,262); the number."""
    try:
        text = page.get_by_text(re.compile(pattern)).first.inner_text(timeout=timeout * 1000)
    except Exception as err:
        now = page.evaluate("() => document.querySelector('[data-testid=\"stProgress\"], .live-status')?.innerText ?? null")
        raise RuntimeError(f"the page never read /{pattern}/ within {timeout:.0f} s (status line: {now!r})") from err
    return int(re.search(pattern, text)[1].replace(",", ""))


def paused_at(page, step: int | None = None) -> int:
    number = r"[\d,]+" if step is None else re.escape(f"{step:,}")
    return wait_status(page, rf"paused: step ({number}) of 100,000")


def running_past(page, step: int, timeout: float = STATUS_TIMEOUT) -> int:
    """Wait for the status line to read 'running: step M' with M > `step`; M."""
    end = time.monotonic() + timeout
    while True:
        now = wait_status(page, r"running: step ([\d,]+) of 100,000", max(end - time.monotonic(), 1))
        if now > step:
            return now
        if time.monotonic() > end:
            raise RuntimeError(f"the status line never passed step {step:,} after Continue training (at {now:,})")
        time.sleep(0.2)


def settled_points(page, timeout: float = 20.0) -> list[int]:
    """The chart's raw points per series once the page is idle and they read the same twice, 0.5 s apart."""
    try:
        wait_idle(page, timeout=timeout)
    except Exception as err:
        raise RuntimeError(f"the page did not go idle within {timeout:.0f} s while paused") from err
    end, last = time.monotonic() + timeout, page.evaluate(POINTS)
    while True:
        time.sleep(0.5)
        now = page.evaluate(POINTS)
        if now == last and now:
            return [int(n) for n in now.split(",")]
        if time.monotonic() > end:
            raise RuntimeError(f"the chart's points never held still while paused (last {now!r})")
        last = now


def pause_step_step_continue(page) -> dict:
    """Pause, Step, Step (each exactly one step, drawn), Continue training; steps and chart points between."""
    press(page, "Pause")
    at = paused_at(page)
    before = settled_points(page)
    page.get_by_role("button", name="Step", exact=True).and_(page.locator(":enabled")).wait_for(timeout=15_000)
    for k in (1, 2):
        press(page, "Step")
        paused_at(page, at + k)
    after = settled_points(page)
    last = paused_at(page)  # still paused there once the page is idle: nothing trained on after the Steps
    press(page, "Continue training")
    running_past(page, at + 2)
    return {"steps between the pauses": last - at,
            "chart points added by the two Steps": tuple(b - a for a, b in zip(before, after))}


def measure(rounds: int) -> list[dict]:
    """`rounds` fresh servers, one at a time, in one Chromium."""
    with chromium() as browser:
        return [one_round(browser) for _ in range(rounds)]


EVERY_ROUND = {"blank samples", "graph div replaced (samples)", "steps between the pauses",
               "chart points added by the two Steps"}
GOALS = {  # measure: (goal in words, test)
    "first chart with data after Train (s)": ("<= 0.5 s", lambda v: v <= 0.5),
    "updates per second": (">= 10 per s", lambda v: v >= 10),
    "point-adding updates per second": (">= 10 per s", lambda v: v >= 10),
    "blank samples": ("0", lambda v: v == 0),
    "graph div replaced (samples)": ("0", lambda v: v == 0),
    "training throughput, page / headless": (">= 0.9x", lambda v: v >= 0.9),
    "steps between the pauses": ("exactly 2", lambda v: v == 2),
    "chart points added by the two Steps": ("2 per series", lambda v: len(v) > 0 and all(n == 2 for n in v)),
}


def shown(key: str, value) -> str:
    if isinstance(value, tuple):
        return "/".join(str(n) for n in value)
    if isinstance(value, int):
        return str(value)
    if key.startswith("training throughput"):
        return f"{value:.2f}x"
    return f"{value:.2f}" + (" s" if key.endswith("(s)") else " per s" if key.endswith("per second") else "")


def rows(quick: bool = False) -> list:
    from tests.benchmarks.report import Row

    results = measure(1 if quick else 3)
    out = []
    for key in results[0]:
        if key == "samples":
            continue
        values = [r[key] for r in results]
        each = ", ".join(shown(key, v) for v in values)
        goal, ok = GOALS.get(key, ("", None))
        if key == "blank samples":
            each = ", ".join(f"{r['blank samples']} / {r['samples']}" for r in results)
        if isinstance(values[0], tuple):  # per series: the median of each series' count
            median = tuple(statistics.median(v[i] for v in values) for i in range(len(values[0])))
            value = min(median) if median else None
        else:
            median = value = statistics.median(values)
        met = None if ok is None else (all(ok(v) for v in values) if key in EVERY_ROUND else bool(ok(median)))
        result = shown(key, median) + (f" (rounds: {each})" if len(results) > 1 else "")
        if key == "blank samples":
            result = f"{shown(key, median)} of ~{results[0]['samples']} samples (rounds: {each})"
        out.append(Row(f"live view: {key} (median of {len(results)} fresh servers)", result, goal, met,
                       float(value) if value is not None else None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rounds = measure(args.rounds)
    print("| measure | " + " | ".join(f"round {i + 1}" for i in range(len(rounds))) + " | goal |")
    print("|---|" + "---|" * (len(rounds) + 1))
    for key in rounds[0]:
        print(f"| {key} | " + " | ".join(shown(key, r[key]) for r in rounds) + f" | {GOALS.get(key, ('',))[0]} |")


if __name__ == "__main__":
    main()
