"""Home: what GenLab is, the family tree, the device, how to use it in class."""
import html

import pandas as pd
import streamlit as st

from core import plots
from core.device import describe_device, resolve_device
from core.families import FAMILIES
from core.presets import PRESETS

st.title("GenLab — from HMM to GAN, trained live")
st.markdown(
    "GenLab puts the five families of a *from HMM to GAN* lecture side by side. Each page trains a small "
    "model **live** while you watch its losses, its samples and the diagnostics that show what went "
    "wrong — mode collapse first among them. Everything runs on this server; nothing needs the internet."
)

st.subheader("The family tree")
st.plotly_chart(plots.family_tree(FAMILIES), config={"staticPlot": True})
for fam in FAMILIES:
    st.markdown(f"- **{fam.name}** — {html.escape(fam.idea)}")

st.subheader("Strengths and weaknesses")
table = pd.DataFrame([{"Family": f.name, "What it models": f.kind, "Likelihood": f.likelihood,
                       "Strengths": f.strengths, "Weaknesses": f.weaknesses} for f in FAMILIES])
st.table(table.set_index("Family"))
st.caption("Corrected from the lecture notes: a random forest is discriminative (it needs a wrapper to "
           "generate), and a GAN has no likelihood to report.")

st.subheader("This server")
import torch  # noqa: E402  (after the text, so the page draws before torch loads)

device = resolve_device("auto")
st.markdown(f"Models train on **{describe_device(device)}** · torch {torch.__version__}")

st.subheader("In class")
st.markdown(
    "1. Open a lab from the sidebar and pick a **preset** — a named lesson.\n"
    "2. Press **Train**: the charts move within a second. **Stop** keeps the model trained so far; "
    "**Continue training** picks it up again; **Reset** starts over.\n"
    "3. Change a slider and train again. The address bar holds every setting: copy it to share exactly "
    "what you see.\n"
    "4. Each lab has a **Theory** tab with the correct equations and the **code that ran**."
)
st.markdown("**A guided tour of the presets**")
for preset in PRESETS.values():
    st.page_link(f"app_pages/{preset.model}.py", label=f"{preset.title} — `{preset.name}`", icon=":material/play_arrow:",
                 query_params={"preset": preset.name})
