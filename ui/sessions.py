"""Closed tabs give back their training slots: a watcher stops the jobs of sessions that are gone.

Streamlit keeps a disconnected session for `server.disconnectedSessionTTL`
seconds, so a student whose Wi-Fi blips comes back to everything. After that
the session cannot be resumed, but Streamlit only evicts it lazily (its session
storage is a TTL cache, reaped when something next writes to it), so the
session's training threads would run on and hold the class's training slots.
One daemon thread per process looks, every few seconds, at the sessions that
own jobs; a session that has not been connected for the TTL has its jobs
stopped and their models, data, snapshots and curves let go. It asks only
`Runtime.is_active_session`, which Streamlit documents as safe from any thread.
"""
import threading
import time
import weakref
from typing import Any, Callable

from core.jobs import jobs_of

PERIOD = 2.0  # s between looks; a closed tab's slot comes back within TTL + 2 PERIOD (+ one training step)

_lock = threading.Lock()
_tokens: dict[str, weakref.ref] = {}  # session id -> the session's token (owner of its jobs)
_seen: dict[str, float] = {}  # session id -> when it was last seen connected (time.monotonic)
_thread: threading.Thread | None = None


def watch(session_id: str, token: Any) -> None:
    """Look after `token`'s jobs from now on (called from the session's script thread)."""
    global _thread
    with _lock:
        _tokens[session_id] = weakref.ref(token)
        _seen[session_id] = time.monotonic()
        if _thread is None:
            _thread = threading.Thread(target=_watch_forever, name="genlab-sessions", daemon=True)
            _thread.start()


def _watch_forever() -> None:
    from streamlit import config
    from streamlit.runtime import Runtime

    while True:
        time.sleep(PERIOD)
        if Runtime.exists():
            reap(Runtime.instance().is_active_session, float(config.get_option("server.disconnectedSessionTTL")))


def reap(is_active: Callable[[str], bool], ttl: float, now: float | None = None) -> list[str]:
    """Stop the jobs of every watched session that has been gone for `ttl` s; returns their ids."""
    now = time.monotonic() if now is None else now
    gone = []
    with _lock:
        for sid, ref in list(_tokens.items()):
            if ref() is None:  # the session was dropped, and its jobs stopped with its token
                _forget(sid)
            elif is_active(sid):
                _seen[sid] = now
            elif now - _seen[sid] > ttl + PERIOD:  # seen up to PERIOD before it left: never before Streamlit's TTL
                gone.append((sid, ref()))
                _forget(sid)
    for sid, token in gone:
        for job in jobs_of(token):
            job.drop()
    return [sid for sid, _ in gone]


def _forget(sid: str) -> None:
    _tokens.pop(sid, None)
    _seen.pop(sid, None)


def watched() -> list[str]:
    with _lock:
        return list(_tokens)
