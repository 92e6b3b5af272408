"""Presets: one registry, valid settings, the names the issues fix."""
import pytest

from core.config import validate
from core.errors import ConfigError
from core.presets import PRESETS, build_config, get_preset, presets_for

GAN_PRESETS = ["ring8-minimax", "ring8-collapse", "ring8-fixed", "grid25-fixed", "digits-gan", "digits-cgan"]


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


def test_overrides_apply_on_top_of_a_preset():
    config = build_config("gan", "ring8-fixed", {"steps": "5"})
    assert config.steps == 5 and config.loss == PRESETS["ring8-fixed"].settings["loss"]


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(ConfigError, match="ring8-collapse"):
        get_preset("gan", "nope")
