"""Sample a Bayesian network in a child process, so that the server's Python stays free meanwhile.

Reading a BIF file builds pgmpy's pyparsing grammar (over a second), and the
sampler's first call asks skbase which of the ~850 installed distributions are
there: about 3 s of pure Python, once per process. In the server's own process
that time holds the GIL, so the page a student opens, or the first chart after
a teacher's Train, waits behind it. A child process started with the server
does it on the other core, at low priority, and hands back plain lists
(`networks.sample_parts`) as JSON in a temporary file: numbers and names,
nothing unpickled. The child is `python -m core.data.networks NAME N SEED HELDOUT FILE`.
"""
import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30.0  # s at most that a page waits for a child already under way; then it samples in-process

_children: dict[tuple, tuple[subprocess.Popen, Path]] = {}
_started: set[tuple] = set()
_lock = threading.Lock()


def start(name: str, n: int, seed: int, heldout: int) -> None:
    """Start sampling (name, n, seed, heldout) in a child process, once a process; `take` collects it."""
    key = (name, n, seed, heldout)
    with _lock:
        if key in _started:
            return
        _started.add(key)
        fd, out = tempfile.mkstemp(prefix="genlab-network-", suffix=".json")
        os.close(fd)
        child = subprocess.Popen([sys.executable, "-m", "core.data.networks", *map(str, key), out], cwd=ROOT,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _children[key] = (child, Path(out))
        if len(_started) == 1:
            atexit.register(_end_all)


def take(name: str, n: int, seed: int, heldout: int) -> dict | None:
    """The child's parts for these arguments (waiting for it if needed), once; None when none was started
    or it failed (the caller then samples in-process)."""
    with _lock:
        child, out = _children.pop((name, n, seed, heldout), (None, None))
    if child is None:
        return None
    try:
        child.wait(timeout=WAIT)
        return json.loads(out.read_text()) if child.returncode == 0 else None
    except (subprocess.TimeoutExpired, OSError, ValueError):
        return None
    finally:
        _end(child, out)


def _end(child: subprocess.Popen, out: Path) -> None:
    if child.poll() is None:
        child.kill()
        child.wait()
    out.unlink(missing_ok=True)


def _end_all() -> None:
    """At exit: no child outlives the server, no file is left behind."""
    with _lock:
        for child, out in _children.values():
            _end(child, out)
        _children.clear()
