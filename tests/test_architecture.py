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

    warmup.warm_up(bayesnet_after=0)  # raises if the real path (imports, a GAN job, a snapshot, pgmpy) is broken
    warmup.start_in_background(delay=3600)
    warmup.start_in_background(delay=3600)  # a second call must not start a second thread
    assert warmup._started
    assert sum(t.name == "genlab-warmup" for t in threading.enumerate()) <= 1


def _core_modules() -> dict[str, Path]:
    names = {}
    for path in (ROOT / "core").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The core modules a file imports anywhere in it, inside functions too (a lazy import is still an edge)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("core"):
            for a in node.names:  # `from core.models import gan_views` imports the submodule
                sub = f"{node.module}.{a.name}"
                out.add(sub if sub in modules else node.module)
    return out & set(modules)


def import_circles() -> list[list[str]]:
    """Groups of core modules that import one another, directly or round a loop (Tarjan's components)."""
    modules = _core_modules()
    graph = {m: _imports_of(p, modules) - {m} for m, p in modules.items()}
    index, low, stack, circles = {}, {}, [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while group[-1:] != [v]:
                group.append(stack.pop())
            if len(group) > 1:
                circles.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return circles


def test_no_module_of_core_imports_its_importer():
    """A views or weights module is downstream of its lab: a circle means half a class lives in another file."""
    assert import_circles() == []


# What every Lab has (core/models/base.py): asking whether a model has it is asking the wrong question.
PROTOCOL = {"step_", "data_", "device_", "config", "fit", "check", "snapshot", "sample", "log_likelihood",
            "samples_text", "save_weights", "from_weights", "WEIGHTS_SUFFIX", "STEPS_FIELD", "Config", "FAMILY"}


def protocol_probes(path: Path) -> list[str]:
    """`hasattr(x, "step_")` / `getattr(x, "snapshot", ...)` calls naming a protocol member, as 'file:line'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("hasattr", "getattr") \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value in PROTOCOL:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_nothing_probes_a_model_for_the_protocol():
    files = [p for d in ("core", "ui", "app_pages") for p in (ROOT / d).rglob("*.py")] + [ROOT / "streamlit_app.py"]
    probes = [hit for p in files if p != ROOT / "core" / "models" / "base.py" for hit in protocol_probes(p)]
    assert probes == []
