"""English and 中文: the tables agree, every key the code asks for exists, and the switch works."""
import re
import string
from pathlib import Path

from core.i18n import LANGS, table
from tests.test_pages import open_page

ROOT = Path(__file__).resolve().parent.parent


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


OWN_ENGLISH = ("param.", "param_help.", "preset.", "choice.", "series.")  # English in core (or the value itself)
TRANSLATED_LABS = ("gan", "hmm", "rnn", "bayesnet", "forest")  # Compare: param.compare.<family>.<field>


def test_every_language_has_every_key_with_the_same_fields():
    english = table("en")
    for lang in LANGS:
        other = table(lang)
        extra = {k for k in set(other) - set(english) if not k.startswith(OWN_ENGLISH)}
        assert set(english) <= set(other) and not extra, f"{lang}: missing {set(english) - set(other)}, extra {extra}"
        for key, text in english.items():
            assert fields(other[key]) == fields(text), f"{lang}.{key}: fields differ"


def test_translated_labs_have_every_setting_in_chinese_and_nothing_stale():
    from core.config import config_fields, info_of
    from core.families import FAMILIES

    zh = table("zh")
    for model, spec in FAMILIES.items():
        fields_ = {f.name: info_of(f) for f in config_fields(spec.config_class())}
        for key in zh:
            if key.startswith((f"param.{model}.", f"param_help.{model}.")):
                assert key.rsplit(".", 1)[1] in fields_, f"{key}: no such setting"
        if model in TRANSLATED_LABS:
            for name, info in fields_.items():
                assert f"param.{model}.{name}" in zh, f"param.{model}.{name} missing in zh"
                assert not info.help or f"param_help.{model}.{name}" in zh, f"param_help.{model}.{name} missing"


def test_the_chinese_table_is_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    english = table("en")
    only_fields = re.compile(r"^(\{\w+\}\s*)+$")
    same = [k for k, v in table("zh").items()
            if not cjk.search(v) and not only_fields.match(v) and (v == english.get(k) or len(v) > 12)]
    assert not same, same  # short names such as "Adam beta1" may stay as they are


def test_every_key_the_code_asks_for_exists():
    asked = set()
    for path in list(ROOT.glob("ui/*.py")) + list(ROOT.glob("app_pages/*.py")) + [ROOT / "streamlit_app.py"]:
        asked |= set(re.findall(r"""\bt\(\s*f?["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    assert asked and asked <= set(table("en")), asked - set(table("en"))


def test_the_switch_is_kept_in_the_url_and_translates_the_page():
    at = open_page("app_pages/gan.py", preset="ring8-collapse", lang="zh")
    assert not at.exception, at.exception
    assert at.query_params["lang"] == "zh"
    labels = [b.label for b in at.button]
    assert "训练" in labels and "Train" not in labels
    assert "随机种子" in [w.label for w in at.sidebar.number_input]
    home = open_page("app_pages/home.py", lang="zh")
    assert home.title[0].value.startswith("GenLab：")
    assert open_page("app_pages/home.py").title[0].value.startswith("GenLab —")


def test_every_error_a_person_sees_is_a_key_in_the_tables():
    """core raises GenLabErrors by key (error.<key> in en and zh), never as a bare English sentence."""
    raised = re.compile(r"(?:DataError|ConfigError|GenLabError|MetricsError)\(\s*f?[\"']([^\"']*)[\"']")
    sentences, keys = [], set()
    for path in list(ROOT.glob("core/**/*.py")) + list(ROOT.glob("ui/*.py")):
        for first in raised.findall(path.read_text()):
            if " " in first.split("{")[0]:
                sentences.append(f"{path.name}: {first}")
            elif "{" not in first:
                keys.add(first)
    assert not sentences, sentences
    missing = sorted(k for k in keys if f"error.{k}" not in table("en"))
    assert keys and not missing, missing


def test_every_preset_and_every_worded_choice_reads_in_chinese():
    from core.compare.presets import PRESETS as ARENA
    from core.config import config_fields, info_of
    from core.families import FAMILIES
    from core.presets import PRESETS
    from tests.english_left import english_words

    zh = table("zh")
    for name in list(PRESETS) + list(ARENA):
        assert f"preset.{name}.title" in zh and f"preset.{name}.notice" in zh, name
    for model, spec in FAMILIES.items():
        for f in config_fields(spec.config_class()):
            for value in info_of(f).choices:
                if isinstance(value, str) and english_words(value.replace("-", " "), model):
                    assert f"choice.{model}.{f.name}.{value}" in zh, f"choice.{model}.{f.name}.{value}"
