"""A plotly chart that grows in the browser instead of being rebuilt on every tick.

st.plotly_chart ships the whole figure on each rerun and the browser draws it again from scratch: a
lab's fragment ticking ten times a second spent 30-60 ms of GIL per tick building figures, and the
curves flickered or showed a white band mid-redraw (streamlit#8782). Here `build()` makes the figure
only when a full draw is needed; on other ticks only the points the browser lacks go out, and the
page's JavaScript (ui/live_chart/live_chart.js, a Custom Component v2 mounted without an iframe)
appends them with Plotly.extendTraces to a graph div that stays mounted between reruns.

The protocol, per chart key:
- Python remembers what it sent (`Sent`, in st.session_state): the version the figure was built for,
  a draw number (`epoch`), how many raw points of each series went out and what the last one was.
- A full draw (first mount, a new version, a series that shrank or was replaced, a figure that
  lacked a trace, a browser chart that went away, too many points held) sends build()'s figure, each
  streamed series thinned to FULL_POINTS. Streamlit's frontend may skip a render when deltas come
  quickly, so until the browser confirms that epoch the same figure JSON (not a new build()) goes out
  again with each call, with the points since it.
- Otherwise a tail: the points since OVERLAP sends ago; the browser skips those it already holds, so
  a skipped render leaves no gap.
- The browser reports (component state `sync`: its mount id, the epoch it holds, its points per
  series) after each full draw and when a tail does not fit what it holds; Python answers with a tail
  from there, or a full draw. A report is an event, not a per-tick acknowledgement: one extra rerun.
  When the page is left, Streamlit drops the component's state: no report with a known mount means
  the chart must be drawn in full again.

Where no browser will run the JavaScript (AppTest, a bare `python script.py`, static serving off)
the chart is a plain st.plotly_chart(build()), so page tests still see the figure.
"""
from __future__ import annotations

import gzip
import hashlib
import logging
import math
import os
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import plotly
import plotly.graph_objects as go
import streamlit as st
from plotly.io.json import to_json_plotly
from streamlit import config
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import live_feed

FULL_POINTS = 2000  # per series in a full draw: a long run does not ship megabytes
MAX_HELD = 2 * FULL_POINTS  # past this many points of a series in the browser, a full draw thins them again
OVERLAP = 4  # a tail repeats the last few sends, so a render the browser coalesced away leaves no gap
DEFAULT_HEIGHT = 450  # what st.plotly_chart draws a figure without a height at
GONE = "the browser chart went away"  # its component state vanished: the page was left and came back

ASSETS = Path(__file__).with_name("live_chart")
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC = Path("static") / "live_chart"  # under the main script's folder; Streamlit serves it at app/static/
# The component's own JS is a stub: Streamlit sends it with every rerun, so the real module (and
# plotly.js) are files the browser fetches once.
STUB = """export default async function (component) {
  const chart = await import(new URL(component.data.module, document.baseURI).href);
  return chart.default(component);
}
"""
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    """What one chart key has sent to its browser chart so far."""

    version: Hashable  # what build() was last called for
    epoch: int  # numbers the full draws; a tail is only applied on top of its own epoch
    traces: int  # traces the last build() drew; fewer than the series: build again
    end: tuple[int, ...]  # raw points of each series sent
    held: tuple[int, ...]  # points of each series the browser holds (a full draw thins them)
    marks: tuple[tuple, ...]  # (first, last) (x, y) sent per series: a change means the data was replaced
    full: dict = field(compare=False)  # the last full draw, resent (not rebuilt) until the browser confirms it
    confirmed: bool = False  # the browser reported holding this epoch
    window: tuple[tuple[int, ...], ...] = ()  # `end` after each of the last OVERLAP sends, oldest first
    mount: str | None = None  # the browser chart that last reported
    handled: tuple | None = None  # (mount, n) of the last report acted on
    payload: dict = field(default_factory=dict, compare=False)  # the last data sent, resent when nothing grew


@dataclass(frozen=True)
class Plan:
    """What this call sends: "full" (build() again), "again" (the last full draw and the points since,
    unconfirmed), "tail" (the points from `start`), or "same" (the last payload: nothing grew)."""

    kind: str
    start: tuple[int, ...] = ()
    why: str = ""


def plan(sent: Sent | None, series: Sequence[tuple[np.ndarray, np.ndarray]], version: Hashable,
         report: dict | None) -> Plan:
    """Decide what to send, given what was sent and what the browser last reported."""
    if sent is None:
        return Plan("full", why="first draw")
    if version != sent.version:
        return Plan("full", why="new version")
    if sent.traces < len(series) or len(sent.end) != len(series):
        return Plan("full", why="the figure lacked a series")
    for (x, y), n, mark in zip(series, sent.end, sent.marks):
        if len(x) < n:
            return Plan("full", why="a series shrank")
        if n and (_point(x, y, 0) != mark[0] or _point(x, y, n - 1) != mark[1]):
            return Plan("full", why="a series was replaced")
    if report is None and sent.mount is not None:
        return Plan("full", why=GONE)
    if _is_new(report, sent):
        if report["epoch"] == sent.epoch and report["end"] is not None and len(report["end"]) == len(series) \
                and all(0 <= e <= len(x) for e, (x, _) in zip(report["end"], series)):
            return Plan("tail", tuple(report["end"]), why="resume from the browser's report")
        if sent.confirmed:
            return Plan("full", why="the browser holds another draw")
        # otherwise the browser has not drawn the last full draw yet: it is on its way again
    if any(h + len(x) - n > MAX_HELD for h, n, (x, _) in zip(sent.held, sent.end, series)):
        return Plan("full", why="thin the held points")
    if not sent.confirmed:
        return Plan("again", tuple(sent.full["end"]))
    if all(len(x) == n for (x, _), n in zip(series, sent.end)):
        return Plan("same")
    return Plan("tail", sent.window[0] if sent.window else sent.end)


def full_draw(fig: go.Figure, series, version: Hashable, sent: Sent | None, height: int | None) -> Sent:
    """The figure from build() with each streamed series thinned to FULL_POINTS; what was sent."""
    figure, held, height = _figure(fig, series, height)
    end = tuple(len(x) for x, _ in series)
    epoch = (sent.epoch if sent else 0) + 1
    full = {"kind": "full", "epoch": epoch, "end": list(end), "height": height, "figure": figure}
    return Sent(version, epoch, len(fig.data), end, held, _marks(series), full, False, (end,),
                sent.mount if sent else None, sent.handled if sent else None, full)


def _figure(fig: go.Figure, series, height: int | None) -> tuple[str, tuple[int, ...], int]:
    """The figure's JSON with trace i drawn from series[i] (thinned), the points kept per series, and
    the height it is drawn at."""
    spec = fig.to_plotly_json()
    layout = spec.setdefault("layout", {})
    if height is not None:
        layout["height"] = height
    held = []
    for trace, (x, y) in zip(spec["data"], series):
        keep = thin(len(x))
        trace["x"], trace["y"] = x[keep], y[keep]
        held.append(len(keep))
    return to_json_plotly(spec), tuple(held), layout.get("height") or DEFAULT_HEIGHT


def resend(series, sent: Sent) -> Sent:
    """The last full draw again (its JSON, not a new build()) with the points since it."""
    return _advanced(sent, series, {**sent.full, "tail": _points(series, sent.full["end"])})


def tail(series, sent: Sent, start: Sequence[int]) -> Sent:
    """The points of each series from `start` on."""
    return _advanced(sent, series, {"kind": "tail", "epoch": sent.epoch, **_points(series, start)})


def acknowledge(sent: Sent | None, report: dict | None) -> Sent | None:
    """Take note of a report: which browser chart holds what, and whether it holds the last full draw."""
    if sent is None or not _is_new(report, sent):
        return sent
    return replace(sent, mount=report["mount"], handled=(report["mount"], report["n"]),
                   confirmed=sent.confirmed or report["epoch"] == sent.epoch)


def _advanced(sent: Sent, series, payload: dict) -> Sent:
    end = tuple(len(x) for x, _ in series)
    held = tuple(h + e - n for h, e, n in zip(sent.held, end, sent.end))
    return replace(sent, end=end, held=held, marks=_marks(series), window=(sent.window + (end,))[-OVERLAP:],
                   payload=payload)


def _points(series, start: Sequence[int]) -> dict:
    return {"start": list(start), "end": [len(x) for x, _ in series],
            "x": [_json_list(x[s:]) for (x, _), s in zip(series, start)],
            "y": [_json_list(y[s:]) for (_, y), s in zip(series, start)]}


def _is_new(report: dict | None, sent: Sent) -> bool:
    return report is not None and (report["mount"], report["n"]) != sent.handled


def thin(n: int, points: int = FULL_POINTS) -> np.ndarray:
    """At most `points` evenly spaced indices of n, the first and the last always among them."""
    if n <= points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, points).round().astype(int))


def live_chart(key: str, build: Callable[[], go.Figure], series: Sequence[tuple[np.ndarray, np.ndarray]],
               version: Hashable = 0, height: int | None = None) -> None:
    """A chart of `series` (the full raw (x, y) of trace i, growing) styled by `build()`.

    build() returns the whole figure (layout, trace styles, worded titles); it is called only for a
    full draw: the first, a changed `version` (pass what the figure's words and styles depend on:
    language, run, config), a series that shrank or restarted, or a browser chart that remounted.
    Trace i of build()'s figure is drawn from series[i]; traces past the series stay as built.
    `height` (px) overrides the figure's; without either the chart is DEFAULT_HEIGHT tall.
    """
    urls = _browser_assets()
    if urls is None or _component is None:
        st.plotly_chart(_sized(build(), height), key=key)
        return
    series = [(np.asarray(x), np.asarray(y)) for x, y in series]
    version = (version, height)  # a new height is a new figure too
    store = f"live_chart:{key}"
    sent: Sent | None = st.session_state.get(store)
    report = _report(_widget(key))
    step = plan(sent, series, version, report)
    if step.kind == "full":
        sent = full_draw(build(), series, version, sent, height)
        if step.why == GONE:
            sent = replace(sent, mount=None)  # until the new browser chart reports
    elif step.kind == "again":
        sent = resend(series, sent)
    elif step.kind == "tail":
        sent = tail(series, sent, step.start)
    sent = acknowledge(sent, report)
    if _mount(key, sent.payload, urls, build, height):
        st.session_state[store] = sent


def _mount(key: str, payload: dict, urls: dict, build: Callable[[], go.Figure], height: int | None) -> bool:
    """Send `payload` to the browser chart of `key`; where the component fails, a plain plotly chart
    (False)."""
    try:
        _component(key=_widget(key), data={**payload, **urls, "widget": _widget(key)}, on_sync_change=_ignore)
        return True
    except StreamlitAPIException:
        _LOG.exception("live chart %s: the component failed; drawing a plain plotly chart", key)
        st.plotly_chart(_sized(build(), height), key=key)
        return False


def _widget(key: str) -> str:
    return "live-chart-" + key.replace("__", "_~")  # Streamlit splits component events on "__"


def history_chart(key: str, build: Callable[[], go.Figure], job, keys: Sequence[str], version: Hashable = 0,
                  height: int | None = None) -> None:
    """A live chart of a job's history: trace i is the series keys[i] against the step, its NaN rows
    dropped (a score recorded only at snapshots is NaN in between; a line through NaN breaks into dots).

    Where the server has the live feed (app.py), the chart is drawn once and then fetches its new
    points from the job ten times a second by itself (ui/live_feed.py); this call only redraws it
    for a new `version` or a new job. Elsewhere each call streams the rows added since the last one.
    Only the keys the history already holds are drawn, so build() must draw their traces in the
    same order (core.plots.line_chart does).
    """
    held = job.series_names()
    present = tuple(k for k in keys if k in held)
    version = (version, present)
    urls = _browser_assets()
    if live_feed.enabled() and urls is not None and _component is not None:
        _fed_chart(key, build, job, present, version, height, urls)
        return
    live_chart(key, build, _finite(job.raw_history(), present), version, height)


def _finite(history: Mapping[str, np.ndarray], keys: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(step, value) of each series with its non-finite rows dropped."""
    series = []
    for k in keys:
        y = np.asarray(history[k], dtype=float)
        keep = np.isfinite(y)
        series.append((history["step"], y) if keep.all() else (history["step"][keep], y[keep]))
    return series


@dataclass(frozen=True)
class Fed:
    """What a fed chart was last drawn with: for which version and job, and the payload itself."""

    version: Hashable
    token: str
    payload: dict = field(compare=False)


def _fed_chart(key: str, build: Callable[[], go.Figure], job, present: tuple, version: Hashable,
               height: int | None, urls: dict) -> None:
    """Draw the chart in full for a new version or job, else send the same payload again (the browser
    keeps what it holds and goes on fetching from the feed)."""
    store, token = f"live_chart:{key}", live_feed.token(job)
    fed = st.session_state.get(store)
    if not isinstance(fed, Fed) or fed.version != version or fed.token != token:
        raw = job.raw_history()
        series = _finite(raw, present)
        figure, _, drawn_height = _figure(build(), series, height)
        epoch = fed.payload["epoch"] + 1 if isinstance(fed, Fed) else 1
        fed = Fed(version, token, {
            "kind": "full", "epoch": epoch, "end": [len(x) for x, _ in series], "height": drawn_height,
            "figure": figure, "feed": {"url": _server_path(live_feed.PATH), "token": token, "keys": list(present),
                                       "since": len(raw["step"])}})
        st.session_state[store] = fed
    _mount(key, fed.payload, urls, build, height)


def status_line(job, view, words: dict) -> bool:
    """The job's status line (a progress bar and its words) drawn by the browser and moved by the
    job's feed with the curves, where the server has the feed; False elsewhere (draw st.progress).

    `words` has the line with {state}, {step}, {total} and {timing} left to fill, the timing with
    {seconds} and {rate}, and the word for each state: the browser fills them in as rows come.
    While the job waits in the queue the line is hidden and only watches the feed: its start or a new
    place reruns the status fragment (a class of 30 waiting pages then costs the browsers no
    reruns a second, each 50-100 ms of a core)."""
    urls = _browser_assets()
    if not live_feed.enabled() or urls is None or _component is None:
        return False
    payload = {"kind": "status", "words": words, "state": view.state, "queue_position": view.queue_position,
               "step": view.step, "total": view.total,
               "seconds": view.seconds, "feed": {"url": _server_path(live_feed.PATH), "token": live_feed.token(job),
                                                 "keys": [], "since": job.history_rows(0, [], limit=0)["rows"]}}
    try:
        _component(key="live-status", data={**payload, **urls}, on_seen_change=_ignore)  # a new state: rerun
    except StreamlitAPIException:
        _LOG.exception("live status: the component failed; drawing st.progress")
        return False
    return True


def figure_chart(key: str, build: Callable[[], go.Figure], version: Hashable, height: int | None = None) -> None:
    """A chart redrawn in place (Plotly.react on the kept graph div, no blank frame) when `version`
    changes, and left as it is otherwise: for the sample panels, whose every point moves between
    snapshots. build() runs only for a new version; other calls send the same figure JSON again, which
    the browser skips (or draws, if it is a new chart after a page switch), so it never reports back."""
    live_chart(key, build, [], version, height)


def fingerprint(*arrays: np.ndarray) -> str:
    """A short digest of the first rows of some arrays: part of a figure_chart's version, so a new
    run's snapshot at the same step is told from the last one."""
    digest = hashlib.blake2b(digest_size=8)
    for a in arrays:
        a = np.asarray(a)
        digest.update(str((a.shape, a.dtype)).encode())
        digest.update(np.ascontiguousarray(a[:64]).tobytes())
    return digest.hexdigest()


def _browser_assets() -> dict[str, str] | None:
    """URLs of plotly.js and the chart's module, or None where no browser will run them."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or config.get_option("global.appTest"):
        return None
    folder = Path(ctx.main_script_path).resolve().parent / STATIC
    with _publish_lock:
        if folder not in _published:
            _published[folder] = _publish(folder)
    return _published[folder]


def _publish(folder: Path) -> dict[str, str] | None:
    """Write plotly.js (gzipped, and plain for old browsers) and the module into the app's static
    folder, once a process; their URLs.

    Streamlit gzips /app/static/ responses at level 9 on every request: for the 4.6 MB plotly.js that
    was about half a second of server CPU per student opening a lab. A `.gz` file is served as
    application/gzip, which Streamlit leaves alone; the page inflates it (DecompressionStream).
    Copies, not links: Streamlit refuses static files whose real path leaves the folder."""
    if not config.get_option("server.enableStaticServing"):
        _LOG.warning("live charts need server.enableStaticServing (.streamlit/config.toml); drawing plain charts")
        return None
    module = ASSETS / "live_chart.js"
    names = {"plotly": f"plotly-{plotly.__version__}.min.js",
             "module": f"live_chart-{hashlib.sha256(module.read_bytes()).hexdigest()[:12]}.js"}
    names["plotly_gz"] = names["plotly"] + ".gz"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("live_chart-*.js"):
            if old.name != names["module"]:
                old.unlink(missing_ok=True)
        _write(folder / names["module"], module.read_bytes)
        _write(folder / names["plotly"], PLOTLY_JS.read_bytes)
        gz = folder / names["plotly_gz"]
        if not gz.exists() or gz.stat().st_mtime < PLOTLY_JS.stat().st_mtime:  # 0.3 s: not on every start
            _write(gz, lambda: gzip.compress(PLOTLY_JS.read_bytes(), 9, mtime=0))
    except OSError:
        _LOG.exception("live charts: cannot write %s; drawing plain charts", folder)
        return None
    prefix = _server_path("app", *STATIC.parts)
    return {kind: f"{prefix}/{name}" for kind, name in names.items()}


def _server_path(*parts: str) -> str:
    """An absolute path on this server, under its base URL path (server.baseUrlPath) if it has one."""
    base = config.get_option("server.baseUrlPath").strip("/")
    return "/" + "/".join(p for p in (base, *parts) if p)


def _write(target: Path, content: Callable[[], bytes]) -> None:
    """Write content() to target unless it holds exactly that already (atomically: other processes
    of the same app may serve the folder)."""
    data = content()
    if target.exists() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return
    part = target.with_name(f".{target.name}.{os.getpid()}")
    part.write_bytes(data)
    os.replace(part, target)


def preload() -> None:
    """Start fetching plotly.js now, before any live chart is drawn: a lab page calls this on open, so
    the first chart after Train does not wait for 1.4 MB to arrive and parse (in a class of 30 that
    all press Train at once, it did). Draws nothing; a no-op where no browser runs JavaScript."""
    urls = _browser_assets()
    if urls is None or _component is None:
        return
    with st.sidebar:  # the component's empty block takes no room worth noticing at the sidebar's foot
        try:
            _component(key="live-chart-preload", data={"kind": "preload", **urls})
        except StreamlitAPIException:
            _LOG.exception("live charts: the preload failed")


def _report(widget: str) -> dict | None:
    """The browser's last report for this chart (its component state), read before the component is."""
    try:
        return parse_report(st.session_state[widget])
    except (KeyError, StreamlitAPIException):
        return None


def parse_report(state) -> dict | None:
    """The `sync` report in a component state, if it is well formed (it comes from a browser)."""
    sync = state.get("sync") if isinstance(state, Mapping) else None
    if not isinstance(sync, Mapping):
        return None
    mount, epoch, end, n = (sync.get(k) for k in ("mount", "epoch", "end", "n"))
    if not isinstance(mount, str) or not isinstance(n, int) or not (epoch is None or isinstance(epoch, int)) \
            or not (end is None or isinstance(end, list) and all(isinstance(e, int) for e in end)):
        return None  # a chart that holds nothing yet reports epoch and end as null
    return {"mount": mount, "epoch": epoch, "end": end, "n": n}


def _point(x: np.ndarray, y: np.ndarray, i: int) -> tuple:
    """(x[i], y[i]) as comparable Python values (NaN as None: NaN != NaN)."""
    return tuple(None if isinstance(v, float) and math.isnan(v) else v for v in (x[i].item(), y[i].item()))


def _marks(series) -> tuple[tuple, ...]:
    return tuple((_point(x, y, 0), _point(x, y, len(x) - 1)) if len(x) else ((), ()) for x, y in series)


def _json_list(a: np.ndarray) -> list:
    """A list JSON can carry: NaN and infinities as null (JSON has neither)."""
    if a.dtype.kind == "f":
        return np.where(np.isfinite(a), a, None).tolist()
    return a.tolist()


def _sized(fig: go.Figure, height: int | None) -> go.Figure:
    return fig.update_layout(height=height) if height is not None else fig


def _ignore() -> None:
    """The report needs a callback to be kept as component state; acting on it happens in live_chart."""


def _register():
    try:
        return st.components.v2.component("genlab.live_chart", js=STUB, isolate_styles=False,
                                          css=(ASSETS / "live_chart.css").read_text())
    except Exception:  # noqa: BLE001 - any failure of the component API leaves plain plotly charts
        _LOG.exception("live charts: the component API failed; drawing plain charts")
        return None


_publish_lock = threading.Lock()
_published: dict[Path, dict[str, str] | None] = {}
_component = _register()
