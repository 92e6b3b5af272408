"""Boundaries that keep GenLab usable from tests, notebooks and the CLI."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit():
    offenders = [p.relative_to(ROOT) for p in (ROOT / "core").rglob("*.py") if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_listing_models_does_not_load_torch():
    """`python -m core --help` and the home page's registry stay light: torch loads lazily."""
    code = "import sys, core.presets, core.models; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_warm_up_runs_the_real_code_path_once():
    from core import warmup

    import threading

    warmup.warm_up()  # raises if the real path (imports, a GAN job, a snapshot) is broken
    warmup.start_in_background(delay=3600)
    warmup.start_in_background(delay=3600)  # a second call must not start a second thread
    assert warmup._started
    assert sum(t.name == "genlab-warmup" for t in threading.enumerate()) <= 1
