"""The RNN lab in 中文 leaves no English on the page: every task, one cell and three, trained, and its messages.

Budgets are tiny (a few steps, a few hidden units): what is checked is the words, not the learning.
"""
import pytest

from core.errors import ConfigError, DataError, TrainingDiverged
from core.i18n import table, text
from core.presets import presets_for
from tests.apptools import open_lab, train_to_the_end
from tests.english_left import english_left, english_words

TINY = {"steps": "10", "snapshot_every": "5", "log_every": "5", "hidden_size": "8", "seq_len": "12"}
POEM = "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。" * 20


def open_zh(upload: bytes | None = None, **query):
    at = open_lab("rnn", upload=upload, lang="zh", **{**TINY, **query})
    assert not at.exception, at.exception
    return at


def train(at):
    job = train_to_the_end(at, "rnn", label="训练")
    assert not at.exception, at.exception
    assert job.view().state == "done", job.view().words
    return job


@pytest.mark.parametrize("preset", [p.name for p in presets_for("rnn")])
def test_every_preset_before_training_is_all_chinese(preset):
    at = open_zh(preset=preset)
    assert english_left(at, "rnn") == []
    assert at.title[0].value == "RNN 实验"
    assert [tab.label for tab in at.tabs] == ["实时训练", "快照", "理论", "实际运行的代码"]


@pytest.mark.parametrize("preset", ["vanishing-gradients", "reber-lstm", "text-gru", "sine-lstm"])
def test_every_task_trained_is_all_chinese(preset):
    """Recall with three cells side by side, Reber (valid share, live sampler), text, a wave's continuation."""
    at = open_zh(preset=preset)
    train(at)
    assert english_left(at, "rnn") == []
    assert at.get("plotly_chart") and len(at.get("plotly_chart")) >= 5
    assert any(b.label == "下载模型权重" for b in at.get("download_button"))  # the weights, in the code tab
    assert any(m.label.startswith("合法字符串") for m in at.metric) == (preset.startswith("reber"))


def test_snapshots_and_earlier_runs_are_all_chinese():
    """Two runs of three cells: the scrubber shows a snapshot, the overlay names the earlier run's series."""
    at = open_zh(preset="vanishing-gradients")
    train(at)
    at.sidebar.number_input(key="rnn.w.seed").set_value(1)
    at.run()
    train(at)
    assert at.select_slider and at.select_slider[0].label == "查看第几步的快照"
    picker = next(s for s in at.selectbox if s.label == "要比较的曲线")
    assert "训练损失（LSTM）" in picker.options
    picker.set_value("val_loss_gru").run()
    assert not at.exception, at.exception
    assert english_left(at, "rnn") == []


def test_an_uploaded_chinese_text_trains_all_in_chinese():
    at = open_zh(upload=POEM.encode(), dataset="upload", seq_len="20")
    assert not at.error
    train(at)
    assert english_left(at, "rnn") == []


@pytest.mark.parametrize("query, upload", [
    ({"dataset": "upload"}, None),  # no file yet
    ({"dataset": "upload"}, b"\x00\x01binary" * 40),
    ({"dataset": "upload"}, "短文本。".encode()),
    ({"dataset": "upload"}, b"a" * 300),
    ({"dataset": "upload", "seq_len": "200"}, "短文本，不够长。".encode() * 38),  # an impossible setting
])
def test_bad_uploads_and_impossible_settings_are_explained_in_chinese(query, upload):
    at = open_zh(upload=upload, **query)
    assert at.error, "the page says what is wrong"
    assert english_left(at, "rnn") == []


def test_every_message_core_raises_reads_in_chinese():
    zh = table("zh")
    keys = [k for k in table("en") if k.startswith("error.rnn.")]
    assert len(keys) >= 10 and all(k in zh for k in keys)
    samples = {"total": "304", "seq_len": 200, "window": 201, "longest": 30, "step": 40, "back": 30, "chars": 5,
               "min_chars": 100, "distinct": "3,000", "max_vocab": 500, "kind": "RuntimeError"}
    for key in keys:
        assert english_words(text("zh", key, **samples), "rnn") == [], key
    err = TrainingDiverged(40, "rnn.diverged", back=30)
    assert str(err).startswith("Training diverged at step 40") and "步发散" in err.say("zh")
    assert "Sequence length' to 30" in str(ConfigError("rnn.seq_too_long_chars", total="304", seq_len=200,
                                                       window=201, longest=30))
    assert "GenLab" in DataError("rnn.weights_not_rnn").say("zh")


def test_every_setting_choice_and_preset_has_its_chinese():
    from core.config import config_fields, info_of
    from core.models.rnn import RNNConfig

    zh = table("zh")
    for f in config_fields(RNNConfig):
        info = info_of(f)
        assert f"param.rnn.{f.name}" in zh
        assert not info.help or f"param_help.rnn.{f.name}" in zh, f.name
        for value in info.choices or ():
            assert f"choice.rnn.{f.name}.{value}" in zh, (f.name, value)
    for preset in presets_for("rnn"):
        assert f"preset.{preset.name}.title" in zh and f"preset.{preset.name}.notice" in zh


def test_the_english_page_keeps_its_english():
    at = open_lab("rnn", preset="vanishing-gradients", **TINY)
    assert not at.exception, at.exception
    assert at.title[0].value == "RNN lab"
    assert [tab.label for tab in at.tabs] == ["Live training", "Snapshots", "Theory", "Code that ran"]
    train_to_the_end(at, "rnn")
    assert not at.exception, at.exception
    labels = {m.label for m in at.metric}
    assert {"vanilla RNN accuracy", "LSTM gradient ratio first/last", "GRU val loss"} <= labels
    assert any(b.label == "Download the model's weights" for b in at.get("download_button"))
    assert any("Dotted (when the last update was clipped)" in c.value for c in at.caption)
    assert any(m.value.startswith("**The vanilla RNN** (Elman, 1990)") for m in at.markdown)  # the Theory tab
