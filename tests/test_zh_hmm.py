"""The HMM lab in 中文 leaves no English: every preset, every view, trained, its Snapshots tab, its messages.

Budgets are tiny (600 observations, 2 restarts, 40 EM iterations): what is checked is the words, not the
learning. The English page keeps its English (a spot check; tests/test_hmm_page.py drives it fully).
"""
import re

import pytest

from core.data.sequences import casino, load_sequence_csv, load_text_sequence, regimes
from core.errors import ConfigError, GenLabError, TrainingDiverged
from core.i18n import table
from core.models.hmm import HMM, HMMConfig, load_data
from core.presets import PRESETS
from tests.apptools import open_lab, train_to_the_end
from tests.english_left import CODE, allowed, english_left, english_words, page_texts

TINY = {"length": "600", "restarts": "2", "n_iter": "40"}
HMM_PRESETS = [name for name, preset in PRESETS.items() if preset.model == "hmm"]
ONE_WORD_PRESETS = [name for name in HMM_PRESETS if re.fullmatch(r"[a-z]+", name)]  # allowed in zh_allowed/hmm.txt
CHINESE_TEXT = ("隐马尔可夫模型的状态看不见，观测看得见。" * 8).encode()


def assert_all_chinese(at):
    assert not at.exception, at.exception
    left = english_left(at, "hmm")
    assert left == [], "\n".join(left)
    presets_only_in_the_picker(at)


def presets_only_in_the_picker(at):
    """The presets' one-word names (casino, weather, regimes) are allowed because the picker shows each
    after its title, as the URL names it; anywhere else they would be untranslated English (a data set's
    name in `code`, as the URL writes it, is the one exception: the checker reads code as code)."""
    assert set(ONE_WORD_PRESETS) <= allowed("hmm")
    picker = {f"({name})" for name in HMM_PRESETS}
    for kind, text in page_texts(at):
        if kind == "selectbox" and any(text.endswith(p) for p in picker):
            text = text[: text.rindex("(")]
        found = [w for w in re.findall(r"[A-Za-z]+", CODE.sub(" ", text)) if w.lower() in ONE_WORD_PRESETS]
        assert not found, f"{found} in {kind}: {text[:120]!r}"


@pytest.mark.parametrize("preset", HMM_PRESETS)
def test_every_preset_opens_in_chinese(preset):
    at = open_lab("hmm", lang="zh", preset=preset, **TINY)
    assert_all_chinese(at)
    assert at.title[0].value == "隐马尔可夫模型（HMM）实验"
    assert [t.label for t in at.tabs] == ["实时训练", "快照", "理论", "实际运行的代码"]


@pytest.mark.parametrize("preset, settings", [
    ("casino", {}),  # categorical, states matched: fair / loaded, both matrices, Viterbi against the truth
    ("weather", {}),  # rain / sun, the umbrella's yes/no emissions
    ("regimes", {}),  # Gaussian: emission densities learned over true
    ("regimes", {"emission": "gmm", "n_mix": "2", "covariance_type": "tied"}),  # mixtures, advanced settings
    ("model-selection", {"select_up_to": "4", "length": "20", "n_states": "2"}),  # BIC/AIC, a size skipped
    ("casino", {"n_states": "3"}),  # states that cannot be paired with the truth: the model's own numbering
])
def test_trained_page_and_its_snapshots_tab_are_all_chinese(preset, settings):
    at = open_lab("hmm", lang="zh", preset=preset, **{**TINY, **settings})
    job = train_to_the_end(at, "hmm", label="训练")
    assert job.view().state == "done", job.view().words
    assert_all_chinese(at)
    assert at.select_slider, "the Snapshots tab shows its scrubber once training is done"
    train_to_the_end(at, "hmm", label="训练")  # a second run: the earlier run's curve appears beside it
    assert_all_chinese(at)
    assert any(s.label == table("zh")["training.curve"] for s in at.selectbox)


def test_the_casino_reads_in_chinese():
    at = open_lab("hmm", lang="zh", preset="casino", **TINY)
    train_to_the_end(at, "hmm", label="训练")
    labels = {m.label for m in at.metric}
    assert {"维特比准确率", "用真实参数的维特比准确率", "转移矩阵误差", "发射参数误差"} <= labels
    assert any("EM 在" in s.value for s in list(at.success) + list(at.warning))
    assert [o for o in at.sidebar.selectbox(key="hmm.w.dataset").options] == \
        ["不诚实的赌场（掷骰子）", "天气与雨伞", "区制转换序列", "上传 CSV", "上传文本"]


@pytest.mark.parametrize("dataset, upload", [
    ("upload", b"roll,state\n" + b"\n".join(f"{i % 6 + 1},{i // 7 % 2}".encode() for i in range(600))),
    ("upload", b"x\n" + b"\n".join(f"{(i * 37) % 101 / 7:.3f}".encode() for i in range(600))),  # real numbers
    ("upload-text", CHINESE_TEXT),
])
def test_an_uploaded_sequence_trains_in_chinese(dataset, upload):
    settings = {**TINY, "emission": "gaussian"} if upload.startswith(b"x\n") else TINY
    at = open_lab("hmm", upload=upload, lang="zh", preset="casino", dataset=dataset, **settings)
    job = train_to_the_end(at, "hmm", label="训练")
    assert job.view().state == "done", job.view().words
    assert_all_chinese(at)


@pytest.mark.parametrize("dataset, upload, words", [
    ("upload", b"roll\n1\n2\n9\n" + b"\n".join(str(i % 6 + 1).encode() for i in range(20)), "骰子点数 1 到 6"),
    ("upload", b"x\n" + b"\n".join(b"3" for _ in range(30)), "只重复一个符号"),
    ("upload", None, "没有给出文件"),
    ("upload-text", b"aaaaaaaaaaaaaaa", "只是一个字符"),
])
def test_a_bad_upload_is_explained_in_chinese(dataset, upload, words):
    at = open_lab("hmm", upload=upload, lang="zh", preset="casino", dataset=dataset)
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert_all_chinese(at)


def test_impossible_settings_are_explained_in_chinese():
    at = open_lab("hmm", lang="zh", preset="regimes", emission="categorical", **TINY)
    next(b for b in at.button if b.label == "训练").click().run()
    assert any("分类发射需要符号" in e.value for e in at.error), [e.value for e in at.error]
    assert "hmm.job" not in at.session_state
    assert_all_chinese(at)


def raised(action, *args) -> GenLabError:
    with pytest.raises(GenLabError) as caught:
        action(*args)
    return caught.value


BAD_UPLOADS = [  # user data kept to digits and a neutral column name, so only our words are checked
    b"state\n" + b"\n".join(b"0" for _ in range(20)),
    b"x,y\n" + b"\n".join(f"{i},{i}".encode() for i in range(20)),
    b"x\n1\n2\n",
    b"x\n1\n2\nnan\n" + b"\n".join(str(i % 3).encode() for i in range(20)),
    b"x\n" + b"\n".join(b"3" for _ in range(30)),
    b"roll\n1\n2\n9\n" + b"\n".join(str(i % 6 + 1).encode() for i in range(20)),
    b"x\n" + b"\n".join(str(i * 10**7).encode() for i in range(60)),
    ("x\n" + "\n".join("字" + chr(0x4E00 + i) for i in range(80))).encode(),  # 80 different symbols
    b"roll,state\n" + b"\n".join(f"{i % 6 + 1},2.5".encode() for i in range(20)),
]


@pytest.mark.parametrize("raw", BAD_UPLOADS)
def test_every_upload_refusal_is_said_in_chinese(raw):
    err = raised(load_sequence_csv, raw)
    assert err.words.key != "error.untranslated", str(err)  # a key, not a sentence only English has
    assert english_words(err.say("zh"), "hmm") == [], err.say("zh")


@pytest.mark.parametrize("raw", [b"abc", "马马马马马马马马马马马马".encode()])
def test_every_text_refusal_is_said_in_chinese(raw):
    err = raised(load_text_sequence, raw)
    assert err.words.key != "error.untranslated", str(err)
    assert english_words(err.say("zh"), "hmm") == [], err.say("zh")


def _checked(config, data):
    HMM(config).check(data)


@pytest.mark.parametrize("config, data", [
    (HMMConfig(emission="categorical", dataset="regimes"), regimes(200)),
    (HMMConfig(emission="gaussian"), load_sequence_csv(b"x\n" + b"\n".join(str(i % 4).encode() for i in range(30)))),
    (HMMConfig(emission="gaussian"), load_sequence_csv(b"s\n" + b"\n".join(b"ab"[i % 2:i % 2 + 1] for i in range(30)))),
    (HMMConfig(emission="gmm"), load_sequence_csv(b"s\n" + b"\n".join(b"ab"[i % 2:i % 2 + 1] for i in range(30)))),
    (HMMConfig(emission="gmm"), load_sequence_csv(b"x\n" + b"\n".join(str(i % 4).encode() for i in range(30)))),
    (HMMConfig(n_states=5), casino(4)),
    (HMMConfig(n_states=5), load_sequence_csv(b"x\n" + b"\n".join(b"12"[i % 2:i % 2 + 1] for i in range(10)))),
    (HMMConfig(n_states=10, emission="gaussian"), regimes(60)),
    (HMMConfig(n_states=8, emission="gmm"), regimes(60)),
])
def test_impossible_settings_are_said_in_chinese(config, data):
    err = raised(_checked, config, data)
    assert isinstance(err, ConfigError) and err.words.key.startswith("error.hmm."), err.words.key
    assert english_words(err.say("zh"), "hmm") == [], err.say("zh")


def test_missing_upload_weights_and_breakdowns_are_said_in_chinese():
    errors = [raised(load_data, HMMConfig(dataset=name)) for name in ("upload", "upload-text")]
    errors += [raised(HMM.from_weights, b"not json", None),
               raised(HMM.from_weights, b'{"format": "genlab-hmm-1", "settings": {}, "parameters": {}}',
                      lambda cfg: casino(50)),
               raised(HMM().sample, 5),
               TrainingDiverged(12, "hmm.broke_down", restart=2)]
    for err in errors:
        assert err.words.key.startswith("error.hmm."), err.words.key
        assert english_words(err.say("zh"), "hmm") == [], err.say("zh")
    assert str(errors[-1]).startswith("EM broke down in restart 2 (")


def test_every_hmm_word_has_its_chinese():
    en, zh = table("en"), table("zh")
    ours = [k for k in en if k.startswith(("hmm.", "plot.hmm.", "error.hmm."))]
    assert ours and all(k in zh for k in ours)
    for key in ours:  # the words around the {fields} (the page's tests check them filled in)
        assert english_words(re.sub(r"\{[^}]*\}", " ", zh[key]), "hmm") == [], f"{key}: {zh[key]}"
    for name in HMM_PRESETS:
        assert english_words(zh[f"preset.{name}.title"] + zh[f"preset.{name}.notice"], "hmm") == []


def test_the_data_names_its_states_and_observations_in_the_readers_language():
    data = casino(50)
    assert [data.state_name(k) for k in range(3)] == ["fair", "loaded", "state 2"]
    assert [data.state_name(k, "zh") for k in range(3)] == ["公平", "作弊", "状态 2"]
    assert data.axis_title() == data.obs_label == "die face (1-6)" and data.axis_title("zh") == "骰子点数（1-6）"
    upload = load_sequence_csv(b"x\n" + b"\n".join(str(i % 3).encode() for i in range(20)))
    assert upload.axis_title("zh") == "x"  # a user's column keeps its own name


def test_the_english_page_keeps_its_english():
    at = open_lab("hmm", preset="casino", **TINY)
    train_to_the_end(at, "hmm")
    assert not at.exception, at.exception
    assert at.title[0].value == "HMM lab"
    assert {"Viterbi accuracy", "Transition error"} <= {m.label for m in at.metric}
    assert [t.label for t in at.tabs] == ["Live training", "Snapshots", "Theory", "Code that ran"]
    assert any(s.value.startswith("The best restart, at step") for s in at.subheader)
    charts = " ".join(text for kind, text in page_texts(at) if kind == "plotly_chart")
    assert "Decoding the hidden states" in charts and "Learned transitions P(next | now)" in charts
    assert "fair" in charts and "公平" not in charts
    err = raised(load_sequence_csv, b"roll\n1\n2\n9\n" + b"\n".join(str(i % 6 + 1).encode() for i in range(20)))
    assert str(err) == "Column 'roll' must hold die faces 1 to 6; row 4 holds '9'."
