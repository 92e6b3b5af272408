"""HMM lab: watch Baum-Welch find the casino's loaded die, and Viterbi read the hidden states."""
import streamlit as st

from core.models import hmm, hmm_views
from ui import hmm_panels, lab, messages, training
from ui.i18n import t

PAGE = "hmm"
st.title(t("hmm.title"))
st.caption(t("hmm.caption"))

config, upload = lab.settings(PAGE, "casino", upload=(t("hmm.upload"), t("hmm.upload_help")))
data = messages.try_or_explain(hmm.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, hmm.load_data, hmm.HMM))
job = training.current_job(PAGE)
live, scrub, theory, code = st.tabs([t("hmm.tab.live"), t("hmm.tab.snapshots"), t("hmm.tab.theory"),
                                     t("hmm.tab.code")])
with live:
    if job is None and data is not None:
        hmm_panels.data_preview(data)
    training.live(PAGE, lambda view: hmm_panels.curves(job, view), 0.5, "curves")
    training.live(PAGE, lambda view: hmm_panels.latest(job, view), 1.5, "snapshot", heavy=True)
with scrub:
    training.scrubber(PAGE, lambda snap, shots: hmm_panels.snapshot_panel(snap, job, "scrub"))
with theory:
    lab.theory("hmm")
with code:
    training.code_tab(PAGE, config, {
        t("hmm.code.em"): [hmm.HMM._em_chunk, hmm.EMMonitor],
        t("hmm.code.matching"): [hmm_views.match_states, hmm_views.emission_cost],
    })
