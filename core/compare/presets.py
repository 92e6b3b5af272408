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
    contamination: dict[str, Any] = field(default_factory=dict)  # Train all's (core.data.contamination): kind, level
    sweep: dict[str, Any] = field(default_factory=dict)  # the robustness sweep's (core.compare.sweep): kind, levels


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
    ArenaPreset(
        "arena-outliers", "points", "ring8", "Which family keeps the 8 modes when a fifth of the rows are junk?",
        paragraph("""
        The ring of 8 again, but 20 % of the training points are replaced by junk spread evenly over
        a box half as wide again as the ring; the held-out points that judge every family are clean.
        A model that copies the junk puts samples off the modes, so the sweep charts the
        high-quality share (samples within 3 sigma of a mode) beside C2ST: one junk-free sample per
        mode is enough to "capture" it, and in our runs every family still touched 7 or 8 modes at
        40 % junk. Run the sweep (0 to 40 %) and watch whose line falls first: a density fitted by
        maximum likelihood (the HMM's mixture, the RNN, the binned network) must put mass on the
        junk, since the junk is data.
        """),
        {"gan": {"steps": 1500}, "hmm": {"steps": 60, "n_states": 10}, "bayesnet": {"bins": 24},
         "forest": {"steps": 6}, "rnn": {"steps": 1000}},
        contamination={"kind": "outliers", "level": 0.2},
        sweep={"kind": "outliers", "levels": "0,0.05,0.1,0.2,0.4"},
    ),
    ArenaPreset(
        "arena-few-rows", "tabular", "asia", "How many rows does each family need?",
        paragraph("""
        The asia network's rows, from 100 to all 5,000 of the training set (the arena's asia task
        trains on 5,000). The Bayesian network learns a structure and a few small tables, a couple
        of dozen parameters, where the forest's leaves and the RNN's weights number thousands: read
        the held-out likelihood and the pairwise TV as the rows shrink. Train all uses 100 rows; the
        sweep runs 100, 500, 2,000 and 5,000. The GAN's one-hot rows stay far off at every size.
        """),
        {"gan": {"steps": 1000, "lr_g": 1e-3, "lr_d": 1e-3, "latent_dim": 8}, "forest": {"steps": 6},
         "rnn": {"steps": 400}, "bayesnet": {"max_moves": 100}},
        contamination={"kind": "rows", "level": 0.02},
        sweep={"kind": "rows", "levels": "0.02,0.1,0.4,1"},
    ),
]}
DEFAULT = "arena-points"
TASK_PRESET = {p.task: p.name for p in PRESETS.values() if not p.contamination}  # a task's plain preset


def get_preset(name: str) -> ArenaPreset:
    if name not in PRESETS:
        raise ConfigError("compare.unknown_preset", name=name, names=", ".join(PRESETS))
    return PRESETS[name]
