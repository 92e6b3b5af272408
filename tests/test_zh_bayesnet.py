"""The Bayesian network lab in 中文 leaves no English on the page: every preset and view, trained, and its messages.

The networks' variables and states (asia's `smoke`, `lung`, `yes`) are data, not interface: they stay as
pgmpy names them. The check takes them out per page, from the very table the page shows, so a word such as
"true" is still caught wherever it is not a state of the network on screen. Tables are small (a few
hundred rows): what is checked is the words, not the learning.
"""
import pytest

from core.data import tabular
from core.errors import ConfigError, DataError
from core.i18n import text
from core.models.bayesnet import BayesNet, BNConfig, load_data
from core.presets import presets_for
from tests.apptools import open_lab, train_to_the_end
from tests import english_left as checker
from tests.english_left import WORD, english_words

LAB = "bayesnet"


def data_words(data) -> set[str]:
    """The words of the table's variable and state names (and its network's name): data, shown as it is."""
    if data is None:
        return set()
    names = [*data.columns, *(s for states in data.states for s in states)]
    names += [data.name] if data.truth is not None else []  # an upload's name ('upload') is not shown as data
    return {w for name in names for w in WORD.findall(name)}


def english_left(at, data=None) -> list[str]:
    """tests.english_left.english_left, with the page's own data names taken out (none when `data` is None)."""
    return checker.english_left(at, LAB, data_words(data))


def open_zh(upload: bytes | None = None, **query):
    at = open_lab(LAB, upload=upload, timeout=120, lang="zh", **query)
    assert not at.exception, at.exception
    return at


def shown_data(at, upload: bytes | None = None):
    return load_data(at.session_state[f"{LAB}.config"], upload)


def train(at):
    job = train_to_the_end(at, LAB, timeout=120, label="训练")
    assert not at.exception, at.exception
    assert job.view().state == "done", job.view().words
    return job


@pytest.mark.parametrize("preset", [p.name for p in presets_for(LAB)])
def test_every_preset_before_training_is_all_chinese(preset):
    at = open_zh(preset=preset, n_rows="300")
    assert english_left(at, shown_data(at)) == []
    assert at.title[0].value == "贝叶斯网络实验"
    assert [tab.label for tab in at.tabs] == ["实时学习", "向网络提问", "样本与数据对比", "快照", "理论",
                                              "实际运行的代码"]


def test_asia_trained_twice_every_view_is_all_chinese():
    """Graphs (DAG and CPDAG), scores, tables, inference, samples, snapshots, earlier runs, the code tab."""
    at = open_zh(preset="asia", n_rows="1000")
    data = shown_data(at)
    job = train(at)
    assert english_left(at, data) == []
    at.toggle(key="live-cpdag").set_value(True).run()
    at.toggle(key="scrub-cpdag").set_value(True).run()
    assert not at.exception and english_left(at, data) == []
    train(at)  # a second run: the first one's curve is drawn under it, by a series chosen by name
    assert english_left(at, data) == []
    curve = at.selectbox(key=f"{LAB}.runs.key")
    assert "结构评分" in curve.options and "SHD（结构汉明距离）" in curve.options
    assert {"学到的边数", "SHD（DAG 之间）", "留出集对数似然（奈特/行）"} <= {m.label for m in at.metric}
    assert any(b.label == "下载模型权重" for b in at.get("download_button"))  # the network, as XMLBIF
    assert job.view().snapshots and at.selectbox(key="bayesnet.inf.asia.8.q").value == "lung"


def test_the_learning_curve_and_pc_are_all_chinese():
    at = open_zh(preset="structure-needs-data", n_rows="300", curve_up_to="300", curve_seeds="2")
    data = shown_data(at)
    train(at)
    assert english_left(at, data) == []
    at = open_zh(preset="asia", n_rows="500", method="pc")
    data = shown_data(at)
    train(at)
    assert english_left(at, data) == []
    assert any("PC 算法没有可以逐步观看的过程" in c.value for c in at.caption)


def test_alarm_known_structure_is_all_chinese():
    at = open_zh(preset="alarm-inference", n_rows="500")
    data = shown_data(at)
    train(at)
    assert english_left(at, data) == []
    assert any(c.value.startswith("已知结构") for c in at.caption)


# An upload whose names are Chinese, so nothing of it is taken out as data: every word on the page is checked.
WEATHER = ("天气,带伞,温度\n" + "晴,,20\n" * 2 +
           "".join(f"{'晴雨阴'[i % 3]},{'是否'[i % 2]},{i * 0.37:.2f}\n" for i in range(60))).encode()


def test_an_upload_fixed_as_asked_and_learned_is_all_chinese():
    at = open_zh(upload=WEATHER, dataset="upload", drop_missing="true", bins="3")
    data = shown_data(at, WEATHER)
    assert data_words(data) == set()  # Chinese names, and bins named by numbers
    assert any(c.value.startswith("已按要求丢弃 2 行含缺失值的数据。") for c in at.caption)
    assert english_left(at, data) == []
    train(at)
    assert english_left(at, data) == []


def test_a_bad_upload_and_impossible_settings_are_explained_in_chinese():
    at = open_zh(upload=WEATHER, dataset="upload")
    assert [e.value for e in at.error] == [text("zh", "error.bayesnet.upload_missing", count=2, column="带伞", row=2)]
    assert english_left(at) == []
    at = open_zh(upload=WEATHER, dataset="upload", drop_missing="true", bins="3", known_structure="true")
    next(b for b in at.button if b.label == "训练").click().run()
    assert [e.value for e in at.error] == [text("zh", "error.bayesnet.known_structure_upload")]
    assert english_left(at, shown_data(at, WEATHER)) == []


@pytest.mark.parametrize("raw", [
    "a\nx\ny\n", "a,a\n" + "x,y\n" * 30, "a,b\n" + "x,\n" * 2 + "x,y\n" * 30,
    "a,b\n" + "".join(f"{i * 0.37},y{i % 2}\n" for i in range(60)),
    "a,b\n" + "".join(f"w{i},y{i % 2}\n" for i in range(60)), "a,b\n" + "x,y\n" * 30, "a,<b>\n" + "x,y\n" * 30,
    "a,b\n" + "x,y\n" * 5, ",b\n" + "x,y\n" * 30, ",".join(f"c{i}" for i in range(41)) + "\n" + "1," * 40 + "1\n",
])
def test_every_upload_refusal_is_said_in_chinese(raw):
    with pytest.raises(DataError) as err:
        tabular.load_discrete_csv(raw.encode())
    assert err.value.words.key.startswith(("error.bayesnet.upload_", "error.upload."))
    assert english_words(err.value.say("zh"), LAB) == [], err.value.say("zh")


def test_every_setting_refusal_is_said_in_chinese():
    upload = tabular.load_discrete_csv(("a,b\n" + "".join(f"x{i % 2},y{i % 3}\n" for i in range(40))).encode())
    refusals = []
    for config in (BNConfig(dataset="upload", known_structure=True), BNConfig(dataset="upload", curve_up_to=100),
                   BNConfig(dataset="upload", method="pc")):
        with pytest.raises(ConfigError) as err:
            BayesNet(config).check(upload)
        refusals.append(err.value)
    with pytest.raises(ConfigError) as err:
        load_data(BNConfig(dataset="upload"))
    for refusal in refusals + [err.value]:
        assert english_words(refusal.say("zh"), LAB) == [], refusal.say("zh")


def test_the_english_page_keeps_its_english():
    at = open_lab(LAB, timeout=120, preset="asia", dataset="upload")
    assert at.title[0].value == "Bayesian network lab"
    assert [tab.label for tab in at.tabs] == ["Live learning", "Ask the network", "Samples vs data", "Snapshots",
                                              "Theory", "Code that ran"]
    assert "Network (data)" in [s.label for s in at.sidebar.selectbox]
    assert any("Data is 'upload' but no file was given" in e.value for e in at.error)
    assert any(m.value.startswith("**The factorisation.**") for m in at.markdown)
