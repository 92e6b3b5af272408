"""What a forest snapshot holds: decision surfaces, sweeps, importances, samples, leaf boxes.

Kept apart from the training code in forest.py: this is the "look at the
model" half. Everything here is computed at snapshots, on small grids, so a
snapshot costs a fraction of a second; the depth and leaf-size sweeps, which
grow forests of their own, are computed once per data set and cached.
"""
import numpy as np
from scipy.special import logsumexp
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance

from core import metrics
from core.data.points import plane_bounds
from core.models.arf import leaf_boxes
from core.protocol import Snapshot

GRID = 60  # decision surface: 60 x 60 points
SWEEP_TREES = 25  # trees per forest in the depth and leaf-size sweeps
DEPTHS = (1, 2, 3, 4, 6, 8, 12, None)
LEAF_SIZES = (1, 2, 5, 10, 20, 50, 100)
MAX_BOXES = 400  # leaf boxes drawn for one tree
N_SAMPLES = 2500  # generated samples per snapshot (VEEGAN / PacGAN score 2,500 on the ring)
C2ST_ROWS = 1000  # generated vs held-out real rows for the final C2ST


def oob_error(forest: RandomForestClassifier, y: np.ndarray) -> float:
    """1 - OOB accuracy over the points that have been out of bag at least once.

    With few trees some points sit in every bootstrap sample; scikit-learn then
    counts them as votes for class 0, which inflates the error. They are left out.
    """
    votes = forest.oob_decision_function_
    seen = votes.sum(axis=1) > 0
    if not seen.any():
        return float("nan")
    predicted = forest.classes_[votes[seen].argmax(axis=1)]
    return float(np.mean(predicted != y[seen]))


def surface(predict_proba, classes: np.ndarray, x: np.ndarray, n_classes: int) -> dict:
    """A model's answer over a GRID x GRID plane: P(class 1), or the class and its probability."""
    x0, x1, y0, y1 = plane_bounds(x, pad=0.1)
    xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
    grid = np.column_stack([np.tile(xs, GRID), np.repeat(ys, GRID)])  # row r of the image is ys[r]
    proba = predict_proba(grid)
    if n_classes == 2 and proba.shape[1] == 2:
        return {"x": xs, "y": ys, "p": proba[:, 1].reshape(GRID, GRID)}
    classes = np.asarray(classes)[proba.argmax(axis=1)]
    return {"x": xs, "y": ys, "cls": classes.reshape(GRID, GRID), "conf": proba.max(axis=1).reshape(GRID, GRID)}


def sweep(lab) -> dict:
    """Train and test accuracy of small forests against maximum depth and against minimum leaf size.

    Bias and variance: shallow trees or big leaves underfit (both accuracies
    low); deep trees with tiny leaves fit the training set perfectly, and the
    gap to the test accuracy is the variance the averaging has to remove.
    """
    cfg = lab.config

    def scores(**settings) -> tuple[float, float]:
        params = dict(n_estimators=SWEEP_TREES, max_features=cfg.features, random_state=cfg.seed, n_jobs=1)
        forest = RandomForestClassifier(**{**params, **settings}).fit(lab.x_train_, lab.y_train_)
        return forest.score(lab.x_train_, lab.y_train_), forest.score(lab.x_test_, lab.y_test_)

    depth = np.array([scores(max_depth=d, min_samples_leaf=cfg.min_samples_leaf) for d in DEPTHS])
    leaf = np.array([scores(max_depth=cfg.depth, min_samples_leaf=m) for m in LEAF_SIZES])
    return {"depths": [d or 0 for d in DEPTHS], "depth_train": depth[:, 0], "depth_test": depth[:, 1],
            "leaf_sizes": list(LEAF_SIZES), "leaf_train": leaf[:, 0], "leaf_test": leaf[:, 1]}


def classifier_snapshot(lab, final: bool) -> Snapshot:
    """The forest now; at the end of a run also one tree vs the forest, permutation importances, sweeps."""
    forest, data = lab.forest_, lab.data_
    tree = forest.estimators_[0]
    m = {"trees": len(forest.estimators_), "oob_error": oob_error(forest, lab.y_train_),
         "train_accuracy": forest.score(lab.x_train_, lab.y_train_),
         "test_accuracy": forest.score(lab.x_test_, lab.y_test_),
         # a tree was grown on codes 0..K-1 of the classes: compare on the same codes
         "one_tree_test_accuracy": float(np.mean(forest.classes_[tree.predict(lab.x_test_).astype(int)]
                                                 == lab.y_test_))}
    views = {"importance": forest.feature_importances_}
    if data.x.shape[1] == 2:
        views["surface"] = surface(forest.predict_proba, forest.classes_, data.x, data.n_classes)
        # a tree of a forest answers in class codes 0..K-1, in the order of the forest's classes_
        views["tree_surface"] = surface(tree.predict_proba, forest.classes_, data.x, data.n_classes)
    if final:
        perm = permutation_importance(forest, lab.x_test_, lab.y_test_, n_repeats=5, random_state=0, n_jobs=1)
        views["permutation"] = perm.importances_mean
        key = ("sweep", lab.config.depth, lab.config.min_samples_leaf)
        if key not in lab.cache_:
            lab.cache_[key] = sweep(lab)
        views["sweep"] = lab.cache_[key]
    return Snapshot(lab.step_, np.empty((0, data.x.shape[1]), np.float32), m, views)


def tree_boxes(arf, max_boxes: int = MAX_BOXES) -> dict | None:
    """The leaf boxes of the forest's first tree (2-D only), with the share of real points in each."""
    if arf.x_.shape[1] != 2:
        return None
    tree = arf.forest_.estimators_[0]
    boxes = leaf_boxes(tree, arf.lo_, arf.hi_)
    ids, counts = np.unique(tree.apply(arf.x_), return_counts=True)
    keep = np.argsort(-counts)[:max_boxes]
    return {"lo": np.array([boxes[i][0] for i in ids[keep]]), "hi": np.array([boxes[i][1] for i in ids[keep]]),
            "share": counts[keep] / len(arf.x_), "n_leaves": len(ids)}


def generator_snapshot(lab, final: bool) -> Snapshot:
    """FORGE samples, FORDE's held-out log-likelihood, mode coverage on the ring, C2ST at the end."""
    arf, data = lab.arf_, lab.data_
    samples = lab.sample(N_SAMPLES)
    kept = arf.accuracies_[-2] if arf.stop_reason_.startswith("the accuracy rose") else arf.accuracies_[-1]
    heldout = arf.log_density(lab.x_test_)
    inside = np.isfinite(heldout)  # FORDE has no mass outside the training range: say how many fall there
    m = {"rounds": len(arf.accuracies_), "oob_accuracy": kept,
         "heldout_loglik": float(np.mean(heldout[inside])) if inside.any() else float("-inf"),
         "heldout_outside": float(np.mean(~inside)),
         "train_loglik": float(np.mean(arf.log_density(lab.x_train_))),
         "n_leaves": len(arf.densities().weight), "converged": bool(arf.done)}
    views = {"accuracies": list(arf.accuracies_), "stop_reason": arf.stop_reason_, "stop_words": arf.stop_words_,
             "boxes": tree_boxes(arf)}
    if data.means is not None:
        report = metrics.mode_report(samples, data.means, data.sigma)
        m.update(modes=report.modes_captured, hq=report.hq_share, rkl=report.reverse_kl)
        views["mode_histogram"] = report.histogram
        if inside.any():  # the truth on the same rows as FORDE's mean: rows outside the range are left out of both
            m["true_heldout_loglik"] = mixture_log_density(lab.x_test_[inside], data.means, data.sigma)
    if data.kind == "images":  # the GAN lab's reference classifier reads the digits drawn
        report = metrics.digits_judge().report(samples)
        m.update(classes_covered=report.classes_covered, class_kl=report.class_kl)
        views["class_histogram"] = report.class_histogram
    if final:
        real = lab.x_test_[:C2ST_ROWS]
        m["c2st"] = metrics.c2st_accuracy(real, samples[:len(real)], random_state=lab.config.seed)
        n = 2 * min(len(real), len(samples))
        m["c2st_low"], m["c2st_high"] = metrics.c2st_band(n)
        m["c2st_points"] = n
        m["c2st_p"] = metrics.c2st_p_value(m["c2st"], n)
    return Snapshot(lab.step_, samples.astype(np.float32), m, views)


def mixture_log_density(x: np.ndarray, means: np.ndarray, sigma: float) -> float:
    """Mean log density of rows under the true mixture of equal isotropic Gaussians: the best a model can do."""
    sq = ((x[:, None, :] - means[None]) ** 2).sum(-1)  # (n, K)
    d = x.shape[1]
    log_parts = -sq / (2 * sigma**2) - d / 2 * np.log(2 * np.pi * sigma**2) - np.log(len(means))
    return float(np.mean(logsumexp(log_parts, axis=1)))


def judge_snapshot(lab) -> Snapshot:
    """Both tests' accuracies so far, the band of 'cannot tell', and the sets (a few hundred rows each)."""
    sets = lab.judge_
    n = 2 * len(sets["real"])
    low, high = metrics.c2st_band(n)
    m = {**lab.scores_, "c2st_low": low, "c2st_high": high, "c2st_points": n,
         **{f"{k}_p": metrics.c2st_p_value(v, n) for k, v in lab.scores_.items()}}
    shown = {k: v[:1000].astype(np.float32) for k, v in sets.items()}
    other = lab.sample(len(sets["real"]))
    return Snapshot(lab.step_, other.astype(np.float32), m, {"sets": shown})
