"""Fuzz: hundreds of hostile uploads through every lab's and Compare's loaders, as Train uses them.

Each file goes where a page sends it: the lab's `load_data(config, upload)`
and its model's `check(data)` (what Train runs before a job starts), or
Compare's `load_task`. Whatever happens, it is either accepted or refused by a
GenLabError whose words exist in English and 中文 and quote the file briefly;
never another exception. Accepted files also train two steps, so a file that
passes the checks cannot fail later, inside a job.
"""
import dataclasses
import re

import pytest

from core.compare.tasks import load_task
from core.errors import GenLabError
from core.i18n import table
from core.models import bayesnet, forest, gan, hmm, rnn
from tests.fuzz_files import hostile_files

MUTATIONS = 40  # per kind: with the fixed list, about 460 files and 900 loads in all
CJK = re.compile(r"[\u4e00-\u9fff]")

LABS = {  # name -> (kind of file, config, module with load_data, model class)
    "gan-points": ("points", gan.GANConfig(dataset="upload", batch_size=64, steps=2), gan, gan.GAN),
    "hmm-sequence": ("sequence", hmm.HMMConfig(dataset="upload", n_iter=2, restarts=1), hmm, hmm.HMM),
    "hmm-gaussian": ("sequence", hmm.HMMConfig(dataset="upload", emission="gaussian", n_iter=2, restarts=1), hmm, hmm.HMM),
    "hmm-rolls": ("rolls", hmm.HMMConfig(dataset="upload", n_iter=2, restarts=1), hmm, hmm.HMM),
    "hmm-text": ("text", hmm.HMMConfig(dataset="upload-text", n_iter=2, restarts=1), hmm, hmm.HMM),
    "rnn-text": ("text", rnn.RNNConfig(dataset="upload", steps=2, seq_len=16), rnn, rnn.RNN),
    "bayesnet": ("discrete", bayesnet.BNConfig(dataset="upload", max_iter=2), bayesnet, bayesnet.BayesNet),
    "bayesnet-fixes": ("discrete", bayesnet.BNConfig(dataset="upload", max_iter=2, drop_missing=True, bins=3),
                       bayesnet, bayesnet.BayesNet),
    "forest-classifier": ("labelled", forest.ForestConfig(dataset="upload", steps=2), forest, forest.Forest),
    "forest-generator": ("mixed", forest.ForestConfig(dataset="upload", role="generator", steps=1), forest,
                         forest.Forest),
    "forest-judge": ("mixed", forest.ForestConfig(dataset="upload", role="judge", steps=2), forest, forest.Forest),
}
ARENA = {"compare-points": ("points", "points"), "compare-sequences": ("text", "sequences"),
         "compare-tabular": ("discrete", "tabular")}


def assert_worded(err: GenLabError) -> None:
    """A refusal a page can show: its words in both tables, Chinese in 中文, the file quoted briefly."""
    key = err.words.key
    assert key in table("en") and key in table("zh"), f"{key} lacks its English or 中文"
    en, zh = err.say("en"), err.say("zh")
    assert CJK.search(zh), f"{key} reads no Chinese: {zh}"
    for said in (en, zh):
        assert len(said) < 500 and "\n" not in said, f"{key} quotes too much: {said[:200]}"


def load_or_refuse(action) -> object | None:
    try:
        return action()
    except GenLabError as err:
        assert_worded(err)
        return None


def train_two_steps(model, data) -> None:
    try:
        for _ in model.fit(data, 2):
            pass
    except GenLabError as err:  # a diverged loss or an impossible combination, in words, is allowed
        assert_worded(err)


@pytest.mark.parametrize("lab", LABS)
def test_every_hostile_upload_is_accepted_or_refused_in_words(lab):
    kind, config, module, model_class = LABS[lab]
    trained = 0
    for name, raw in hostile_files(kind, MUTATIONS):
        def check():
            data = module.load_data(config, raw)
            model_class(config).check(data)
            return data

        try:
            data = load_or_refuse(check)
        except Exception as err:  # noqa: BLE001 - the point of the test: name the file that broke a lab
            raise AssertionError(f"{lab}: {name} raised {type(err).__name__}: {err}") from err
        if data is not None and trained < 3 and len(raw) < 100_000:  # a few accepted files also train
            train_two_steps(model_class(dataclasses.replace(config)), data)
            trained += 1


@pytest.mark.parametrize("entrant", ARENA)
def test_every_hostile_upload_to_the_arena_is_accepted_or_refused_in_words(entrant):
    kind, task = ARENA[entrant]
    for name, raw in hostile_files(kind, MUTATIONS):
        try:
            load_or_refuse(lambda: load_task(task, "upload", raw))
        except Exception as err:  # noqa: BLE001
            raise AssertionError(f"{entrant}: {name} raised {type(err).__name__}: {err}") from err


def test_the_fuzz_is_hostile_enough():
    """Most mutations are refused and some accepted: a generator that only made good files would prove nothing."""
    outcomes = [load_or_refuse(lambda: gan.load_data(LABS["gan-points"][1], raw)) is None
                for _, raw in hostile_files("points", MUTATIONS)]
    assert len(outcomes) >= 60 and 0.3 < sum(outcomes) / len(outcomes) < 0.95


# -- the pages: a hostile file in the sidebar, then Train, in English and in 中文 ---------------------------
PAGE_FILES = {"en": ["bom", "cr-only", "big-field", "many-rows"], "zh": ["open-quote", "semicolon"]}
PAGES = {  # page -> (kind of file, link settings that pick the upload, the first Train's label)
    "gan": ("points", {"dataset": "upload", "steps": "5", "batch_size": "64"}),
    "hmm": ("rolls", {"dataset": "upload", "n_iter": "2", "restarts": "1"}),
    "rnn": ("text", {"dataset": "upload", "steps": "3", "seq_len": "16"}),
    "bayesnet": ("discrete", {"dataset": "upload", "max_iter": "2"}),
    "forest": ("labelled", {"dataset": "upload", "steps": "5"}),
}
TRAIN = {"en": "Train", "zh": "训练"}


def _files(kind: str, names=PAGE_FILES["en"]) -> dict[str, bytes]:
    return {name: raw for name, raw in hostile_files(kind, 0) if name in names}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_file_in_a_lab_page_is_said_and_train_stays_safe(page, lang):
    from tests.apptools import open_lab

    kind, link = PAGES[page]
    for name, raw in _files(kind, PAGE_FILES[lang]).items():
        at = open_lab(page, upload=raw, lang=lang, **link)
        assert not at.exception, f"{page}/{name}: {at.exception}"
        said = [e.value for e in at.error] + [c.value for c in at.caption]
        if lang == "zh":
            assert all(CJK.search(s) for s in [e.value for e in at.error]), f"{page}/{name}: {said}"
        train = [b for b in at.button if b.label == TRAIN[lang]]
        if train:
            train[0].click().run()
            assert not at.exception, f"{page}/{name} after Train: {at.exception}"
            job = at.session_state[f"{page}.job"] if f"{page}.job" in at.session_state else None
            if job is not None:
                job.wait(60)
                at.run()
                assert not at.exception, f"{page}/{name} trained: {at.exception}"
                words = job.words
                assert words is None or words.key != "job.bug", f"{page}/{name}: {words}"  # a bare exception
                assert words is None or CJK.search(words.say("zh")), f"{page}/{name}: {words}"


def test_a_huge_upload_is_cut_and_the_page_says_so():
    from tests.apptools import open_lab

    at = open_lab("forest", upload=_files("labelled")["many-rows"], **PAGES["forest"][1])
    assert not at.exception and not at.error
    assert any("a random 5,000 of them (seed 0) are used" in c.value.replace("\\", "") for c in at.caption), \
        [c.value for c in at.caption]


@pytest.mark.parametrize("task, kind", [("points", "points"), ("sequences", "text"), ("tabular", "discrete")])
def test_a_hostile_file_in_the_arena_is_said_and_train_all_waits(task, kind):
    from tests.test_compare_page import open_compare

    for name, raw in _files(kind).items():
        at = open_compare(preset=f"arena-{task}")
        at.session_state[f"compare.{task}.upload"] = (f"{name}.csv", raw)
        at.sidebar.selectbox(key="compare.w.dataset").set_value("upload").run()
        assert not at.exception, f"{task}/{name}: {at.exception}"
        if at.error:  # refused: Train all stays off, so nothing can fail inside a job later
            assert next(b for b in at.button if b.label == "Train all").disabled, f"{task}/{name}"
