"""Two GenLab processes behind nginx with sticky sessions, on one machine.

    python deploy/cluster.py [--port 8500]

Starts `streamlit run app.py` twice (free loopback ports) and nginx with
deploy/nginx.conf in front, on --port. A browser's first visit picks a process;
a cookie keeps it there, so its session (models, jobs) lives on one process.
Killing one process leaves the other's sessions untouched; its students get the
other process (a fresh session) on reload. Ctrl-C stops everything.
Needs Debian's nginx (`apt-get install -y nginx-light`).
"""
import argparse
import contextlib
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import free_port, serve_app  # noqa: E402


def nginx_config(port: int, a: int, b: int, prefix: Path) -> str:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for key, value in {"__PORT__": port, "__A__": a, "__B__": b, "__PREFIX__": prefix}.items():
        text = text.replace(key, str(value))
    return text


@contextlib.contextmanager
def nginx(port: int, a: int, b: int):
    """nginx in the foreground on `port`, proxying to the two ports; yields its base URL."""
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory(prefix="genlab-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(nginx_config(port, a, b, Path(tmp)))
        proc = subprocess.Popen([exe, "-c", str(conf), "-p", tmp, "-e", str(Path(tmp) / "error.log")])
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                with contextlib.suppress(OSError):
                    if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                        break
                if proc.poll() is not None:
                    raise RuntimeError(f"nginx exited: {(Path(tmp) / 'error.log').read_text()[-500:]}")
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            proc.wait(10)


@contextlib.contextmanager
def cluster(port: int | None = None):
    """Yields (proxy URL, {route: (backend URL, process)}) for routes 'a' and 'b'."""
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(16)}  # one secret: XSRF cookies valid on both
    with serve_app(env=env) as (url_a, _), serve_app(env=env) as (url_b, _):
        ports = [int(u.rsplit(":", 1)[1]) for u in (url_a, url_b)]
        with nginx(port or free_port(), *ports) as base:
            yield base, {"a": url_a, "b": url_b}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8500)
    args = parser.parse_args()
    with cluster(args.port) as (base, backends):
        print(f"GenLab for the class: {base}  (processes: {backends['a']}, {backends['b']}); Ctrl-C stops")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(1)


if __name__ == "__main__":
    main()
