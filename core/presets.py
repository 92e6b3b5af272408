"""Named classroom presets: the same names in the pages, the CLI and the tests.

A preset is a model, a sentence on what to notice, and the settings that
differ from the model's Config defaults. Values are real Python values, so a
preset can never hold a setting the Config would refuse (a test checks this).
"""
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from core.config import validate, with_overrides
from core.errors import ConfigError
from core.models import get_spec


@dataclass(frozen=True)
class Preset:
    name: str
    model: str
    title: str
    notice: str  # the "what to notice" box
    settings: dict[str, Any] = field(default_factory=dict)


_GAN = [
    Preset(
        "ring8-minimax", "gan", "The saturating loss the notes print",
        "G minimises log(1 - D(G(z))). Early on D rejects every fake, D(fake) sits near 0 and "
        "G's gradient all but vanishes: the loss barely moves and the samples crawl or stall.",
        {"dataset": "ring8", "loss": "minimax", "steps": 1500, "lr_g": 1e-3, "lr_d": 1e-3},
    ),
    Preset(
        "ring8-collapse", "gan", "Watch a GAN collapse",
        "A plain GAN with a strong discriminator: the generator piles its samples onto a few of "
        "the 8 modes and hops between them. Watch the modes x step heat map.",
        {"dataset": "ring8", "loss": "non-saturating", "steps": 1500, "lr_g": 1e-3, "lr_d": 1e-3,
         "latent_dim": 2},
    ),
    Preset(
        "ring8-fixed", "gan", "Fix it: every mode, sharp samples",
        "The same ring, with the stabilisers that fix collapse. All 8 modes are found and the "
        "samples sit tightly on them.",
        {"dataset": "ring8", "loss": "wgan-gp", "steps": 2000, "lr_g": 1e-3, "lr_d": 1e-3,
         "pack": 4, "ema": 0.999},
    ),
    Preset(
        "grid25-fixed", "gan", "25 modes on a grid",
        "A harder test of coverage: 25 modes. Count the captured modes and the high-quality share.",
        {"dataset": "grid25", "loss": "wgan-gp", "steps": 3000, "lr_g": 1e-3, "lr_d": 1e-3,
         "pack": 4, "ema": 0.999},
    ),
    Preset(
        "digits-gan", "gan", "A GAN draws digits",
        "8x8 handwritten digits. A reference classifier counts which digits the GAN draws: "
        "are all ten there, equally often?",
        {"dataset": "digits", "loss": "non-saturating", "steps": 3000, "lr_g": 2e-4, "lr_d": 2e-4,
         "latent_dim": 32, "g_width": 256, "d_width": 256},
    ),
    Preset(
        "digits-cgan", "gan", "A conditional GAN draws the digit you ask for",
        "The label goes into G and D, so every class is drawn by construction. Compare the class "
        "histogram with the unconditional GAN's.",
        {"dataset": "digits", "loss": "non-saturating", "steps": 3000, "lr_g": 2e-4, "lr_d": 2e-4,
         "latent_dim": 32, "g_width": 256, "d_width": 256, "conditional": True},
    ),
]

PRESETS: dict[str, Preset] = {p.name: p for p in _GAN}


def presets_for(model: str) -> list[Preset]:
    return [p for p in PRESETS.values() if p.model == model]


def get_preset(model: str, name: str) -> Preset:
    preset = PRESETS.get(name)
    if preset is None or preset.model != model:
        names = ", ".join(p.name for p in presets_for(model)) or "none"
        raise ConfigError(f"Unknown preset '{name}' for {model}. Presets: {names}.")
    return preset


def build_config(model: str, preset: str | None = None, overrides: dict[str, str] | None = None):
    """Config defaults, then the preset's settings, then text overrides (CLI --set, URL)."""
    config = get_spec(model).config_class()()
    if preset:
        config = dataclasses.replace(config, **get_preset(model, preset).settings)
    config = with_overrides(config, overrides or {})
    validate(config)
    return config
