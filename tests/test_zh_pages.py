"""The 中文 interface leaves no English on the pages and parts every lab shares.

Each lab has its own test (tests/test_zh_<lab>.py) over its presets, tabs and
messages; this one covers the home page and the shared frame (buttons, status,
earlier runs, code tab, errors from core).
"""
from core.errors import ConfigError
from tests.apptools import open_lab, train_to_the_end
from tests.english_left import english_left, english_words


def test_home_page_in_chinese_has_no_english_left():
    at = open_lab("home", lang="zh")
    assert not at.exception
    assert english_left(at, "home") == []


def test_core_errors_are_said_in_the_readers_language():
    err = ConfigError("config.min", name="steps", min=1, value=0)
    assert str(err) == "'steps' must be at least 1; got 0."
    assert english_words(err.say("zh"), "common") == []
    from core.config import parse_value
    from core.models.gan import GANConfig
    from dataclasses import fields

    try:
        parse_value(next(f for f in fields(GANConfig) if f.name == "lr_g"), "fast")
    except ConfigError as err:
        assert "must be a number" in str(err) and "必须是数" in err.say("zh")


def test_checker_finds_english():
    assert english_words("训练 finished at step 5 of ring8-collapse, $\\log D(x)$, `lr_g`, BIC", "common") == \
        ["finished", "step"]


def test_the_run_report_is_written_in_the_readers_language():
    from core.report import run_report

    at = open_lab("gan", preset="ring8-collapse", steps="20", lang="zh")
    job = train_to_the_end(at, "gan", label="训练")
    zh = run_report("生成对抗网络", "ring8-collapse", job.model.config, job.view(), "cpu", "python -m core gan",
                    lang="zh", page="gan")
    assert "## 设置" in zh and "随机种子" in zh and "Settings" not in zh and "Date" not in zh
