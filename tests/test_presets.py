"""Presets: one registry, valid settings, the names the issues fix."""
import dataclasses

import pytest

from core.config import validate
from core.errors import ConfigError
from core.presets import PRESETS, build_config, get_preset, presets_for

GAN_PRESETS = ["ring8-minimax", "ring8-collapse", "ring8-clip", "ring8-fixed", "ring8-wgan-gp", "grid25-fixed",
               "digits-gan", "digits-cgan"]


def test_gan_preset_names_are_exactly_these():
    assert [p.name for p in presets_for("gan")] == GAN_PRESETS


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_builds_a_valid_config(name):
    preset = PRESETS[name]
    config = build_config(preset.model, name)
    validate(config)
    for key, value in preset.settings.items():
        assert getattr(config, key) == value
    assert preset.notice and preset.title


def test_the_wgan_gp_preset_uses_gulrajanis_recipe():
    """Gulrajani et al. 2017, Algorithm 1: n_critic = 5, lambda = 10, Adam with beta1 = 0 and beta2 = 0.9."""
    config = build_config("gan", "ring8-wgan-gp")
    assert (config.loss, config.d_steps, config.gp_weight, config.optimizer) == ("wgan-gp", 5, 10.0, "adam")
    assert (config.beta1, config.beta2) == (0.0, 0.9)


def test_the_clipping_preset_is_the_collapse_preset_with_clipping_only():
    clip, collapse = build_config("gan", "ring8-clip"), build_config("gan", "ring8-collapse")
    assert clip.grad_clip == 1.0 and collapse.grad_clip == 0.0
    assert dataclasses.replace(clip, grad_clip=0.0) == collapse


def test_overrides_apply_on_top_of_a_preset():
    config = build_config("gan", "ring8-fixed", {"steps": "5"})
    assert config.steps == 5 and config.loss == PRESETS["ring8-fixed"].settings["loss"]


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(ConfigError, match="ring8-collapse"):
        get_preset("gan", "nope")
