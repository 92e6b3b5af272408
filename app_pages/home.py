"""Home: what GenLab is, the family tree, the device, how to use it in class."""
import html

import pandas as pd
import streamlit as st

from core import plots
from core.device import describe_device, resolve_device
from core.families import profiles
from core.presets import PRESETS
from ui import controls
from ui.i18n import lang, t

FAMILIES = profiles(lang())
st.title(t("home.title"))
controls.ignore_link()
st.markdown(t("home.intro"))

st.subheader(t("home.tree"))
st.plotly_chart(plots.family_tree(FAMILIES), config={"staticPlot": True})
for fam in FAMILIES:
    st.markdown(f"- **{fam.name}** — {html.escape(fam.idea)}")

st.subheader(t("home.strengths"))
columns = {k: t(f"home.col_{k}") for k in ("family", "kind", "likelihood", "strengths", "weaknesses")}
table = pd.DataFrame([{columns["family"]: f.name, columns["kind"]: f.kind, columns["likelihood"]: f.likelihood,
                       columns["strengths"]: f.strengths, columns["weaknesses"]: f.weaknesses} for f in FAMILIES])
st.table(table.set_index(columns["family"]))
st.caption(t("home.corrected"))
for lab in ("gan", "rnn", "forest"):  # the errata boxes close each of these labs' Theory tab
    st.page_link(f"app_pages/{lab}.py", label=t(f"home.errata_{lab}"), icon=":material/fact_check:",
                 query_params={"tab": "errata"})  # the lab opens on its Theory tab, the box first

st.subheader(t("home.server"))
import torch  # noqa: E402  (after the text, so the page draws before torch loads)

st.markdown(t("home.device", device=describe_device(resolve_device("auto"), lang()), torch=torch.__version__))

st.subheader(t("home.in_class"))
st.markdown(t("home.steps"))
st.markdown(t("home.tour"))
for preset in PRESETS.values():
    title = t(f"preset.{preset.name}.title", default=preset.title)
    st.page_link(f"app_pages/{preset.model}.py", label=f"{title} — `{preset.name}`", icon=":material/play_arrow:",
                 query_params={"preset": preset.name})
