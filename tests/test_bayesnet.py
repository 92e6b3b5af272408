"""The Bayesian network lab's core: data, SHD, learning, inference, determinism, the CLI."""
import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.data import networks, tabular
from core.errors import ConfigError, DataError
from core.jobs import Limiter, TrainingJob
from core.models import bayesnet_views as views
from core.models.bayesnet import BayesNet, BNConfig, integer_frame, load_data, score_function

ROOT = Path(__file__).resolve().parent.parent


def train(config: BNConfig, data=None):
    data = data if data is not None else load_data(config)
    model = BayesNet(config)
    job = TrainingJob(model, data, limiter=Limiter(1)).run()
    assert job.view().state == "done", job.view().message
    return model, job


# -- SHD and equivalence classes --------------------------------------------
def test_shd_counts_missing_extra_and_reversed_once_each():
    true = [("a", "b"), ("b", "c")]
    assert views.pair_shd(true, true) == 0
    assert views.pair_shd(true, [("a", "b")]) == 1  # missing
    assert views.pair_shd(true, true + [("a", "c")]) == 1  # extra
    assert views.pair_shd(true, [("b", "a"), ("b", "c")]) == 1  # reversed
    assert views.pair_shd(true, [("c", "b")]) == 2
    assert views.pair_shd([], [], ["ab"], []) == 1 and views.pair_shd([("a", "b")], [], [], [("a", "b")]) == 1


def test_pair_shd_agrees_with_pgmpys_shd_on_random_dags():
    rng = np.random.default_rng(0)
    nodes = list("abcdef")
    for _ in range(20):
        graphs = []
        for _ in range(2):
            order = rng.permutation(nodes)
            graphs.append([(order[i], order[j]) for i in range(6) for j in range(i + 1, 6) if rng.random() < 0.35])
        assert views.pair_shd(*graphs) == views.shd(*graphs)


def test_a_chain_and_its_reversal_are_one_class_but_a_collider_is_not():
    nodes = ["a", "b", "c"]
    chain, back, collider = [("a", "b"), ("b", "c")], [("c", "b"), ("b", "a")], [("a", "b"), ("c", "b")]
    assert views.shd(chain, back) == 2 and views.cpdag_shd(chain, back, [], nodes) == 0
    assert views.cpdag(collider, (), nodes) == (collider, [])
    assert views.cpdag_shd(chain, collider, [], nodes) == 2
    classes = views.classify_edges(chain, [("b", "a"), ("a", "c")])
    assert classes["reversed"] == [("b", "a", True)] and classes["missing"] == [("b", "c", True)]
    assert classes["extra"] == [("a", "c", True)] and classes["correct"] == []


def test_layout_puts_parents_above_children():
    pos = views.layered_layout([("a", "b"), ("b", "c"), ("a", "c")], ["c", "b", "a", "d"])
    assert pos["a"][1] > pos["b"][1] > pos["c"][1] and pos["d"][1] == pos["a"][1]


# -- data ----------------------------------------------------------------------
def test_networks_load_with_the_network_switched_off(monkeypatch):
    def no_internet(*args, **kwargs):
        raise OSError("no internet in this test")

    monkeypatch.setattr(socket.socket, "connect", no_internet)
    networks._read.cache_clear()
    net = networks.load_network("cancer")
    assert sorted(net.nodes()) == ["Cancer", "Dyspnoea", "Pollution", "Smoker", "Xray"]
    data = networks.forward_sample("cancer", 300, seed=1, heldout=50)
    assert data.codes.shape == (300, 5) and data.heldout.shape == (50, 5) and data.columns == sorted(data.columns)


def test_a_table_sampled_in_a_child_process_is_the_one_sampled_here():
    """The server's prefetch (a child process, JSON back): same rows, same states, and a true network whose
    tables are the BIF file's, to the last digit."""
    from core.data import network_prefetch

    network_prefetch.start("cancer", 300, 1, 50)
    there = networks.from_parts("cancer", network_prefetch.take("cancer", 300, 1, 50), 300)
    here = networks.from_parts("cancer", networks.sample_parts("cancer", 300, 1, 50), 300)
    assert (there.codes == here.codes).all() and (there.heldout == here.heldout).all()
    assert there.columns == here.columns and there.states == here.states
    bif = networks.load_network("cancer")
    assert sorted(there.truth.edges()) == sorted(bif.edges())
    assert all(there.truth.get_cpds(v) == bif.get_cpds(v) for v in bif.nodes())


def test_a_prefetch_that_fails_or_was_never_started_leaves_the_sampling_here():
    from core.data import network_prefetch

    assert network_prefetch.take("cancer", 10, 0, 0) is None  # never started
    network_prefetch.start("no-such-network", 10, 0, 0)
    assert network_prefetch.take("no-such-network", 10, 0, 0) is None  # the child failed: sampled here instead
    with pytest.raises(DataError, match="no-such-network"):
        networks.forward_sample("no-such-network", 10, 0, 0)


def test_the_server_starts_sampling_the_pages_default_table_before_any_page_asks(monkeypatch):
    import asyncio

    import app
    from core.data import network_prefetch
    from core.presets import build_config

    started = []
    monkeypatch.setattr(network_prefetch, "start", lambda *key: started.append(key))

    async def start_and_stop():
        async with app.lifespan(app.app):
            pass

    asyncio.run(start_and_stop())
    config = build_config("bayesnet", "asia")
    assert started == [(config.dataset, config.n_rows, config.seed, networks.HELDOUT_ROWS)]
    assert load_data(config).codes.shape == (config.n_rows, 8)  # the page's default is that table


def test_codes_round_trip_through_text():
    data = networks.forward_sample("asia", 200, seed=0, heldout=10)
    text = data.text(data.codes.astype(np.int64))
    back = tabular.load_discrete_csv(text.encode(), seed=0)
    assert back.columns == data.columns
    assert (data.codes_of(pd.read_csv(io.StringIO(text), dtype=str)) == data.codes).all()


@pytest.mark.parametrize("text, words", [
    ("", "empty"),
    ("a\nx\ny\n", "single column"),
    ("a,a\n" + "x,y\n" * 30, "both called 'a'"),
    ("a,b\n" + "x,\n" * 2 + "x,y\n" * 30, "missing values"),
    ("a,b\n" + "".join(f"{i * 0.37},y{i % 2}\n" for i in range(60)), "looks continuous"),
    ("a,b\n" + "".join(f"w{i},y{i % 2}\n" for i in range(60)), "different values"),
    ("a,b\n" + "x,y\n" * 30, "same value in every row"),
    ("a,<b>\n" + "x,y\n" * 30, "rename the column"),
])
def test_bad_uploads_say_what_to_do(text, words):
    with pytest.raises(DataError, match=words):
        tabular.load_discrete_csv(text.encode())


def test_the_offered_fixes_work():
    gaps = ("a,b\n" + "x,\n" * 2 + "".join(f"x{i % 2},y{i % 3}\n" for i in range(30))).encode()
    data = tabular.load_discrete_csv(gaps, drop_missing=True)
    assert len(data) + len(data.heldout) == 30 and "Dropped 2" in data.note
    numbers = ("a,b\n" + "".join(f"{i * 0.37},y{i % 2}\n" for i in range(60))).encode()
    data = tabular.load_discrete_csv(numbers, bins=3)
    assert len(data.states[0]) == 3 and "bins" in data.note


# -- learning ------------------------------------------------------------------
def test_hill_climbing_step_by_step_finds_what_pgmpys_fit_finds():
    from pgmpy.causal_discovery import HillClimbSearch

    config = BNConfig(dataset="asia", n_rows=3000, seed=3)
    model, _ = train(config)
    frame = integer_frame(model.data_)
    direct = HillClimbSearch(scoring_method=score_function(config, frame), show_progress=False,
                             return_type="dag").fit(frame).causal_graph_
    assert sorted(model.climbs_[0].dag.edges()) == sorted(direct.edges())
    assert len(model.scores_[0]) >= 2 and np.all(np.diff(model.scores_[0]) > 0)  # each step raises the score


def test_learning_recovers_a_small_network_from_enough_data():
    model, job = train(BNConfig(dataset="cancer", n_rows=30_000, method="hybrid", seed=0))
    metrics = job.view().snapshots[-1].metrics
    assert metrics["cpdag_shd"] <= 1
    assert abs(metrics["heldout_loglik"] - metrics["true_heldout_loglik"]) < 0.01


def test_pc_and_known_structure_are_one_step_each():
    _, job = train(BNConfig(dataset="cancer", n_rows=2000, method="pc"))
    assert job.view().step == 2 and "cpdag_shd" in job.view().snapshots[-1].metrics
    model, job = train(BNConfig(dataset="cancer", n_rows=2000, known_structure=True, estimator="bayes"))
    assert job.view().step == 2 and job.view().snapshots[-1].metrics["shd"] == 0


def test_stop_keeps_the_graph_and_fit_continues_it():
    config = BNConfig(dataset="asia", n_rows=2000, snapshot_every=1)
    data = load_data(config)
    model = BayesNet(config)
    first = list(model.fit(data, steps=3))
    assert [e.step for e in first] == [1, 2, 3] and model.network_ is None
    rest = list(model.fit(data))
    assert rest[0].step == 4 and model.network_ is not None


def test_samples_round_trip_and_the_likelihood_is_a_sum_of_rows():
    model, job = train(BNConfig(dataset="cancer", n_rows=1000, sample_rows=500))
    samples = job.view().snapshots[-1].samples
    assert samples.shape == (500, 5)
    lines = model.samples_text(samples).splitlines()
    assert lines[0].split(",") == model.data_.columns and len(lines) == 501
    assert set(lines[1].split(",")) <= {s for states in model.data_.states for s in states}
    ll = views.row_log_likelihoods(model.network_, model.data_, samples[:10].astype(np.int64))
    assert np.isclose(model.log_likelihood(samples[:10]), ll.sum()) and (ll < 0).all()


def test_inference_matches_a_hand_computed_posterior():
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.models import DiscreteBayesianNetwork

    net = DiscreteBayesianNetwork([("rain", "wet")])
    net.add_cpds(TabularCPD("rain", 2, [[0.8], [0.2]], state_names={"rain": ["no", "yes"]}),
                 TabularCPD("wet", 2, [[0.9, 0.1], [0.1, 0.9]], evidence=["rain"], evidence_card=[2],
                            state_names={"wet": ["no", "yes"], "rain": ["no", "yes"]}))
    # P(rain | wet) = 0.2 * 0.9 / (0.2 * 0.9 + 0.8 * 0.1) = 0.18 / 0.26
    probs = views.posterior(net, "rain", {"wet": "yes"}, ["no", "yes"])
    assert np.allclose(probs, [0.08 / 0.26, 0.18 / 0.26])
    assert np.allclose(views.posterior(net, "rain", {}, ["yes", "no"]), [0.2, 0.8])


def test_impossible_settings_are_refused_in_words():
    upload = tabular.load_discrete_csv(("a,b\n" + "".join(f"x{i % 2},y{i % 3}\n" for i in range(40))).encode())
    with pytest.raises(ConfigError, match="Known structure"):
        BayesNet(BNConfig(dataset="upload", known_structure=True)).check(upload)
    with pytest.raises(ConfigError, match="no file"):
        load_data(BNConfig(dataset="upload"))


# -- the same graph whatever PYTHONHASHSEED is -----------------------------------
def test_the_same_seed_gives_the_same_graph_in_any_process():
    """Seed 4 is tie-sensitive: pgmpy on string names learns different graphs under hash seeds 1 and 2."""
    code = ("import warnings; warnings.filterwarnings('ignore'); import json, sys\n"
            "from core.jobs import Limiter, TrainingJob\n"
            "from core.models.bayesnet import BayesNet, BNConfig, load_data\n"
            "c = BNConfig(dataset='asia', n_rows=10000, seed=4, method='hill-climb')\n"
            "m = BayesNet(c); TrainingJob(m, load_data(c), limiter=Limiter(1)).run()\n"
            "print(json.dumps([m.directed_, m.sample(20).tolist()]))")
    runs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": hash_seed}) for hash_seed in ("1", "2")]  # at once
    outs = {run.communicate(timeout=120)[0].strip().splitlines()[-1] for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert len(outs) == 1


def test_cli_asia_json_and_samples(tmp_path):
    samples = tmp_path / "s.csv"
    out = subprocess.run([sys.executable, "-m", "core", "bayesnet", "--preset", "asia", "--set", "n_rows=2000",
                          "--json", "--samples", str(samples)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    metrics = json.loads(out.stdout)["metrics"]
    assert {"edges", "shd", "cpdag_shd", "heldout_loglik"} <= set(metrics)
    assert all(len(e) == 2 for e in metrics["edges"])
    lines = samples.read_text().splitlines()
    assert lines[0] == "asia,bronc,dysp,either,lung,smoke,tub,xray" and len(lines) == 2001


def test_cli_learns_from_a_data_file(tmp_path, capsys):
    from core.__main__ import main

    data = networks.forward_sample("cancer", 500, seed=2, heldout=0)
    path = tmp_path / "cancer.csv"
    path.write_text(data.text(data.codes.astype(np.int64)))
    assert main(["bayesnet", "--data", str(path), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)["metrics"]
    assert "heldout_loglik" in metrics and "shd" not in metrics  # an upload has no true graph


def test_the_learning_curve_learns_each_size_from_each_sample():
    model, job = train(BNConfig(dataset="cancer", n_rows=300, curve_up_to=300, curve_seeds=2, seed=5))
    assert [(c["rows"], c["seed"]) for c in model.curve_] == [(100, 5), (100, 6), (300, 5), (300, 6)]
    assert job.view().step == len(model.scores_[0]) + 1 + 4  # climb steps (and its last check), tables, points
    assert len(job.view().snapshots[-1].metrics["curve"]) == 4
