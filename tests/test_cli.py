"""The headless CLI: same code path as the pages, one-line errors, exit codes."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.__main__ import main

ROOT = Path(__file__).resolve().parent.parent


def run_cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_lists_models_and_presets():
    out = subprocess.run([sys.executable, "-m", "core", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    for word in ["gan", "hmm", "ring8-collapse", "digits-cgan", "--preset", "--samples"]:
        assert word in out.stdout


@pytest.mark.parametrize("args, words", [
    (["nope"], "Unknown model 'nope'"),
    (["gan", "--preset", "nope"], "Unknown preset 'nope'"),
    (["gan", "--set", "wings=2"], "Unknown setting 'wings'"),
    (["gan", "--set", "steps"], "KEY=VALUE"),
    (["gan", "--set", "lr_g=fast"], "'lr_g' must be a number"),
    (["gan", "--set", "conditional=true", "--set", "dataset=spiral", "--steps", "2"], "needs labels"),
    (["hmm", "--device", "cuda"], "CPU only"),
])
def test_errors_are_one_line_and_exit_2(capsys, args, words):
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and words in err and err.count("\n") == 1


def test_json_result_and_samples_file(capsys, tmp_path):
    samples = tmp_path / "s.csv"
    code, out, _ = run_cli(capsys, "gan", "--preset", "ring8-collapse", "--steps", "20", "--seed", "3",
                           "--json", "--samples", str(samples), "--set", "snapshot_every=10")
    assert code == 0
    result = json.loads(out)
    assert set(result) >= {"model", "preset", "seed", "device", "steps", "seconds", "metrics"}
    assert (result["model"], result["preset"], result["seed"], result["steps"]) == ("gan", "ring8-collapse", 3, 20)
    assert result["device"] == "cpu" and set(result["metrics"]) == {"modes", "hq", "rkl"}
    lines = samples.read_text().splitlines()
    assert lines[0] == "x,y" and len(lines) == 2501


def test_digits_json_and_samples(capsys, tmp_path):
    samples = tmp_path / "d.csv"
    code, out, _ = run_cli(capsys, "gan", "--preset", "digits-cgan", "--steps", "5", "--json",
                           "--samples", str(samples))
    assert code == 0
    metrics = json.loads(out)["metrics"]
    assert {"classes_covered", "class_kl", "classifier_accuracy"} <= set(metrics)
    lines = samples.read_text().splitlines()
    assert lines[0].split(",") == [f"p{i}" for i in range(64)] and len(lines) == 1001


def test_data_goes_through_the_upload_checks(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n")
    code, _, err = run_cli(capsys, "gan", "--data", str(bad), "--steps", "2")
    assert code == 2 and "at least 10" in err
    good = tmp_path / "good.csv"
    good.write_text("x,y\n" + "\n".join(f"{i % 7},{i % 5}" for i in range(100)))
    code, out, _ = run_cli(capsys, "gan", "--data", str(good), "--steps", "5", "--json")
    assert code == 0 and json.loads(out)["steps"] == 5
    code, _, err = run_cli(capsys, "gan", "--data", str(tmp_path / "missing.csv"))
    assert code == 2 and "Cannot read" in err


def test_a_diverging_run_exits_1_with_its_message(capsys):
    code, out, err = run_cli(capsys, "gan", "--set", "loss=least-squares", "--set", "lr_g=1.0", "--set", "lr_d=1.0",
                             "--set", "beta1=0.9", "--steps", "200", "--json")
    assert code == 1 and json.loads(out)["state"] == "diverged" and "diverged" in err


def test_steps_maps_to_the_models_own_budget(capsys):
    """--steps is generic: an HMM's budget is EM iterations per restart (HMMConfig.STEPS_FIELD)."""
    code, out, _ = run_cli(capsys, "hmm", "--preset", "weather", "--steps", "3", "--seed", "2", "--json")
    result = json.loads(out)
    assert code == 0 and result["seed"] == 2
    assert result["metrics"]["em_iterations"] <= 3
