"""English and 中文: the tables agree, every key the code asks for exists, and the switch works."""
import re
import string
from pathlib import Path

from core.i18n import LANGS, table
from tests.test_pages import open_page

ROOT = Path(__file__).resolve().parent.parent


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_key_with_the_same_fields():
    english = table("en")
    for lang in LANGS:
        other = table(lang)
        assert set(other) == set(english), f"{lang}: missing {set(english) - set(other)}, extra {set(other) - set(english)}"
        for key, text in english.items():
            assert fields(other[key]) == fields(text), f"{lang}.{key}: fields differ"


def test_the_chinese_table_is_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    untranslated = [k for k, v in table("zh").items() if not cjk.search(v) and v != table("en")[k]]
    same = [k for k, v in table("zh").items() if v == table("en")[k] and re.search(r"[a-z]{4}", v)]
    assert not untranslated and not same, same


def test_every_key_the_code_asks_for_exists():
    asked = set()
    for path in list(ROOT.glob("ui/*.py")) + list(ROOT.glob("app_pages/*.py")) + [ROOT / "app.py"]:
        asked |= set(re.findall(r"""\bt\(\s*f?["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    assert asked and asked <= set(table("en")), asked - set(table("en"))


def test_the_switch_is_kept_in_the_url_and_translates_the_page():
    at = open_page("app_pages/gan.py", preset="ring8-collapse", lang="zh")
    assert not at.exception, at.exception
    assert at.query_params["lang"] == "zh"
    labels = [b.label for b in at.button]
    assert "训练" in labels and "Train" not in labels
    home = open_page("app_pages/home.py", lang="zh")
    assert home.title[0].value.startswith("GenLab：")
    assert open_page("app_pages/home.py").title[0].value.startswith("GenLab —")
