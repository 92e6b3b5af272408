"""A `streamlit run` server that tests/browser.serve_app starts never outlives the process that started it.

A benchmark killed by `timeout` once left its server running. Here a child process serves a
one-line Streamlit script (no browser needed), reports the server's pid, and is then stopped
the ways a run ends early: SIGTERM (what `timeout` sends), SIGINT (Ctrl-C) and SIGKILL (no
handler can run: the parent-death signal must do it). Each time the server must be gone.
"""
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.browser import ROOT

STARTER = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C's action even if our parent ignored SIGINT
sys.path.insert(0, sys.argv[1])
from tests.browser import serve_app, server_process
with serve_app(script=sys.argv[2], log="serve-cleanup-test.log") as (base, _):
    print(server_process(base).pid, flush=True)
    time.sleep(120)
"""


def ended(proc: psutil.Process, timeout: float) -> bool:
    """True once `proc` has exited (a zombie waiting for its new parent to reap it counts as ended)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_the_server_ends_with_the_process_that_started_it(tmp_path, sig):
    script = tmp_path / "hello.py"
    script.write_text('import streamlit as st\n\nst.write("hello")\n')
    starter = subprocess.Popen([sys.executable, "-c", STARTER, str(ROOT), str(script)], stdout=subprocess.PIPE,
                               text=True)
    server = None
    try:
        line = starter.stdout.readline()
        assert line.strip().isdigit(), f"the starter printed {line!r} instead of the server's pid"
        server = psutil.Process(int(line))
        assert server.is_running() and "streamlit" in " ".join(server.cmdline())
        starter.send_signal(sig)
        starter.wait(30)
        assert ended(server, timeout=15), f"the streamlit server {server.pid} outlived its starter ({sig.name})"
    finally:
        starter.kill()
        starter.wait()
        if server is not None and server.is_running():
            server.kill()  # a failing run must not leave it behind either
