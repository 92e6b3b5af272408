"""Training jobs: the limiter queues, Stop keeps work, divergence and failures end clearly."""
import threading
import time

import numpy as np
import pytest

from core.models.base import Lab
from core.errors import DataError
from core.jobs import History, Limiter, TrainingJob
from core.models.gan import GAN
from core.protocol import Progress


class GatedModel(Lab):
    """A protocol-following model whose steps wait on a gate, so a test controls time."""

    def __init__(self, steps=1000, fail_with=None):
        self.steps, self.fail_with, self.step_ = steps, fail_with, 0
        self.gate = threading.Event()
        self.config = None

    def fit(self, data, steps=None):
        total = self.step_ + (steps or self.steps)
        while self.step_ < total:
            self.gate.wait(5)
            if self.fail_with:
                raise self.fail_with
            self.step_ += 1
            yield Progress(self.step_, total, {"loss": 1.0 / self.step_})


def wait_for(predicate, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_two_jobs_over_the_limit_queue_and_stop_frees_a_slot():
    limiter = Limiter(slots=1)
    first, second = GatedModel(), GatedModel()
    job1 = TrainingJob(first, None, limiter=limiter).start()
    assert wait_for(lambda: job1.view().state == "running")
    job2 = TrainingJob(second, None, limiter=limiter).start()
    assert wait_for(lambda: job2.view().queue_position == 1)
    assert job2.view().state == "queued"
    first.gate.set()
    job1.stop()
    job1.wait(5)
    assert job1.view().state == "stopped"
    assert wait_for(lambda: job2.view().state == "running")
    assert job2.view().queue_position == 0
    second.gate.set()
    job2.stop()
    job2.wait(5)
    assert limiter.running == 0


def test_queue_positions_are_first_come_first_served_and_a_queued_job_can_be_stopped():
    limiter = Limiter(slots=1)
    models = [GatedModel() for _ in range(3)]
    jobs = [TrainingJob(m, None, limiter=limiter).start() for m in models[:1]]
    assert wait_for(lambda: jobs[0].view().state == "running")
    for m in models[1:]:
        jobs.append(TrainingJob(m, None, limiter=limiter).start())
        assert wait_for(lambda: jobs[-1].view().queue_position == len(jobs) - 1)
    jobs[1].stop()  # leaves the queue without ever running
    jobs[1].wait(5)
    assert jobs[1].view().state == "stopped" and models[1].step_ == 0
    assert wait_for(lambda: jobs[2].view().queue_position == 1)
    for m, j in zip(models, jobs):
        m.gate.set()
        j.stop()
        j.wait(5)
    assert limiter.running == 0


def test_stop_keeps_the_model_and_continue_appends_history(ring, tiny_gan_config):
    model = GAN(tiny_gan_config(steps=100_000, log_every=1, snapshot_every=50))
    job = TrainingJob(model, ring, limiter=Limiter(1)).start()
    assert wait_for(lambda: job.view().step >= 30)
    job.stop()
    job.wait(10)
    view = job.view()
    assert view.state == "stopped" and "keeps" in view.message
    stopped_at = model.step_
    assert stopped_at >= 30 and len(view.history["step"]) >= 30
    again = TrainingJob(model, ring, steps=10, limiter=Limiter(1), history=job.history,
                        snapshots=job.snapshots).run()
    assert again.view().state == "done"
    assert model.step_ == stopped_at + 10
    assert again.view().history["step"][-1] == stopped_at + 10


def test_divergence_ends_the_job_with_its_message(ring, tiny_gan_config):
    model = GAN(tiny_gan_config(loss="least-squares", lr_g=1.0, lr_d=1.0, beta1=0.9, steps=200, g_width=128,
                                d_width=128, g_depth=3, d_depth=3, batch_size=256))
    view = TrainingJob(model, ring, limiter=Limiter(1)).run().view()
    assert view.state == "diverged"
    assert "diverged" in view.message and "learning rate" in view.message
    assert view.snapshots and np.isfinite(view.snapshots[-1].samples).all()


@pytest.mark.parametrize("error, words", [(DataError("The CSV is empty."), "The CSV is empty."),
                                          (RuntimeError("boom"), "Training failed (RuntimeError: boom)")])
def test_failures_become_messages_not_tracebacks(error, words):
    model = GatedModel(fail_with=error)
    model.gate.set()
    limiter = Limiter(1)
    view = TrainingJob(model, None, limiter=limiter).run().view()
    assert view.state == "failed" and words in view.message
    assert limiter.running == 0


def test_history_downsamples_and_keeps_the_last_point():
    history = History()
    for step in range(1, 1001):
        history.append(step, {"loss": float(step)} if step % 2 else {"loss": 1.0, "modes": 3})
    frame = history.downsampled(100)
    assert len(frame["step"]) <= 100 and frame["step"][-1] == 1000 and frame["step"][0] == 1
    assert len(frame["modes"]) == len(frame["step"])
    assert np.isnan(history.downsampled(1000)["modes"][0])


def test_wait_for_progress_returns_once_a_curve_can_be_drawn(ring, tiny_gan_config):
    job = TrainingJob(GAN(tiny_gan_config(steps=1000)), ring, limiter=Limiter(1)).start()
    assert job.wait_for_progress(10)
    view = job.view()
    assert view.step > 0
    assert np.isfinite(view.history["D loss"]).sum() >= 2  # two points: a line, where one point draws nothing
    job.stop()
    job.wait(5)


def test_wait_for_progress_does_not_wait_behind_a_full_queue(ring, tiny_gan_config):
    """The Train click of a student whose job queues shows the queue at once, not after the wait."""
    import time

    limiter = Limiter(1)
    running = TrainingJob(GAN(tiny_gan_config(steps=10**5)), ring, limiter=limiter).start()
    assert running.wait_for_progress(10)
    queued = TrainingJob(GAN(tiny_gan_config(steps=10)), ring, limiter=limiter).start()
    t0 = time.perf_counter()
    assert not queued.wait_for_progress(5)
    assert time.perf_counter() - t0 < 1.0 and queued.view().state == "queued"
    running.stop()
    queued.wait(10)
    assert queued.view().state == "done"


def test_a_job_stops_and_a_queued_one_leaves_when_their_session_is_dropped():
    """A closed tab's session is garbage-collected after Streamlit's TTL: its jobs must free their slots."""
    import gc

    class Token:
        pass

    limiter, token = Limiter(1), Token()
    running_model, queued_model = GatedModel(), GatedModel()
    running_model.gate.set()
    running = TrainingJob(running_model, None, 10**9, limiter=limiter, owner=token).start()
    queued = TrainingJob(queued_model, None, 5, limiter=limiter, owner=token).start()
    assert running.wait_for_progress(5)
    del token
    gc.collect()
    running.wait(5), queued.wait(5)
    assert running.view().state == "stopped" and queued.view().state == "stopped"
    assert limiter.running == 0 and queued_model.step_ == 0


def test_start_returns_once_the_job_runs_or_waits_in_the_queue(ring, tiny_gan_config):
    """The page drawn right after Train reads the state the job will have: running with a free slot, a place in
    the queue without one (never 'queued' with no place yet, which made the page redraw itself once more)."""
    import time

    class SlowToEnter(Limiter):  # a loaded server: the job's thread reaches the limiter late
        def acquire(self, holder, cancelled):
            time.sleep(0.1)
            return super().acquire(holder, cancelled)

    limiter = SlowToEnter(1)
    running = TrainingJob(GAN(tiny_gan_config(steps=10**5)), ring, limiter=limiter).start()
    assert running.state == "running"
    queued = TrainingJob(GAN(tiny_gan_config(steps=10)), ring, limiter=limiter).start()
    assert queued.view().state == "queued" and queued.view().queue_position == 1
    running.stop()
    queued.wait(10)
    assert queued.view().state == "done"
