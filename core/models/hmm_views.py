"""What an HMM snapshot holds: learned against true parameters, decoding, posteriors, samples.

Kept apart from the training code in hmm.py, which imports this module (never
the other way): this is the "look at the model" half. EM may number the hidden states in any order (its "loaded die" may be
state 0 or state 1), so before anything is compared with the truth the learned
states are matched to the true ones by the Hungarian method
(`scipy.optimize.linear_sum_assignment`) on the cost of pairing them.
"""
import numpy as np
from scipy.optimize import linear_sum_assignment

from core.protocol import Snapshot


def match_states(cost: np.ndarray) -> np.ndarray:
    """`order[j]` = the learned state paired with true state j, minimising the total cost.

    cost[i, j] is the price of calling learned state i "true state j"; the
    Hungarian method finds the one-to-one pairing of least total cost.
    """
    rows, cols = linear_sum_assignment(cost)
    order = np.empty(cost.shape[1], dtype=np.int64)
    order[cols] = rows
    return order


def emission_cost(lab, model) -> np.ndarray | None:
    """Distance between each learned and each true emission distribution (None if not comparable)."""
    truth, cfg = lab.data_.truth, lab.config
    if truth is None or truth.n_states != cfg.n_states:
        return None
    if cfg.emission == "categorical" and truth.kind == "categorical" \
            and model.emissionprob_.shape == truth.emissionprob.shape:
        return np.abs(model.emissionprob_[:, None, :] - truth.emissionprob[None]).sum(-1)  # L1 distance
    if cfg.emission == "gaussian" and truth.kind == "gaussian":
        means, sds = model.means_[:, 0], np.sqrt(_variances(model))
        scale = truth.sds[None] + sds[:, None]
        return np.abs(means[:, None] - truth.means[None]) / scale + np.abs(np.log(sds[:, None] / truth.sds[None]))
    return None


def overlap_cost(posteriors: np.ndarray, states: np.ndarray, n_true: int) -> np.ndarray:
    """Minus the expected number of steps on which learned state i coincides with true state j."""
    onehot = np.eye(max(n_true, posteriors.shape[1]))[states][:, :n_true]
    return -(posteriors.T @ onehot)


def _variances(model) -> np.ndarray:
    """(K,) emission variance of each state of a one-dimensional Gaussian HMM."""
    return np.asarray(model.covars_).reshape(model.n_components, -1)[:, 0]


def emission_params(model, emission: str) -> dict:
    """The learned emission parameters in the model's own state order."""
    if emission == "categorical":
        return {"emissionprob": model.emissionprob_}
    if emission == "gaussian":
        return {"means": model.means_[:, 0], "sds": np.sqrt(_variances(model))}
    covars, k, m = np.asarray(model.covars_), model.n_components, model.n_mix
    var = {"spherical": lambda: covars, "diag": lambda: covars[..., 0], "full": lambda: covars[..., 0, 0],
           "tied": lambda: np.repeat(covars[:, :1, 0], m, axis=1)}[model.covariance_type]()
    return {"weights": model.weights_, "means": model.means_[..., 0], "sds": np.sqrt(var.reshape(k, m))}


def oracle(config, data) -> dict | None:
    """Decoding with the true parameters, both ways: the references for a learned model's decodings.

    Viterbi finds the single most likely path, argmax_Q P(Q | O); posterior
    decoding takes argmax_i gamma_t(i) at each step, which maximises the expected
    number of correct steps. So with the true parameters, posterior decoding is the
    better per-step guesser (on average; on one sample it can lose by a hair),
    while Viterbi's path is always one the chain could take.
    """
    if data.truth is None or data.states is None:
        return None
    kind = "categorical" if data.truth.kind == "categorical" else "gaussian"
    x = data.codes if kind == "categorical" else data.values
    truth = data.truth.hmmlearn_model(config.implementation)
    x = np.asarray(x).reshape(-1, 1)
    path = truth.predict(x)
    posterior_path = truth.predict_proba(x).argmax(axis=1)
    return {"path": path.astype(np.int8), "accuracy": float(np.mean(path == data.states)),
            "posterior_accuracy": float(np.mean(posterior_path == data.states)),
            "log_likelihood": float(truth.score(x))}


def snapshot(lab, run) -> Snapshot:
    """Everything the page draws for one EM run as it is now."""
    model, data, cfg = run.model, lab.data_, lab.config
    log_likelihood, posteriors = model.score_samples(lab.X_)  # forward-backward
    path = model.predict(lab.X_)  # Viterbi
    params = {"startprob": model.startprob_, "transmat": model.transmat_, **emission_params(model, cfg.emission)}
    mon = run.monitor
    metrics = {
        "log_likelihood": float(log_likelihood),
        "restart": run.index + 1,
        "em_iterations": mon.iter,
        "em_converged": bool(mon.reached_tol),
        "em_hit_cap": bool(mon.hit_cap),
        **{k: np.round(v, 6).tolist() for k, v in params.items()},  # the model's own state order
    }
    order = _order(lab, model, posteriors)
    views = {"order": order, "learned": params, "true": None, "posteriors": posteriors.astype(np.float32),
             "viterbi": path.astype(np.int8), "restarts": restart_table(lab), "selection": selection(lab),
             "oracle": lab.oracle_}
    if order is not None:
        label = np.argsort(order)  # learned state -> matched true state
        views["learned"] = {k: (v[np.ix_(order, order)] if k == "transmat" else v[order]) for k, v in params.items()}
        views["posteriors"] = views["posteriors"][:, order]
        views["viterbi"] = label[path].astype(np.int8)
        metrics["state_order"] = order.tolist()
        if data.states is not None:
            metrics["viterbi_accuracy"] = float(np.mean(views["viterbi"] == data.states))
            # posterior decoding: the likeliest state at each step on its own (the posteriors are matched already)
            metrics["posterior_accuracy"] = float(np.mean(views["posteriors"].argmax(axis=1) == data.states))
    if lab.oracle_ is not None:
        metrics["oracle_viterbi_accuracy"] = lab.oracle_["accuracy"]
        metrics["oracle_posterior_accuracy"] = lab.oracle_["posterior_accuracy"]
        metrics["true_log_likelihood"] = lab.oracle_["log_likelihood"]
    if data.truth is not None:
        views["true"] = true_params(data.truth)
        if order is not None:
            metrics.update(errors(views["learned"], views["true"]))
    done = [r.final_ll for r in lab.runs_ if r.done]
    if len(done) > 1:
        metrics["restart_ll_spread"] = float(max(done) - min(done))
    sel = views["selection"]
    if sel and np.isfinite(sel["bic"]).any():
        metrics["bic_states"] = int(sel["states"][int(np.nanargmin(sel["bic"]))])
        metrics["aic_states"] = int(sel["states"][int(np.nanargmin(sel["aic"]))])
    samples, sample_states = lab.sample_with_states(cfg.sample_length)
    views["sample_states"] = (np.argsort(order)[sample_states] if order is not None else sample_states).astype(np.int8)
    return Snapshot(lab.step_, samples.astype(np.float32), metrics, views)


def _order(lab, model, posteriors) -> np.ndarray | None:
    """Match learned to true states: by emission parameters, or else by overlap with the true states."""
    data, k = lab.data_, lab.config.n_states
    cost = emission_cost(lab, model)
    same_k = data.truth is None or data.truth.n_states == k  # a short sample may not show every true state
    if cost is None and same_k and data.states is not None and data.states.max() + 1 == k:
        cost = overlap_cost(posteriors, data.states, k)
    return match_states(cost) if cost is not None else None


def true_params(truth) -> dict:
    params = {"startprob": truth.startprob, "transmat": truth.transmat}
    if truth.kind == "categorical":
        return {**params, "emissionprob": truth.emissionprob}
    return {**params, "means": truth.means, "sds": truth.sds}


def errors(learned: dict, true: dict) -> dict:
    """Largest absolute differences after matching (emission: probabilities, or means and sds)."""
    out = {"transmat_error": float(np.abs(learned["transmat"] - true["transmat"]).max())}
    if "emissionprob" in learned and "emissionprob" in true:
        out["emission_error"] = float(np.abs(learned["emissionprob"] - true["emissionprob"]).max())
    elif "sds" in learned and "sds" in true and np.ndim(learned["means"]) == 1:
        out["emission_error"] = float(max(np.abs(learned["means"] - true["means"]).max(),
                                          np.abs(learned["sds"] - true["sds"]).max()))
    return out


def restart_table(lab) -> list[dict]:
    """Each restart: its final log-likelihood, iterations, and whether EM converged or hit its cap."""
    return [{"restart": r.index + 1, "log_likelihood": r.final_ll if r.done else float("nan"),
             "iterations": r.monitor.iter, "converged": bool(r.monitor.reached_tol), "done": r.done,
             "best": r is lab.best_} for r in lab.runs_]


def selection(lab) -> dict | None:
    if not lab.selection_:
        return None
    states = sorted(lab.selection_)
    return {"states": states, "bic": np.array([lab.selection_[k][0] for k in states]),
            "aic": np.array([lab.selection_[k][1] for k in states])}
