"""The Compare page in 中文: no English left on any task, before and after a tiny "Train all", nor in its messages.

Each arena preset covers one shared task (points, sequences, tabular, digits);
the budgets in the link are tiny, so every family trains in seconds. The
scoreboard's table is data to the page checker (tests/english_left.py), so its
headers and cells are checked here word by word, and so are the downloads.
"""
import math
import time

import pytest

from core.compare import presets, scoreboard
from core.compare.tasks import load_task
from core.i18n import text
from tests.apptools import open_lab
from tests.english_left import english_left, english_words

TINY = {"gan.steps": "40", "gan.width": "32", "hmm.steps": "6", "hmm.n_states": "4", "forest.steps": "2",
        "forest.n_trees": "5", "rnn.steps": "40", "rnn.hidden": "16", "rnn.batch_size": "32"}  # 2+ points a curve


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def train_all(at, label: str = "全部训练"):
    """Press Train all, wait for every family's job, redraw; returns the run."""
    button(at, label).click().run()
    run = at.session_state["compare.run"]
    for job in run["jobs"].values():
        job.wait(120)
    at.run()
    return run


def table_english(at) -> list[str]:
    """English words in the scoreboard's headers and cells (the page checker does not read tables)."""
    frame = at.dataframe[0].value
    cells = [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    return sorted({w for c in cells for w in english_words(c, "compare")})


@pytest.mark.parametrize("preset", list(presets.PRESETS))
def test_each_task_in_chinese_before_and_after_train_all(preset):
    at = open_lab("compare", lang="zh", preset=preset, **TINY)
    assert not at.exception, at.exception
    assert english_left(at, "compare") == []
    run = train_all(at)
    assert not at.exception, at.exception
    assert all(job.view().state == "done" for job in run["jobs"].values()), \
        {f: (j.view().state, j.view().message) for f, j in run["jobs"].items()}
    assert not at.error
    assert english_left(at, "compare") == []
    assert table_english(at) == []
    assert at.dataframe[0].value.columns[0] == "标尺"
    downloads = {b.label: b for b in at.get("download_button")}
    assert set(downloads) == {"下载计分板（CSV）", "下载计分板（Markdown）"}
    curves = [f for f, job in run["jobs"].items()
              if len(job.view().history.get(run["players"][f].curve, [])) > 1]  # live curves drawn
    assert len(curves) >= 2 and len(at.get("plotly_chart")) == 2 + len(curves)  # and the C2ST bars, the samples


def test_stop_all_and_scoring_the_stopped_models_in_chinese():
    at = open_lab("compare", lang="zh", preset="arena-points", **{**TINY, "gan.steps": "50000", "rnn.steps": "50000"})
    button(at, "全部训练").click().run()
    run = at.session_state["compare.run"]
    deadline = time.monotonic() + 120
    while run["jobs"]["gan"].view().step == 0 and time.monotonic() < deadline:  # the GAN may queue, then train
        time.sleep(0.1)
    button(at, "全部停止").click().run()
    assert not at.exception, at.exception
    assert {f for f, j in run["jobs"].items() if j.view().state == "stopped"} >= {"gan", "rnn"}
    assert english_left(at, "compare") == [] and table_english(at) == []
    score = next(b for b in at.button if b.label.startswith("为提前停止的"))
    score.click().run()
    assert not at.exception, at.exception
    assert english_left(at, "compare") == [] and table_english(at) == []
    assert at.dataframe[0].value.set_index("标尺").loc["留出集对数似然（奈特/点）", "生成对抗网络"] == "隐式模型：没有似然"


def test_the_scoreboard_and_its_downloads_say_every_cell_in_chinese():
    task = load_task("tabular", "asia")
    metrics = {"library": "torch (GAN lab model)", "device": "cuda", "fit_seconds": 1.0,
               "sample_seconds_per_1000": 0.1, "params": 3, "c2st": 0.9, "c2st_band": [0.47, 0.53], "mmd": 0.0,
               "pairwise_tv": 0.01}
    rows = [{"family": "hmm", "applies": False, "why": "隐马尔可夫模型不参加。", "metrics": {}},
            {"family": "bayesnet", "applies": True, "why": "", "metrics": {**metrics, "loglik": -math.inf,
                                                                         "loglik_note": text(
                                                                             "en", "compare.note.zero_density")}},
            {"family": "forest", "applies": True, "why": "", "metrics": {}},
            {"family": "rnn", "applies": True, "why": "", "metrics": {**metrics, "loglik": -2.3, "c2st": 0.5}},
            {"family": "gan", "applies": True, "why": "", "metrics": {**metrics, "loglik": None,
                                                                     "loglik_note": "implicit model: no likelihood"}}]
    headers, body = scoreboard.table(task, rows, "zh")
    words = {w for cell in headers + [c for r in body for c in r] for w in english_words(cell, "compare")}
    assert words == set(), words
    for export in (scoreboard.to_csv(task, rows, "zh"), scoreboard.to_markdown(task, rows, "zh")):
        assert english_words(export, "compare") == []
    english = scoreboard.to_markdown(task, rows)  # the CLI's table keeps its English
    assert "implicit model: no likelihood" in english and "-inf: some held-out" in english and "(in band)" in english


def test_a_missing_and_a_too_short_upload_are_explained_in_chinese():
    at = open_lab("compare", lang="zh", preset="arena-points")
    at.sidebar.selectbox(key="compare.w.dataset").set_value("upload").run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] and all("上传" in e.value for e in at.error)
    assert button(at, "全部训练").disabled
    assert english_left(at, "compare") == []

    at = open_lab("compare", lang="zh", preset="arena-sequences")
    at.session_state["compare.sequences.upload"] = ("short.txt", b"abcab" * 20)  # as if the uploader took it
    at.sidebar.selectbox(key="compare.w.dataset").set_value("upload").run()
    assert not at.exception, at.exception
    assert any("100 个字符" in e.value for e in at.error), [e.value for e in at.error]
    assert english_left(at, "compare") == []


def test_a_bad_link_is_explained_in_chinese():
    at = open_lab("compare", lang="zh", preset="arena-nope", **{"gan.steps": "0", "gan.lr_g": "2"})
    assert not at.exception, at.exception
    assert len(at.warning) == 3 and english_left(at, "compare") == []
    assert at.sidebar.selectbox(key="compare.w.preset").value == presets.DEFAULT


def test_the_english_page_keeps_its_english():
    at = open_lab("compare", preset="arena-tabular")
    assert not at.exception, at.exception
    assert at.title[0].value == "Compare"
    assert button(at, "Train all") and button(at, "Stop all")
    assert [t.label for t in at.tabs] == ["Arena", "Robustness", "Theory"]
    assert "HMM (sits this task out)" in [e.label for e in at.sidebar.expander]
    assert any("no order in time" in c.value for c in at.sidebar.caption)
    assert at.sidebar.selectbox(key="compare.w.dataset").options == ["asia", "upload"]
    assert at.info[0].value.startswith("**Rows of the asia network.** What to notice: Samples of pgmpy's")
