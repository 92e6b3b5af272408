"""The GAN under the protocol: every loss trains, samples have the right shape, seeds repeat."""
import math

import numpy as np
import pytest
import torch

from core.data.digits import digits
from core.errors import ConfigError, TrainingDiverged
from core.models.gan import GAN, LOSSES, d_loss, g_loss, load_data
from core.protocol import NoLikelihood, Progress


def train(model, data, steps=None):
    return list(model.fit(data, steps))


@pytest.mark.parametrize("loss", LOSSES)
def test_each_loss_trains_without_nan(loss, ring, tiny_gan_config):
    model = GAN(tiny_gan_config(loss=loss))
    events = train(model, ring)
    assert all(isinstance(e, Progress) for e in events)
    for e in events[1:]:
        assert all(math.isfinite(v) for v in e.losses.values()), e.losses
    assert model.step_ == 20
    assert np.isfinite(model.sample(100)).all()


def test_events_report_every_log_step_and_snapshot_at_the_end(ring, tiny_gan_config):
    events = train(GAN(tiny_gan_config()), ring)
    assert [e.step for e in events] == [0, 5, 10, 15, 20]
    assert [e.snapshot is not None for e in events] == [True, False, True, False, True]
    last = events[-1].snapshot
    assert last.samples.shape == (2500, 2)
    assert {"modes", "hq", "rkl"} <= set(last.metrics)
    assert last.views["heat"]["z"].shape == (40, 40)
    assert last.views["arrows"]["push"].shape == last.views["arrows"]["x"].shape


def test_fit_continues_where_it_stopped(ring, tiny_gan_config):
    model = GAN(tiny_gan_config())
    train(model, ring, 10)
    events = train(model, ring, 10)
    assert model.step_ == 20 and events[-1].total == 20 and events[0].step == 15


def test_same_seed_same_samples(ring, tiny_gan_config):
    a, b = GAN(tiny_gan_config(seed=3)), GAN(tiny_gan_config(seed=3))
    train(a, ring), train(b, ring)
    torch.testing.assert_close(a.G_[0].weight, b.G_[0].weight)
    other = GAN(tiny_gan_config(seed=4))
    train(other, ring)
    assert not torch.equal(a.G_[0].weight, other.G_[0].weight)


@pytest.mark.parametrize("changes", [dict(pack=4), dict(spectral_norm=True), dict(ema=0.9),
                                     dict(grad_clip=1.0), dict(d_steps=3), dict(conditional=True)])
def test_stabilisers_train(changes, ring, tiny_gan_config):
    model = GAN(tiny_gan_config(**changes))
    events = train(model, ring)
    assert np.isfinite(events[-1].snapshot.samples).all()


def test_digits_and_conditional_digits(tiny_gan_config):
    data = digits()
    model = GAN(tiny_gan_config(dataset="digits", conditional=True, steps=10, snapshot_every=10))
    last = train(model, data)[-1].snapshot
    assert last.samples.shape == (1000, 64)
    assert last.samples.min() >= -1 and last.samples.max() <= 1
    assert {"classes_covered", "class_kl", "classifier_accuracy"} <= set(last.metrics)
    assert last.views["interpolation"].shape == (10, 64)
    fives = model.sample(4, labels=np.full(4, 5))
    assert fives.shape == (4, 64)


def test_a_gan_has_no_likelihood(ring, tiny_gan_config):
    model = GAN(tiny_gan_config())
    with pytest.raises(NoLikelihood, match="implicit"):
        model.log_likelihood(ring.x)


def test_divergence_stops_with_a_message_and_keeps_the_last_good_state(ring, tiny_gan_config):
    model = GAN(tiny_gan_config(loss="least-squares", lr_g=1.0, lr_d=1.0, beta1=0.9, steps=200,
                                 g_width=128, d_width=128, g_depth=3, d_depth=3, batch_size=256))
    with pytest.raises(TrainingDiverged, match="diverged") as info:
        train(model, ring)
    assert model.step_ < info.value.step
    assert np.isfinite(model.sample(50)).all()
    assert all(torch.isfinite(p).all() for p in model.G_.parameters())


def test_impossible_settings_are_explained(ring, tiny_gan_config):
    from core.data.points import spiral

    with pytest.raises(ConfigError, match="labels"):
        train(GAN(tiny_gan_config(conditional=True)), spiral(n=500))
    with pytest.raises(ConfigError, match="multiple"):
        train(GAN(tiny_gan_config(batch_size=64, pack=3)), ring)


def test_loss_formulas_on_known_logits():
    """The forms of the Theory tab: D targets real=1 and fake=0; minimax saturates, NS does not."""
    real, fake = torch.tensor([10.0]), torch.tensor([-10.0])
    assert d_loss("minimax", real, fake) < 1e-3  # a perfect D has ~0 loss
    logit = torch.tensor([-5.0], requires_grad=True)  # D confidently rejects the fake
    (g_mm,) = torch.autograd.grad(g_loss("minimax", logit), logit)
    (g_ns,) = torch.autograd.grad(g_loss("non-saturating", logit), logit)
    assert abs(g_mm.item()) < 0.01 < 0.99 < abs(g_ns.item())
    assert g_ns.item() < 0  # descending the NS loss raises D(G(z))


@pytest.mark.parametrize("name", ["ring8", "grid25", "spiral", "moons", "digits"])
def test_every_dataset_loads(name, tiny_gan_config):
    data = load_data(tiny_gan_config(dataset=name))
    assert data.x.dtype == np.float32 and np.isfinite(data.x).all()


@pytest.mark.parametrize("clip", [0.0, 0.05])
def test_gradient_norms_are_reported_before_clipping(clip, ring, tiny_gan_config):
    events = train(GAN(tiny_gan_config(grad_clip=clip, d_steps=2)), ring)
    for e in events[1:]:
        assert e.losses["grad norm G"] > 0 and e.losses["grad norm D"] > 0
    if clip:  # the reported norm is the one before clipping: it may exceed the threshold
        assert max(e.losses["grad norm D"] for e in events[1:]) > clip


def test_weights_round_trip_without_unpickling_and_refuse_other_files(ring, tiny_gan_config):
    import io

    import torch

    from core.errors import DataError
    from core.jobs import TrainingJob

    model = GAN(tiny_gan_config(ema=0.9))
    assert TrainingJob(model, ring).run().view().state == "done"
    raw = model.save_weights()
    assert torch.load(io.BytesIO(raw), weights_only=True)["format"] == GAN.WEIGHTS_FORMAT
    back, data = GAN.from_weights(raw, lambda cfg: ring)
    assert back.step_ == model.step_ and back.config == model.config
    for a, b in zip(model.G_.state_dict().values(), back.G_.state_dict().values()):
        assert torch.equal(a, b)
    assert back.sample(5).shape == (5, 2)
    torch.manual_seed(0)
    z = torch.randn(4, model.config.latent_dim)
    with torch.inference_mode():
        assert torch.allclose(model.G_ema_(z), back.G_ema_(z))
    evil = io.BytesIO()
    torch.save({"format": GAN.WEIGHTS_FORMAT, "obj": object()}, evil)  # a pickled object: refused, not run
    for bad in (b"not a file", evil.getvalue(), raw[: len(raw) // 2]):
        with pytest.raises(DataError):
            GAN.from_weights(bad, lambda cfg: ring)
