"""Serve the app with `streamlit run` and drive it in Debian's Chromium (Playwright).

Shared by the browser test and the app benchmark. Nothing here downloads a
browser: Playwright only drives /usr/bin/chromium.

A server must never outlive the process that started it (a benchmark killed by
`timeout` or Ctrl-C once left one running, holding a core). So `serve_app`
starts it in a process group of its own and, whatever happens, ends that group:
on leaving the `with` block (an exception, Ctrl-C), at interpreter exit (atexit),
on SIGTERM or SIGHUP (which then act as Ctrl-C, so the first two run), and, where
even that cannot run (SIGKILL), by Linux's parent-death signal: the kernel kills
the server when the thread that started it dies.
"""
import atexit
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
                 "--disable-dev-shm-usage"]  # a container's /dev/shm can be 64 MB: a class of tabs crashes there
PAGES = {"home": "", "hmm": "hmm", "bayesnet": "bayesnet", "forest": "forest", "rnn": "rnn", "gan": "gan",
         "compare": "compare"}
TITLES = {"home": "GenLab", "hmm": "HMM lab", "bayesnet": "Bayesian network lab", "forest": "Random forest lab",
          "rnn": "RNN lab", "gan": "GAN lab", "compare": "Compare"}
APP = '[data-testid="stApp"]'
EXCEPTION = '[data-testid="stException"]'
# A job's status line: st.progress, or where the live charts are fed, the line the feed moves (ui/live_chart.py).
STATUS = '[data-testid="stProgress"], .live-status'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(timeout: float = 60.0, env: dict | None = None, script: str = "app.py", log: str = "streamlit.log"):
    """Start `streamlit run <script>` on a free loopback port; yield (base_url, seconds_to_healthy).

    The server's output goes to tests/artifacts/<log>; its process group is ended on the way out.
    Call it from the thread that holds the server: the kernel kills the server when that thread ends.
    """
    exit_on_signals()
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true"]
    t0 = time.perf_counter()
    with open(_artifacts() / log, "w") as out:
        proc = start_server(cmd, out, {**os.environ, **(env or {})})
        try:
            base = f"http://127.0.0.1:{port}"
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with code {proc.returncode}")
                try:
                    if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    pass
                if time.perf_counter() - t0 > timeout:
                    raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s")
                time.sleep(0.1)
            yield base, time.perf_counter() - t0
        finally:
            stop_server(proc)


# Run before the server's own code: ask the kernel for SIGKILL when our parent (thread) dies (nobody is left
# to wait for a graceful shutdown, which an open browser tab can hold up for seconds), then become the
# server. If the parent died before the request took, exit at once. Off Linux, only the request is skipped.
_DIE_WITH_PARENT = """import ctypes, os, signal, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
except (OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[1]):
    sys.exit(0)
os.execv(sys.executable, [sys.executable] + sys.argv[2:])
"""
_SERVERS: set[subprocess.Popen] = set()  # started and not yet ended: atexit ends what is left


def start_server(cmd: list[str], out, env: dict) -> subprocess.Popen:
    """`cmd` (a python command line) as the leader of a new process group that dies with this process."""
    wrapped = [sys.executable, "-c", _DIE_WITH_PARENT, str(os.getpid()), *cmd[1:]]
    proc = subprocess.Popen(wrapped, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    _SERVERS.add(proc)
    return proc


def stop_server(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM to the server's whole process group, SIGKILL if it is still there after `grace` s."""
    try:
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:  # the group is gone already (a test killed the server)
                break
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        proc.poll()  # reap it, so no zombie is left either
    finally:
        _SERVERS.discard(proc)


@atexit.register
def stop_all_servers() -> None:
    """At interpreter exit (also after an interrupt from `exit_on_signals`), end every server still running."""
    for proc in list(_SERVERS):
        stop_server(proc, grace=5.0)


def exit_on_signals() -> None:
    """Make SIGTERM and SIGHUP act as Ctrl-C (KeyboardInterrupt in the main thread), so `with` blocks and
    atexit still run, and pytest or a benchmark stops as it does on Ctrl-C rather than carrying on.

    Only where the signal still has its default action (a caller's own handler is kept), and only
    from the main thread (the only one Python lets set handlers); the parent-death signal covers the rest.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is signal.SIG_DFL:
            signal.signal(sig, _interrupt)


def _interrupt(signum, frame) -> None:
    """The first SIGTERM/SIGHUP unwinds as Ctrl-C does; a second one kills at once (the default action)."""
    signal.signal(signum, signal.SIG_DFL)
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def _artifacts() -> Path:
    path = ROOT / "tests" / "artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_idle(page, timeout: float = 30.0, quiet: float = 0.5) -> float:
    """Wait until the script is not running and the DOM has been still for `quiet` s."""
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', timeout=timeout * 1000)
    page.wait_for_function(
        """(quiet) => { const w = window; if (!w.__genlabObs) { w.__genlabLast = performance.now();
           w.__genlabObs = new MutationObserver(() => { w.__genlabLast = performance.now(); });
           w.__genlabObs.observe(document.body, {subtree: true, childList: true, characterData: true}); }
           const app = document.querySelector('[data-testid="stApp"]');
           return app && app.dataset.testScriptState === 'notRunning'
                  && performance.now() - w.__genlabLast > quiet * 1000; }""",
        arg=quiet, timeout=timeout * 1000, polling=100,
    )
    return time.perf_counter()


def screenshot(page, name: str) -> Path:
    """A full-height PNG (Streamlit scrolls inside stMain, so grow the viewport first)."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 1000")
    page.set_viewport_size({"width": 1400, "height": min(max(height, 900), 8000)})
    path = _artifacts() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    return path


def exceptions(page) -> list[str]:
    return [e.inner_text()[:300] for e in page.query_selector_all(EXCEPTION)]


def train(page, url: str, done: str, label: str = "Train", started: str | None = None) -> None:
    """Open `url`, press `label`, wait for the `started` text (regex) within 30 s if given, then for
    `done` within 60 s and for the page to settle; no exception box may show."""
    page.goto(url)
    wait_idle(page)
    page.get_by_role("button", name=label, exact=True).click()
    if started:
        page.get_by_text(re.compile(started)).first.wait_for(timeout=30_000)
    page.get_by_text(re.compile(done)).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert exceptions(page) == []


def download_lines(page, button) -> list[str]:
    """Click the download button named `button` (text or regex); the downloaded file's lines."""
    with page.expect_download() as download:
        page.get_by_role("button", name=button).first.click()
    return open(download.value.path()).read().splitlines()


def browser_required() -> bool:
    return bool(os.environ.get("GENLAB_REQUIRE_BROWSER") or os.environ.get("CI"))


def require_chromium() -> None:
    """At the top of a browser test module: skip it without Chromium, but fail it in CI, which must run it."""
    import pytest

    if os.path.exists(CHROMIUM):
        return
    if browser_required():
        pytest.fail(f"{CHROMIUM} is missing and CI must run the browser tests: apt-get install -y chromium",
                    pytrace=False)
    pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)", allow_module_level=True)


def server_process(base: str):
    """The psutil.Process listening on the server's port."""
    port = int(base.rsplit(":", 1)[1])
    for conn in psutil.net_connections(kind="tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN:
            return psutil.Process(conn.pid)
    raise RuntimeError(f"no process listens on port {port}")


class PeakRSS(threading.Thread):
    """Samples a process's resident memory until stopped; `peak` in bytes."""

    def __init__(self, proc: psutil.Process, every: float = 0.05):
        super().__init__(daemon=True)
        self.proc, self.every, self.peak, self._done = proc, every, 0, threading.Event()

    def run(self):
        while not self._done.is_set():
            try:
                self.peak = max(self.peak, self.proc.memory_info().rss)
            except psutil.NoSuchProcess:  # the server has ended (an interrupted run stops it first)
                return
            time.sleep(self.every)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak
