"""A link copied from one browser reproduces the run in another (real Chromium, real server)."""
import os
import re

import pytest

from tests.browser import CHROMIUM, browser_required, chromium, exceptions, serve_app, wait_idle

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM):
    if browser_required():
        pytest.fail(f"{CHROMIUM} is missing and CI must run the browser tests", pytrace=False)
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)


def train_and_read(page) -> list[str]:
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(re.compile(r"done: step 150 of 150")).first.wait_for(timeout=60_000)
    page.get_by_text("Modes captured").first.wait_for(timeout=30_000)
    wait_idle(page)
    assert exceptions(page) == []
    return [m.inner_text() for m in page.query_selector_all('[data-testid="stMetricValue"]')]


def test_a_copied_link_reproduces_the_run_in_another_browser():
    with chromium() as browser, serve_app() as (base, _):
        teacher = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        teacher.goto(f"{base}/gan?preset=ring8-collapse&steps=150")
        wait_idle(teacher)
        seed = teacher.get_by_label("Seed", exact=True).first
        seed.fill("9")
        seed.press("Enter")
        teacher.wait_for_function("location.search.includes('seed=9')", timeout=15_000)
        link = teacher.url
        first = train_and_read(teacher)
        student = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()  # no shared cookies
        student.goto(link)
        wait_idle(student)
        assert student.get_by_label("Seed", exact=True).first.input_value() == "9"
        assert train_and_read(student) == first and len(first) >= 3
