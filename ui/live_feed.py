"""The live charts' feed: a browser chart fetches the points it lacks straight from the training job.

A Streamlit rerun costs the browser far more than the chart it redraws: on the GAN page, an empty
fragment rerun ten times a second kept Chromium's renderer 95 % busy (measured; the tabs' focus
scan walks every SVG node of every chart on each render). So a curve that should move ten times a
second cannot be fed by reruns. Instead the page draws each chart once (ui/live_chart.py) with a
token of its job, and the chart's JavaScript polls `GET <base>/_genlab/feed/<token>?since=N&key=...`
for the rows from N on: a few hundred bytes read under the job's lock, no script run, no rerun.

The route is served by app.py (`st.App(..., routes=live_feed.routes())`); under a plain
`streamlit run streamlit_app.py` or AppTest there is no route, `enabled()` is False, and the charts
fall back to being fed by their fragment's reruns.

A token is 128 random bits handed only to the page of the session that owns the job, and maps to
the job weakly: a dropped job's feed is gone (404). The feed only reads numbers the page shows.
"""
from __future__ import annotations

import secrets
import threading
import weakref

from core.jobs import TrainingJob

PATH = "_genlab/feed"
MAX_KEYS = 16
ACTIVE = ("queued", "running", "paused")  # the chart keeps asking while the job may still add rows

_lock = threading.Lock()
_jobs: "weakref.WeakValueDictionary[str, TrainingJob]" = weakref.WeakValueDictionary()
_tokens: "weakref.WeakKeyDictionary[TrainingJob, str]" = weakref.WeakKeyDictionary()
_enabled = False


def token(job: TrainingJob) -> str:
    """The job's feed token (made on first use)."""
    with _lock:
        found = _tokens.get(job)
        if found is None:
            found = _tokens[job] = secrets.token_urlsafe(16)
            _jobs[found] = job
        return found


def enabled() -> bool:
    """Whether this process serves the feed (app.py built the routes)."""
    return _enabled


def rows(found: str, since: int, keys: list[str]) -> dict | None:
    """What the feed answers for a token: the rows from `since` on, or None for an unknown token."""
    job = _jobs.get(found)
    if job is None or job.model is None:  # dropped: its history is gone
        return None
    out = job.history_rows(since, keys[:MAX_KEYS])
    out["active"] = out.pop("state") in ACTIVE
    return out


async def _endpoint(request):
    from starlette.responses import JSONResponse, Response

    try:
        since = int(request.query_params.get("since", "0"))
    except ValueError:
        return Response("since must be a whole number", status_code=400)
    keys = [k[:64] for k in request.query_params.getlist("key")]
    answer = rows(request.path_params["token"], since, keys)
    if answer is None:
        return Response("no such feed", status_code=404)
    return JSONResponse(answer, headers={"Cache-Control": "no-store"})


def routes() -> list:
    """The feed's route, under the server's base URL path or none (a reverse proxy may add one)."""
    from starlette.routing import Route

    global _enabled
    _enabled = True
    return [Route(f"/{PATH}/{{token}}", _endpoint, methods=["GET"]),
            Route(f"/{{base:path}}/{PATH}/{{token}}", _endpoint, methods=["GET"])]
