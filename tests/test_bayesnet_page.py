"""The Bayesian network page through Streamlit's AppTest, the way a teacher drives it (small tables)."""
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.apptools import open_lab
from tests.apptools import train_to_the_end as train_lab

ROOT = Path(__file__).resolve().parent.parent


def open_bn(upload: bytes | None = None, **query) -> AppTest:
    return open_lab("bayesnet", upload, timeout=90, **query)


def train_to_the_end(at: AppTest):
    return train_lab(at, "bayesnet", timeout=90)


def test_asia_preset_learns_and_draws_every_view():
    at = open_bn(preset="asia", n_rows="2000")
    assert any("Asia" in i.value for i in at.info)
    job = train_to_the_end(at)
    assert not at.exception, at.exception
    assert job.view().state == "done" and not at.error
    assert {"Edges learned", "SHD (DAGs)", "CPDAG-SHD", "Held-out log-lik. (nats/row)"} <= {m.label for m in at.metric}
    assert at.selectbox(key="bayesnet.inf.asia.8.q").value == "lung"  # the inference tab asks its question
    assert at.multiselect(key="bayesnet.inf.asia.8.ev").value == ["xray", "dysp"]
    at.selectbox(key="bayesnet.inf.asia.8.q").set_value("tub").run()
    assert not at.exception and job.view().state == "done"
    assert len(job.view().snapshots) >= 2  # the search's snapshots, then the parameters' one


def test_alarm_inference_preset_learns_tables_only():
    at = open_bn(preset="alarm-inference", n_rows="1000")
    job = train_to_the_end(at)
    assert not at.exception, at.exception
    metrics = job.view().snapshots[-1].metrics
    assert metrics["shd"] == 0 and job.view().step == 2
    assert metrics["query"] == "P(HYPOVOLEMIA | CVP=HIGH, BP=LOW)"
    assert at.multiselect(key="bayesnet.inf.alarm.37.ev").value == ["CVP", "BP"]


def test_a_bad_upload_is_explained_and_its_fix_offered():
    gaps = b"a,b\n" + b"x,\n" * 3 + b"".join(b"x%d,y%d\n" % (i % 2, i % 3) for i in range(40))
    at = open_bn(upload=gaps, dataset="upload")
    assert not at.exception
    assert any("missing values" in e.value and "drop_missing" in e.value for e in at.error)
    at = open_bn(upload=gaps, dataset="upload", drop_missing="true")
    assert not at.exception and not at.error
    job = train_to_the_end(at)
    assert job.view().state == "done" and "shd" not in job.view().snapshots[-1].metrics


def test_other_pages_do_not_import_pgmpy():
    """pgmpy takes seconds to import: the registry, the presets and this lab's modules load it lazily."""
    code = ("import sys, core.presets, core.models, core.models.bayesnet, core.models.bayesnet_views, "
            "core.data.networks, core.plots.bayesnet; print('pgmpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_settings_show_only_where_they_apply():
    def keys(at):
        return {w.key for w in list(at.sidebar.number_input) + list(at.sidebar.toggle) + list(at.sidebar.slider)}

    at = open_bn(preset="asia")
    assert "bayesnet.w.bins" not in keys(at) and "bayesnet.w.n_rows" in keys(at)
    at = open_bn(preset="asia", dataset="upload", method="pc")
    assert {"bayesnet.w.bins", "bayesnet.w.drop_missing", "bayesnet.w.significance"} <= keys(at)
    assert "bayesnet.w.n_rows" not in keys(at) and "bayesnet.w.max_iter" not in keys(at)
