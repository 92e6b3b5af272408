"""Slow speed, Pause, Step, Step, Continue, Stop on /gan in real Chromium: the status line shows each single step.

Skips where Chromium is absent, except in CI (CI or GENLAB_REQUIRE_BROWSER set),
where a missing browser is a failure.
"""
import re
import time

import pytest

from tests.browser import chromium, exceptions, require_chromium, screenshot, serve_app, wait_idle

pytestmark = pytest.mark.browser

require_chromium()

# A long budget, so the run is still going when the clicks land: on a busy 2-core machine Chromium takes
# seconds to find and click a button while charts redraw
URL = "/gan?preset=ring8-collapse&steps=100000&batch_size=64&g_width=32&d_width=32"


def number_after(page, pattern: str) -> int:
    """Wait for text matching `pattern` (its one group a step number such as 1,262); returns the number."""
    text = page.get_by_text(re.compile(pattern)).first.inner_text(timeout=30_000)
    return int(re.search(pattern, text).group(1).replace(",", ""))


def paused_at(page, step: int | None = None) -> int:
    """Wait for the status line to say 'paused: step N of 100,000' (N = `step` if given); returns N."""
    number = r"[\d,]+" if step is None else re.escape(f"{step:,}")
    return number_after(page, rf"paused: step ({number}) of 100,000")


def running_past(page, step: int, timeout: float = 30.0) -> int:
    """Wait for the status line to say 'running: step N' with N > `step`; returns N."""
    end = time.time() + timeout
    while time.time() < end:
        now = number_after(page, r"running: step ([\d,]+) of 100,000")
        if now > step:
            return now
        time.sleep(0.2)
    raise AssertionError(f"the status line never passed step {step}")


def press(page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()


def test_pause_step_step_continue_on_the_gan_page():
    with chromium() as browser, serve_app() as (base, _):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + URL)
        wait_idle(page)
        page.get_by_text("Slow", exact=True).click()  # the speed: one step at a time, as on a projector
        wait_idle(page)
        press(page, "Train")
        number_after(page, r"running: step ([1-9][\d,]*) of 100,000")
        press(page, "Pause")
        at = paused_at(page)
        page.get_by_role("button", name="Step", exact=True).and_(page.locator(":enabled")).wait_for(timeout=10_000)
        for k in (1, 2):
            press(page, "Step")
            assert paused_at(page, at + k) == at + k
        wait_idle(page)
        assert exceptions(page) == []
        screenshot(page, "page-gan-paused")
        press(page, "Continue training")
        running_past(page, at + 2)  # the same run goes on from the two single steps
        press(page, "Stop")
        assert number_after(page, r"Stopped at step ([\d,]+)") > at + 2
        wait_idle(page)
        assert exceptions(page) == []
