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
    assert result["device"] == "cpu"
    assert set(result["metrics"]) == {"modes", "hq", "rkl", "precision", "recall", "density", "coverage"}
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


# -- python -m core compare --device ------------------------------------------------------------
TINY_ARENA = [f"--set={family}.{key}={value}" for family, settings in {
    "gan": {"steps": 20, "width": 32}, "forest": {"steps": 1, "n_trees": 5},
    "rnn": {"steps": 10, "hidden": 16, "batch_size": 32}}.items() for key, value in settings.items()]
CPU_ONLY = {"hmm", "bayesnet", "forest"}  # hmmlearn, pgmpy, scikit-learn


def run_tiny_arena(capsys, *args):
    """The tabular arena (no HMM) with seconds-long budgets: the code path, not the quality."""
    code, out, err = run_cli(capsys, "compare", "--preset", "arena-tabular", "--json", *TINY_ARENA, *args)
    return code, (json.loads(out) if out else None), err


def test_compare_device_cpu_names_the_device_of_every_family(capsys):
    code, out, err = run_tiny_arena(capsys, "--device", "cpu")
    assert code == 0 and out["device"] == "cpu" and "note:" not in err
    rows = {r["family"]: r for r in out["rows"]}
    assert rows["hmm"]["applies"] is False and rows["hmm"]["device"] is None
    for family in ("bayesnet", "forest", "rnn", "gan"):
        assert rows[family]["device"] == rows[family]["metrics"]["device"] == "cpu", family
        assert "device_note" not in rows[family]


@pytest.mark.parametrize("device, words", [("tpu", "Unknown device 'tpu'"), ("CUDA", "Unknown device 'CUDA'")])
def test_compare_unknown_device_is_one_line_and_exit_2(capsys, device, words):
    code, out, err = run_cli(capsys, "compare", "--task", "points", "--device", device)
    assert code == 2 and out == "" and err == f"error: {words}: choose one of auto, cpu, cuda, mps.\n"


def test_compare_unknown_device_has_no_traceback_from_the_shell():
    out = subprocess.run([sys.executable, "-m", "core", "compare", "--device", "tpu"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 2 and out.stdout == ""
    assert "Unknown device 'tpu'" in out.stderr and "Traceback" not in out.stderr


def test_compare_absent_gpu_is_refused_before_training(capsys):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    code, out, err = run_cli(capsys, "compare", "--task", "points", "--device", "cuda")
    assert code == 2 and out == "" and "no CUDA GPU" in err and err.count("\n") == 1


def test_cpu_only_families_say_so_when_another_device_was_asked():
    from core.compare.arena import cpu_only_note
    from core.families import FAMILIES

    for family, spec in FAMILIES.items():
        note = cpu_only_note(spec.entrant_class()(device="cuda"))
        assert bool(note) == (family in CPU_ONLY), family
        assert family not in CPU_ONLY or ("CPU only" in note and "--device cuda" in note)
        assert cpu_only_note(spec.entrant_class()(device="auto")) == ""
        assert cpu_only_note(spec.entrant_class()(device="cpu")) == ""


def test_compare_on_cuda_trains_the_torch_families_there(capsys):
    import torch

    if not torch.cuda.is_available():
        pytest.skip("no CUDA GPU here")
    code, out, err = run_tiny_arena(capsys, "--device", "cuda")
    assert code == 0 and out["device"] == "cuda"
    rows = {r["family"]: r for r in out["rows"]}
    for family in ("rnn", "gan"):
        assert rows[family]["device"].startswith("cuda") and "device_note" not in rows[family], family
    for family in ("bayesnet", "forest"):
        assert rows[family]["device"] == rows[family]["metrics"]["device"] == "cpu", family
        assert "CPU only" in rows[family]["device_note"] and f"note: {rows[family]['device_note']}" in err
