"""Peak memory of one `streamlit run app.py` server with 1 and with 10 sessions training at once.

    python tests/benchmarks/bench_memory.py [--sessions 1 10]

Each session is its own Chromium page (its own websocket, so its own Streamlit
session) that opens the GAN lab on a short ring8-collapse run and presses Train;
the jobs queue in the server's limiter as a class's would. The server's resident
memory (RSS, read with psutil every 50 ms) is recorded from start until every
session shows "done", and the peak is reported. Goals (issue: Benchmarks):
<= 1 GB, and <= +100 MB for each session beyond the first.
"""
import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser import STATUS, PeakRSS, chromium, serve_app, server_process, wait_idle  # noqa: E402

MB = 2**20
SESSIONS = 10  # the figure: 10 sessions training at once
QUICK_SESSIONS = 4  # --quick: enough for the cost of a session beyond the first, in a third of the time


def peak_with(browser, sessions: int, steps: int = 300) -> float:
    """MB at the peak while `sessions` pages each train the GAN once."""
    with serve_app() as (base, _):
        sampler = PeakRSS(server_process(base))
        sampler.start()
        pages = [browser.new_context().new_page() for _ in range(sessions)]
        for page in pages:
            page.goto(f"{base}/gan?preset=ring8-collapse&steps={steps}")
        for page in pages:
            wait_idle(page, timeout=60)
            page.get_by_role("button", name="Train", exact=True).click()
        wait_until_done(pages, re.compile(rf"done: step {steps} of {steps}"))
        peak = sampler.stop()
        for page in pages:
            page.context.close()
    return peak / MB


def wait_until_done(pages: list, done: re.Pattern, timeout: float = 180.0) -> None:
    """Poll every page's status line until each says done (bounded)."""
    end = time.perf_counter() + timeout
    left = list(pages)
    while left:
        if time.perf_counter() > end:
            shown = [p.locator('[data-testid="stMain"]').inner_text(timeout=2000)[:300].replace("\n", " / ") for p in left]
            raise TimeoutError(f"{len(left)} of {len(pages)} sessions not done after {timeout:.0f} s: {shown}")
        left = [p for p in left if not any(done.search(t) for t in p.locator(STATUS)
                                           .all_inner_texts())]
        time.sleep(0.5)


def measure(counts: list[int]) -> dict[int, float]:
    with chromium() as browser:
        return {n: peak_with(browser, n) for n in counts}


def rows(quick: bool = False) -> list:
    from tests.benchmarks.report import Row

    many = QUICK_SESSIONS if quick else SESSIONS
    peaks = measure([1, many])
    per_session = (peaks[many] - peaks[1]) / (many - 1)
    return [
        Row("server peak memory, 1 session training", f"{peaks[1]:.0f} MB", "<= 1 GB", peaks[1] <= 1024, peaks[1]),
        Row(f"server peak memory, {many} sessions training at once", f"{peaks[many]:.0f} MB", "<= 1 GB",
            peaks[many] <= 1024, peaks[many]),
        Row("memory per extra session", f"{per_session:+.0f} MB", "<= +100 MB", per_session <= 100, per_session),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    for n, mb in measure(args.sessions).items():
        print(f"{n} session(s): peak {mb:.0f} MB")


if __name__ == "__main__":
    main()
