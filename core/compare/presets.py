"""The arena's named presets: a task, its data set, and each family's settings.

Kept here, not in core.presets, because an arena preset sets five models at
once. The same names serve the page and `python -m core compare --preset`.
"""
from dataclasses import dataclass, field
from typing import Any

from core.errors import ConfigError


def paragraph(words: str) -> str:
    """A paragraph written over several lines, as the one line the page and the CLI show."""
    return " ".join(words.split())


@dataclass(frozen=True)
class ArenaPreset:
    name: str
    task: str
    dataset: str
    title: str
    notice: str  # the "what to notice" box
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # family -> overrides of its Config


PRESETS = {p.name: p for p in [
    ArenaPreset(
        "arena-points", "points", "ring8", "Five families, one ring of 8 Gaussians",
        paragraph("""
        The mixture families (HMM as a Gaussian mixture, the forest's leaf densities) land on the
        modes and score the best likelihoods; the binned ones (Bayesian network, RNN) pay for their
        bin width; the GAN has no likelihood at all, so judge it by C2ST, MMD and the modes it
        captures.
        """),
        {"gan": {"steps": 1500}, "hmm": {"steps": 60, "n_states": 10}, "bayesnet": {"bins": 24},
         "forest": {"steps": 6}, "rnn": {"steps": 1000}},
    ),
    ArenaPreset(
        "arena-sequences", "sequences", "reber", "Who learns a grammar?",
        paragraph("""
        Embedded Reber strings: the second symbol must come back as the last but one, many steps
        later. A Markov chain of order 2 (the Bayesian network) and a forest with 4 symbols of
        context cannot remember that far; the HMM can only with enough states; the GRU carries it in
        its hidden state. Watch the share of valid strings. The GAN does not play on symbols.
        """),
        {"hmm": {"steps": 40, "n_states": 12}, "bayesnet": {"order": 2}, "forest": {"steps": 4, "context": 4},
         "rnn": {"steps": 400, "batch_size": 64}},
    ),
    ArenaPreset(
        "arena-tabular", "tabular", "asia", "Rows of the asia network",
        paragraph("""
        Samples of pgmpy's asia network: eight yes/no variables. The Bayesian network, the family
        that made the data, scores the best held-out likelihood, with the forest and the RNN a hair
        behind; all three sit in C2ST's chance band or near it. The GAN learns one-hot rows it can
        only round: it piles onto the commonest rows, and has no likelihood. No HMM: a row is not a
        sequence.
        """),
        {"gan": {"steps": 1000, "lr_g": 1e-3, "lr_d": 1e-3, "latent_dim": 8}, "forest": {"steps": 6},
         "rnn": {"steps": 400}, "bayesnet": {"max_moves": 100}},
    ),
    ArenaPreset(
        "arena-digits", "digits", "digits", "Five families draw digits",
        paragraph("""
        8x8 digits, judged on the same dequantised pixels. The RNN writes a digit pixel by pixel and
        earns the best likelihood by far; the forest gives some held-out digits zero density; the
        Chow-Liu tree (Bayesian network) sees only ink or no ink. The GAN has no likelihood, and
        favours a few digits: watch the class KL. With 360 held-out digits, C2ST tells every
        family's samples from real ones.
        """),
        {"gan": {"steps": 1500, "lr_g": 1e-3, "lr_d": 1e-3, "latent_dim": 16}, "hmm": {"steps": 20, "n_states": 20},
         "forest": {"steps": 4}, "rnn": {"steps": 300, "batch_size": 64}},
    ),
]}
DEFAULT = "arena-points"
TASK_PRESET = {p.task: p.name for p in PRESETS.values()}


def get_preset(name: str) -> ArenaPreset:
    if name not in PRESETS:
        raise ConfigError("compare.unknown_preset", name=name, names=", ".join(PRESETS))
    return PRESETS[name]
