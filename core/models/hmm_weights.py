"""The HMM lab's weights file: the best restart's parameters and the settings, as JSON.

An HMM is a handful of probability tables and Gaussians, so its file is plain
JSON a student can read; hmmlearn checks what comes back (each row of
probabilities sums to 1, the shapes fit) before anything is drawn from it.
"""
import json

import numpy as np

from core.config import to_query, with_overrides
from core.errors import DataError, GenLabError

EMISSION_ATTRS = {"categorical": ("emissionprob_",), "gaussian": ("means_", "_covars_"),
                  "gmm": ("weights_", "means_", "_covars_")}


def _attrs(emission: str) -> tuple[str, ...]:
    return ("startprob_", "transmat_", *EMISSION_ATTRS[emission])


def save(lab) -> bytes:
    """The shown restart's parameters (start, transitions, emissions), the settings and the step."""
    run = lab.shown_run()
    params = {name.strip("_"): np.asarray(getattr(run.model, name)).tolist() for name in _attrs(lab.config.emission)}
    return json.dumps({"format": lab.WEIGHTS_FORMAT, "settings": to_query(lab.config), "step": lab.step_,
                       "em_iterations": run.monitor.iter, "parameters": params}, indent=1).encode()


def restore(cls, raw: bytes, load_data):
    """(lab, data) back from `save`'s JSON: a finished run with those parameters, checked by hmmlearn."""
    try:
        state = json.loads(raw.decode("utf-8"))
        assert isinstance(state, dict) and state.get("format") == cls.WEIGHTS_FORMAT
    except (UnicodeDecodeError, ValueError, AssertionError):
        raise DataError("hmm.not_weights") from None
    try:
        lab = cls(with_overrides(cls.Config(), state["settings"]))
        data = load_data(lab.config)
        lab._begin(data)
        run = lab.start_restart()
        run.model.n_features = run.model.n_features if lab.config.emission == "categorical" else 1
        for name in _attrs(lab.config.emission):
            setattr(run.model, name, np.asarray(state["parameters"][name.strip("_")], dtype=float))
        run.model._check()
        run.final_ll = float(run.model.score(lab.X_))
    except GenLabError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise DataError("hmm.bad_weights", problem=str(err)) from None
    run.monitor.iter = int(state.get("em_iterations", 0))
    run.monitor.history.extend([run.final_ll, run.final_ll])  # a finished run, as far as EM can tell
    lab.best_, lab.picked_, lab.step_ = run, True, int(state.get("step", 0))
    return lab, data
