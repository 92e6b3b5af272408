"""The live charts' feed (ui/live_feed.py): a token per job, rows from where the chart stands, the route."""
import asyncio
import math
import threading

import pytest

from core.models.base import Lab
from core.jobs import Limiter, TrainingJob
from core.protocol import Progress
from ui import live_feed


class ScriptedModel(Lab):
    """Yields the given (step, losses) events, then ends."""

    def __init__(self, events):
        self.events, self.config = events, None

    def fit(self, data, steps=None):
        for step, losses in self.events:
            yield Progress(step, len(self.events), losses)


def finished_job(events) -> TrainingJob:
    return TrainingJob(ScriptedModel(events), None, limiter=Limiter(1)).run()


EVENTS = [(1, {"D loss": 1.5, "G loss": 0.7}), (2, {"D loss": 1.4, "G loss": float("nan")}),
          (3, {"D loss": 1.3, "G loss": 0.9, "val": 2.0})]


def test_a_job_keeps_one_unguessable_token_and_another_job_gets_its_own():
    a, b = finished_job(EVENTS), finished_job(EVENTS)
    assert live_feed.token(a) == live_feed.token(a)
    assert live_feed.token(a) != live_feed.token(b)
    assert len(live_feed.token(a)) >= 22  # 128 random bits


def test_rows_start_where_the_chart_stands_and_carry_nan_as_null():
    job = finished_job(EVENTS)
    rows = live_feed.rows(live_feed.token(job), 1, ["D loss", "G loss", "val", "nowhere"])
    assert rows["start"] == 1 and rows["end"] == rows["rows"] == 3
    assert rows["x"] == [2, 3]
    assert rows["y"]["D loss"] == [1.4, 1.3]
    assert rows["y"]["G loss"] == [None, 0.9]  # JSON has no NaN
    assert rows["y"]["val"] == [None, 2.0]  # a series that began late is NaN before it began
    assert "nowhere" not in rows["y"]
    assert rows["active"] is False and rows["step"] == 3


def test_a_chart_past_the_end_gets_nothing_and_an_unknown_or_dropped_job_is_gone():
    job = finished_job(EVENTS)
    found = live_feed.token(job)
    assert live_feed.rows(found, 99, ["D loss"])["x"] == []
    assert live_feed.rows("not-a-token", 0, ["D loss"]) is None
    job.drop()
    assert live_feed.rows(found, 0, ["D loss"]) is None


def test_a_running_job_is_active_until_it_ends():
    job = TrainingJob(ScriptedModel(EVENTS), None, limiter=Limiter(1))
    assert live_feed.rows(live_feed.token(job), 0, ["D loss"])["active"] is True  # queued: rows may come
    job.run()
    assert live_feed.rows(live_feed.token(job), 0, ["D loss"])["active"] is False


def test_a_job_waiting_for_a_slot_says_queued_and_its_place_until_it_holds_one():
    """The feed says what the page says: queued while the job waits for a slot (a resumed one too), and where."""
    limiter = Limiter(1)
    limiter.acquire("someone else", threading.Event())
    job = TrainingJob(ScriptedModel(EVENTS), None, limiter=limiter).start()
    found = live_feed.token(job)
    rows = live_feed.rows(found, 0, [])
    assert (rows["state"], rows["queue_position"], rows["active"]) == ("queued", 1, True)
    assert job.view().state == "queued" and job.view().queue_position == 1  # what the page drew says the same
    limiter.release("someone else")
    job.wait(10)
    rows = live_feed.rows(found, 0, [])
    assert (rows["state"], rows["queue_position"], rows["active"]) == ("done", 0, False)


def test_only_the_fragment_that_owns_the_status_ticks_while_its_job_waits(monkeypatch):
    from ui import training

    monkeypatch.setattr(live_feed, "_enabled", True)
    assert training.queued_tick(owns_status=False) is None  # curves, samples: nothing to draw
    assert training.queued_tick(owns_status=True) == training.FED_QUEUED_SECONDS  # the feed tells of news
    monkeypatch.setattr(live_feed, "_enabled", False)
    assert training.queued_tick(owns_status=True) == training.QUEUED_SECONDS  # no feed: ticks tell


def test_an_answer_waits_for_the_next_row_of_an_active_job_and_not_for_an_ended_one():
    import time

    job = TrainingJob(ScriptedModel(EVENTS), None, limiter=Limiter(1))  # queued: active, no rows yet
    found = live_feed.token(job)

    async def row_comes_after(seconds):
        asyncio.get_running_loop().call_later(seconds, job.history.append, 1, {"D loss": 1.5})
        began = time.perf_counter()
        answer = await live_feed.next_rows(found, 0, ["D loss"], wait=5.0)
        return answer, time.perf_counter() - began

    answer, waited = asyncio.run(row_comes_after(0.2))
    assert answer["x"] == [1] and answer["y"] == {"D loss": [1.5]}
    assert 0.15 < waited < 2.0  # answered when the row came, not at once and not at the end of the wait
    began = time.perf_counter()
    assert asyncio.run(live_feed.next_rows(found, 1, ["D loss"], wait=0.3))["x"] == []  # nothing new: up to `wait`
    assert time.perf_counter() - began >= 0.3
    done = finished_job(EVENTS)
    began = time.perf_counter()
    assert asyncio.run(live_feed.next_rows(live_feed.token(done), 3, ["D loss"], wait=5.0))["active"] is False
    assert time.perf_counter() - began < 1.0  # an ended job has no row to wait for


def test_an_answer_about_a_job_waiting_in_the_queue_waits_for_its_place_or_state_to_change(monkeypatch):
    import time

    monkeypatch.setattr(live_feed, "QUEUED_WAIT", 5.0)
    limiter = Limiter(1)
    limiter.acquire("someone else", threading.Event())
    job = TrainingJob(ScriptedModel(EVENTS), None, limiter=limiter).start()
    found = live_feed.token(job)

    async def ask(seen, release_after=None):
        if release_after is not None:
            asyncio.get_running_loop().call_later(release_after, limiter.release, "someone else")
        began = time.perf_counter()
        answer = await live_feed.next_rows(found, 0, [], wait=0.3, seen=seen)
        return answer, time.perf_counter() - began

    answer, waited = asyncio.run(ask(None))  # a first ask: what there is, within `wait`
    assert answer["state"] == "queued" and waited < 1.0
    answer, waited = asyncio.run(ask(("running", 0)))  # it stands elsewhere than the asker saw: at once
    assert answer["state"] == "queued" and waited < 0.2
    answer, waited = asyncio.run(ask(("queued", 1), release_after=0.8))  # seen so: no answer until it moves
    assert answer["state"] != "queued" and 0.7 < waited < 4.0
    job.wait(10)


def get(path: str, query: str = ""):
    """Call the feed's route as the server would, without a server: (status, headers, body)."""
    from starlette.requests import Request

    for route in live_feed.routes():
        match, child = route.matches({"type": "http", "path": path, "method": "GET"})
        if match.name == "FULL":
            scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": [],
                     **child}
            response = asyncio.run(route.endpoint(Request(scope)))
            return response.status_code, response.headers, response.body
    return 404, {}, b"no route"


@pytest.fixture
def feed_routes(monkeypatch):
    monkeypatch.setattr(live_feed, "_enabled", live_feed._enabled)  # routes() switches the feed on: undo it


def test_the_route_answers_json_for_a_token_and_words_for_bad_requests(feed_routes):
    import json

    job = finished_job(EVENTS)
    status, headers, body = get(f"/_genlab/feed/{live_feed.token(job)}", "since=2&key=D+loss&key=G+loss")
    assert status == 200 and headers["cache-control"] == "no-store"
    answer = json.loads(body)
    assert answer["x"] == [3] and answer["y"] == {"D loss": [1.3], "G loss": [0.9]}
    assert get(f"/_genlab/feed/{live_feed.token(job)}", "since=two")[0] == 400
    assert get(f"/_genlab/feed/{live_feed.token(job)}", "since=0&state=queued&position=first")[0] == 400
    assert json.loads(get(f"/_genlab/feed/{live_feed.token(job)}", "since=0&state=queued&position=1")[2])["state"] \
        == "done"  # not as seen: at once
    assert get("/_genlab/feed/unknown", "since=0")[0] == 404
    assert live_feed.enabled()


def test_the_route_also_answers_under_a_base_url_path(feed_routes):
    job = finished_job(EVENTS)
    status, _, body = get(f"/genlab/_genlab/feed/{live_feed.token(job)}", "since=0&key=D+loss")
    assert status == 200 and b"1.5" in body


def test_history_rows_copy_a_bounded_slice():
    job = finished_job([(i, {"loss": 1.0 / i}) for i in range(1, 101)])
    rows = job.history_rows(10, ["loss"], limit=5)
    assert rows["start"] == 10 and rows["end"] == 15 and rows["rows"] == 100
    assert rows["x"] == [11, 12, 13, 14, 15]
    assert all(math.isclose(v, 1.0 / s) for v, s in zip(rows["y"]["loss"], rows["x"]))
    assert job.history_rows(-5, ["loss"], limit=1)["start"] == 0  # clamped, never an index error


def test_the_status_line_keeps_a_decimal_for_a_slow_fit():
    """A forest's two rounds in 4.5 s read "0.4 steps/s", not "0 steps/s" (live_chart.js says the same)."""
    from ui.training import per_second

    assert [per_second(r) for r in (0.44, 9.94, 176.4, 12345.0)] == ["0.4", "9.9", "176", "12,345"]
