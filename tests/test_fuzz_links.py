"""Hostile links: no link crashes a page, and every part of it a page ignores is said, once, short and safe.

Anyone can write a GenLab link, so each page must survive any query string and
say what it ignored: one warning per thing (an unknown preset, a bad value, the
keys that name no setting, a bad `hide=`, `teacher=` or `lang=`), naming it
shortened (core.config.link_text), never longer than LONGEST characters, with no
link text left to act as markdown or HTML, and in 中文 on a 中文 page.

The bulk of the values (every lab's and every Compare family's every setting)
go through the pure parser, core.config.from_query; a dozen links per page go
through Streamlit's AppTest, whose runs cost about a second each.
"""
import random
import re
import unicodedata

import pytest

from core.compare import presets as arena_presets
from core.compare.tasks import DATASETS
from core.config import PAGE_KEYS, config_fields, from_query, info_of, link_text, parse_value, validate
from core.errors import ConfigError
from core.i18n import LANGS
from core.families import FAMILIES as REGISTRY
from core.presets import build_config, presets_for
from tests.apptools import open_lab
from tests.english_left import english_words, page_texts

SEED = 15
LONGEST = 300  # characters of one warning, however long the link
LABS = list(REGISTRY)
FAMILIES = list(REGISTRY)
INJECTIONS = ["<script>alert(1)</script>", "**pwned**", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
              "`code` out", ":red[pwned]", "$\\pwned$", "# pwned", "a\n\n- pwned", "<b>pwned</b>"]
MARKERS = ("<script", "**pwned", "](javascript:", "<img", ":red[", "<b>", "\\pwned")  # markup that acted
FIXED_VALUES = ["", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-1e309", "-0", "-0.0", "0", "-1",
                "-999999999999", "9" * 400, "1" * 5000, "0x10", "1_000", "１２", "٣", "1.5", "3e-4", "true",
                "maybe", "TRUE", "x" * 10_000, "😀" * 60, "\u202eevil", "\x00", "a\x00b", "\u200b", "ring8 ",
                "Upload", "upload", "upload-text", "../../etc/passwd", "'; DROP TABLE x;--", "\ud7ff\ue000",
                "مرحبا", "שלום\u200f", "e\u0301" * 30, *INJECTIONS]
ALPHABETS = [  # what random link text is drawn from: plain, markup, scripts, emoji, the invisible
    "abcdefghijklmnopqrstuvwxyz_.-", "0123456789.-+eE", "`*_[]()<>#!|~$:\\{}&;'\"", "中文训练集设置",
    "مرحبا שלום", "😀🧪👩‍🔬🏳️‍🌈", "\x00\x01\x1b\t\n\r\u202e\u2066\u200b\u2028\ufeff", "e\u0301\u0336",
]


def random_text(rng: random.Random) -> str:
    """A link value or key: a few characters from one to three alphabets, now and then 10,000 of them."""
    pool = "".join(rng.sample(ALPHABETS, rng.randint(1, 3)))
    length = rng.choice([0, 1, 3, 8, 20, 41, 60, 10_000])
    return "".join(rng.choice(pool) for _ in range(length))


def hostile_values(rng: random.Random, n: int = 40) -> list[str]:
    return FIXED_VALUES + [random_text(rng) for _ in range(n)]


def outside_code(text: str) -> str:
    """The text a reader sees as prose (code spans dropped): link text must not be there at all."""
    return re.sub(r"`[^`]*`", " ", text)


def assert_safe_and_brief(message: str, lang: str) -> None:
    assert len(message) <= LONGEST, (len(message), message[:120])
    prose = outside_code(message)
    assert not any(marker in prose for marker in MARKERS), message
    assert not any(unicodedata.category(c).startswith("C") for c in message if c != "\u200d"), repr(message)
    if lang == "zh":
        assert english_words(message, "common") == [], message


# -- the pure functions, with hundreds of values ---------------------------------------------------------
def test_link_text_is_short_plain_and_keeps_what_can_be_read():
    for value in hostile_values(random.Random(SEED), 200):
        said = link_text(value)
        assert len(said) <= 41 and "`" not in said and said, repr(value)
        assert not any(unicodedata.category(c).startswith(("C", "Zl", "Zp")) for c in said if c != "\u200d")
        if value and len(value) <= 40 and value.isprintable() and "`" not in value:
            assert said == value
    assert link_text("x" * 10_000) == "x" * 40 + "…" and link_text("") == '""'


def settings_of_every_page():
    """(label, base config, prefix) for each built lab's default preset and each Compare family."""
    cases = [(lab, build_config(lab, presets_for(lab)[0].name), "") for lab in LABS]
    preset = arena_presets.PRESETS[arena_presets.DEFAULT]
    from core.compare.arena import default_config

    return cases + [(f"compare.{family}", default_config(family, preset), f"{family}.") for family in FAMILIES]


@pytest.mark.parametrize("label, base, prefix", settings_of_every_page(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_setting_takes_a_hostile_value_or_says_why_briefly(label, base, prefix):
    """A value is taken exactly as parse_value reads it, or refused in one short, safe sentence naming the setting."""
    values = hostile_values(random.Random(f"{SEED}.{label}"), 30)
    for f in config_fields(base):
        for value in values:
            config, problems = from_query(base, {f.name: value}, prefix=prefix)
            try:
                wanted = parse_value(f, value)
            except ConfigError:
                assert config == base and len(problems) == 1, (f.name, value)
                for lang in LANGS:
                    message = problems[0].say(lang)
                    assert f"{prefix}{f.name}" in message
                    assert_safe_and_brief(message, lang)
            else:
                assert problems == [] and getattr(config, f.name) == wanted
                validate(config)


@pytest.mark.parametrize("lab", LABS)
def test_keys_that_name_no_setting_are_said_together_once(lab):
    rng = random.Random(f"{SEED}.keys.{lab}")
    base = build_config(lab, presets_for(lab)[0].name)
    fields = {f.name for f in config_fields(base)}
    for _ in range(40):
        junk = [k for k in dict.fromkeys(random_text(rng) for _ in range(rng.randint(1, 12))) if k not in fields
                and k not in PAGE_KEYS]
        if not junk:
            continue
        params = {**{k: "1" for k in junk}, "preset": "x", "lang": "xx", "teacher": "2", "hide": "nope"}
        config, problems = from_query(base, params)
        assert config == base and len(problems) == 1
        for lang in LANGS:
            message = problems[0].say(lang)
            assert all(f"`{link_text(k)}`" in message for k in junk[:3])
            assert len(junk) <= 3 or str(len(junk) - 3) in message
            assert_safe_and_brief(message, lang)


# -- the pages, a dozen links each ------------------------------------------------------------------------
def field_names(lab: str) -> list[str]:
    return [f.name for f in config_fields(REGISTRY[lab].config_class())]


def numeric_fields(lab: str) -> list[str]:
    return [f.name for f in config_fields(REGISTRY[lab].config_class())
            if type(f.default) in (int, float) and not info_of(f).choices]


def lab_links(lab: str, rng: random.Random) -> list[dict]:
    """Fixed hostile links for one lab, then random ones from the same ingredients."""
    numbers = numeric_fields(lab)
    links = [
        {"hide": "dataset", "dataset": "upload"},
        {"dataset": "upload", "lang": "zh", "hide": "dataset,nope"},
        {"teacher": "2", "lang": "xx"},
        {"preset": "x" * 10_000, numbers[0]: "nan", numbers[1]: "1e309", numbers[-1]: "-0"},
        {"foo": INJECTIONS[0], INJECTIONS[1]: "1", INJECTIONS[2]: "y", "dataset": INJECTIONS[0]},
        {"lang": "zh", "teacher": "maybe", "hide": "x" * 10_000 + ",😀", "🧪\u202e": "1", numbers[0]: "inf"},
        {"lang": "zh", **{f"junk{i}": str(i) for i in range(12)}, "preset": "<b>pwned</b>"},
        {"lang": "zh", **{name: rng.choice(FIXED_VALUES) for name in rng.sample(numbers, 3)}},
    ]
    return links + [random_link(rng, field_names(lab), PAGE_KEYS) for _ in range(4)]


def compare_links(rng: random.Random) -> list[dict]:
    links = [
        {"dataset": "upload"},
        {"dataset": "zzz" * 5000, "lang": "zh"},
        {"foo.steps": "3", "gan.nope": "1", "gan.steps": "abc", "teacher": "1", "hide": "dataset"},
        {"preset": "arena-nope" * 1000, "hmm.steps": "1e309", "rnn.lr": "nan", "lang": "xx"},
        {"lang": "zh", INJECTIONS[0]: "1", "gan." + INJECTIONS[1]: "2", "forest.steps": INJECTIONS[2]},
        {"lang": "zh", "preset": "arena-tabular", "dataset": "upload", **{f"x{i}.y": "1" for i in range(9)}},
    ]
    keys = [f"{family}.{f.name}" for family in FAMILIES for f in config_fields(REGISTRY[family].entrant_class().Config)]
    return links + [random_link(rng, rng.sample(keys, 12), ("preset", "lang", "dataset")) for _ in range(5)]


def home_links(rng: random.Random) -> list[dict]:
    links = [{"lang": "xx"}, {"lang": "zh", "preset": "casino", "teacher": "1"},
             {"lang": "zh", INJECTIONS[0]: INJECTIONS[1], "😀" * 5000: "1"}]
    return links + [random_link(rng, ["preset", "steps"], ("lang", "teacher", "hide")) for _ in range(3)]


def random_link(rng: random.Random, settings: list[str], page_keys) -> dict:
    """Two to six parts: a setting with a hostile value, a junk key, or a page key with junk."""
    link = {}
    for _ in range(rng.randint(2, 6)):
        kind = rng.random()
        if kind < 0.5:
            link[rng.choice(settings)] = rng.choice(FIXED_VALUES + [random_text(rng)])
        elif kind < 0.8:
            link[random_text(rng) or "k"] = random_text(rng)
        else:
            link[rng.choice(list(page_keys))] = rng.choice(["xx", "2", "nope,dataset", random_text(rng)])
    link.setdefault("lang", rng.choice(["en", "zh", "xx"]))
    return link


def links() -> list[tuple[str, dict]]:
    rng = random.Random(SEED)
    cases = [("home", link) for link in home_links(rng)] + [("compare", link) for link in compare_links(rng)]
    return cases + [(lab, link) for lab in LABS for link in lab_links(lab, rng)]


def expected_warnings(page: str, link: dict) -> list[list[str]]:
    """For each warning the page owes this link, the names it must hold (at most the first three of a list)."""
    owed, lang = [], link.get("lang")
    if lang is not None and lang.strip().lower() not in LANGS:
        owed.append([link_text(lang)])
    if page == "home":
        rest = [k for k in link if k != "lang"]
        return owed + ([[link_text(k) for k in rest[:3]]] if rest else [])
    if page == "compare":
        return owed + compare_warnings(link)
    return owed + lab_warnings(page, link)


def lab_warnings(lab: str, link: dict) -> list[list[str]]:
    owed, fields = [], {f.name: f for f in config_fields(REGISTRY[lab].config_class())}
    if "preset" in link and link["preset"] not in [p.name for p in presets_for(lab)]:
        owed.append([link_text(link["preset"])])
    owed += [[name] for name, value in link.items() if name in fields and refused(fields[name], value)]
    unknown = [k for k in link if k not in fields and k not in PAGE_KEYS]
    owed += [[link_text(k) for k in unknown[:3]]] if unknown else []
    hidden = [n.strip() for n in link.get("hide", "").split(",") if n.strip() and n.strip() not in fields]
    owed += [[link_text(n) for n in dict.fromkeys(hidden)][:3]] if hidden else []
    teacher = link.get("teacher")
    if teacher is not None and teacher.strip().lower() not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        owed.append([link_text(teacher)])
    return owed


def compare_warnings(link: dict) -> list[list[str]]:
    owed, name = [], link.get("preset", arena_presets.DEFAULT)
    if name not in arena_presets.PRESETS:
        owed.append([link_text(name)])
        name = arena_presets.DEFAULT
    if "dataset" in link and link["dataset"] not in DATASETS[arena_presets.PRESETS[name].task]:
        owed.append([link_text(link["dataset"])])
    unknown = []
    for key, value in link.items():
        family, _, field = key.partition(".")
        fields = {f.name: f for f in config_fields(REGISTRY[family].entrant_class().Config)} if family in REGISTRY else {}
        if field in fields:
            owed += [[key]] if refused(fields[field], value) else []
        elif key not in ("preset", "lang", "dataset"):
            unknown.append(key)
    return owed + ([[link_text(k) for k in unknown[:3]]] if unknown else [])


def refused(f, value: str) -> bool:
    try:
        parse_value(f, value)
    except ConfigError:
        return True
    return False


def page_lang(link: dict) -> str:
    lang = link.get("lang", "en").strip().lower()
    return lang if lang in LANGS else "en"


@pytest.mark.parametrize("page, link", links(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_hostile_link_is_explained_briefly_once_per_thing(page, link):
    at = open_lab(page, **link)
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    owed = expected_warnings(page, link)
    assert len(warnings) == len(owed), (warnings, owed)
    for names in owed:
        assert any(all(name in w for name in names) for w in warnings), (names, warnings)
    lang = page_lang(link)
    for message in warnings:
        assert_safe_and_brief(message, lang)
    for kind, text in page_texts(at):
        assert kind == "plotly_chart" or not any(marker in outside_code(text) for marker in MARKERS), text[:200]
    if lang == "zh":  # what the link's handling draws; the labs' own zh tests check their whole pages
        said = warnings + [e.value for e in at.error] + [c.value for c in at.sidebar.caption]
        assert [text for text in said if english_words(text, page)] == []
    assert_the_url_holds_only_what_the_page_uses(page, at)


def assert_the_url_holds_only_what_the_page_uses(page: str, at) -> None:
    keys = set(at.query_params.keys())
    if page == "home":
        assert keys <= {"lang"}
    elif page == "compare":
        assert all(k in ("preset", "lang", "dataset") or k.partition(".")[0] in REGISTRY for k in keys), keys
    else:
        assert keys <= set(PAGE_KEYS) | set(field_names(page)), keys


@pytest.mark.parametrize("lab", [lab for lab in LABS if "upload" in info_of(
    next(f for f in config_fields(REGISTRY[lab].config_class()) if f.name == "dataset")).choices])
def test_a_hidden_upload_data_set_still_offers_its_uploader_and_says_why(lab):
    at = open_lab(lab, dataset="upload", hide="dataset")
    assert not at.exception, at.exception
    uploaders = [u.proto.id for u in at.get("file_uploader")]
    assert any(i.endswith(f"{lab}.w.upload") for i in uploaders), uploaders
    assert f"{lab}.w.dataset" not in {w.key for w in at.sidebar.selectbox}
    assert any("upload it below" in c.value for c in at.sidebar.caption)
