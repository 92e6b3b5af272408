"""The one contamination each lab page has (the GAN's and the adversarial forest's outliers, the HMM's and the
RNN's symbol noise, the BN's missing cells):
off by default, so every preset loads exactly the data it did; on, the share asked, the same for a seed, and
what the lab is judged on (true modes, true states, held-out rows) left alone. Same code as Compare's."""
import dataclasses

import numpy as np
import pytest

from core.errors import ConfigError
from core.families import FAMILIES
from core.presets import PRESETS, build_config


@pytest.mark.parametrize("family, field", [("gan", "outliers"), ("hmm", "symbol_noise"), ("bayesnet", "missing"),
                                           ("forest", "outliers"), ("rnn", "symbol_noise")])
def test_off_by_default_in_every_preset(family, field):
    for name, preset in PRESETS.items():
        if preset.model == family:
            assert getattr(build_config(family, name), field) == 0, name


def test_gan_outliers_replace_the_share_of_training_points_and_keep_the_true_modes():
    spec = FAMILIES["gan"]
    config = build_config("gan", "ring8-collapse")
    clean = spec.load_data(config)
    dirty = spec.load_data(dataclasses.replace(config, outliers=0.3))
    moved = (dirty.x != clean.x).any(axis=1)
    assert moved.sum() == round(0.3 * len(clean.x)) and dirty.x.dtype == clean.x.dtype
    assert np.array_equal(dirty.means, clean.means) and dirty.sigma == clean.sigma
    assert np.array_equal(spec.load_data(dataclasses.replace(config, outliers=0.3)).x, dirty.x)
    assert "30% of the training rows" in str(dirty.notes[-1])
    images = spec.load_data(dataclasses.replace(config, dataset="digits", outliers=0.1))
    assert images.x.min() >= -1 and images.x.max() <= 1


def test_hmm_symbol_noise_changes_the_observations_not_the_hidden_states():
    spec = FAMILIES["hmm"]
    config = spec.config_class()()  # the casino
    clean = spec.load_data(config)
    dirty = spec.load_data(dataclasses.replace(config, symbol_noise=0.2))
    assert (dirty.codes != clean.codes).sum() == round(0.2 * len(clean.codes))
    assert np.array_equal(dirty.states, clean.states)
    assert np.array_equal(dirty.values, dirty.codes + 1.0)  # a die's faces follow its symbols
    with pytest.raises(ConfigError, match="real numbers"):
        spec.load_data(dataclasses.replace(config, dataset="regimes", symbol_noise=0.2))


def test_bn_missing_cells_drop_training_rows_and_keep_the_held_out_ones():
    spec = FAMILIES["bayesnet"]
    config = dataclasses.replace(spec.config_class()(), n_rows=2000)
    clean = spec.load_data(config)
    dirty = spec.load_data(dataclasses.replace(config, missing=0.1))
    assert np.array_equal(dirty.heldout, clean.heldout)
    assert 0.3 < len(dirty.codes) / len(clean.codes) < 0.6  # asia's 8 columns: about 0.9^8 = 43 % stay complete
    assert {tuple(r) for r in dirty.codes} <= {tuple(r) for r in clean.codes}
    assert "rows left" in str(dirty.notes[-1])


def test_forest_outliers_replace_training_rows_after_the_split_and_leave_the_held_out_rows():
    spec = FAMILIES["forest"]
    config = build_config("forest", "ring8-arf")
    clean, dirty = spec.model_class()(config), spec.model_class()(dataclasses.replace(config, outliers=0.2))
    clean._begin(spec.load_data(config))
    dirty._begin(spec.load_data(dirty.config))
    assert np.array_equal(dirty.x_test_, clean.x_test_)
    assert (dirty.x_train_ != clean.x_train_).any(axis=1).sum() == round(0.2 * len(clean.x_train_))
    assert "20% of the training rows" in str(spec.load_data(dirty.config).notes[-1])
    classifier = dataclasses.replace(build_config("forest", "moons-classifier"), outliers=0.2)
    assert not spec.load_data(classifier).notes  # a generator's setting: the classifier's rows are as they were
    mixed = dataclasses.replace(config, outliers=0.2, dataset="customers")
    with pytest.raises(ConfigError, match="categorical"):
        spec.model_class()(mixed).check(spec.load_data(mixed))


def test_rnn_symbol_noise_changes_the_training_text_not_the_validation_text():
    spec = FAMILIES["rnn"]
    config = build_config("rnn", "reber-lstm")
    clean = spec.load_data(config)
    dirty = spec.load_data(dataclasses.replace(config, symbol_noise=0.1))
    assert (dirty.train != clean.train).sum() == round(0.1 * len(clean.train))
    assert np.array_equal(dirty.val, clean.val) and np.array_equal(dirty.starts, clean.starts)
    assert np.array_equal(spec.load_data(dataclasses.replace(config, symbol_noise=0.1)).train, dirty.train)
    assert "10% of the training symbols" in str(dirty.notes[-1])
    with pytest.raises(ConfigError, match="not a text"):
        spec.load_data(dataclasses.replace(build_config("rnn", "sine-lstm"), symbol_noise=0.1))
