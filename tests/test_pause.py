"""Play / Pause / Step / Speed: a paused job holds without ending, gives its slot back, and goes on exactly.

Real tiny models (a GAN, an HMM, a Bayesian network) through core.jobs, then
the GAN page through AppTest pressing the buttons a teacher presses.
"""
import gc
import time

import numpy as np
import pytest

from core.jobs import Limiter, TrainingJob, jobs_of
from core.models.bayesnet import BayesNet, BNConfig
from core.models.bayesnet import load_data as bn_data
from core.models.gan import GAN
from core.models.hmm import HMM, HMMConfig
from core.models.hmm import load_data as hmm_data
from tests.apptools import open_lab

HMM_CONFIG = HMMConfig(length=2000, restarts=2, n_iter=200, snapshot_every=10, tol=1e-4, seed=0)
BN_CONFIG = BNConfig(dataset="cancer", n_rows=1000, snapshot_every=2, seed=0)


def wait_for(predicate, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.005)
    return False


def tiny(family, tiny_gan_config, ring):
    """(model, data, budget, a step it reports at): each trains for a second or less on one thread."""
    if family == "gan":
        return GAN(tiny_gan_config(steps=500, log_every=10, snapshot_every=100)), ring, 500, 20
    if family == "hmm":
        return HMM(HMM_CONFIG), hmm_data(HMM_CONFIG), None, 5
    return BayesNet(BN_CONFIG), bn_data(BN_CONFIG), None, 2


def pause_at(job, step: int) -> None:
    """Press Pause from inside the model's events as it reports `step`, so the pause lands there on any
    machine (a person's click lands at whatever event comes next)."""
    fit = job.model.fit

    def fit_and_press(data, steps):
        for event in fit(data, steps):
            if event.step == step:
                job.pause()
            yield event

    job.model.fit = fit_and_press


def paused_at_a_step(job, model):
    """Start `job`, let it train a step, press Pause; it holds at its next event."""
    job.start()
    assert wait_for(lambda: job.view().step > 0)
    job.pause()
    assert job.settle(5)
    assert job.view().state == "paused" and model.step_ == job.view().step
    return job.view().step


@pytest.mark.parametrize("family", ["gan", "hmm", "bayesnet"])
def test_pause_step_step_continue_trains_exactly_two_steps_between_the_pauses(family, tiny_gan_config, ring):
    model, data, budget, at = tiny(family, tiny_gan_config, ring)
    limiter = Limiter(1)
    job = TrainingJob(model, data, budget, limiter=limiter)
    pause_at(job, at)
    job.start()
    assert job.settle(10)
    assert job.view().state == "paused" and job.view().step == model.step_ == at
    assert limiter.running == 0  # a paused job holds no training slot
    rows = len(job.history.steps)
    time.sleep(0.1)
    assert model.step_ == at and len(job.history.steps) == rows  # held: nothing trains while paused
    for k in (1, 2):
        job.step_once()
        assert job.settle(5)
        view = job.view()
        assert view.state == "paused" and view.step == model.step_ == at + k
        assert len(job.history.steps) == rows + k and job.history.steps[-1] == at + k
    assert limiter.running == 0
    job.resume()
    job.wait(60)
    view = job.view()
    assert view.state == "done" and view.step == model.step_ and view.total == view.step
    assert job.history.steps[rows:rows + 2] == [at + 1, at + 2]
    assert np.all(np.diff(job.history.steps) > 0)  # one history, in order, no step twice
    if budget:
        assert model.step_ == budget  # the budget, no more and no less
    else:  # one event per step: the open fit goes on as if nobody had pressed a thing
        fresh = TrainingJob(type(model)(model.config), data, limiter=Limiter(1)).run()
        assert job.history.steps == fresh.history.steps
        assert job.history.series.keys() == fresh.history.series.keys()
        for key in job.history.series:
            np.testing.assert_allclose(job.history.series[key], fresh.history.series[key], equal_nan=True)


def test_a_job_paused_before_its_first_step_steps_from_the_start(tiny_gan_config, ring):
    model = GAN(tiny_gan_config(steps=100, log_every=10))
    job = TrainingJob(model, ring, 100, limiter=Limiter(1))
    job.pause()  # while queued: it holds as soon as its turn comes, before any training
    job.start()
    assert job.settle(5) and job.view().state == "paused" and model.step_ == 0
    job.step_once()
    assert job.settle(5) and model.step_ == 1 and job.view().step == 1
    assert [s.step for s in job.snapshots] == [0, 1]
    job.resume()
    job.wait(30)
    assert job.view().state == "done" and model.step_ == 100
    assert [s.step for s in job.snapshots] == sorted({s.step for s in job.snapshots})  # no step twice


def test_slow_speed_trains_one_step_at_a_time_and_a_change_acts_at_once(tiny_gan_config, ring):
    model = GAN(tiny_gan_config(steps=100_000, log_every=10))
    job = TrainingJob(model, ring, limiter=Limiter(1), speed="slow").start()
    assert wait_for(lambda: model.step_ >= 2, 5)
    time.sleep(1.0)
    steps = [s for s in job.history.steps if s > 0]
    assert steps == list(range(1, len(steps) + 1))  # every step reported, one by one
    assert 2 <= len(steps) <= 5  # about two a second, not hundreds
    job.set_speed("full")
    assert wait_for(lambda: model.step_ > 200, 10)  # full speed at once, not after a slow wait
    job.set_speed("slow")
    time.sleep(0.3)  # the step under way when it changed ends first
    slow_from = model.step_
    time.sleep(1.0)
    assert 1 <= model.step_ - slow_from <= 4
    job.pause()
    assert job.settle(2)  # Pause cuts a slow wait short
    slow_steps = [s for s in job.history.steps if s > slow_from]
    assert slow_steps == list(range(slow_from + 1, model.step_ + 1))  # each slow step is on the curve
    job.stop()
    job.wait(5)
    assert job.view().state == "stopped"


def test_stop_while_paused_ends_at_once_and_keeps_the_model(tiny_gan_config, ring):
    model = GAN(tiny_gan_config(steps=100_000, log_every=10))
    limiter = Limiter(1)
    job = TrainingJob(model, ring, limiter=limiter)
    at = paused_at_a_step(job, model)
    t0 = time.perf_counter()
    job.stop()
    job.wait(5)
    assert time.perf_counter() - t0 < 1.0
    view = job.view()
    assert view.state == "stopped" and view.step == model.step_ == at
    assert f"Stopped at step {at:,}" in view.message and limiter.running == 0
    job.step_once()  # too late: a stopped job trains no more
    job.resume()
    time.sleep(0.1)
    assert model.step_ == at and job.view().state == "stopped"


def test_a_paused_job_gives_its_slot_to_the_queue_and_continue_and_step_queue_again(tiny_gan_config, ring):
    limiter = Limiter(1)
    first_model, second_model = GAN(tiny_gan_config(steps=100_000)), GAN(tiny_gan_config(steps=100_000))
    first = TrainingJob(first_model, ring, limiter=limiter)
    second = TrainingJob(second_model, ring, limiter=limiter)
    first.start()
    assert wait_for(lambda: first.view().step > 0)
    second.start()
    assert wait_for(lambda: second.view().queue_position == 1)
    first.pause()
    assert wait_for(lambda: second.view().state == "running" and second_model.step_ > 0)  # the slot went on
    at = first_model.step_
    first.step_once()  # needs a slot too: it waits in the queue
    assert wait_for(lambda: first.view().state == "queued" and first.view().queue_position == 1)
    assert first_model.step_ == at
    second.pause()
    assert first.settle(5) and first_model.step_ == at + 1 and first.view().state == "paused"
    second.resume()  # the slot is free again: it takes it
    assert wait_for(lambda: second.view().state == "running" and limiter.running == 1)
    first.resume()
    assert wait_for(lambda: first.view().state == "queued")
    second.stop()
    assert wait_for(lambda: first.view().state == "running")
    first.stop()
    first.wait(5), second.wait(5)
    assert limiter.running == 0 and first.view().state == second.view().state == "stopped"


def test_a_paused_job_of_a_closed_tab_is_stopped_and_lets_go_of_its_model(monkeypatch, tiny_gan_config, ring):
    from ui import sessions
    from ui.training import SessionToken

    monkeypatch.setattr(sessions, "_tokens", {})
    monkeypatch.setattr(sessions, "_seen", {})
    token = SessionToken()
    sessions.watch("gone", token)
    model = GAN(tiny_gan_config(steps=100_000))
    job = TrainingJob(model, ring, limiter=Limiter(1), owner=token)
    paused_at_a_step(job, model)
    assert jobs_of(token) == [job]
    assert sessions.reap(lambda sid: False, ttl=60, now=sessions._seen["gone"] + 63) == ["gone"]
    assert job.view().state == "stopped" and job.model is None and job.view().snapshots == []
    assert not job._thread.is_alive()


def test_a_paused_job_stops_when_its_session_is_garbage_collected(tiny_gan_config, ring):
    class Token:
        pass

    token, model = Token(), GAN(tiny_gan_config(steps=100_000))
    job = TrainingJob(model, ring, limiter=Limiter(1), owner=token)
    paused_at_a_step(job, model)
    del token
    gc.collect()
    job.wait(5)
    assert job.view().state == "stopped"


TINY_PAGE = dict(preset="ring8-collapse", steps="1000", batch_size="64", g_width="32", d_width="32")


def press(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def status_line(at) -> str:
    return next(p.proto.text for p in at.get("progress"))


def test_the_gan_page_pauses_steps_twice_and_continues():
    at = open_lab("gan", **TINY_PAGE)
    press(at, "Train")
    job = at.session_state["gan.job"]
    assert wait_for(lambda: job.view().step > 0)
    press(at, "Pause")
    view = job.view()
    assert view.state == "paused" and status_line(at).startswith(f"paused: step {view.step:,} of 1,000")
    labels = {b.label: b.disabled for b in at.button}
    assert labels["Continue training"] is False and labels["Step"] is False and labels["Stop"] is False
    assert "Pause" not in labels and "Train" not in labels
    at_step, rows = view.step, len(job.history.steps)
    for k in (1, 2):
        press(at, "Step")
        assert job.view().state == "paused" and job.model.step_ == at_step + k
        assert job.history.steps[-1] == at_step + k and len(job.history.steps) == rows + k
        assert status_line(at).startswith(f"paused: step {at_step + k:,} of 1,000")
    press(at, "Continue training")
    assert at.session_state["gan.job"] is job and job.view().state in ("running", "done")
    assert {b.label for b in at.button} >= {"Pause", "Step", "Stop"} or job.view().state == "done"
    job.wait(60)
    at.run()
    assert job.view().state == "done" and job.model.step_ == 1000 and job.history.steps[-1] == 1000
    assert job.history.steps[rows:rows + 2] == [at_step + 1, at_step + 2]
    assert status_line(at).startswith("done: step 1,000 of 1,000")


def test_the_speed_control_changes_a_running_job_and_the_next_one():
    at = open_lab("gan", **TINY_PAGE)
    press(at, "Train")
    job = at.session_state["gan.job"]
    at.segmented_control(key="gan.speed").set_value("slow").run()
    assert job.speed == "slow"
    time.sleep(0.4)  # the step under way when it changed ends
    before = job.model.step_
    time.sleep(1.0)
    assert job.model.step_ - before <= 4
    press(at, "Stop")
    press(at, "Reset")
    press(at, "Train")
    assert at.session_state["gan.job"].speed == "slow"  # the choice stays for the next run
    press(at, "Stop")


def test_a_paused_page_says_so_in_chinese():
    from tests.english_left import english_left

    at = open_lab("gan", lang="zh", **TINY_PAGE)
    press(at, "训练")
    job = at.session_state["gan.job"]
    assert wait_for(lambda: job.view().step > 0)
    press(at, "暂停")
    assert status_line(at).startswith(f"已暂停：第 {job.view().step:,} 步，共 1,000 步")
    assert {"继续训练", "单步", "停止"} <= {b.label for b in at.button if not b.disabled}
    assert english_left(at, "gan") == []
    press(at, "停止")
    assert job.view().state == "stopped"
