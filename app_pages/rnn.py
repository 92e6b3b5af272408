"""RNN lab: train a vanilla RNN, an LSTM and a GRU live, and watch the gradient vanish through time."""
import streamlit as st

from core.models import rnn, rnn_views
from ui import lab, messages, rnn_panels, training
from ui.i18n import t

PAGE = "rnn"
st.title(t("rnn.title"))
st.caption(t("rnn.caption"))

config, upload = lab.settings(PAGE, "vanishing-gradients", upload=(t("rnn.upload_label"), t("rnn.upload_help")))
data = messages.try_or_explain(rnn.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, rnn.load_data, rnn.RNN))
job = training.current_job(PAGE)
live, scrub, theory, code = st.tabs([t("rnn.tab_live"), t("rnn.tab_snapshots"), t("rnn.tab_theory"), t("rnn.tab_code")])
with live:
    if job is None and data is not None:
        rnn_panels.data_preview(data)
    training.live(PAGE, lambda view: rnn_panels.curves(job, view), training.curve_seconds(), "curves")
    training.live(PAGE, lambda view: rnn_panels.latest(job, view, config), 1.5, "snapshot", heavy=True)
with scrub:
    training.scrubber(PAGE, lambda snap, shots: rnn_panels.snapshot_panel(snap, job, "scrub"))
with theory:
    lab.theory("rnn")
with code:
    training.code_tab(PAGE, config, {
        t("rnn.code_network"): [rnn.SequenceNet, rnn.task_loss, rnn.RNN._batch, rnn.RNN._train_step],
        t("rnn.code_probe"): [rnn_views.grad_through_time],
        t("rnn.code_sampling"): [rnn_views.sample_codes],
    })
