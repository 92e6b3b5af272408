"""Two GenLab processes behind nginx (deploy/nginx.conf): sessions stick, and survive the other's death.

Needs Debian's nginx and Chromium; CI installs both (.ci/run), elsewhere it skips.
"""
import os
import re
import shutil
import time

import pytest

from tests.browser import CHROMIUM, STATUS, browser_required, chromium, exceptions, server_process, wait_idle

pytestmark = pytest.mark.browser

missing = [name for name, ok in (("chromium", os.path.exists(CHROMIUM)),
                                 ("nginx", bool(shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"))))
           if not ok]
if missing:
    if browser_required():
        pytest.fail(f"{', '.join(missing)} missing and CI must run this test: apt-get install -y chromium nginx-light",
                    pytrace=False)
    pytest.skip(f"{', '.join(missing)} not installed", allow_module_level=True)

LONG = "gan?preset=ring8-collapse&steps=100000"
STEP = re.compile(r"running: step ([\d,]+) of")


def route_of(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "genlab_route")


def one_page_per_route(browser, base: str) -> dict:
    """New browser contexts until each process has one (the first visit's route is a coin toss)."""
    pages = {}
    for _ in range(16):
        page = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
        page.goto(f"{base}/{LONG}")
        route = route_of(page)
        if route in pages:
            page.context.close()
        else:
            pages[route] = page
        if len(pages) == 2:
            return pages
    pytest.fail("16 first visits all went to one process: the split is broken")


def step_of(page, timeout: float = 10.0) -> int:
    """The step the page's status line shows (it is redrawn twice a second: read until it parses)."""
    end, texts = time.perf_counter() + timeout, []
    while time.perf_counter() < end:
        texts = page.locator(STATUS).all_inner_texts()
        for text in texts:
            if m := STEP.search(text):
                return int(m[1].replace(",", ""))
        time.sleep(0.1)
    raise AssertionError(f"no 'running: step' line; the page shows {texts}")


def test_sessions_stick_to_their_process_and_survive_the_other_dying():
    from deploy.cluster import cluster

    with chromium() as browser, cluster() as (base, backends):
        pages = one_page_per_route(browser, base)
        for page in pages.values():
            wait_idle(page, timeout=60, quiet=0.3)
            page.get_by_role("button", name="Train", exact=True).click()
            page.get_by_text(STEP).first.wait_for(timeout=30_000)
        assert all(route_of(p) == r for r, p in pages.items()), "a route cookie changed: the session moved"
        server_process(backends["b"]).kill()
        time.sleep(1.0)
        before = step_of(pages["a"])
        time.sleep(2.0)
        assert step_of(pages["a"]) > before, "the surviving process's session stopped training"
        assert exceptions(pages["a"]) == []
        pages["a"].get_by_role("button", name="Stop", exact=True).click()
        pages["a"].locator(STATUS, has_text=re.compile(r"^stopped")).first.wait_for(timeout=15_000)
