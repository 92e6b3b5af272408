"""The real thing: `streamlit run app.py` in headless Debian Chromium.

Opens every page, fails on any Streamlit exception box, saves a screenshot of
each page under tests/artifacts/, and trains the GAN with a click. Skips where
Chromium is absent, except in CI (CI or GENLAB_REQUIRE_BROWSER set), where a
missing browser is a failure.
"""
import re
import time

import pytest

from tests.browser import (PAGES, chromium, download_lines, exceptions, require_chromium, screenshot, serve_app,
                           train, wait_idle)

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:  # one Playwright per process: its sync API owns an event loop
        yield browser


def charts(page) -> int:
    """Drawn charts: st.plotly_chart's, and the graph divs of ui/live_chart.py that hold a draw."""
    return page.locator('[data-testid="stPlotlyChart"]').count() + page.locator(".live-chart[data-epoch]").count()


OUTSIDE: list[str] = []  # requests the page made to anywhere but the app's own server


@pytest.fixture(scope="module")
def app(browser):
    with serve_app() as (base, _):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("request", lambda r: OUTSIDE.append(r.url) if r.url.split(":", 1)[0] in ("http", "https", "ws", "wss")
                and not r.url.startswith(base) else None)
        yield base, page
        page.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_an_exception(app, name):
    base, page = app
    page.goto(f"{base}/{PAGES[name]}")
    wait_idle(page)
    assert page.locator("h1").count() >= 1
    assert exceptions(page) == []
    assert OUTSIDE == [], "a page fetched something from outside the server (a classroom may have no internet)"
    screenshot(page, f"page-{name}")


def test_gan_trains_from_a_click(app):
    base, page = app
    train(page, f"{base}/gan?preset=ring8-collapse&steps=300", r"done: step 300 of 300",
          started=r"(running|done): step [1-9][\d,]* of 300")
    assert page.locator(".live-chart[data-epoch]").count() >= 6  # three curves, the points, two mode charts
    assert page.get_by_text("Modes captured").count() >= 1
    screenshot(page, "page-gan-trained")
    lines = download_lines(page, "Download samples (CSV)")
    assert lines[0] == "x,y" and len(lines) == 2501


def test_bad_upload_gets_a_message_and_a_good_one_trains(app, tmp_path):
    base, page = app
    page.goto(f"{base}/gan?dataset=upload&steps=20")
    wait_idle(page)
    dropzone = page.locator('[data-testid="stSidebar"] [data-testid="stFileUploaderDropzoneInput"]')
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n" + "\n".join(f"{i},oops" for i in range(20)))
    dropzone.set_input_files(str(bad))
    page.get_by_text(re.compile("Row 2, column 'y' holds 'oops', which is not a number")).first.wait_for(timeout=20_000)
    assert exceptions(page) == []
    good = tmp_path / "good.csv"
    good.write_text("x,y\n" + "\n".join(f"{i % 7},{(i * 3) % 5}" for i in range(200)))
    dropzone.set_input_files(str(good))
    page.get_by_text("Using upload: good.csv").wait_for(timeout=20_000)
    wait_idle(page)
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(re.compile(r"done: step 20 of 20")).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_text("Real and generated points at step 20").count() >= 1
    assert exceptions(page) == []
    screenshot(page, "page-gan-upload")


def test_a_second_student_queues_behind_the_limit(browser):
    """With one training slot, a second and a third browser's Train wait in the queue and say where they
    stand; when the first stops, the second starts at once and the third's place moves up."""
    with serve_app(env={"GENLAB_MAX_JOBS": "1"}) as (base, _):
        first, second, third = (browser.new_context().new_page() for _ in range(3))
        for page in (first, second, third):
            page.goto(f"{base}/gan?preset=ring8-collapse&steps=100000")
            wait_idle(page)
        first.get_by_role("button", name="Train", exact=True).click()
        first.get_by_text(re.compile(r"running: step [1-9]")).first.wait_for(timeout=30_000)
        second.get_by_role("button", name="Train", exact=True).click()
        second.get_by_text("position 1 in the queue").wait_for(timeout=30_000)
        third.get_by_role("button", name="Train", exact=True).click()
        third.get_by_text("position 2 in the queue").wait_for(timeout=30_000)
        watcher = second.locator(".live-status")  # the fed line, hidden: it tells the page when the job starts
        watcher.first.wait_for(state="attached", timeout=10_000)
        assert watcher.count() == 1 and watcher.first.is_hidden()
        screenshot(second, "page-gan-queued")
        first.get_by_role("button", name="Stop", exact=True).click()
        began = time.perf_counter()
        second.get_by_text(re.compile(r"running: step [1-9]")).first.wait_for(timeout=30_000)
        started = time.perf_counter() - began
        third.get_by_text("position 1 in the queue").wait_for(timeout=30_000)  # within PLACE_MS (live_chart.js)
        assert started < 10, f"the second student's run showed {started:.1f} s after the slot came free"
        for page in (second, third):
            page.get_by_role("button", name="Stop", exact=True).click()
            wait_idle(page)
        assert exceptions(first) == [] and exceptions(second) == [] and exceptions(third) == []


def test_hmm_trains_from_a_click(app):
    base, page = app
    train(page, f"{base}/hmm?preset=casino&length=2000&restarts=2", r"done: step [\d,]+ of")
    assert page.get_by_text("Viterbi accuracy").count() >= 1
    screenshot(page, "page-hmm-trained")


def test_rnn_trains_from_a_click(app):
    base, page = app
    train(page, f"{base}/rnn?preset=vanishing-gradients&steps=60&snapshot_every=20", r"done: step 60 of 60",
          started=r"(running|done): step [1-9][\d,]* of 60")
    assert charts(page) >= 5
    assert page.get_by_text("LSTM accuracy").count() >= 1
    screenshot(page, "page-rnn-trained")
    lines = download_lines(page, re.compile(r"Download 200 answers"))
    assert len(lines) == 200 and all(" -> " in line for line in lines)


def test_forest_arf_trains_from_a_click_and_a_bad_upload_is_explained(app, tmp_path):
    base, page = app
    train(page, f"{base}/forest?preset=ring8-arf", r"done: step [1-9] of [1-9]")
    assert page.get_by_text("Modes captured").count() >= 1
    assert charts(page) >= 4
    screenshot(page, "page-forest-trained")
    lines = download_lines(page, "Download samples (CSV)")
    assert lines[0] == "x,y" and len(lines) == 2501
    page.goto(f"{base}/forest?preset=moons-classifier&dataset=upload")
    wait_idle(page)
    one_class = tmp_path / "one-class.csv"
    one_class.write_text("x,y,label\n" + "\n".join(f"{i},{i % 5},cat" for i in range(30)))
    page.locator('[data-testid="stSidebar"] [data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(one_class))
    page.get_by_text(re.compile("Every row has the same label")).first.wait_for(timeout=20_000)
    assert exceptions(page) == []


def test_bayesnet_learns_from_a_click(app):
    base, page = app
    train(page, f"{base}/bayesnet?preset=asia&n_rows=3000", r"done: step [\d,]+ of")
    assert page.get_by_text("CPDAG-SHD").count() >= 1
    assert page.get_by_text("Learned DAG, edges against the truth").count() >= 1
    screenshot(page, "page-bayesnet-trained")
    page.get_by_role("tab", name="Ask the network").click()
    page.get_by_text(re.compile(r"P\(lung \| xray=yes, dysp=yes\)")).first.wait_for(timeout=20_000)
    assert exceptions(page) == []


def test_compare_trains_all_from_a_click(app):
    base, page = app
    tiny = "gan.steps=30&hmm.steps=3&forest.steps=1&forest.n_trees=5&rnn.steps=20&rnn.hidden=16"
    page.goto(f"{base}/compare?preset=arena-points&{tiny}")
    wait_idle(page)
    page.get_by_role("button", name="Train all", exact=True).click()
    page.get_by_text(re.compile(r"(running|done): step")).first.wait_for(timeout=30_000)
    page.get_by_text("C2ST: can a forest tell").first.wait_for(timeout=90_000)
    page.get_by_role("button", name="Train all", exact=True).and_(page.locator(":enabled")).wait_for(timeout=90_000)
    wait_idle(page)
    assert exceptions(page) == []
    assert page.get_by_text(re.compile(r"done: step")).count() == 5
    assert charts(page) >= 2
    screenshot(page, "page-compare-trained")
    lines = download_lines(page, "Download the scoreboard (CSV)")
    assert lines[0].startswith("family,library,device") and len(lines) == 6
    assert any(line.startswith("GAN,") and "implicit model: no likelihood" in line for line in lines)


def test_the_chinese_interface_trains_and_words_streamlits_own_uploader(app):
    """lang=zh in a link: the page trains in 中文, and the uploader's own words (a style sheet) read in 中文."""
    base, page = app
    train(page, f"{base}/gan?preset=ring8-collapse&steps=200&lang=zh", r"完成：第 200 步，共 200 步", label="训练")
    page.get_by_role("tab", name="运行的代码").click()
    upload = page.locator('[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p').first
    upload.wait_for(timeout=10_000)
    after = upload.evaluate("p => getComputedStyle(p, '::after').content")
    assert after == '"上传"', after
    screenshot(page, "page-gan-zh-code")


def test_the_home_pages_errata_link_opens_the_theory_tab_at_its_box(app):
    base, page = app
    page.goto(base)
    wait_idle(page)
    page.get_by_role("link", name=re.compile(r"^GAN lab: the networks")).click()
    box = page.get_by_role("heading", name="What the notes say / what is true")
    box.wait_for(timeout=15_000)
    assert page.get_by_role("tab", name="Theory").get_attribute("aria-selected") == "true"
    game = page.get_by_text("The game", exact=False).first  # the theory's first paragraph comes after the box
    assert box.bounding_box()["y"] < game.bounding_box()["y"]
    assert exceptions(page) == []
    screenshot(page, "gan-errata-link")
