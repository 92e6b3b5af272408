"""Settings: parsing, ranges, overrides and the exact URL round trip."""
import dataclasses
import random

import pytest

from core.config import config_fields, from_query, info_of, to_query, with_overrides
from core.errors import ConfigError
from core.models.gan import GANConfig
from tests.test_share import random_config


@pytest.mark.parametrize("seed", range(20))
def test_url_round_trip_is_exact(seed):
    config = random_config(GANConfig, random.Random(seed))
    params = to_query(config)
    assert all(isinstance(v, str) for v in params.values())
    back, problems = from_query(GANConfig(), params)
    assert problems == []
    assert back == config


def test_url_holds_only_changed_settings():
    assert to_query(GANConfig()) == {}
    assert to_query(GANConfig(lr_g=0.00031)) == {"lr_g": "0.00031"}


def test_bad_url_values_are_explained_and_skipped():
    back, problems = from_query(GANConfig(), {"lr_g": "fast", "pack": "99", "loss": "magic", "preset": "x"})
    assert back == GANConfig()
    assert len(problems) == 3
    problems = [str(p) for p in problems]
    assert any("lr_g" in p and "a number" in p for p in problems)
    assert any("pack" in p and "at most" in p for p in problems)


def test_overrides_parse_types():
    config = with_overrides(GANConfig(), {"steps": "7", "spectral_norm": "true", "lr_d": "3e-4", "loss": "hinge"})
    assert (config.steps, config.spectral_norm, config.lr_d, config.loss) == (7, True, 3e-4, "hinge")


@pytest.mark.parametrize("overrides, words", [
    ({"nope": "1"}, "Unknown setting 'nope'"),
    ({"steps": "1.5"}, "must be a whole number"),
    ({"steps": "0"}, "at least"),
    ({"lr_g": "nan"}, "must be a number"),
    ({"spectral_norm": "maybe"}, "must be true or false"),
])
def test_bad_overrides_say_what_is_wrong(overrides, words):
    with pytest.raises(ConfigError, match=words):
        with_overrides(GANConfig(), overrides)


def test_every_field_has_a_label_and_a_range_or_choices():
    for f in config_fields(GANConfig):
        info = info_of(f)
        assert info.label != f.name or info.label
        if isinstance(f.default, (int, float)) and not isinstance(f.default, bool):
            assert info.min is not None and info.max is not None, f.name
        assert dataclasses.is_dataclass(GANConfig)
