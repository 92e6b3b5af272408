"""GenLab's Streamlit script: page config, language, warm-up and the navigation of the pages.

`streamlit run app.py` serves it together with the live charts' feed (app.py); run on its own
(`streamlit run streamlit_app.py`, or AppTest) it is the same app with the curves fed by reruns.
The page scripts live in app_pages/, not pages/: Streamlit treats a folder named
pages/ beside the entry script as a v1 multipage app and would run a deep link
such as /gan without this script (no page config, no navigation, no warm-up).
"""
from pathlib import Path

import streamlit as st

from core import warmup
from core.families import FAMILIES
from ui import i18n
from ui.i18n import t

# A file, not ":material/science:": Streamlit's frontend fetches a material favicon from fonts.gstatic.com,
# which a classroom without internet cannot reach. Eight modes on a ring, one of them the generator's.
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
st.set_page_config(page_title="GenLab", page_icon=str(FAVICON), layout="wide")

i18n.from_url()
warmup.import_torch()  # one thread at a time: concurrent first imports of torch can see it half built
pages = [
    st.Page("app_pages/home.py", title=t("nav.home"), icon=":material/home:", default=True),
    *(st.Page(f"app_pages/{name}.py", title=t(f"nav.{name}"), icon=family.icon, url_path=name)
      for name, family in FAMILIES.items()),
    st.Page("app_pages/compare.py", title=t("nav.compare"), icon=":material/balance:", url_path="compare"),
]
i18n.switch()
i18n.frontend_words()
warmup.start_in_background()  # soon after the first page: imports, kernels, first optimiser
st.navigation(pages).run()
