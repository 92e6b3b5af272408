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


# -- the errata of the lecture notes (assets/theory/gan.md, "What the notes say / what is true") ------------


def test_the_notes_discriminator_loss_has_one_term_twice_and_pushes_d_fake_up():
    """BCE(0, 1 - d) = BCE(1, d): the notes' d_loss is -2 log D(G(z)); the lab's gives fakes target 0."""
    import torch.nn.functional as F

    logits = torch.tensor([-2.0, -0.3, 0.4, 3.0], requires_grad=True)  # D's logits on a generated batch
    d = torch.sigmoid(logits)
    ones, zeros = torch.ones_like(d), torch.zeros_like(d)
    torch.testing.assert_close(F.binary_cross_entropy(1 - d, zeros), F.binary_cross_entropy(d, ones))
    notes = F.binary_cross_entropy(d, ones) + F.binary_cross_entropy(1 - d, zeros)
    torch.testing.assert_close(notes, -2 * torch.log(d).mean())
    (g_notes,) = torch.autograd.grad(notes, logits)
    assert (g_notes < 0).all()  # descending it raises every D(fake): D learns to call fakes real
    real = torch.tensor([1.5, -0.5, 0.2, 2.0])
    right = F.binary_cross_entropy_with_logits(real, torch.ones(4)) + \
        F.binary_cross_entropy_with_logits(logits, torch.zeros(4))
    torch.testing.assert_close(d_loss("non-saturating", real, logits), right)  # the lab's loss is the right one
    (g_right,) = torch.autograd.grad(d_loss("non-saturating", real, logits), logits)
    assert (g_right > 0).all()  # descending it lowers every D(fake)


def test_the_optimiser_is_adam_by_default_and_plain_sgd_on_request(ring, tiny_gan_config):
    adam = GAN(tiny_gan_config(beta1=0.0, beta2=0.9))
    train(adam, ring, 5)
    assert isinstance(adam.opt_g_, torch.optim.Adam) and adam.opt_d_.param_groups[0]["betas"] == (0.0, 0.9)
    sgd = GAN(tiny_gan_config(optimizer="sgd", lr_g=0.01, lr_d=0.02))
    train(sgd, ring, 1)
    before = [p.detach().clone() for p in sgd.G_.parameters()]
    train(sgd, ring, 5)
    assert isinstance(sgd.opt_g_, torch.optim.SGD) and isinstance(sgd.opt_d_, torch.optim.SGD)
    assert any(not torch.equal(a, b) for a, b in zip(before, sgd.G_.parameters()))
    assert sgd.opt_d_.param_groups[0]["lr"] == 0.02 and sgd.opt_d_.param_groups[0]["momentum"] == 0
    assert np.isfinite(sgd.sample(100)).all()


def test_d_steps_are_critic_updates_per_generator_step(ring, tiny_gan_config):
    """Algorithm 1's k (Gulrajani's n_critic): D's optimiser steps k times for each of G's."""
    model = GAN(tiny_gan_config(loss="wgan-gp", d_steps=5))
    train(model, ring, 4)
    steps = [next(iter(opt.state.values()))["step"].item() for opt in (model.opt_g_, model.opt_d_)]
    assert steps == [4, 20]


def sectors(samples: np.ndarray, means: np.ndarray, share: float = 0.05) -> int:
    """How many modes are the nearest mean of at least `share` of the samples: 1 or 2 for a clump, 8 spread."""
    from scipy.spatial.distance import cdist

    counts = np.bincount(cdist(samples, means).argmin(axis=1), minlength=len(means))
    return int((counts >= share * len(samples)).sum())


def preset_run(name: str, **changes):
    from core.presets import build_config

    config = build_config("gan", name, {k: str(v) for k, v in changes.items()})
    data = load_data(config)
    events = train(GAN(config), data)
    return events, events[-1].snapshot, data


def test_gradient_clipping_does_not_cure_the_collapsing_ring():
    """ring8-clip's claim, on a tiny budget (300 of its 1,500 steps): clipped, the samples stay in at most
    3 clumps with little recall at seeds 0-4, though the clip bites; ring8-fixed, at the same budget,
    already spreads over all 8 modes. (Its notice's numbers were measured at the full budget.)"""
    for seed in range(5):
        events, snap, data = preset_run("ring8-clip", steps=300, snapshot_every=300, seed=seed)
        biggest = max(max(e.losses["grad norm G"], e.losses["grad norm D"]) for e in events[1:])
        assert biggest > 1.0, (seed, biggest)  # reported before clipping: the clip at 1 did cut these
        assert sectors(snap.samples, data.means) <= 3, seed
        assert snap.metrics["recall"] < 0.3 and snap.metrics["coverage"] < 0.15, (seed, snap.metrics)
    _, cured, data = preset_run("ring8-fixed", steps=300, snapshot_every=300, seed=0)
    assert sectors(cured.samples, data.means) == 8 and cured.metrics["recall"] > 0.8, cured.metrics
    assert cured.metrics["coverage"] > 0.25, cured.metrics


def test_points_snapshots_score_precision_recall_density_and_coverage(ring, tiny_gan_config):
    from core.models import gan_views

    model = GAN(tiny_gan_config())
    snap = train(model, ring)[-1].snapshot
    for key in ("precision", "recall", "density", "coverage"):
        assert isinstance(snap.metrics[key], float) and snap.metrics[key] >= 0, key
    real = gan_views.real_reference(model)
    perfect = gan_views.knn_scores(real, ring.x[-2500:].astype(float))  # real against real: about 1 each
    assert perfect["coverage"] > 0.9 and 0.8 < perfect["density"] < 1.2 and perfect["precision"] > 0.9
    tests = gan_views.two_sample_tests(model, snap.samples)
    assert {"c2st", "c2st_p", "mmd", "mmd_p", "c2st_low", "c2st_high"} <= set(tests)
    assert tests["c2st"] > tests["c2st_high"] and tests["c2st_p"] < 0.001  # 20 steps: told apart at once
    assert tests["mmd_p"] == pytest.approx(1 / 101)


@pytest.mark.slow
def test_ring8_fixed_recipe_covers_every_mode_evenly_and_sharply():
    """ring8-fixed's claim at its full budget (2,500 steps of 512 samples, 10-20 s on a 2-core machine) at seed 0:
    all 8 modes, over 90 % of the samples within 3 sigma of a mode (measured: 0.93 here, 0.91-0.96 over seeds
    0-19), filled evenly (reverse KL measured 0.01 here, at most 0.07 over seeds 0-19); and the samples sharpen
    once the learning rates start to decay half-way (the notice says to watch for it)."""
    events, snap, data = preset_run("ring8-fixed", seed=0)
    m = snap.metrics
    assert m["modes"] == 8 and sectors(snap.samples, data.means) == 8, m
    assert m["hq"] > 0.9 and m["rkl"] < 0.1, m
    half_way = next(e.snapshot for e in events if e.snapshot is not None and e.step == 1250)
    assert m["hq"] > half_way.metrics["hq"] + 0.1, (half_way.metrics, m)


def test_ring8_collapse_ends_collapsed():
    """ring8-collapse's claim at its full budget (1,500 steps, a few seconds) at seed 0: it ends collapsed (at
    most 3 modes captured, or a reverse KL of 1 or more: measured on 19 of seeds 0-19), nearly every sample
    away from the modes (measured: none within 3 sigma here; about 1 % or fewer on the collapsed seeds)."""
    _, snap, data = preset_run("ring8-collapse", seed=0)
    m = snap.metrics
    assert m["modes"] <= 3 or m["rkl"] >= 1.0, m
    assert m["hq"] < 0.1 and m["coverage"] < 0.2, m


@pytest.mark.slow
def test_ring8_clip_ends_collapsed_at_its_full_budget():
    """ring8-clip's figures at its full budget (1,500 steps) on one of the four seeds of 0-4 where its notice
    says the samples sit in clumps to the end: coverage at most 0.10 and at most 1 % within 3 sigma of a mode,
    though the clip bites."""
    events, snap, _ = preset_run("ring8-clip", seed=1)
    assert max(max(e.losses["grad norm G"], e.losses["grad norm D"]) for e in events[1:]) > 1.0
    m = snap.metrics
    assert m["coverage"] <= 0.10 and m["hq"] <= 0.01, m
