"""The real thing: `streamlit run app.py` in headless Debian Chromium.

Opens every page, fails on any Streamlit exception box, saves a screenshot of
each page under tests/artifacts/, and trains the GAN with a click. Skips where
Chromium is absent, except in CI (CI or GENLAB_REQUIRE_BROWSER set), where a
missing browser is a failure.
"""
import os
import re

import pytest

from tests.browser import CHROMIUM, PAGES, browser_required, chromium, exceptions, screenshot, serve_app, wait_idle

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM):
    if browser_required():
        pytest.fail(f"{CHROMIUM} is missing and CI must run the browser tests: apt-get install -y chromium",
                    pytrace=False)
    pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def app():
    with serve_app() as (base, _), chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        yield base, page
        page.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_an_exception(app, name):
    base, page = app
    page.goto(f"{base}/{PAGES[name]}")
    wait_idle(page)
    assert page.locator("h1").count() >= 1
    assert exceptions(page) == []
    screenshot(page, f"page-{name}")


def test_gan_trains_from_a_click(app):
    base, page = app
    page.goto(f"{base}/gan?preset=ring8-collapse&steps=300")
    wait_idle(page)
    page.get_by_role("button", name="Train", exact=True).click()
    progress = page.get_by_text(re.compile(r"(running|done): step [1-9][\d,]* of 300"))
    progress.first.wait_for(timeout=30_000)
    page.get_by_text(re.compile(r"done: step 300 of 300")).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert exceptions(page) == []
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 4
    assert page.get_by_text("Modes captured").count() >= 1
    screenshot(page, "page-gan-trained")
