"""The live charts' feed: a browser chart fetches the points it lacks straight from the training job.

A Streamlit rerun costs the browser far more than the chart it redraws: on the GAN page, an empty
fragment rerun ten times a second kept Chromium's renderer 95 % busy (measured; the tabs' focus
scan walks every SVG node of every chart on each render). So a curve that should move ten times a
second cannot be fed by reruns. Instead the page draws each chart once (ui/live_chart.py) with a
token of its job, and the chart's JavaScript polls `GET <base>/_genlab/feed/<token>?since=N&key=...`
for the rows from N on: a few hundred bytes read under the job's lock, no script run, no rerun.
The status line moves from the same answers, a waiting job's place in the queue included.
Where there is no row past N yet and the job is still active, the answer waits for one (at most
WAIT seconds, checking every WAIT_STEP without holding a thread): so every answer the chart gets
moves it, as soon as the job has moved, whatever the job's pace against the chart's.

The route is served by app.py (`st.App(..., routes=live_feed.routes())`); under a plain
`streamlit run streamlit_app.py` or AppTest there is no route, `enabled()` is False, and the charts
fall back to being fed by their fragment's reruns.

A token is 128 random bits handed only to the page of the session that owns the job, and maps to
the job weakly: a dropped job's feed is gone (404). The feed only reads numbers the page shows.
"""
from __future__ import annotations

import asyncio
import secrets
import threading
import time
import weakref

from core.jobs import TrainingJob

PATH = "_genlab/feed"
MAX_KEYS = 16
ACTIVE = ("queued", "running", "paused")  # the chart keeps asking while the job may still add rows
WAIT = 1.0  # s an answer waits for a new row
WAIT_STEP = 0.02  # s between two looks
QUEUED_WAIT = 10.0  # s an answer about a job that waits in the queue, as the asker saw it, waits for a change
QUEUED_STEP = 0.1  # s between two looks at it

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
    out["active"] = out["state"] in ACTIVE
    return out


async def next_rows(found: str, since: int, keys: list[str], wait: float = WAIT,
                    seen: tuple[str, int] | None = None) -> dict | None:
    """rows(), once the job has a row past `since`, has ended, or stands elsewhere than `seen` (the
    state and place in the queue the asker last had), or `wait` s have passed. A job that waits in
    the queue, seen so, waits up to QUEUED_WAIT: its page asks again only when its place changes,
    not every second (a class of 28 waiting pages spent a core on asking)."""
    answer = rows(found, since, keys)
    waiting = seen is not None and not _moved(answer, since, seen) and answer["state"] == "queued"
    end = time.monotonic() + (QUEUED_WAIT if waiting else wait)
    while not _moved(answer, since, seen) and time.monotonic() < end:
        await asyncio.sleep(QUEUED_STEP if waiting else WAIT_STEP)
        answer = rows(found, since, keys)
    return answer


def _moved(answer: dict | None, since: int, seen: tuple[str, int] | None) -> bool:
    """Whether an answer tells the asker something new: a row, an end, another state or place."""
    return answer is None or answer["end"] > since or not answer["active"] or \
        (seen is not None and seen != (answer["state"], answer["queue_position"]))


async def _endpoint(request):
    from starlette.responses import JSONResponse, Response

    try:
        since = int(request.query_params.get("since", "0"))
    except ValueError:
        return Response("since must be a whole number", status_code=400)
    keys = [k[:64] for k in request.query_params.getlist("key")]
    seen = None
    if "state" in request.query_params:
        try:
            seen = (request.query_params["state"][:16], int(request.query_params.get("position", "0")))
        except ValueError:
            return Response("position must be a whole number", status_code=400)
    answer = await next_rows(request.path_params["token"], since, keys, seen=seen)
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
