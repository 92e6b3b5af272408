"""RNN lab: train a vanilla RNN, an LSTM and a GRU live, and watch the gradient vanish through time."""
from core.models import rnn, rnn_nets, rnn_views
from ui import lab, rnn_panels, training
from ui.i18n import t

PAGE = "rnn"
config, data, job = lab.top(PAGE, "vanishing-gradients", rnn.load_data, rnn.RNN)
live, scrub, theory, code = lab.tabs(PAGE, "live", "snapshots", "theory", "code")
if live.shown:
    with live:
        lab.live(PAGE, rnn_panels, data, job, curves_every=training.curve_seconds())
if scrub.shown:
    with scrub:
        lab.snapshots(PAGE, rnn_panels, job)
if theory.shown:
    with theory:
        lab.theory(PAGE)
if code.shown:
    with code:
        training.code_tab(PAGE, config, {
            t("rnn.code.network"): [rnn_nets.SequenceNet, rnn_nets.task_loss, rnn.RNN._batch, rnn.RNN._train_step],
            t("rnn.code.probe"): [rnn_views.grad_through_time],
            t("rnn.code.sampling"): [rnn_views.sample_codes],
        })
