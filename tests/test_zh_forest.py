"""The random forest lab in 中文 leaves no English: each role, each data set, trained, with its Snapshots tab
and its messages; the English page keeps its English.

Budgets are tiny (a few trees, a few rounds, a few hundred rows): what is checked is the words, not the learning.
"""
import pytest

from core.i18n import text
from core.models.forest import DATASETS
from core.presets import PRESETS
from tests.apptools import open_lab, train_to_the_end
from tests.english_left import english_left

FOREST_PRESETS = [name for name, preset in PRESETS.items() if preset.model == "forest"]


def assert_all_chinese(at):
    assert not at.exception, at.exception
    left = english_left(at, "forest")
    assert left == [], "\n".join(left)


def csv(header: str, rows: list[str]) -> bytes:
    return (header + "\n" + "\n".join(rows)).encode()


@pytest.mark.parametrize("preset", FOREST_PRESETS)
def test_every_preset_opens_in_chinese(preset):
    at = open_lab("forest", lang="zh", preset=preset)
    assert_all_chinese(at)
    assert at.title[0].value == "随机森林实验"
    assert [tab.label for tab in at.tabs] == ["实时训练", "快照", "理论", "实际运行的代码"]


@pytest.mark.parametrize("dataset", [d for d in DATASETS if d != "upload"])
def test_each_data_set_shows_its_preview_in_chinese(dataset):
    """Moons, circles, XOR and the ring as labelled points; the customers table; the digits grid."""
    at = open_lab("forest", lang="zh", preset="moons-classifier", dataset=dataset, n_samples="300")
    assert_all_chinese(at)


@pytest.mark.parametrize("preset, settings", [
    ("moons-classifier", {"steps": "10", "n_samples": "300"}),  # surface, one tree vs forest, sweeps, importances
    ("moons-classifier", {"steps": "10", "n_samples": "300", "dataset": "customers"}),  # a table: named columns
    ("moons-classifier", {"steps": "5", "dataset": "digits"}),  # pixel importances
    ("moons-classifier", {"steps": "5", "n_samples": "300", "dataset": "ring8"}),  # 8 classes: the class map
    ("ring8-arf", {"n_samples": "600", "arf_trees": "10"}),  # rounds, leaf boxes, zoom, modes, C2ST
    ("ring8-arf", {"n_samples": "300", "arf_trees": "10", "dataset": "customers"}),  # marginals with categories
    ("ring8-arf", {"arf_trees": "10", "steps": "1", "dataset": "digits"}),  # digits drawn by FORGE
    ("c2st-demo", {"n_samples": "300"}),  # the judge's band and its sets
])
def test_trained_page_and_its_snapshots_tab_are_all_chinese(preset, settings):
    at = open_lab("forest", lang="zh", preset=preset, **settings)
    job = train_to_the_end(at, "forest", label="训练")
    assert job.view().state == "done" and not at.error, [e.value for e in at.error]
    assert_all_chinese(at)
    assert at.select_slider, "the Snapshots tab shows its scrubber once training is done"


def test_a_second_run_brings_the_earlier_runs_curves_in_chinese():
    at = open_lab("forest", lang="zh", preset="moons-classifier", steps="10", n_samples="300")
    train_to_the_end(at, "forest", label="训练")
    at.sidebar.number_input(key="forest.w.seed").set_value(1)
    train_to_the_end(at, "forest", label="训练")
    assert_all_chinese(at)
    curve = next(s for s in at.selectbox if s.label == text("zh", "training.curve"))
    assert "袋外误差" in curve.options


def test_the_generator_says_why_it_stopped_in_chinese():
    at = open_lab("forest", lang="zh", preset="ring8-arf", n_samples="600", arf_trees="10")
    train_to_the_end(at, "forest", label="训练")
    assert any(s.value.startswith("在第 ") for s in at.success), [s.value for s in at.success]
    assert {"轮数", "覆盖的模式数", "留出数据的对数似然"} <= {m.label for m in at.metric}


@pytest.mark.parametrize("role, upload", [
    ("classifier", csv("x,y,label", [f"{i},{i * 2},a" for i in range(30)])),  # one class only
    ("classifier", csv("label", [str(i % 2) for i in range(30)])),  # no feature column
    ("classifier", csv("x,y,label", [f"{i},oops,{i % 2}" for i in range(30)])),  # text in a number column
    ("generator", csv("x,id", [f"{i},id{i}" for i in range(40)])),  # an id column, not a category
    ("generator", csv("x,colour", [f"{i}," for i in range(20)])),  # an empty cell
], ids=["one-class", "no-features", "text", "id-column", "empty-cell"])
def test_a_bad_upload_is_explained_in_chinese(role, upload):
    at = open_lab("forest", upload=upload, lang="zh", preset="moons-classifier", role=role, dataset="upload")
    assert at.error, "the page says what is wrong with the file"
    assert_all_chinese(at)


def test_a_missing_upload_and_an_impossible_setting_are_explained_in_chinese():
    at = open_lab("forest", lang="zh", preset="moons-classifier", dataset="upload")
    assert at.error
    assert_all_chinese(at)
    at = open_lab("forest", lang="zh", preset="ring8-arf", n_samples="50", min_samples_leaf="100")
    next(b for b in at.button if b.label == "训练").click().run()
    assert any("每片叶子的最少点数" in e.value for e in at.error), [e.value for e in at.error]
    assert_all_chinese(at)


def test_the_code_tab_says_there_is_no_weights_file_in_both_languages():
    at = open_lab("forest", lang="zh", preset="moons-classifier")
    assert any("没有可下载的权重文件" in c.value for c in at.caption)
    at = open_lab("forest", preset="moons-classifier")
    assert any(c.value.startswith("No weights file to download here") for c in at.caption)


def test_the_english_page_keeps_its_english():
    at = open_lab("forest", preset="ring8-arf", n_samples="600", arf_trees="10")
    assert at.title[0].value == "Random forest lab"
    assert [tab.label for tab in at.tabs] == ["Live training", "Snapshots", "Theory", "Code that ran"]
    train_to_the_end(at, "forest")
    assert not at.exception
    assert {"Rounds", "Modes captured", "Held-out log-likelihood"} <= {m.label for m in at.metric}
    assert any(s.value.startswith("Stopped after round ") for s in at.success)
    assert "Role" in [s.label for s in at.sidebar.selectbox]
    assert at.markdown and any(m.value.startswith("**A random forest is a classifier**") for m in at.markdown)
