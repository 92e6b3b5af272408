"""The Compare arena headless: every task with tiny budgets, the scoreboard, the CLI."""
import json
import math

import numpy as np
import pytest

from core.compare import arena, presets, scoreboard
from core.compare.encoding import Bins
from core.compare.tasks import load_task
from core.errors import ConfigError, DataError

TINY = {  # seconds, not minutes: the arena's code path, not its quality
    "gan": {"steps": "20", "width": "32"},
    "hmm": {"steps": "3", "n_states": "4"},
    "forest": {"steps": "1", "n_trees": "5"},
    "rnn": {"steps": "10", "hidden": "16", "batch_size": "32"},
    "bayesnet": {},
}
EXPECTED = {  # which families play each task
    "points": {"hmm", "bayesnet", "forest", "rnn", "gan"},
    "sequences": {"hmm", "bayesnet", "forest", "rnn"},
    "tabular": {"bayesnet", "forest", "rnn", "gan"},
    "digits": {"hmm", "bayesnet", "forest", "rnn", "gan"},
}


def run_tiny(task_name: str, dataset: str | None = None, upload: bytes | None = None):
    preset = presets.get_preset(presets.TASK_PRESET[task_name])
    task = load_task(task_name, dataset or preset.dataset, upload)
    rows, jobs = arena.run(task, arena.configs(preset, TINY))
    return task, rows, jobs


def check_rows(task, rows, jobs):
    assert [r["family"] for r in rows] == list(scoreboard.FAMILIES)
    assert {r["family"] for r in rows if r["applies"]} == EXPECTED[task.task]
    for row in rows:
        if not row["applies"]:
            assert row["why"].endswith(".") and not row["metrics"]
            continue
        m = row["metrics"]
        assert jobs[row["family"]].view().state == "done", row
        samples = jobs[row["family"]].view().snapshots[-1].samples
        assert len(samples) > 0 and samples.shape[1:] == task.heldout_samples().shape[1:]
        for key in ["fit_seconds", "sample_seconds_per_1000", "params", "c2st", "mmd"]:
            assert math.isfinite(m[key]), (row["family"], key, m[key])
        assert 0 <= m["c2st"] <= 1 and m["params"] > 0
        assert 0 <= m["c2st_p"] <= 1 and 1 / 101 <= m["mmd_p"] <= 1  # the p-values beside C2ST and MMD (0.0: underflow)
        assert ("density" in m) == (task.task in ("points", "digits"))  # k-NN balls only where rows do not tie
        if row["family"] == "gan":
            assert m["loglik"] is None and m["loglik_note"] == "implicit model: no likelihood"
        else:
            assert math.isfinite(m["loglik"]) or "zero density" in m["loglik_note"]
        for key, _ in scoreboard.measure_columns(task):
            assert math.isfinite(m[key]), (row["family"], key)


def test_points_ring_every_family_plays():
    task, rows, jobs = run_tiny("points")
    check_rows(task, rows, jobs)
    by = {r["family"]: r["metrics"] for r in rows}
    assert all(0 <= by[f]["modes"] <= 8 for f in by)


def test_sequences_reber_gan_sits_out():
    task, rows, jobs = run_tiny("sequences")
    check_rows(task, rows, jobs)
    gan = next(r for r in rows if r["family"] == "gan")
    assert "differentiable" in gan["why"]
    assert all(0 <= r["metrics"]["valid_share"] <= 1 for r in rows if r["applies"])


def test_tabular_asia_hmm_sits_out():
    task, rows, jobs = run_tiny("tabular")
    check_rows(task, rows, jobs)
    assert task.columns == sorted(task.columns) and len(task.columns) == 8
    by = {r["family"]: r["metrics"] for r in rows if r["applies"]}
    assert -8 * math.log(2) < by["bayesnet"]["loglik"] < 0  # eight binary variables: between log 2^-8 and 0


def test_digits_every_family_plays():
    task, rows, jobs = run_tiny("digits")
    check_rows(task, rows, jobs)
    assert all(0 <= r["metrics"]["classes_covered"] <= 10 for r in rows)


def test_an_uploaded_points_csv_and_a_bad_one():
    good = "x,y\n" + "\n".join(f"{np.cos(i)},{np.sin(i) * 2}" for i in range(200))
    task = load_task("points", "upload", good.encode())
    assert task.name == "upload" and len(task.train) + len(task.heldout) == 200
    with pytest.raises(DataError, match="at least 10"):
        load_task("points", "upload", b"x,y\n1,2\n")
    with pytest.raises(DataError, match="no file"):
        load_task("tabular", "upload", None)
    with pytest.raises(ConfigError, match="no data set"):
        load_task("digits", "ring8")


def test_reber_parser_accepts_real_strings_and_refuses_broken_ones():
    from core.data.rnn_tasks import REBER_SYMBOLS, reber_strings

    index = {c: i for i, c in enumerate(REBER_SYMBOLS)}
    stream = np.array([[index[c] for c in "".join(reber_strings(40, seed=3))]])
    assert scoreboard.reber_valid_share(stream, REBER_SYMBOLS) == 1.0
    broken = stream.copy()
    broken[0, broken[0] == index["S"]] = index["V"]
    assert scoreboard.reber_valid_share(broken, REBER_SYMBOLS) < 1.0


def test_binned_density_integrates_to_one():
    """A bin model is a proper density: P(bin) / bin area, summed over a fine grid, is 1."""
    rng = np.random.default_rng(0)
    bins = Bins.uniform(rng.normal(size=(500, 2)), 5)
    p = rng.dirichlet(np.ones(25)).reshape(5, 5)
    xs = [np.linspace(e[0], e[-1], 401)[:-1] + (e[-1] - e[0]) / 800 for e in bins.edges]
    grid = np.stack(np.meshgrid(*xs, indexing="ij"), axis=-1).reshape(-1, 2)
    codes = bins.codes(grid)
    density = p[codes[:, 0], codes[:, 1]] / np.exp(bins.log_widths(codes))
    cell = np.prod([(e[-1] - e[0]) / 400 for e in bins.edges])
    assert abs(density.sum() * cell - 1) < 1e-9


def test_scoreboard_exports_one_row_per_family():
    task = load_task("tabular", "asia")
    rows = [{"family": f, "applies": f != "hmm", "why": "An HMM does not apply." if f == "hmm" else "",
             "metrics": {} if f == "hmm" else {"c2st": 0.5, "c2st_band": [0.47, 0.53], "mmd": 0.0, "params": 3,
                                                "loglik": -2.3, "fit_seconds": 1.0, "pairwise_tv": 0.01}}
            for f in scoreboard.FAMILIES]
    csv_text = scoreboard.to_csv(task, rows)
    assert len(csv_text.strip().splitlines()) == 6 and "An HMM does not apply." in csv_text
    md = scoreboard.to_markdown(task, rows)
    assert md.count("\n| ") == 7 and "0.500 (in band)" in md and "chance band 0.47-0.53" in md  # header, rule, 5 rows


def test_cli_prints_one_row_per_family(capsys):
    from core.__main__ import main

    sets = [f"--set={f}.{k}={v}" for f, kv in TINY.items() for k, v in kv.items()]
    code = main(["compare", "--preset", "arena-tabular", "--json", *sets])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["task"] == "tabular"
    assert [r["family"] for r in out["rows"]] == list(scoreboard.FAMILIES)
    assert {r["family"]: r["applies"] for r in out["rows"]}["hmm"] is False
    assert all(r["metrics"]["c2st"] <= 1 for r in out["rows"] if r["applies"])


@pytest.mark.parametrize("args, words", [
    (["--set", "wings.steps=2"], "FAMILY.KEY=VALUE"),
    (["--set", "gan.wings=2"], "Unknown setting 'wings'"),
    (["--preset", "nope"], "Unknown arena preset"),
    (["--task", "digits", "--preset", "arena-points"], "not digits"),
    (["--task", "tabular", "--dataset", "upload"], "no file"),
])
def test_cli_errors_are_one_line_and_exit_2(capsys, args, words):
    from core.__main__ import main

    code = main(["compare", *args])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and words in err and err.count("\n") == 1


@pytest.mark.parametrize("task_name", ["points", "sequences", "tabular", "digits"])
def test_samples_grid_has_a_panel_per_family_and_labelled_axes(task_name):
    from core.plots.compare import samples_grid

    task = load_task(task_name)
    real = task.heldout_samples()
    fig = samples_grid(task, [("real", "real (held out)", real), ("rnn", "RNN", real), ("forest", "Random forest", real)])
    assert len(fig.data) == 3 and fig.layout.title.text
    titles = [a.title.text for a in fig.select_xaxes()] + [a.title.text for a in fig.select_yaxes()]
    assert task_name == "digits" or all(titles[:3])
