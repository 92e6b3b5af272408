"""The adversarial random forest (Watson et al., AISTATS 2023): a forest made generative.

A random forest is a classifier. Watson et al. turn it into a density
estimator with a game against itself:

1. Draw synthetic data from the product of the marginals: each column shuffled
   on its own, so every column looks right and every dependency is gone.
2. Fit a forest to tell real (1) from synthetic (0). Its out-of-bag accuracy
   says how well it still can.
3. While that accuracy is above 0.5 + delta, draw new synthetic data from the
   forest itself: pick a tree, a leaf in proportion to the real points it
   holds, and each feature on its own from the real points of that leaf. Refit.
   Stop at delta, at the maximum number of rounds, or when the accuracy rises
   (the previous forest is kept).

When the forest can no longer tell, the features are (nearly) independent
within each leaf, so a leaf is a box in which a product of one-dimensional
densities will do. FORDE fits them (a truncated normal within the leaf's
bounds for a number, frequencies for a category); FORGE samples from them; the
density of a point is the average over trees of its leaf's weight times the
product of its features' densities.

scikit-learn grows the forests and finds leaves (`RandomForestClassifier`,
`apply`); scipy gives the truncated normal. What is written here is only what
no library does: the rounds, the leaf boxes and the per-leaf densities.
"""
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp
from scipy.stats import truncnorm
from sklearn.ensemble import RandomForestClassifier

from core.i18n import Words

BOUNDS_SLACK = 0.01  # outer leaf edges: the data's range widened by 1 % of it (R arf's `epsilon`)
CATEGORY_PSEUDOCOUNT = 0.1  # Laplace smoothing: a category unseen in a leaf is rare there, not impossible
MIN_SD_SHARE = 1e-3  # the smallest sd in a leaf, as a share of the column's range ...


@dataclass
class LeafDensities:
    """FORDE: one box per (tree, leaf) with real points, and a density per feature inside it."""

    weight: np.ndarray  # (L,) share of the real points in the leaf, divided by the number of trees
    lo: np.ndarray  # (L, d) box bounds
    hi: np.ndarray  # (L, d)
    mean: np.ndarray  # (L, d) continuous features: truncated normal location ...
    sd: np.ndarray  # (L, d) ... and scale
    freqs: dict  # categorical column j -> (L, K_j) category probabilities
    tree: np.ndarray  # (L,) tree of each leaf
    node_index: list  # per tree: node id -> row in these arrays (-1 for nodes without real points)


def leaf_boxes(tree, lo: np.ndarray, hi: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """node id -> (lower, upper) bounds of every leaf of a fitted sklearn tree.

    sklearn sends x left when x[feature] <= threshold, so a left child's upper
    bound and a right child's lower bound on that feature become the threshold.
    """
    t = tree.tree_
    boxes, stack = {}, [(0, lo.copy(), hi.copy())]
    while stack:
        node, low, high = stack.pop()
        left, right = t.children_left[node], t.children_right[node]
        if left == -1:
            boxes[node] = (low, high)
            continue
        f, thr = t.feature[node], t.threshold[node]
        left_high, right_low = high.copy(), low.copy()
        left_high[f], right_low[f] = min(high[f], thr), max(low[f], thr)
        stack += [(left, low, left_high), (right, right_low, high)]
    return boxes


def resolution(x: np.ndarray) -> np.ndarray:
    """... or half the step in which a column's values come (a digit's ink: 1/16 of its range).

    A leaf whose rows share one value cannot know that value better than the
    data is recorded; a narrower bell would make an unseen neighbour almost impossible.
    """
    steps = np.zeros(x.shape[1])
    for j in range(x.shape[1]):
        gaps = np.diff(np.unique(x[:, j]))
        steps[j] = gaps.min() if len(gaps) else 0.0
    return steps


class AdversarialForest:
    """ARF on a numeric table whose categorical columns hold integer codes.

    After each round: `forest_` (the current discriminator), `accuracies_` (OOB
    accuracy per round), `converged_` and `stop_reason_` (English; `stop_words_`
    says it in any language). After `densities()`:
    FORDE's leaf parameters, used by `sample` (FORGE) and `log_density`.
    """

    def __init__(self, n_trees=20, delta=0.0, max_rounds=10, min_samples_leaf=5, max_features="sqrt",
                 categorical=(), random_state=0, n_jobs=1):
        self.n_trees, self.delta, self.max_rounds = n_trees, delta, max_rounds
        self.min_samples_leaf, self.max_features = min_samples_leaf, max_features
        self.categorical, self.random_state, self.n_jobs = tuple(categorical), random_state, n_jobs

    # -- the rounds --------------------------------------------------------
    def start(self, x: np.ndarray) -> "AdversarialForest":
        """Remember the real data; the first synthetic set is the product of its marginals."""
        self.x_ = np.asarray(x, dtype=np.float64)
        self.rng_ = np.random.default_rng(self.random_state)
        span = self.x_.max(axis=0) - self.x_.min(axis=0)
        self.constant_ = span == 0  # e.g. a digits pixel that is blank in every image
        span = np.where(self.constant_, 1.0, span)
        self.lo_ = self.x_.min(axis=0) - BOUNDS_SLACK * span
        self.hi_ = self.x_.max(axis=0) + BOUNDS_SLACK * span
        self.forest_, self.accuracies_, self.converged_, self.stop_reason_ = None, [], False, ""
        self.stop_words_: Words | None = None
        self.synthetic_ = self._marginals(len(self.x_))
        self._densities = None
        return self

    def _marginals(self, n: int) -> np.ndarray:
        """Each column drawn on its own from the real column: right marginals, no dependence."""
        rows = self.rng_.integers(len(self.x_), size=(n, self.x_.shape[1]))
        return np.take_along_axis(self.x_, rows, axis=0)

    def _new_forest(self) -> RandomForestClassifier:
        seed = int(self.rng_.integers(2**31 - 1))
        return RandomForestClassifier(n_estimators=self.n_trees, min_samples_leaf=self.min_samples_leaf,
                                      max_features=self.max_features, oob_score=True, n_jobs=self.n_jobs,
                                      random_state=seed)

    def round(self) -> float:
        """One round: fit a forest on real vs the current synthetic data; then new synthetic data.

        Returns the round's out-of-bag accuracy. The stopping rule is checked
        here; `done` says whether another round may follow.
        """
        both = np.vstack([self.x_, self.synthetic_])
        labels = np.r_[np.ones(len(self.x_)), np.zeros(len(self.synthetic_))]
        with warnings.catch_warnings():  # a few points in no tree's out-of-bag set: harmless here
            warnings.filterwarnings("ignore", "Some inputs do not have OOB scores")
            forest = self._new_forest().fit(both, labels)
        accuracy = float(forest.oob_score_)
        rising = self.accuracies_ and accuracy > self.accuracies_[-1]
        self.accuracies_.append(accuracy)
        if rising and self.forest_ is not None:
            self._stop(Words("forest.stop.rose"))
            return accuracy
        self.forest_, self._densities = forest, None
        if accuracy <= 0.5 + self.delta:
            self._stop(Words("forest.stop.delta", {"delta": f"{self.delta:g}"}))
        elif len(self.accuracies_) >= self.max_rounds:
            self._stop(Words("forest.stop.max_rounds", {"rounds": self.max_rounds}))
        else:
            self.synthetic_ = self._resample(len(self.x_))
        return accuracy

    def _stop(self, why: Words) -> None:
        self.converged_, self.stop_words_, self.stop_reason_ = True, why, str(why)

    @property
    def done(self) -> bool:
        return self.converged_

    def _leaves(self) -> tuple[np.ndarray, list]:
        """(n, T) leaf node of every real point in every tree."""
        return self.forest_.apply(self.x_), self.forest_.estimators_

    def _resample(self, n: int) -> np.ndarray:
        """A new synthetic set: tree uniformly, leaf by real coverage, features from the leaf's real points.

        Picking a uniform real point of a uniform tree and taking its leaf picks
        that leaf in proportion to its real points; every feature then comes
        from another random real point of the same leaf, independently.
        """
        leaves, _ = self._leaves()
        n_real, d = self.x_.shape
        out = np.empty((n, d))
        trees = self.rng_.integers(leaves.shape[1], size=n)
        anchors = self.rng_.integers(n_real, size=n)
        for t in np.unique(trees):
            rows = np.flatnonzero(trees == t)
            order = np.argsort(leaves[:, t], kind="stable")
            sorted_leaves = leaves[order, t]
            target = leaves[anchors[rows], t]
            start = np.searchsorted(sorted_leaves, target, side="left")
            count = np.searchsorted(sorted_leaves, target, side="right") - start
            pick = start[:, None] + (self.rng_.random((len(rows), d)) * count[:, None]).astype(int)
            out[rows] = self.x_[order[pick], np.arange(d)[None, :]]
        return out

    # -- FORDE and FORGE ---------------------------------------------------
    def densities(self) -> LeafDensities:
        """FORDE: per leaf, its weight, its box, and each feature's density in the box."""
        if self._densities is None:
            self._densities = self._fit_densities()
        return self._densities

    def _fit_densities(self) -> LeafDensities:
        leaves, trees = self._leaves()
        n, d = self.x_.shape
        span = (self.hi_ - self.lo_) / (1 + 2 * BOUNDS_SLACK)
        floor = np.maximum(MIN_SD_SHARE * span, resolution(self.x_) / 2)
        parts = {k: [] for k in ("weight", "lo", "hi", "mean", "sd", "tree")}
        freq_parts = {j: [] for j in self.categorical}
        node_index, offset = [], 0
        for t, est in enumerate(trees):
            ids, inverse, counts = np.unique(leaves[:, t], return_inverse=True, return_counts=True)
            boxes = leaf_boxes(est, self.lo_, self.hi_)
            sums = np.zeros((len(ids), d))
            squares = np.zeros((len(ids), d))
            np.add.at(sums, inverse, self.x_)
            np.add.at(squares, inverse, self.x_ ** 2)
            mean = sums / counts[:, None]
            sd = np.sqrt(np.maximum(squares / counts[:, None] - mean ** 2, 0))
            parts["weight"].append(counts / n / len(trees))
            parts["lo"].append(np.array([boxes[i][0] for i in ids]))
            parts["hi"].append(np.array([boxes[i][1] for i in ids]))
            parts["mean"].append(mean)
            parts["sd"].append(np.maximum(sd, floor))
            parts["tree"].append(np.full(len(ids), t))
            box_lo, box_hi = parts["lo"][-1], parts["hi"][-1]
            for j in self.categorical:
                codes = np.arange(int(self.x_[:, j].max()) + 1)
                inside = (codes > box_lo[:, j:j + 1]) & (codes <= box_hi[:, j:j + 1])  # the tree's routing
                table = np.where(inside, CATEGORY_PSEUDOCOUNT, 0.0)
                np.add.at(table, (inverse, self.x_[:, j].astype(int)), 1)
                freq_parts[j].append(table / table.sum(axis=1, keepdims=True))
            index = np.full(est.tree_.node_count, -1)
            index[ids] = offset + np.arange(len(ids))
            node_index.append(index)
            offset += len(ids)
        joined = {k: np.concatenate(v) for k, v in parts.items()}
        return LeafDensities(freqs={j: np.concatenate(v) for j, v in freq_parts.items()}, node_index=node_index,
                             **joined)

    def sample(self, n: int, rng: np.random.Generator | None = None) -> np.ndarray:
        """FORGE: n points; a leaf by its weight, then every feature from the leaf's own density."""
        rng = rng or self.rng_
        dens = self.densities()
        leaf = rng.choice(len(dens.weight), size=n, p=dens.weight / dens.weight.sum())
        lo, hi, mean, sd = dens.lo[leaf], dens.hi[leaf], dens.mean[leaf], dens.sd[leaf]
        a, b = (lo - mean) / sd, (hi - mean) / sd
        out = np.clip(truncnorm.rvs(a, b, loc=mean, scale=sd, random_state=rng), lo, hi)
        out[:, self.constant_] = self.x_[0, self.constant_]
        for j, freqs in dens.freqs.items():
            cumulative = np.cumsum(freqs[leaf], axis=1)
            u = rng.random((n, 1)) * cumulative[:, -1:]
            out[:, j] = (u > cumulative).sum(axis=1)
        return out

    def log_density(self, x: np.ndarray) -> np.ndarray:
        """FORDE's log density of each row: log of (1/T) sum over trees of w_leaf * prod_j f_j(x_j)."""
        x = np.asarray(x, dtype=np.float64)
        dens = self.densities()
        nodes = self.forest_.apply(x)  # (n, T)
        n_trees = nodes.shape[1]
        per_tree = np.full(nodes.shape, -np.inf)
        cont = np.array([j for j in range(x.shape[1]) if j not in dens.freqs], dtype=int)
        for t in range(n_trees):
            leaf = dens.node_index[t][nodes[:, t]]
            ok = leaf >= 0  # a leaf without real points has weight 0
            rows, lf = np.flatnonzero(ok), leaf[ok]
            logp = np.log(dens.weight[lf] * n_trees)
            if len(cont):
                m, s = dens.mean[lf][:, cont], dens.sd[lf][:, cont]
                a, b = (dens.lo[lf][:, cont] - m) / s, (dens.hi[lf][:, cont] - m) / s
                logp = logp + truncnorm.logpdf(x[rows][:, cont], a, b, loc=m, scale=s).sum(axis=1)
            for j, freqs in dens.freqs.items():
                code = np.clip(x[rows, j].astype(int), 0, freqs.shape[1] - 1)
                logp = logp + np.log(freqs[lf, code])
            per_tree[rows, t] = logp
        return logsumexp(per_tree, axis=1) - np.log(n_trees)
