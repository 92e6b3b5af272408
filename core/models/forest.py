"""The random forest lab: one forest, three honest roles.

A random forest (Breiman, 2001) is a classifier: many deep trees, each grown on
a bootstrap sample with a random subset of features tried at each split, voting.
It is not a generative model. This lab shows the three things it can do:

- classifier: the forest as it is. `fit` adds trees a few at a time
  (scikit-learn's `warm_start`) and reports the out-of-bag error after each
  batch, so the curve of error against trees grows live.
- generator: the adversarial random forest (core.models.arf): rounds of "tell
  real from synthetic", then sampling (FORGE) and a density (FORDE).
- judge: the classifier two-sample test (core.metrics.c2st_accuracy) on real
  data against more real data, and against a shifted copy.

All three follow the GenLab protocol through one `Forest` and one
`ForestConfig`, whose `role` field picks the job.
"""
import io
import warnings
from dataclasses import dataclass, replace
from typing import Iterator

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from core import metrics
from core.config import param, seed_param
from core.data import tables
from core.data.contamination import with_outliers
from core.data.tables import Table
from core.errors import ConfigError
from core.i18n import Words
from core.models import forest_views
from core.models.arf import AdversarialForest
from core.models.base import Lab
from core.protocol import NoLikelihood, Progress, Snapshot

ROLES = ("classifier", "generator", "judge")
DATASETS = ("moons", "circles", "xor", "ring8", "customers", "digits", "upload")


@dataclass
class ForestConfig:
    role: str = param("classifier", "Role", choices=ROLES,
                      help="classifier: the forest as it is; generator: the adversarial random forest; "
                           "judge: the classifier two-sample test")
    dataset: str = param("moons", "Data", choices=DATASETS,
                         help="upload: a CSV; for the classifier with a 'label' column (else the last column)")
    n_samples: int = param(2000, "Rows generated", min=50, max=20_000, step=500,
                           help="rows of the generated data sets (digits and uploads keep their own)")
    noise: float = param(0.2, "Noise", min=0.0, max=1.0, step=0.05,
                         help="moons and circles: spread of the points; XOR and customers: share of labels "
                              "made random")
    steps: int = param(200, "Steps: trees (classifier) or rounds at most (generator)", min=1, max=2000, step=50,
                       help="the classifier grows this many trees, a batch at a time; the adversarial forest "
                            "stops after this many rounds at most; the judge always takes 2 steps")
    max_depth: int = param(0, "Maximum tree depth", min=0, max=30, help="0 = grow until the leaves are pure")
    min_samples_leaf: int = param(1, "Minimum points per leaf", min=1, max=100,
                                  help="generator: 5 or more, else a leaf's density is a spike on one training row")
    max_features: str = param("sqrt", "Features tried at each split", choices=("sqrt", "log2", "all"),
                              help="a random subset at every split: what makes the trees differ")
    outliers: float = param(0.0, "Outliers in the training rows (share, generator)", min=0.0, max=0.9, step=0.05,
                            when=("role", ["generator"]),
                            help="this share of the rows the forest learns from replaced by junk (points spread over a "
                                 "box half as wide again as the data); the held-out rows and the true modes that judge "
                                 "the samples stay clean")
    arf_trees: int = param(30, "Trees per round (generator)", min=2, max=500, when=("role", ["generator"]))
    delta: float = param(0.0, "δ: stop when OOB accuracy ≤ 0.5 + δ (generator)", min=0.0, max=0.5, step=0.01,
                         when=("role", ["generator"]))
    test_share: float = param(0.25, "Held-out share", min=0.1, max=0.5, step=0.05,
                              help="rows kept aside: test accuracy (classifier), log-likelihood (generator)")
    shift: float = param(1.0, "Shift of the judge's copy (standard deviations)", min=0.0, max=5.0, step=0.1,
                         when=("role", ["judge"]),
                         help="the judge compares real data with a copy shifted by this much along every "
                              "numeric column")
    seed: int = seed_param()
    trees_per_step: int = param(5, "Trees added per step (classifier)", min=1, max=100, advanced=True,
                                when=("role", ["classifier"]))
    snapshot_every: int = param(50, "Snapshot every (trees)", min=1, max=2000, advanced=True)

    @property
    def device(self) -> str:
        return "cpu"  # scikit-learn's forests run on the CPU

    @property
    def depth(self) -> int | None:
        return self.max_depth or None

    @property
    def features(self) -> str | None:
        return None if self.max_features == "all" else self.max_features


N_JOBS = 1  # a classroom server runs many jobs at once: each forest uses one core


class Forest(Lab):
    """A random forest in one of three roles, with the GenLab protocol.

    It has no weights file: a forest of hundreds of deep trees is megabytes
    that only pickle could save, and nothing a user uploads is ever unpickled.

    Attributes
    ----------
    forest_ : RandomForestClassifier
        classifier: the forest, grown a batch of trees at a time (warm_start).
    x_train_, x_test_, y_train_, y_test_ : ndarray
        The training and held-out rows (labels for the classifier).
    arf_ : AdversarialForest
        generator: the adversarial random forest and its rounds.
    judge_, scores_ : dict
        judge: the real, more-real and shifted sets, and each two-sample test's accuracy.
    cache_ : dict
        Sweeps computed once per data set and settings.
    step_, data_, device_ : see `Lab`.
    """

    Config = ForestConfig
    FAMILY = "forest"
    device_ = "cpu"  # scikit-learn's forests run on the CPU

    # -- setup -------------------------------------------------------------
    def check(self, data: Table) -> None:
        """Refuse settings this data cannot support, in words, before any training."""
        cfg, n = self.config, len(data.x)
        if cfg.role == "classifier":
            if data.labels is None:
                raise ConfigError("forest.no_labels", name=data.name)
            counts = np.bincount(data.labels)
            if counts[counts > 0].min() < 2:
                raise ConfigError("forest.single_row_class")
            n_test = int(np.ceil(cfg.test_share * n))
            if n_test < data.n_classes or n - n_test < data.n_classes:
                raise ConfigError("forest.too_few_to_split", rows=n, share=f"{cfg.test_share:.0%}",
                                  classes=data.n_classes)
        n_fit = n - int(np.ceil(cfg.test_share * n)) if cfg.role == "generator" else n // 2
        if cfg.role != "classifier" and n_fit < 2 * cfg.min_samples_leaf:
            raise ConfigError("forest.too_few_to_fit", rows=n_fit, leaf=cfg.min_samples_leaf)
        if cfg.role == "judge" and n // 2 < 10:
            raise ConfigError("forest.judge_too_few", rows=n)
        if cfg.role == "generator" and cfg.outliers and data.categories:
            raise ConfigError("quality.forest_categorical")

    def _initialise(self, data: Table) -> None:
        self.step_, self.cache_ = 0, {}
        cfg = self.config
        if cfg.role == "classifier":
            self.x_train_, self.x_test_, self.y_train_, self.y_test_ = train_test_split(
                data.x, data.labels, test_size=cfg.test_share, stratify=data.labels, random_state=cfg.seed)
            self.forest_ = RandomForestClassifier(
                n_estimators=0, warm_start=True, oob_score=True, max_depth=cfg.depth,
                min_samples_leaf=cfg.min_samples_leaf, max_features=cfg.features, random_state=cfg.seed,
                n_jobs=N_JOBS)
        elif cfg.role == "generator":
            self.x_train_, self.x_test_ = train_test_split(data.x, test_size=cfg.test_share, random_state=cfg.seed)
            if cfg.outliers:  # after the split: the held-out rows that judge the samples stay clean
                self.x_train_ = with_outliers(self.x_train_, cfg.outliers, cfg.seed)
            self.arf_ = AdversarialForest(cfg.arf_trees, cfg.delta, cfg.steps, cfg.min_samples_leaf,
                                          cfg.features, categorical=list(data.categories), random_state=cfg.seed,
                                          n_jobs=N_JOBS).start(self.x_train_)
        else:
            self.judge_ = judge_sets(data, cfg.shift, cfg.seed)
            self.scores_: dict[str, float] = {}

    # -- the protocol ------------------------------------------------------
    def _train(self, steps: int) -> Iterator[Progress]:
        """`steps` more steps, continuing where the last call stopped.

        classifier: a step is a tree (added a batch at a time); generator: a
        round of the adversarial forest; judge: one two-sample test.
        """
        role = self.config.role
        run = {"classifier": self._grow, "generator": self._rounds, "judge": self._judge}[role]
        yield from run(steps)

    def _grow(self, steps: int) -> Iterator[Progress]:
        """Add trees with warm_start; after each batch, the out-of-bag and test errors."""
        cfg, forest = self.config, self.forest_
        end = self.step_ + steps
        while self.step_ < end:
            forest.n_estimators = min(self.step_ + cfg.trees_per_step, end)
            with warnings.catch_warnings():  # with few trees some points are in every bootstrap: see oob_error
                warnings.filterwarnings("ignore", "Some inputs do not have OOB scores")
                forest.fit(self.x_train_, self.y_train_)
            self.step_ = forest.n_estimators
            losses = {"oob_error": forest_views.oob_error(forest, self.y_train_),
                      "test_error": 1 - forest.score(self.x_test_, self.y_test_)}
            last = self.step_ >= end
            snap = None
            if last or self.step_ % cfg.snapshot_every < cfg.trees_per_step:
                snap = forest_views.classifier_snapshot(self, final=last)
            yield self._progress(end, losses, snap)

    def _rounds(self, steps: int) -> Iterator[Progress]:
        """Rounds of the adversarial forest until its stopping rule (or `steps` rounds) ends them."""
        arf, end = self.arf_, self.step_ + steps
        while not arf.done and self.step_ < end:
            accuracy = arf.round()
            self.step_ += 1
            snap = forest_views.generator_snapshot(self, final=arf.done)
            total = self.step_ if arf.done else end  # the rule may end the rounds before the budget
            yield self._progress(total, {"oob_accuracy": accuracy}, snap)

    def _judge(self, steps: int) -> Iterator[Progress]:
        """Two steps: real against more real, then real against the shifted copy."""
        sets = self.judge_
        for name, other in (("c2st_same", sets["more_real"]), ("c2st_shifted", sets["shifted"])):
            if name in self.scores_ or steps <= 0:
                continue
            self.scores_[name] = metrics.c2st_accuracy(sets["real"], other, random_state=self.config.seed)
            self.step_, steps = self.step_ + 1, steps - 1
            snap = forest_views.judge_snapshot(self)
            yield self._progress(2, {name: self.scores_[name]}, snap)

    def snapshot(self, final: bool = False) -> Snapshot:
        """The forest now, in its role: decision surfaces, rounds and samples, or the tests so far."""
        self.check_fitted()
        role = self.config.role
        if role == "classifier":
            return forest_views.classifier_snapshot(self, final)
        if role == "generator":
            return forest_views.generator_snapshot(self, final)
        return forest_views.judge_snapshot(self)

    def sample(self, n: int) -> np.ndarray:
        """generator: n FORGE samples; judge: the comparison set it judged last (shifted, or more real)."""
        role = self.config.role
        self.check_fitted()
        if role == "generator":
            return self.arf_.sample(n, np.random.default_rng([self.config.seed, self.step_, n]))
        if role == "judge":
            other = self.judge_["shifted" if "c2st_shifted" in self.scores_ else "more_real"]
            return other[:n]
        raise ConfigError("forest.no_samples")

    def log_likelihood(self, x: np.ndarray) -> float:
        """generator: FORDE's mean log density per row (nats). The other roles have none."""
        if self.config.role != "generator":
            raise NoLikelihood(f"A forest as {self.config.role} models P(class | x), not the data's density "
                               "P(x): there is no likelihood of the data to evaluate. The generator role has one.")
        self.check_fitted()
        return float(np.mean(self.arf_.log_density(x)))

    def samples_text(self, samples: np.ndarray) -> str:
        """CSV with the data's column names, categories written back as their names."""
        data = self.data_
        if len(samples) == 0:  # a classifier draws none: the file says so rather than failing
            return "# A random forest classifier draws no samples: pick the generator role.\n"
        if data is None or data.kind != "table":
            return super().samples_text(samples)
        columns = {}
        for j, name in enumerate(data.columns):
            col = samples[:, j]
            columns[name] = np.asarray(data.categories[j])[col.astype(int)] if j in data.categories else col
        buf = io.StringIO()
        pd.DataFrame(columns).to_csv(buf, index=False, float_format="%.6g")
        return buf.getvalue()


def judge_sets(data: Table, shift: float, seed: int) -> dict[str, np.ndarray]:
    """Real rows, more real rows (the other half), and that half shifted by `shift` sds on numeric columns."""
    order = np.random.default_rng(seed).permutation(len(data.x))
    half = len(order) // 2
    real, more = data.x[order[:half]], data.x[order[half:2 * half]]
    numeric = np.array([j not in data.categories for j in range(data.x.shape[1])])
    shifted = more + shift * data.x.std(axis=0) * numeric
    return {"real": real, "more_real": more, "shifted": shifted}


LAB = Forest  # what core.families builds for this family


def load_data(config: ForestConfig, upload: bytes | None = None) -> Table:
    """The table the config names; with `outliers` (generator), a note of what training will do to its rows."""
    data = _clean_data(config, upload)
    if config.role != "generator" or not config.outliers:
        return data
    return replace(data, notes=tuple(data.notes) + (Words("quality.note.outliers", {"level": config.outliers}),))


def _clean_data(config: ForestConfig, upload: bytes | None = None) -> Table:
    """The table the config names; an upload goes through the validated CSV readers."""
    if config.dataset == "upload":
        if upload is None:
            raise ConfigError("forest.no_upload")
        if config.role == "classifier":
            return tables.load_labelled_csv(upload)
        return tables.load_mixed_csv(upload)
    return tables.GENERATORS[config.dataset](config.n_samples, config.noise, config.seed)
