"""A probe for tests/benchmarks/rerun_split.py, loaded by the server it starts (this folder on PYTHONPATH).

With GENLAB_RERUN_LOG set, every rerun request a session receives and every script run (start, end,
the run thread's CPU time) goes to that file as a line of JSON, in epoch seconds, so that the
browser's times can be laid beside them. It wraps two Streamlit internals (AppSession.handle_backmsg,
ScriptRunner._run_script); nothing else changes, and without the variable it does nothing.
"""
import json
import os
import threading
import time

_PATH = os.environ.get("GENLAB_RERUN_LOG")


def _install(path: str) -> None:
    from streamlit.runtime import app_session
    from streamlit.runtime.scriptrunner import script_runner

    out, lock = open(path, "a", buffering=1), threading.Lock()

    def log(**fields) -> None:
        with lock:
            out.write(json.dumps(fields) + "\n")

    handle_backmsg, run_script = app_session.AppSession.handle_backmsg, script_runner.ScriptRunner._run_script

    def logged_backmsg(self, msg):
        if msg.WhichOneof("type") == "rerun_script":
            log(ev="request", session=self.id, fragment=bool(msg.rerun_script.fragment_id), t=time.time())
        return handle_backmsg(self, msg)

    def logged_run(self, rerun_data):
        began, cpu = time.time(), time.thread_time()
        fragment = bool(rerun_data.fragment_id_queue)
        try:
            return run_script(self, rerun_data)
        finally:
            log(ev="run", session=self._session_id, fragment=fragment, began=began, t=time.time(),
                cpu=time.thread_time() - cpu, query=rerun_data.query_string)

    app_session.AppSession.handle_backmsg = logged_backmsg
    script_runner.ScriptRunner._run_script = logged_run


if _PATH:
    _install(_PATH)
