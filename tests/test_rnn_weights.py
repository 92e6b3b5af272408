"""RNN weights: a .pt of state_dicts read back with torch.load(weights_only=True) restores the same model.

Nothing a user uploads is unpickled: a file holding a pickled object, a damaged file
and another lab's weights are refused with a message, in either language.
"""
import dataclasses
import io

import numpy as np
import pytest
import torch

from core.errors import DataError
from core.jobs import TrainingJob
from core.models import rnn_views
from core.models.rnn import RNN, RNNConfig, load_data
from core.models.rnn_nets import task_loss
from tests.english_left import english_words

TINY = dict(steps=12, hidden_size=16, embed_size=4, seq_len=12, batch_size=8, log_every=4, snapshot_every=6)
POEM = "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。" * 20


def trained(**changes) -> tuple[RNN, object]:
    config = dataclasses.replace(RNNConfig(**TINY), **changes)
    model, data = RNN(config), load_data(config)
    assert TrainingJob(model, data).run().view().state == "done"
    return model, data


@torch.inference_mode()
def val_losses(model: RNN) -> dict[str, float]:
    """Each cell's loss on the same fixed validation batch."""
    x, y = rnn_views.val_batch(model, 8)
    return {cell: float(task_loss(model.data_.kind, net.eval()(x)[0], y)) for cell, net in model.nets_.items()}


@pytest.mark.parametrize("changes", [
    dict(dataset="reber", cell="lstm", layers=2),
    dict(dataset="recall", compare_cells=True),  # three networks in one file
    dict(dataset="sine", cell="gru", temperature=0.5),
])
def test_weights_round_trip_to_the_same_model(changes):
    model, _ = trained(**changes)
    raw = model.save_weights()
    state = torch.load(io.BytesIO(raw), weights_only=True)  # plain tensors, numbers and strings
    assert state["format"] == RNN.WEIGHTS_FORMAT and RNN.WEIGHTS_SUFFIX == "pt"
    assert set(state["nets"]) == set(model.cells)

    back, data = RNN.from_weights(raw, load_data)
    assert back.config == model.config and back.config.temperature == model.config.temperature
    assert back.step_ == model.step_ == 12 and back.cells == model.cells
    for cell in model.cells:
        for a, b in zip(model.nets_[cell].state_dict().values(), back.nets_[cell].state_dict().values()):
            assert torch.equal(a, b)
    assert val_losses(back) == val_losses(model)
    a, b = model.sample(10), back.sample(10)
    assert a.shape == b.shape and (np.array_equal(a, b) if a.dtype.kind in "UO" else np.allclose(a, b))


def test_a_restored_model_shows_a_snapshot_and_trains_on():
    model, _ = trained(dataset="reber", cell="gru")
    back, data = RNN.from_weights(model.save_weights(), load_data)
    job = TrainingJob.restored(back, data)
    view = job.view()
    assert view.state == "stopped" and view.step == 12 and len(view.snapshots) == 1
    assert "valid_share" in view.snapshots[0].metrics and len(view.snapshots[0].samples) == rnn_views.N_REBER
    more = TrainingJob(back, data, 6, history=job.history, snapshots=job.snapshots).run()
    assert more.view().state == "done" and back.step_ == 18


def test_weights_of_an_uploaded_text_need_that_text():
    config = dataclasses.replace(RNNConfig(**TINY), dataset="upload")
    model, data = RNN(config), load_data(config, POEM.encode())
    assert TrainingJob(model, data).run().view().state == "done"
    raw = model.save_weights()
    back, _ = RNN.from_weights(raw, lambda cfg: load_data(cfg, POEM.encode()))
    assert val_losses(back) == val_losses(model)
    other = "白日依山尽，黄河入海流。欲穷千里目，更上一层楼。" * 20
    with pytest.raises(DataError, match="another text") as refused:
        RNN.from_weights(raw, lambda cfg: load_data(cfg, other.encode()))
    assert english_words(refused.value.say("zh"), "rnn") == []


def gan_weights() -> bytes:
    from core.models.gan import GAN, GANConfig, load_data as gan_data

    config = GANConfig(steps=2, batch_size=16, g_width=8, d_width=8, g_depth=1, d_depth=1, latent_dim=2)
    gan = GAN(config)
    assert TrainingJob(gan, gan_data(config)).run().view().state == "done"
    return gan.save_weights()


def test_damaged_files_other_labs_weights_and_pickles_are_refused():
    model, _ = trained(dataset="reber")
    raw = model.save_weights()
    evil = io.BytesIO()
    torch.save({"format": RNN.WEIGHTS_FORMAT, "obj": object()}, evil)  # a pickled object: refused, never run
    wrong_shape = io.BytesIO()
    state = torch.load(io.BytesIO(raw), weights_only=True)
    state["nets"]["lstm"]["head.weight"] = torch.zeros(3, 3)
    torch.save(state, wrong_shape)
    cases = [(b"not a weights file", "not a GenLab weights file"), (raw[: len(raw) // 2], "not a GenLab weights file"),
             (evil.getvalue(), "not a GenLab weights file"), (gan_weights(), "no GenLab RNN weights"),
             (wrong_shape.getvalue(), "do not fit an RNN")]
    for bad, message in cases:
        with pytest.raises(DataError, match=message) as refused:
            RNN.from_weights(bad, load_data)
        assert english_words(refused.value.say("zh"), "rnn") == [], refused.value.say("zh")


def test_the_page_offers_the_weights_and_draws_a_restored_model():
    """AppTest cannot fill a file uploader: the page gets what its restore callback makes
    (RNN.from_weights, then TrainingJob.restored) and draws it, all in 中文."""
    from tests.apptools import open_lab, train_to_the_end
    from tests.english_left import english_left

    query = {k: str(v) for k, v in TINY.items()}
    at = open_lab("rnn", lang="zh", preset="reber-lstm", **query)
    assert not [b for b in at.get("download_button") if b.label == "下载模型权重"]  # nothing trained yet
    job = train_to_the_end(at, "rnn", label="训练")
    assert not at.exception, at.exception
    assert any(b.label == "下载模型权重" for b in at.get("download_button"))
    assert any(u.label == "从权重文件恢复模型" for u in at.get("file_uploader"))

    back, data = RNN.from_weights(job.model.save_weights(), load_data)
    at.session_state["rnn.job"] = TrainingJob.restored(back, data)
    at.run()
    assert not at.exception, at.exception
    assert any("已从权重文件恢复" in i.value for i in at.info)
    assert any(b.label == "继续训练" for b in at.button)  # the same settings: Continue trains on
    assert english_left(at, "rnn") == []
