"""A link copied from one browser reproduces the run in another (real Chromium, real server)."""
import re

import pytest

from tests.browser import chromium, exceptions, require_chromium, screenshot, serve_app, wait_idle

pytestmark = pytest.mark.browser

require_chromium()


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
        # On a loaded machine the first render can come before the script has read the link: wait for it
        # to settle (up to 15 s), then check.
        seed_box = student.get_by_label("Seed", exact=True).first
        student.wait_for_function("(el) => el.value === '9'", arg=seed_box.element_handle(), timeout=15_000)
        wait_idle(student)
        assert seed_box.input_value() == "9"
        assert train_and_read(student) == first and len(first) >= 3


def test_weights_download_and_restore_in_a_fresh_browser(tmp_path):
    with chromium() as browser, serve_app() as (base, _):
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.goto(f"{base}/gan?preset=ring8-collapse&steps=150&seed=4")
        wait_idle(page)
        train_and_read(page)
        page.get_by_role("tab", name="Code that ran").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the model's weights").click()
        path = tmp_path / "weights.pt"
        download.value.save_as(path)
        fresh = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        fresh.goto(f"{base}/gan")
        wait_idle(fresh)
        fresh.get_by_role("tab", name="Code that ran").click()
        fresh.locator('input[type="file"]').last.set_input_files(str(path))
        fresh.get_by_text(re.compile(r"Restored from a weights file, trained 150 steps")).first.wait_for(timeout=30_000)
        wait_idle(fresh)
        screenshot(fresh, "gan-restored")
        assert fresh.get_by_label("Seed", exact=True).first.input_value() == "4"  # its settings came with it
        fresh.get_by_role("button", name="Continue training").click()
        fresh.get_by_text(re.compile(r"done: step 300 of 300")).first.wait_for(timeout=60_000)
        wait_idle(fresh)
        assert exceptions(fresh) == []
        bad = tmp_path / "bad.pt"
        bad.write_bytes(b"\x80\x02not weights")
        fresh.get_by_role("tab", name="Code that ran").click()
        fresh.locator('input[type="file"]').last.set_input_files(str(bad))
        fresh.get_by_text("not a GenLab weights file").first.wait_for(timeout=30_000)
        assert exceptions(fresh) == []
        screenshot(fresh, "gan-restore-refused")
