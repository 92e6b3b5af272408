"""The robustness sweep (core/compare/sweep.py) headless: its levels, its JSON contract, Stop, and its chart."""
import json
import time

import pytest

from core.compare import arena, presets
from core.compare.sweep import Sweep, parse_levels, parse_sweep
from core.compare.tasks import load_task
from core.errors import ConfigError
from tests.test_compare import TINY

SETS = [f"--set={f}.{k}={v}" for f, kv in TINY.items() for k, v in kv.items()]


def test_levels_are_checked_ordered_and_start_clean():
    assert parse_levels("outliers", "0.4, 0.1,0.2") == (0.0, 0.1, 0.2, 0.4)  # the clean level added, first
    assert parse_levels("rows", "0.02,0.5") == (1.0, 0.5, 0.02)  # rows: from all of them to the fewest
    assert parse_sweep("outliers=0,0.1")[1] == (0.0, 0.1)
    assert parse_sweep("rows", presets.PRESETS["arena-few-rows"]) == ("rows", (1.0, 0.4, 0.1, 0.02))
    for kind, words, message in [("outliers", "0,lots", "numbers separated by commas"),
                                 ("outliers", "0,1.5", "from 0 to 1"), ("rows", "0", "above 0"),
                                 ("noise", ",".join(str(i) for i in range(9)), "at most 8")]:
        with pytest.raises(ConfigError, match=message):
            parse_levels(kind, words)
    with pytest.raises(ConfigError, match="KIND=L1"):
        parse_sweep("wings=0,1")


def test_the_cli_prints_one_row_per_family_per_level(capsys):
    from core.__main__ import main

    code = main(["compare", "--task", "tabular", "--sweep", "rows=0.5,0.001", "--json", *SETS])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert code == 0 and "level 2 of 3" in captured.err
    assert out["task"] == "tabular" and out["sweep"]["kind"] == "rows"
    assert out["sweep"]["levels"] == [1.0, 0.5, 0.001] and out["sweep"]["train_rows"] == [5000, 2500, None]
    assert [(r["level"], r["family"]) for r in out["rows"]] == [
        (level, family) for level in (1.0, 0.5, 0.001) for family in ("hmm", "bayesnet", "forest", "rnn", "gan")]
    for row in out["rows"]:
        assert set(row) == {"family", "level", "applies", "why", "metrics"}
        if row["family"] == "hmm":
            assert not row["applies"] and "no order in time" in row["why"]
        elif row["level"] == 0.001:  # 5 rows left: said, not trained
            assert not row["applies"] and not row["metrics"] and "Only 5 training rows" in row["why"]
        else:
            assert row["applies"] and 0 <= row["metrics"]["c2st"] <= 1 and row["metrics"]["pairwise_tv"] >= 0


@pytest.mark.parametrize("args, words", [
    (["--task", "tabular", "--sweep", "noise=0.1"], "categories have none"),
    (["--task", "points", "--sweep", "outliers=0,2"], "from 0 to 1"),
    (["--task", "points", "--contaminate", "symbols=0.1"], "2-D points are real numbers"),
])
def test_sweeps_that_make_no_sense_are_one_line_and_exit_2(capsys, args, words):
    from core.__main__ import main

    code = main(["compare", *args])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and words in err and err.count("\n") == 1


def test_stop_keeps_what_finished_and_trains_no_further_level():
    preset = presets.get_preset("arena-points")
    configs = arena.configs(preset, {**TINY, "gan": {"steps": "50000", "width": "32"}})
    sweep = Sweep(load_task("points"), configs, "outliers", (0.0, 0.2, 0.4)).start()
    deadline = time.monotonic() + 60
    while sweep.view().jobs.get("gan", ("queued", 0, 0))[1] == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    sweep.stop()
    sweep.wait(30)
    view = sweep.view()
    assert view.state == "stopped" and not view.active
    assert {r["level"] for r in view.rows} == {0.0}  # the first level's rows, the GAN's unscored
    assert next(r for r in view.rows if r["family"] == "gan")["metrics"] == {}


def test_the_chart_draws_each_family_against_the_level_on_three_panels():
    from core.plots.sweep import sweep_chart

    rows = [{"family": f, "level": level, "applies": True, "why": "",
             "metrics": {"modes": 8 - i, "c2st": 0.5 + level, "c2st_band": [0.47, 0.53],
                         "loglik": None if f == "gan" else -level}}
            for i, level in enumerate((0.0, 0.2)) for f in ("hmm", "gan")]
    fig = sweep_chart(rows, "outliers", ("modes", "modes captured (of 8)"), {"hmm": "HMM", "gan": "GAN"})
    assert len(fig.data) == 6 and [t.text for t in fig.layout.annotations][:3] == [
        "modes captured (of 8)", "C2ST accuracy (0.5 = indistinguishable)", "held-out log-likelihood"]
    gan_loglik = [d for d in fig.data if d.name == "GAN" and d.xaxis == "x3"][0]
    assert len(gan_loglik.x) == 0  # an implicit model draws no likelihood
    assert fig.layout.xaxis.tickformat == ".0%" and len(fig.layout.shapes) >= 3  # the clean level, dashed
    assert all(a.text for a in fig.layout.annotations)  # an annotation without text reads "new text" in plotly.js
    few = sweep_chart([{**r, "level": 1.0 if r["level"] == 0 else 0.5} for r in rows], "rows",
                      ("modes", "m"), {}, train_rows={1.0: 5000, 0.5: 2500})
    assert few.layout.xaxis.type == "log" and sorted(few.data[0].x) == [2500, 5000]
