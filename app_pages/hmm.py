"""HMM lab: watch Baum-Welch find the casino's loaded die, and Viterbi read the hidden states."""
import streamlit as st

from core.models import hmm, hmm_views
from ui import hmm_panels, lab, messages, training

PAGE = "hmm"
st.title("HMM lab")
st.caption("Hidden states you never see produce the observations you do. Press Train and watch EM (Baum-Welch) "
           "learn the hidden chain from the observations alone, then compare it with the truth.")

UPLOAD_HELP = ("Data 'upload': a CSV with one column of numbers or symbols and a header (optionally a 'state' "
               "column of true states; for the casino, a 'roll' column of die faces 1-6). Data 'upload-text': "
               "a plain UTF-8 text, read character by character.")
config, upload = lab.settings(PAGE, "casino", upload=("Sequence (CSV or text)", UPLOAD_HELP))
data = messages.try_or_explain(hmm.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, hmm.load_data, hmm.HMM))
job = training.current_job(PAGE)
live, scrub, theory, code = st.tabs(["Live training", "Snapshots", "Theory", "Code that ran"])
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
        "EM a chunk of iterations at a time (hmmlearn does the numerics)": [hmm.HMM._em_chunk, hmm.EMMonitor],
        "Pairing learned states with true ones (Hungarian method)": [hmm_views.match_states, hmm_views.emission_cost],
    })
