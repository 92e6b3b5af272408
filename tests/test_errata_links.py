"""The home page's correction note links to the errata boxes: each link opens its lab on the Theory tab
with the box "What the notes say / what is true" first, and keeps the student's settings."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptools import APP, open_lab

BOX = {"en": "### What the notes say / what is true", "zh": "### 讲义怎么说 / 实际是什么"}


def test_the_home_page_links_each_errata_box():
    home = AppTest.from_file(APP, default_timeout=60).run()
    errata = {link.proto.page for link in home.get("page_link") if link.proto.query_string == "tab=errata"}
    assert errata == {"gan", "rnn", "forest"}


@pytest.mark.parametrize("lab,language", [("gan", "en"), ("rnn", "zh"), ("forest", "en")])
def test_an_errata_link_puts_the_box_first_in_the_theory_tab(lab, language):
    at = open_lab(lab, tab="errata", lang=language)
    theory = at.tabs[2].markdown
    assert theory[0].value.startswith(BOX[language])
    assert any(not m.value.startswith(BOX[language]) for m in theory[1:])  # the rest of the theory follows
    assert not at.warning and not at.error and not at.exception


def test_without_the_link_the_box_closes_the_tab_and_a_tab_link_keeps_the_settings():
    at = open_lab("gan", lr_g="0.00031")
    assert not at.tabs[2].markdown[0].value.startswith(BOX["en"])
    assert BOX["en"] in at.tabs[2].markdown[0].value
    linked = open_lab("gan", tab="errata", lr_g="0.00031")
    assert linked.session_state["gan.config"].lr_g == 0.00031
    assert not linked.warning  # `tab` is no setting, and is not reported as one
