"""RNN lab: train a vanilla RNN, an LSTM and a GRU live, and watch the gradient vanish through time."""
import streamlit as st

from core.models import rnn, rnn_views
from ui import lab, messages, rnn_panels, training

PAGE = "rnn"
st.title("RNN lab")
st.caption("A recurrent network reads a sequence one step at a time and carries a hidden state. Press Train and "
           "watch the losses, the samples, and how far back in time the gradient still reaches.")

UPLOAD_HELP = "Task 'upload': a plain UTF-8 text (Chinese too), learned character by character."
config, upload = lab.settings(PAGE, "vanishing-gradients", upload=("Text (UTF-8)", UPLOAD_HELP))
data = messages.try_or_explain(rnn.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, rnn.load_data, rnn.RNN))
job = training.current_job(PAGE)
live, scrub, theory, code = st.tabs(["Live training", "Snapshots", "Theory", "Code that ran"])
with live:
    if job is None and data is not None:
        rnn_panels.data_preview(data)
    training.live(PAGE, lambda view: rnn_panels.curves(job, view), 0.5, "curves")
    training.live(PAGE, lambda view: rnn_panels.latest(job, view, config), 1.5, "snapshot", heavy=True)
with scrub:
    training.scrubber(PAGE, lambda snap, shots: rnn_panels.snapshot_panel(snap, job, "scrub"))
with theory:
    lab.theory("rnn")
with code:
    training.code_tab(PAGE, config, {
        "The network and one training step (torch.nn's fused RNN / LSTM / GRU)":
            [rnn.SequenceNet, rnn.task_loss, rnn.RNN._batch, rnn.RNN._train_step],
        "Measuring ||dL/dh_t|| through time (the same module, one step at a time)": [rnn_views.grad_through_time],
        "Sampling at a temperature, with top-k": [rnn_views.sample_codes],
    })
