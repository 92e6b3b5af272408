"""The RNN lab's core: task data, training each cell, the gradient probe, sampling, bad input."""
import dataclasses
import math

import numpy as np
import pytest
import torch

from core.data import rnn_tasks
from core.errors import ConfigError, DataError, TrainingDiverged
from core.models import rnn_views
from core.models.rnn import RNN, RNNConfig, load_data
from core.protocol import NoLikelihood

TINY = dict(steps=12, hidden_size=16, embed_size=4, seq_len=12, batch_size=8, log_every=4, snapshot_every=6)


def tiny(**changes) -> RNNConfig:
    return dataclasses.replace(RNNConfig(**TINY), **changes)


def train(config: RNNConfig, data=None):
    model, data = RNN(config), data if data is not None else load_data(config)
    model.check(data)
    events = list(model.fit(data))
    return model, data, events


# -- data ----------------------------------------------------------------------------
def test_reber_generator_makes_only_valid_strings_and_the_check_rejects_corruptions():
    strings = rnn_tasks.reber_strings(500, seed=3)
    assert all(rnn_tasks.is_embedded_reber(s) for s in strings)
    assert {s[1] for s in strings} == {"T", "P"}
    rng = np.random.default_rng(0)
    for s in strings[:100]:
        i = int(rng.integers(len(s)))
        corrupt = s[:i] + next(c for c in "BTPSXVE" if c != s[i]) + s[i + 1 :]
        assert not rnn_tasks.is_embedded_reber(corrupt), corrupt
    swapped = strings[0][:-2] + ("P" if strings[0][1] == "T" else "T") + "E"
    assert not rnn_tasks.is_embedded_reber(swapped)  # the long-range rule alone
    assert not rnn_tasks.is_embedded_reber(strings[0][:-1])  # unfinished


def test_reber_windows_start_at_an_outer_b():
    task = rnn_tasks.reber_task(n_train=200, seed=0)
    text = task.decode(task.train)
    assert all(text[s] == "B" and (s == 0 or text[s - 1] == "E") for s in task.starts)
    assert len(task.starts) == 200


def test_stdlib_corpus_is_deterministic_and_a_few_hundred_kb():
    text = rnn_tasks.stdlib_corpus()
    assert 50_000 < len(text) < 400_000
    assert text == rnn_tasks.stdlib_corpus.__wrapped__()
    task = rnn_tasks.text_task(text)
    assert task.decode(task.train[:50]) == text[:50] and len(task.val) > 0


def test_series_and_recall_tasks():
    sine = rnn_tasks.sine_series(1000, noise=0.0)
    assert np.allclose(sine[:25], sine[25:50], atol=1e-4)  # period 25
    regimes = rnn_tasks.regime_series(2000, seed=1)
    assert np.abs(regimes).max() < 1.5 and regimes.dtype == np.float32
    x, y = rnn_tasks.recall_batch(100, 20, seed=0)
    assert x.shape == (100, 20) and np.array_equal(x[:, 0], y)
    assert (x[:, 1:] >= len(rnn_tasks.RECALL_SIGNALS)).all()  # only noise after the signal


@pytest.mark.parametrize("raw, message", [
    (b"", "empty"), (b"  \n ", "empty"), (b"abc\x00\x01def" * 20, "binary"), (b"\xff\xfe\xfa" * 50, "UTF-8"),
    ("".join(chr(0x4E00 + i) for i in range(3000)).encode(), "3,000 different characters"),
    (b"a" * 300, "repeated"), (b"hello", "at least 100"),
])
def test_bad_uploads_get_a_clear_message(raw, message):
    with pytest.raises(DataError, match=message):
        rnn_tasks.uploaded_text(raw)


def test_a_chinese_upload_trains_and_a_short_one_is_refused():
    text = "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。" * 20
    config = tiny(dataset="upload")
    data = load_data(config, text.encode())
    assert "春" in data.symbols
    model, _, events = train(config, data)
    assert events[-1].step == 12
    with pytest.raises(ConfigError, match="Sequence length' to 30 or less"):
        load_data(tiny(dataset="upload", seq_len=200), "短文本，不够长。".encode() * 38)  # 304 characters
    with pytest.raises(DataError, match="at least 100"):
        load_data(config, "短文本，不够长。".encode() * 5)
    with pytest.raises(ConfigError, match="no file"):
        load_data(config, None)


# -- training ----------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_each_cell_trains_on_text_without_nan(cell):
    model, data, events = train(tiny(cell=cell, dataset="reber", layers=2, dropout=0.1))
    losses = [e.losses["train loss"] for e in events if e.losses]
    assert losses and all(math.isfinite(v) for v in losses)
    snap = events[-1].snapshot
    assert len(snap.samples) == rnn_views.N_REBER and 0 <= snap.metrics["valid_share"] <= 1
    assert math.isfinite(snap.metrics["perplexity"]) and snap.metrics["perplexity"] > 1
    assert all(s.startswith("B") for s in snap.samples)
    assert snap.views["heat"][cell]["h"].shape == (16, 12)


def test_compare_cells_trains_three_networks_with_their_own_series():
    model, _, events = train(tiny(dataset="recall", compare_cells=True))
    assert set(model.nets_) == {"rnn", "lstm", "gru"}
    assert all(model.nets_[a] is not model.nets_[b] for a, b in [("rnn", "lstm"), ("lstm", "gru")])
    metrics = events[-1].snapshot.metrics
    for cell in ("rnn", "lstm", "gru"):
        assert {f"accuracy_{cell}", f"grad_ratio_{cell}", f"val_loss_{cell}"} <= set(metrics)
        assert f"train loss ({cell})" in events[-1].losses
    assert "c" in events[-1].snapshot.views["grad"]["lstm"] and "c" not in events[-1].snapshot.views["grad"]["gru"]


def test_fit_continues_where_it_stopped():
    config = tiny(dataset="sine")
    model, data = RNN(config), load_data(config)
    list(model.fit(data, steps=5))
    events = list(model.fit(data, steps=7))
    assert model.step_ == 12 and events[-1].step == 12 and events[0].step > 5


def test_the_probe_matches_the_derivative_through_the_unrolled_network():
    """||dL/dh_t|| from the probe equals autograd on a hand-unrolled tanh RNN with the same weights."""
    config = tiny(dataset="recall", cell="rnn", seq_len=6)
    model, _, _ = train(config)
    net = model.nets_["rnn"].eval()
    x, y = rnn_views.val_batch(model, rnn_views.N_PROBE)
    w_ih, w_hh, b = net.rnn.weight_ih_l0, net.rnn.weight_hh_l0, net.rnn.bias_ih_l0 + net.rnn.bias_hh_l0
    h, hs = torch.zeros(len(x), config.hidden_size), []
    for t in range(x.shape[1]):
        h = torch.tanh(net.embed(x[:, t]) @ w_ih.T + h @ w_hh.T + b)
        hs.append(h)
    loss = torch.nn.functional.cross_entropy(net.head(h), y, reduction="sum")
    expected = [g.norm(dim=-1).mean().item() for g in torch.autograd.grad(loss, hs)]
    assert np.allclose(rnn_views.grad_through_time(model, "rnn")["h"], expected, rtol=1e-4)


def test_sampling_temperature_and_top_k_change_samples_without_training():
    model, data, _ = train(tiny(dataset="reber", steps=60, lr=0.03))
    step = model.step_
    cold = model.sample(50, temperature=0.05)
    hot = model.sample(50, temperature=3.0)
    assert model.step_ == step
    assert len(set(cold)) < len(set(hot))
    greedy = model.sample(20, temperature=1.0, top_k=1)
    assert len(set(greedy)) == 1  # top-1 is greedy: every draw is the same string
    text = model.samples_text(cold)
    assert text.splitlines() == list(cold) and set("".join(cold)) <= set("BTPSXVE")


def test_log_likelihood_for_symbols_and_a_clear_no_for_a_wave():
    model, data, _ = train(tiny(dataset="reber"))
    ll = model.log_likelihood(data.val[:40])
    assert ll < 0 and math.isfinite(ll)
    wave, _, _ = train(tiny(dataset="sine", steps=2))
    with pytest.raises(NoLikelihood):
        wave.log_likelihood(np.zeros(5))
    assert wave.sample(30).shape == (30, 1)


def test_divergence_restores_the_last_good_state():
    config = tiny(dataset="sine", lr=1.0, optimizer="sgd", clip=False, steps=200, hidden_size=64)
    model, data = RNN(config), load_data(config)
    with pytest.raises(TrainingDiverged, match="learning rate"):
        list(model.fit(data))
    assert all(torch.isfinite(p).all() for p in model.nets_["lstm"].parameters())
