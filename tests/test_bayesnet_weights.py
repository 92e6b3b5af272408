"""A learned Bayesian network saved as XMLBIF (pgmpy's writer) and restored (pgmpy's reader): nothing unpickled.

Round trips keep the graph, every table (allclose), the held-out log-likelihood and the settings; a run
stopped mid-search goes on where it was; anything else is refused in words, in 中文 and in English.
"""
import json
import re

import numpy as np
import pytest

from core.data import networks, tabular
from core.errors import DataError
from core.jobs import Limiter, TrainingJob
from core.models import bayesnet_views as views
from core.models.bayesnet import BayesNet, BNConfig, load_data
from tests.english_left import english_words


def train(config: BNConfig, data=None) -> BayesNet:
    data = data if data is not None else load_data(config)
    model = BayesNet(config)
    assert TrainingJob(model, data, limiter=Limiter(1)).run().view().state == "done"
    return model


def assert_same_network(a: BayesNet, b: BayesNet) -> None:
    assert b.config == a.config and b.step_ == a.step_
    assert sorted(b.network_.edges()) == sorted(a.network_.edges())
    assert (b.directed_, b.undirected_, b.scores_, b.curve_) == (a.directed_, a.undirected_, a.scores_, a.curve_)
    for node in a.data_.columns:
        x, y = a.network_.get_cpds(node), b.network_.get_cpds(node)
        assert x.variables == y.variables and x.state_names == y.state_names
        assert np.allclose(x.get_values(), y.get_values(), rtol=0, atol=1e-15)
    heldout = [views.row_log_likelihoods(m.network_, m.data_, m.data_.heldout).mean() for m in (a, b)]
    assert heldout[0] == pytest.approx(heldout[1], abs=1e-12)
    assert b.snapshot().metrics["heldout_loglik"] == pytest.approx(a.snapshot().metrics["heldout_loglik"], abs=1e-12)


@pytest.fixture(scope="module")
def asia() -> BayesNet:
    return train(BNConfig(dataset="asia", n_rows=1000, method="hybrid", curve_up_to=100, seed=3))


def test_a_network_round_trips_through_xmlbif(asia):
    from pgmpy.readwrite import XMLBIFReader

    raw = asia.save_weights()
    assert BayesNet.WEIGHTS_SUFFIX == "xmlbif" and raw.startswith(b"<?xml")
    assert sorted(XMLBIFReader(string=raw.decode()).get_model().edges()) == sorted(asia.network_.edges())  # plain XMLBIF
    back, data = BayesNet.from_weights(raw, load_data)
    assert data.columns == asia.data_.columns and (data.codes == asia.data_.codes).all()
    assert_same_network(asia, back)


def test_pc_edges_and_an_uploads_state_names_come_back_exactly():
    pc = train(BNConfig(dataset="cancer", n_rows=2000, method="pc", estimator="bayes"))
    assert_same_network(pc, BayesNet.from_weights(pc.save_weights(), load_data)[0])
    # binned numbers, spaces, commas and markup-like text: pgmpy's writer would turn them into '_'
    rows = "".join(f"{i * 0.37:.2f},{['a b', 'x,y', '&amp;', 'é'][i % 4]},{'是否'[i % 2]}\n" for i in range(80))
    raw_csv = ("t,w,z\n" + rows).encode().replace(b"x,y", b'"x,y"')
    config = BNConfig(dataset="upload", bins=3)
    upload = train(config, load_data(config, raw_csv))
    back, data = BayesNet.from_weights(upload.save_weights(), lambda cfg: load_data(cfg, raw_csv))
    assert data.states == upload.data_.states and "x,y" in data.states[1] and "a b" in data.states[1]
    assert all(s.startswith("[") and ", " in s for s in data.states[0])  # '[0.1, 2.3]': three bins
    assert_same_network(upload, back)


def test_a_run_stopped_mid_search_goes_on_where_it_was():
    config = BNConfig(dataset="asia", n_rows=1000, seed=1)
    data = load_data(config)
    whole = train(config, data)
    stopped = BayesNet(config)
    list(stopped.fit(data, steps=3))
    back, data2 = BayesNet.from_weights(stopped.save_weights(), load_data)
    assert back.directed_ is None and back.network_ is None and back.step_ == 3
    assert list(back.climbs_[0].tabu) == list(stopped.climbs_[0].tabu)
    assert back.snapshot().metrics["edges"] == stopped.snapshot().metrics["edges"]
    list(back.fit(data2))
    assert back.directed_ == whole.directed_ and back.step_ == whole.step_ and back.scores_ == whole.scores_


def damaged(raw: bytes) -> list[bytes]:
    text = raw.decode()
    genlab = re.search(r"<PROPERTY>genlab = (.*?)</PROPERTY>", text).group(1)
    state = json.loads(genlab.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    other = {**state, "settings": {**state["settings"], "dataset": "cancer"}}
    first_table = re.search(r"<TABLE>([^<]*)</TABLE>", text).group(1)
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            "<BIF><NETWORK><NAME>&lol2;</NAME></NETWORK></BIF>")
    truth = networks.load_network("asia")
    from core.models.bayesnet_weights import xmlbif_writer

    return [
        b"\x80\x02not a network", b"", b"{}", text[: len(text) // 2].encode(),  # binary, empty, JSON, cut short
        bomb.encode(), text.replace("<BIF", '<!DOCTYPE BIF SYSTEM "file:///etc/passwd"><BIF', 1).encode(),
        str(xmlbif_writer(truth)).encode(),  # a real XMLBIF, but not GenLab's
        text.replace(genlab, genlab.replace("genlab-bayesnet-1", "genlab-bayesnet-9")).encode(),
        text.replace(first_table, "0.5 0.7 ", 1).encode(),  # not a probability distribution
        text.replace(first_table, "nan nan ", 1).encode(),
        text.replace(genlab, json.dumps({**state, "settings": {"seed": "minus one"}})).encode(),
        text.replace(genlab, json.dumps({**state, "scores": "many"})).encode(),
        text.replace(genlab, json.dumps({**state, "directed": state["directed"][1:]})).encode(),  # not the tables' graph
        text.replace(genlab, json.dumps(other)).encode(),  # learned on asia, told it is cancer
    ]


def test_damaged_or_foreign_files_are_refused_in_words(asia):
    said = []
    for bad in damaged(asia.save_weights()):
        with pytest.raises(DataError) as err:
            BayesNet.from_weights(bad, load_data)
        said.append(err.value.words.key.rsplit(".", 1)[1])
        assert english_words(err.value.say("zh"), "bayesnet") == [], err.value.say("zh")
    assert said == ["weights_not_xmlbif"] * 6 + ["weights_not_genlab"] * 2 + ["weights_damaged"] * 5 + \
        ["weights_other_data"]
    with pytest.raises(DataError, match="not a GenLab network file"):
        BayesNet.from_weights(b"\x80\x02", load_data)
    with pytest.raises(DataError, match="other data than 'cancer'"):
        BayesNet.from_weights(damaged(asia.save_weights())[-1], load_data)


def test_an_upload_it_was_not_learned_from_is_refused():
    first = ("a,b\n" + "".join(f"x{i % 2},y{i % 3}\n" for i in range(40))).encode()
    other = ("a,b\n" + "".join(f"x{i % 2},z{i % 3}\n" for i in range(40))).encode()
    model = train(BNConfig(dataset="upload"), tabular.load_discrete_csv(first))
    with pytest.raises(DataError) as err:
        BayesNet.from_weights(model.save_weights(), lambda cfg: load_data(cfg, other))
    assert err.value.words.key == "error.bayesnet.weights_other_data"
    assert "变量或状态不同" in err.value.say("zh")


def test_the_page_offers_the_download_after_training():
    from tests.apptools import open_lab, train_to_the_end

    at = open_lab("bayesnet", timeout=120, preset="asia", n_rows="500", method="hill-climb")
    assert not any(b.label == "Download the model's weights" for b in at.get("download_button"))
    job = train_to_the_end(at, "bayesnet", timeout=120)
    assert job.view().state == "done" and not at.exception
    assert any(b.label == "Download the model's weights" for b in at.get("download_button"))
    assert BayesNet.from_weights(job.model.save_weights(), load_data)[0].directed_ == job.model.directed_
