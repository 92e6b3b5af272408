"""A student closes a tab mid-run: once the session's TTL has passed, its training slot comes back.

A real `streamlit run` server (one training slot, a TTL of a few seconds) and
headless Chromium: the closed tab's websocket really goes away, as in class.
"""

import pytest

from tests.browser import chromium, require_chromium, serve_app
from tests.classroom_load import TTL, slots_freed_when_tabs_close

pytestmark = pytest.mark.browser

require_chromium()


def test_a_closed_tab_gives_its_training_slot_back_after_the_ttl():
    env = {"GENLAB_MAX_JOBS": "1", "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL)}
    with chromium() as browser, serve_app(env=env) as (base, _):
        survivor = browser.new_context().new_page()
        seconds = slots_freed_when_tabs_close(browser, base, [survivor], jobs=1)
    assert seconds is not None, "the closed tab's endless run kept the only slot"
    assert seconds >= TTL - 1, "the slot came back before the TTL: a Wi-Fi blip would lose the run"
