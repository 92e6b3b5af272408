"""How fast the app feels: server start, first render of every page, first chart after Train.

    python tests/benchmarks/bench_app.py [--rounds 3]

Drives `streamlit run app.py` in headless Debian Chromium, like the browser
test. Goals (issue: Foundation): server up and home rendered <= 5 s; each
page's first render <= 2 s; first chart update <= 1 s after Train.
Each round is a fresh server, so first renders are really first.
"""
import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser import PAGES, TITLES, chromium, serve_app, wait_idle  # noqa: E402


def one_round(browser) -> dict:
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
        page.goto(f"{base}/gan?preset=ring8-collapse")
        wait_idle(page)
        start = time.perf_counter()
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text(re.compile(r"running: step [1-9]")).first.wait_for(timeout=20_000)
        times["first chart update after Train"] = time.perf_counter() - start
        page.get_by_role("button", name="Stop", exact=True).click()
        page.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with chromium() as browser:
        rounds = [one_round(browser) for _ in range(args.rounds)]
    print("| measure | " + " | ".join(f"round {i + 1} (s)" for i in range(len(rounds))) + " | median (s) |")
    print("|---|" + "---|" * (len(rounds) + 1))
    for key in rounds[0]:
        values = [r[key] for r in rounds]
        print(f"| {key} | " + " | ".join(f"{v:.2f}" for v in values) + f" | {statistics.median(values):.2f} |")


if __name__ == "__main__":
    main()
