"""A shared link reproduces the page: every built lab's settings and seed survive the URL, exactly."""
import dataclasses
import random

import pytest

from core.config import config_fields, info_of, to_query
from core.families import FAMILIES
from core.presets import build_config, presets_for
from tests.test_pages import open_page

BUILT = list(FAMILIES)


def random_config(config_class, rng: random.Random):
    """Every field at a random allowed value (floats with long mantissas)."""
    changes = {}
    for f in config_fields(config_class):
        info = info_of(f)
        if info.choices:
            changes[f.name] = rng.choice(info.choices)
        elif isinstance(f.default, bool):
            changes[f.name] = rng.random() < 0.5
        elif isinstance(f.default, int):
            changes[f.name] = rng.randint(int(info.min), int(info.max))
        else:
            changes[f.name] = rng.uniform(info.min, info.max)
    return config_class(**changes)


@pytest.mark.parametrize("model", BUILT)
@pytest.mark.parametrize("seed", [0, 1])
def test_a_link_with_every_setting_reproduces_the_page_config(model, seed):
    config_class = FAMILIES[model].config_class()
    config = random_config(config_class, random.Random(seed))
    preset = presets_for(model)[-1].name  # not the page's default: the link must say which
    params = {"preset": preset, **to_query(config, build_config(model, preset))}
    at = open_page(f"app_pages/{model}.py", **params)
    assert not at.exception, at.exception
    shown = at.session_state[f"{model}.config"]
    assert {k: v for k, v in dataclasses.asdict(shown).items()} == dataclasses.asdict(config)
    written = {k: at.query_params[k] for k in params}
    assert written == params  # the URL the page writes back is the one it was given
