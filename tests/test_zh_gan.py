"""The GAN lab in 中文 leaves no English: every view, trained, with its Snapshots tab and its messages.

Budgets are tiny (20 steps, small networks): what is checked is the words, not the learning.
"""
import pytest

from core.data.upload import load_points_csv
from core.errors import DataError, TrainingDiverged
from core.i18n import text
from core.presets import PRESETS
from tests.apptools import open_lab, train_to_the_end
from tests.english_left import english_left, english_words

TINY = dict(steps="20", log_every="5", snapshot_every="10", batch_size="32", g_width="32", d_width="32")
GAN_PRESETS = [name for name, preset in PRESETS.items() if preset.model == "gan"]
ONE_COLUMN = b"x\n" + b"\n".join(str(i).encode() for i in range(20))


def assert_all_chinese(at):
    assert not at.exception, at.exception
    left = english_left(at, "gan")
    assert left == [], "\n".join(left)


@pytest.mark.parametrize("preset", GAN_PRESETS)
def test_every_preset_opens_in_chinese(preset):
    at = open_lab("gan", lang="zh", preset=preset)
    assert_all_chinese(at)
    assert at.title[0].value == "GAN 实验"


@pytest.mark.parametrize("preset, settings", [
    ("ring8-collapse", {}),  # points over D's output, mode coverage, the modes x step heat map
    ("digits-cgan", {}),  # the digits panel: grids, class histogram, interpolation, memorisation
    ("ring8-fixed", {"dataset": "spiral", "loss": "wgan", "grad_clip": "1", "spectral_norm": "true"}),  # critic, clip, no modes
])
def test_trained_page_and_its_snapshots_tab_are_all_chinese(preset, settings):
    at = open_lab("gan", lang="zh", preset=preset, **TINY, **settings)
    train_to_the_end(at, "gan", label="训练")
    assert_all_chinese(at)
    assert at.select_slider, "the Snapshots tab shows its scrubber once training is done"
    train_to_the_end(at, "gan", label="训练")  # a second run: the earlier run's curve appears beside it
    assert_all_chinese(at)
    assert any(s.label == text("zh", "training.curve") for s in at.selectbox)


def test_ring8_collapse_trained_shows_its_diagnostics_in_chinese():
    at = open_lab("gan", lang="zh", preset="ring8-collapse", **TINY)
    train_to_the_end(at, "gan", label="训练")
    labels = [m.label for m in at.metric]
    assert "捕获的模式" in labels and "到均匀分布的反向 KL" in labels
    assert [tab.label for tab in at.tabs] == ["实时训练", "快照", "理论", "运行的代码"]


@pytest.mark.parametrize("preset", ["ring8-clip", "digits-gan"])
def test_the_two_sample_tests_and_the_sample_scores_read_in_chinese(preset):
    at = open_lab("gan", lang="zh", preset=preset, **TINY)
    train_to_the_end(at, "gan", label="训练")
    labels = [m.label for m in at.metric]
    assert {"精确率（k=3）", "召回率（k=3）", "密度（k=5）", "覆盖率（k=5）"} <= set(labels)
    run = text("zh", "gan.two_sample.run")
    next(b for b in at.button if b.label == run).click().run()
    assert_all_chinese(at)
    labels = [m.label for m in at.metric]
    assert text("zh", "gan.metric.c2st") in labels and text("zh", "gan.metric.mmd") in labels
    assert any("p 值" in c.value for c in at.caption)


def test_a_bad_upload_is_explained_in_chinese():
    at = open_lab("gan", upload=ONE_COLUMN, lang="zh", preset="ring8-collapse", dataset="upload")
    assert_all_chinese(at)
    assert [e.value for e in at.error] == ["CSV 文件只有 1 列；二维点需要 2 列数值（x, y）。"]


def test_upload_chosen_without_a_file_is_explained_in_chinese():
    at = open_lab("gan", lang="zh", preset="ring8-collapse", dataset="upload")
    assert_all_chinese(at)
    assert any("请上传" in e.value for e in at.error)


def test_an_impossible_setting_is_explained_in_chinese():
    at = open_lab("gan", lang="zh", preset="ring8-collapse", dataset="spiral", conditional="true")
    next(b for b in at.button if b.label == "训练").click().run()
    assert_all_chinese(at)
    assert any("条件 GAN 需要标签" in e.value for e in at.error)
    assert "gan.job" not in at.session_state


@pytest.mark.parametrize("raw", [
    b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00", b"x,y\n\xff\xfe,1\n", ONE_COLUMN,
    b"x,y,z\n" + b"\n".join(b"1,2,3" for _ in range(20)),
    b"x,y\n1,2\n",
    b"x,y\n" + b"\n".join(f"{i},cat".encode() for i in range(20)),
    b"x,y\n" + b"\n".join(f"{i},{i}".encode() for i in range(20)) + b"\n3,\n",
    b"x,y\n" + b"\n".join(f"{i},1e30".encode() for i in range(20)),
    b"x,y\n" + b"\n".join(f"{i},5".encode() for i in range(20)),
    b"x,y\n" + b"\n".join(f"{i},{i},{i}".encode() for i in range(20)),
    b"x,y\n1,2\n" * 2_000_000,
])
def test_every_upload_refusal_has_its_words_in_both_languages(raw):
    with pytest.raises(DataError) as caught:
        load_points_csv(raw)
    assert caught.value.words.key != "error.untranslated", str(caught.value)
    assert english_words(caught.value.say("zh"), "gan") == []


def test_a_diverged_run_is_explained_in_chinese():
    err = TrainingDiverged(120, "gan.diverged", good=100)
    assert str(err).startswith("Training diverged at step 120") and "(step 100)" in str(err)
    assert english_words(err.say("zh"), "gan") == [] and "第 120 步" in err.say("zh")


def test_the_english_page_keeps_its_english():
    at = open_lab("gan", upload=ONE_COLUMN, preset="ring8-collapse", dataset="upload")
    assert not at.exception
    assert at.title[0].value == "GAN lab"
    assert [tab.label for tab in at.tabs] == ["Live training", "Snapshots", "Theory", "Code that ran"]
    assert [e.value for e in at.error] == ["The CSV has 1 column; 2-D points need 2 numeric columns (x, y)."]
    assert "Watch a GAN collapse (ring8-collapse)" in at.sidebar.selectbox[0].options
