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
"""
import argparse
import re
import statistics
import sys
import time
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
        page = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
        page.on("pageerror", lambda err, i=i: page_errors.append(f"student {i}: page error {str(err)[:120]}"))
        page.goto(f"{base}/gan?preset=ring8-collapse&steps={budget(i)}&seed={i}")
        pages.append(page)
    for page in pages:
        wait_idle(page, timeout=90, quiet=0.3)
    return pages


def timed(action, until, timeout: float = 30.0) -> float:
    t0 = time.perf_counter()
    action()
    until(timeout)
    return time.perf_counter() - t0


def press_train(page, i: int) -> float:
    # The click's rerun is over when the page shows the job: its place in the queue, or its first steps.
    status = re.compile(rf"position \d+ in the queue|(running|done): step [\d,]+ of {budget(i)}\b")
    return timed(lambda: page.get_by_role("button", name="Train", exact=True).click(),
                 lambda t: page.get_by_text(status).first.wait_for(timeout=t * 1000))


def change_seed(page, i: int) -> float:
    box = page.get_by_label("Seed", exact=True).first
    new = 1000 + i
    return timed(lambda: (box.fill(str(new)), box.press("Enter")),
                 lambda t: page.wait_for_function(f"location.search.includes('seed={new}')", timeout=t * 1000))


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


def run(sessions: int = 30, jobs: int = 2) -> dict:
    env = {"GENLAB_MAX_JOBS": str(jobs), "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL)}
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
    return {"train reruns s": [round(r, 2) for r in reruns[:sessions]],
            "seed reruns s": [round(r, 2) for r in reruns[sessions:]], **summary(reruns),
            "sessions": sessions, "errors": errors, "leaks": leaks, "seconds": seconds,
            "peak MB": peak / 2**20, "slots freed after tabs closed s": freed}


def summary(reruns: list[float]) -> dict:
    ordered = sorted(reruns) or [float("nan")]
    return {"reruns": len(reruns), "rerun median s": statistics.median(ordered),
            "rerun p95 s": ordered[max(0, int(round(0.95 * len(ordered))) - 1)]}


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
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
