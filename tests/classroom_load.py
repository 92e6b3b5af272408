"""A class of N students on one `streamlit run app.py` server: errors, leakage, rerun times, memory.

    python tests/classroom_load.py [--sessions 30] [--jobs 2]

Real clients: each student is its own headless Chromium page in its own
browser context (its own cookies and websocket, so its own Streamlit session),
driven by Playwright. A browser is the only client that runs Streamlit's
frontend as a class does (websocket protocol, fragments ticking, widgets
sending their values back); a hand-written websocket client would test a
protocol nobody speaks. One Chromium with N pages costs less than N browsers.

Each student opens the GAN lab with their own seed and a budget no one else
has (steps = 100 + i), presses Train, later changes their seed, and waits for
their run to finish. Measured: errors (exception boxes, timeouts, script errors in the page), leakage
(a page that ever shows another student's budget or seed), the time for a
rerun (click -> the page shows its result; seed change -> the URL carries it),
and the server's peak memory. Then every tab but one closes while long runs
train, and the survivor's next run must start once the closed sessions' TTL
has passed (their jobs stop and free the limiter's slots).
Every wait is bounded; the whole run is bounded by the waits.

A rerun is timed in the page, as its student waits: from the browser's own
pointerdown (or Enter keydown) to the moment the result is in the page's
rendered text (a MutationObserver) or its URL (history.replaceState). The
harness's own view, from Playwright's action to its poll seeing the result, is
reported beside it: Playwright polls at 0, 20, 50, 100, 100 ms, then every
500 ms, and its actions first check the element on the page, so on a busy
machine it adds up to about a second that no student waits. Where the page
could not say (no event or change recorded), the harness's times stand in.
"""
import argparse
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import STATUS, PeakRSS, chromium, exceptions, serve_app, server_process, wait_idle  # noqa: E402

TTL = 5  # s: the server's disconnectedSessionTTL for this test (120 in .streamlit/config.toml)


def budget(i: int) -> int:
    return 100 + i


def open_students(browser, base: str, n: int, page_errors: list) -> list:
    """n pages on the GAN lab; a script error in any of them (Streamlit's frontend giving up: a white
    page) goes into `page_errors`."""
    pages = []
    for i in range(n):
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        context.add_init_script(CLOCK)
        page = context.new_page()
        page.on("pageerror", lambda err, i=i: page_errors.append(f"student {i}: page error {str(err)[:120]}"))
        page.goto(f"{base}/gan?preset=ring8-collapse&steps={budget(i)}&seed={i}")
        pages.append(page)
    for page in pages:
        wait_idle(page, timeout=90, quiet=0.3)
    return pages


# In every student's page, before its own scripts: when the last pointerdown and Enter keydown came, and
# when the URL last changed (Streamlit writes query parameters with history.replaceState/pushState).
CLOCK = """
window.__load = {down: null, enter: null, urls: []};
const now = () => performance.timeOrigin + performance.now();
document.addEventListener('pointerdown', () => { window.__load.down = now(); }, true);
document.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__load.enter = now(); }, true);
for (const name of ['pushState', 'replaceState']) {
  const original = history[name].bind(history);
  history[name] = (...args) => { original(...args); window.__load.urls.push([now(), location.search]); };
}
"""
# Before a click: note when the page's rendered text first matches the pattern.
WATCH_TEXT = """(pattern) => {
  const re = new RegExp(pattern);
  window.__load.shown = null;
  const check = () => {
    if (window.__load.shown === null && re.test(document.body.innerText)) {
      window.__load.shown = performance.timeOrigin + performance.now();
      watcher.disconnect();
    }
  };
  const watcher = new MutationObserver(check);
  watcher.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


@dataclass
class Rerun:
    """One timed rerun; every time is epoch seconds (the page's clock is performance.timeOrigin + now())."""
    student: int
    what: str  # "train" or "seed"
    began: float  # the harness's action began
    input: float  # the browser's pointerdown, or the Enter keydown
    shown: float  # the result was in the page
    seen: float  # the harness saw it

    @property
    def in_page(self) -> float:
        return self.shown - self.input

    @property
    def harness(self) -> float:
        return self.seen - self.began


def press_train(page, i: int, timeout: float = 30.0) -> Rerun:
    """The click's rerun is over when the page shows the job: its place in the queue, or its first steps."""
    pattern = rf"position \d+ in the queue|(running|done): step [\d,]+ of {budget(i)}\b"
    page.evaluate(WATCH_TEXT, pattern)
    began = time.time()
    page.get_by_role("button", name="Train", exact=True).click(timeout=timeout * 1000)
    page.get_by_text(re.compile(pattern)).first.wait_for(timeout=timeout * 1000)
    seen = time.time()
    down, shown = page.evaluate("() => [window.__load.down, window.__load.shown]")
    return Rerun(i, "train", began, _seconds(down, began), _seconds(shown, seen), seen)


def change_seed(page, i: int, timeout: float = 30.0) -> Rerun:
    """Enter in the Seed box; over when the URL carries the new seed."""
    box, new = page.get_by_label("Seed", exact=True).first, 1000 + i
    began = time.time()
    box.fill(str(new), timeout=timeout * 1000)
    box.press("Enter", timeout=timeout * 1000)
    page.wait_for_function(f"location.search.includes('seed={new}')", timeout=timeout * 1000)
    seen = time.time()
    enter, urls = page.evaluate("() => [window.__load.enter, window.__load.urls]")
    shown = min((t for t, search in urls if f"seed={new}" in search and t >= (enter or 0)), default=None)
    return Rerun(i, "seed", began, _seconds(enter, began), _seconds(shown, seen), seen)


def _seconds(page_ms: float | None, otherwise: float) -> float:
    """A time the page recorded (epoch ms) in epoch seconds; the harness's own when the page has none."""
    return otherwise if page_ms is None else page_ms / 1000


def status_of(page) -> str:
    """The page's status lines, or why they could not be read (a crashed tab)."""
    try:
        return " | ".join(e.inner_text() for e in page.query_selector_all(STATUS)) or "no status line"
    except Exception as err:
        return f"unreadable: {type(err).__name__}"


def leaked(page, i: int) -> bool:
    """Does this page show any budget but its own?"""
    shown = " ".join(e.inner_text() for e in page.query_selector_all(STATUS))
    totals = {int(t.replace(",", "")) for t in re.findall(r"step [\d,]+ of ([\d,]+)", shown)}
    return bool(totals - {budget(i)})


def run(sessions: int = 30, jobs: int = 2, server_env: dict | None = None) -> dict:
    """The class's figures; "timed" holds each rerun's times (tests/benchmarks/rerun_split.py reads them
    beside the server's own log, which `server_env` can ask for)."""
    env = {"GENLAB_MAX_JOBS": str(jobs), "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL), **(server_env or {})}
    errors, leaks, reruns = [], 0, []
    with chromium() as browser, serve_app(env=env) as (base, _):
        memory = PeakRSS(server_process(base))
        memory.start()
        t0 = time.perf_counter()
        pages = open_students(browser, base, sessions, errors)
        for i, page in enumerate(pages):
            try:
                reruns.append(press_train(page, i))
            except Exception as err:  # a timeout is an error the class would see
                errors.append(f"student {i} Train: {type(err).__name__}")
        for i, page in enumerate(pages):
            try:
                page.get_by_text(re.compile(rf"done: step {budget(i)} of {budget(i)}")).first.wait_for(timeout=120_000)
                reruns.append(change_seed(page, i))
            except Exception as err:  # say what the page showed instead, so that a failure can be read
                errors.append(f"student {i} finish: {type(err).__name__}; the page showed {status_of(page)!r}")
            errors += [f"student {i}: {e}" for e in exceptions(page)]
            leaks += leaked(page, i)
        seconds = time.perf_counter() - t0
        freed = slots_freed_when_tabs_close(browser, base, pages, jobs)
        peak = memory.stop()
    in_page, harness = [r.in_page for r in reruns], [r.harness for r in reruns]
    return {"train reruns s": [round(r, 2) for r in in_page[:sessions]],
            "seed reruns s": [round(r, 2) for r in in_page[sessions:]], **summary(in_page),
            **summary(harness, "harness "), "timed": reruns,
            "sessions": sessions, "errors": errors, "leaks": leaks, "seconds": seconds,
            "peak MB": peak / 2**20, "slots freed after tabs closed s": freed}


def summary(reruns: list[float], who: str = "") -> dict:
    ordered = sorted(reruns) or [float("nan")]
    return {f"{who}reruns": len(reruns), f"{who}rerun median s": statistics.median(ordered),
            f"{who}rerun p95 s": p95(ordered)}


def p95(values: list[float]) -> float:
    """The 95th percentile as the load test reports it: the value at rank round(0.95 n)."""
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def slots_freed_when_tabs_close(browser, base: str, pages: list, jobs: int) -> float:
    """Fill every slot with endless runs, close those tabs: seconds until a new run starts (None: never)."""
    for page in pages[1:]:
        page.context.close()
    hogs = []
    for i in range(jobs):
        page = browser.new_context().new_page()
        page.goto(f"{base}/gan?preset=ring8-collapse&steps=100000")
        wait_idle(page, timeout=60, quiet=0.3)
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text(re.compile(r"running: step")).first.wait_for(timeout=30_000)
        hogs.append(page)
    for page in hogs:
        page.context.close()
    t0 = time.perf_counter()
    survivor = pages[0]
    survivor.goto(f"{base}/gan?preset=ring8-collapse&steps=50")
    wait_idle(survivor, timeout=60, quiet=0.3)
    survivor.get_by_role("button", name="Train", exact=True).click()
    try:
        survivor.get_by_text(re.compile(r"done: step 50 of 50")).first.wait_for(timeout=(TTL + 25) * 1000)
    except Exception:
        return None
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2, help="the server's GENLAB_MAX_JOBS")
    args = parser.parse_args()
    result = run(args.sessions, args.jobs)
    for key, value in result.items():
        if key == "timed":
            continue
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
