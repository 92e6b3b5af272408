"""A closed tab's jobs stop once its session is gone for the TTL (ui/sessions.py), and not before."""
import threading

from core.models.base import Lab
from core.jobs import Limiter, TrainingJob, jobs_of
from ui import sessions
from ui.training import SessionToken


class Endless(Lab):
    """A model that trains for `steps` steps, slowly (a long run only ends when stopped)."""

    def __init__(self):
        self.config = None

    def fit(self, data, steps):
        from core.protocol import Progress

        for step in range(1, steps + 1):
            threading.Event().wait(0.001)
            yield Progress(step=step, total=steps, losses={"loss": 1.0})


def test_a_gone_session_frees_its_slot_after_the_ttl_and_a_connected_one_keeps_training(monkeypatch):
    monkeypatch.setattr(sessions, "_tokens", {})  # only this test's sessions (AppTests elsewhere register theirs)
    monkeypatch.setattr(sessions, "_seen", {})
    limiter = Limiter(1)
    gone, here = SessionToken(), SessionToken()
    sessions.watch("gone", gone)
    sessions.watch("here", here)
    hog = TrainingJob(Endless(), None, 10**9, limiter=limiter, owner=gone).start()
    waiting = TrainingJob(Endless(), None, 5, limiter=limiter, owner=here).start()
    hog.wait_for_progress(5)
    assert jobs_of(gone) == [hog] and waiting.view().state == "queued"
    connected = {"here"}.__contains__
    t0 = sessions._seen["gone"]
    assert sessions.reap(connected, ttl=60, now=t0 + 30) == []  # a Wi-Fi blip: nothing is lost
    assert hog.view().state == "running"
    assert sessions.reap(connected, ttl=60, now=t0 + 61) == []  # within TTL + one look of its last sighting
    assert sessions.reap(connected, ttl=60, now=t0 + 63) == ["gone"]
    assert hog.view().state == "stopped" and hog.view().snapshots == [] and hog.model is None
    waiting.wait(10)
    assert waiting.view().state == "done"  # the slot came back to the class
    assert sessions.watched() == ["here"]
