/* GenLab's live chart in the browser: one plotly graph div per chart, kept across Streamlit reruns.
 *
 * Streamlit calls the default export again, with the same parentElement, whenever the chart's data
 * changes (each tick), and unmounts it only when the chart leaves the page. So the graph div made on
 * the first call stays: a "full" payload redraws it in place (Plotly.react), a "tail" payload appends
 * to it (Plotly.extendTraces), and the div is never removed while the chart is on the page. plotly.js
 * is one <script> per page, shared by every chart. The protocol is described in ui/live_chart.py.
 *
 * Nothing here writes HTML: the figure's words reach the page only through plotly, from build().
 */

const charts = new Map(); // the component's key (else its parentElement) -> chart
const ADOPT_MS = 3000; // a chart whose element left the page waits this long for a new element of its key
const CONFIG = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]};
const REPORT_AGAIN_MS = 1500; // a report that changed nothing is repeated after this long (it may have been lost)

let plotlyLoading = null;

/** plotly.js from the app's static folder, loaded once per page whatever the number of charts.
 * The gzipped copy where the browser can inflate it (Streamlit would gzip the plain file again on
 * every request, at the server's expense), else the plain file. */
function loadPlotly(urls) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  plotlyLoading ??= source(urls).then((src) => new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.dataset.liveChartPlotly = "";
    script.addEventListener("load", () => {
      if (src.startsWith("blob:")) URL.revokeObjectURL(src);
      resolve(window.Plotly);
    });
    script.addEventListener("error", () => {
      plotlyLoading = null;
      script.remove();
      reject(new Error(`plotly.js did not load from ${urls.plotly}`));
    });
    document.head.appendChild(script);
  }));
  return plotlyLoading;
}

async function source(urls) {
  if (!urls.plotly_gz || typeof DecompressionStream !== "function") return urls.plotly;
  try {
    const response = await fetch(urls.plotly_gz);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const js = await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).blob();
    return URL.createObjectURL(new Blob([js], {type: "text/javascript"}));
  } catch (error) {
    console.warn("live chart: the gzipped plotly.js failed, loading the plain one:", error);
    return urls.plotly;
  }
}

let rehearsed = false;

/** Draw one small line chart off screen, once per page, while the student reads it: the browser
 * compiles plotly's drawing code and plotly measures its fonts then, not in the first chart after
 * Train (whose first draw took about 0.14 s of the click-to-chart time). */
function rehearse(Plotly) {
  if (rehearsed) return;
  rehearsed = true;
  const div = document.createElement("div");
  div.setAttribute("aria-hidden", "true");
  div.style.cssText = "position:fixed;left:-10000px;top:0;width:400px;height:300px;visibility:hidden";
  document.body.appendChild(div);
  const trace = (y) => ({x: [0, 1, 2], y, type: "scatter", mode: "lines"});
  Plotly.react(div, [trace([1, 0.5, 0.7]), trace([0.6, 0.8, 0.4])], {width: 400, height: 300, title: {text: "."},
                                                                   xaxis: {title: {text: "."}}, yaxis: {title: {text: "."}}},
               CONFIG)
    .then(() => Plotly.extendTraces(div, {x: [[3]], y: [[0.6]]}, [0]))
    .catch(() => {})
    .finally(() => { Plotly.purge(div); div.remove(); });
}

export default function liveChart({data, key, parentElement, setStateValue}) {
  if (data?.kind === "preload") { // a lab page that just opened: fetch plotly.js and rehearse a draw, show nothing
    loadPlotly(data).then(rehearse).catch((error) => console.error("live chart:", error));
    return undefined;
  }
  if (data?.kind === "status") return statusLine(parentElement, data, setStateValue);
  const id = data?.widget ?? key ?? parentElement;
  let chart = charts.get(id);
  if (chart && chart.parent !== parentElement) adopt(chart, parentElement);
  if (!chart) {
    chart = newChart(parentElement, id);
    charts.set(id, chart);
  }
  watchHome(chart, data?.widget);
  chart.setStateValue = setStateValue;
  if (data) receive(chart, data);
  return chart.cleanup;
}

/** Streamlit may mount a chart's element anew while the chart stays on the page (a full rerun that
 * races a fragment's, a Reset): the graph div, with everything plotly drew, moves into the new element
 * instead of a blank one being drawn from scratch. */
function adopt(chart, parent) {
  chart.parent = parent;
  parent.appendChild(chart.gd);
  watchHome(chart, chart.widget);
}

/** React puts the new element in the page in the same commit that removes the old one (or soon after),
 * but calls this module for it only after an async import: a frame or more without the chart. A watch
 * on the children of every block above the chart's element (not their subtrees: plotly's own drawing
 * is not watched) moves the graph div into the new element, found by the widget's key class, in the
 * microtask after the commit that put it there, before the browser paints. */
function watchHome(chart, widget) {
  if (widget) chart.widget = widget;
  const container = chart.parent.closest(".stElementContainer");
  if (!chart.widget || !container || chart.container === container) return;
  chart.container = container;
  chart.home ??= new MutationObserver(() => {
    if (chart.gd.isConnected) return;
    const parent = document.querySelector(`.st-key-${CSS.escape(chart.widget)} [data-testid="stBidiComponentRegular"]`);
    if (parent) adopt(chart, parent);
  });
  chart.home.disconnect();
  for (let block = container.parentElement; block && block !== document.body; block = block.parentElement) {
    chart.home.observe(block, {childList: true});
  }
}

function newChart(parent, id) {
  const gd = document.createElement("div");
  gd.className = "live-chart";
  gd.dataset.updates = "0";
  parent.appendChild(gd);
  const chart = {
    parent, gd,
    mount: Math.random().toString(36).slice(2) + Date.now().toString(36),
    epoch: null, // the full draw this chart holds
    end: null, // raw points of each series it holds
    queue: [], busy: false, reports: 0, lastReport: "", lastReportAt: 0,
    resize: null, setStateValue: null,
  };
  // Streamlit also calls this for an earlier call's result while the chart stays mounted (when the
  // data changed before that call finished), and a remounted element adopts the graph div, so only a
  // chart that stayed off the page for ADOPT_MS is purged.
  chart.cleanup = () => setTimeout(() => {
    if (chart.parent.isConnected) return;
    chart.feed = null; // its poll loop ends
    chart.resize?.disconnect();
    chart.home?.disconnect();
    window.Plotly?.purge(gd);
    if (charts.get(id) === chart) charts.delete(id);
  }, ADOPT_MS);
  return chart;
}

function receive(chart, payload) {
  if (payload.kind === "full") {
    chart.queue = [payload]; // a full draw supersedes whatever is still waiting
    if (!chart.gd.style.height) chart.gd.style.height = `${payload.height}px`; // room kept while plotly.js loads
  } else {
    chart.queue.push(payload);
  }
  drain(chart);
}

/** Apply waiting payloads in order: the newest full draw, then every tail after it, in one extendTraces. */
async function drain(chart) {
  if (chart.busy) return;
  chart.busy = true;
  try {
    while (chart.queue.length) {
      const batch = chart.queue.splice(0);
      const Plotly = await loadPlotly(batch[batch.length - 1]);
      const full = batch.map((p) => p.kind).lastIndexOf("full");
      const tails = batch.slice(full + 1);
      if (full >= 0) {
        const payload = batch[full];
        if (payload.feed) { // fed by the job itself (ui/live_feed.py): Python needs no reports
          if (payload.epoch !== chart.epoch) {
            await draw(chart, payload, Plotly);
            chart.feed = {...payload.feed};
          }
          if (chart.feed && !chart.feed.done) subscribe(chart, Plotly); // a new draw, a pause's Step, a lost fetch
          continue;
        }
        chart.feed = null;
        const streams = payload.end.length > 0; // a figure chart (no series) is resent whole: nothing to report
        if (payload.epoch !== chart.epoch) {
          await draw(chart, payload, Plotly);
          if (streams) report(chart, null);
        } else if (streams) {
          report(chart, `holds ${chart.epoch}`); // sent again: Python has not heard this chart holds it
        }
        if (payload.tail) tails.unshift({...payload.tail, epoch: payload.epoch});
      }
      await extend(chart, tails, Plotly);
    }
  } catch (error) {
    console.error("live chart:", error);
  } finally {
    chart.busy = false;
  }
}

async function draw(chart, payload, Plotly) {
  const theme = themeOf(chart.parent);
  const figure = JSON.parse(paint(payload.figure, theme));
  const layout = figure.layout ?? {};
  styleLikeStreamlit(layout, theme);
  delete layout.width; // the container's width, as st.plotly_chart
  layout.autosize = true;
  layout.height ??= payload.height;
  chart.gd.style.height = `${layout.height}px`;
  await Plotly.react(chart.gd, figure.data ?? [], layout, CONFIG);
  chart.epoch = payload.epoch;
  chart.end = payload.end.slice();
  chart.fastLeft = 0;
  chart.zoomed = false;
  chart.pace = null; // the x axis's pace is measured afresh for each draw
  if (!chart.watchingZoom) {
    chart.watchingZoom = true;
    chart.gd.on("plotly_relayout", (event) => { // a student zoomed (ranges) or double-clicked (autorange)
      if (chart.ranging) return;
      const keys = Object.keys(event ?? {});
      if (keys.some((k) => k.endsWith("autorange"))) chart.zoomed = false;
      else if (keys.some((k) => k.includes("range"))) chart.zoomed = true;
    });
  }
  if (payload.feed) {
    await makeRoom(chart, Plotly);
    chart.fastLeft = FAST_RUN;
  }
  chart.resize ??= watchWidth(chart.gd, Plotly);
  mark(chart);
}

async function extend(chart, tails, Plotly) {
  if (!tails.length) return;
  if (chart.end === null || tails.some((t) => t.epoch !== chart.epoch)) {
    report(chart, `lacks ${tails[tails.length - 1].epoch}`); // a tail of a draw this chart never got
    return;
  }
  const x = chart.end.map(() => []);
  const y = chart.end.map(() => []);
  for (const t of tails) {
    if (t.start.some((start, i) => start > chart.end[i])) {
      report(chart, `gap after ${chart.end}`); // points are missing in between
      break;
    }
    t.end.forEach((end, i) => {
      if (end <= chart.end[i]) return;
      const skip = chart.end[i] - t.start[i]; // points it repeats that this chart already holds
      x[i] = x[i].concat(t.x[i].slice(skip));
      y[i] = y[i].concat(t.y[i].slice(skip));
      chart.end[i] = end;
    });
  }
  const traces = x.map((_, i) => i).filter((i) => x[i].length);
  if (!traces.length) return;
  await Plotly.extendTraces(chart.gd, {x: traces.map((i) => x[i]), y: traces.map((i) => y[i])}, traces);
  mark(chart);
}

/* --- Fed charts: the points come from the job's feed, not from reruns ---------------------------
 * Each fetch returns the rows since the last one; the new points of a plain line are drawn as a short
 * SVG path beside plotly's, with plotly's own axis scales (about a millisecond), because a plotly redraw
 * costs 15-30 ms and three charts ten times a second would take the whole of a laptop core. A point
 * outside the axes, another kind of trace, or every FAST_RUN-th update takes a real plotly redraw,
 * which also refreshes what hovering shows.
 */
const FEED_MS = 70; // at most a fetch every 70 ms (the feed answers once the job has a new row): 14 updates a second
const feeds = new Map(); // feed URL -> the charts that share its poll loop
const FAST_RUN = 40; // at most this many appends between two plotly redraws (hover reads what plotly drew)
const HEADROOM = 0.25; // after a redraw the x axis reaches this share past the data (y: half of it
// above and below), so the next points fit without a redraw...
const AHEAD_S = 4; // ...or, where more, as far as the data goes in this many seconds (at most as far again)

/** Join the page's one poll loop for this job's feed: the charts of one job share each fetch (one
 * request for the union of their series, every FEED_MS), and draw its rows in the same task, so the
 * browser lays out and paints them once. A chart drawn later than the others starts from its own row. */
function subscribe(chart, Plotly) {
  const id = `${chart.feed.url}/${chart.feed.token}`;
  for (const other of feeds.values()) if (other.id !== id) other.charts.delete(chart); // Reset: a new job
  let shared = feeds.get(id);
  if (!shared) {
    shared = {id, url: chart.feed.url, charts: new Set(), polling: false};
    feeds.set(id, shared);
  }
  shared.charts.add(chart);
  if (!shared.polling) poll(shared, Plotly);
}

async function poll(shared, Plotly) {
  shared.polling = true;
  try {
    while (true) {
      const began = performance.now();
      const asking = [...shared.charts].map((chart) => [chart, chart.feed])
        .filter(([chart, feed]) => feed && !feed.done && chart.parent.isConnected && feed.url + "/" + feed.token === shared.id);
      if (!asking.length) break;
      const since = Math.min(...asking.map(([, feed]) => feed.since));
      const url = new URL(shared.id, document.baseURI);
      url.searchParams.set("since", String(since));
      new Set(asking.flatMap(([, feed]) => feed.keys)).forEach((key) => url.searchParams.append("key", key));
      if (shared.seen) { // what the last answer said: an answer about a job waiting in the queue waits for news
        url.searchParams.set("state", shared.seen.state);
        url.searchParams.set("position", String(shared.seen.position));
      }
      const response = await fetch(url, {cache: "no-store"});
      if (!response.ok) { // 404: the job is gone (Reset, or its session ended)
        asking.forEach(([, feed]) => { feed.done = true; });
        break;
      }
      const rows = await response.json();
      shared.seen = {state: rows.state, position: rows.queue_position ?? 0};
      for (const [chart, feed] of asking) {
        if (chart.feed !== feed) continue; // a new draw came meanwhile; it has its own place to start
        if (chart.show) {
          chart.show(rows); // the status line: where the job stands
        } else {
          const own = from(rows, feed.since);
          if (own.end > own.start) await grow(chart, feed, own, Plotly);
        }
        feed.since = rows.end;
        if (!rows.active && rows.end >= rows.rows) feed.done = true; // ended, and every row is drawn
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(10, FEED_MS - (performance.now() - began))));
    }
  } catch (error) {
    console.error("live chart feed:", error);
  } finally {
    shared.polling = false;
    if (!shared.charts.size || [...shared.charts].every((chart) => !chart.feed || chart.feed.done)) feeds.delete(shared.id);
  }
}

/* --- The status line: a progress bar and its words, moved by the same feed as the curves -------- */

const lines = new WeakMap(); // parentElement -> status line
// A waiting job's new place in the queue redraws the page's words at most this often (its start at once):
// in a class each job's end moves every waiting page's place, and each redraw is a fragment run.
const PLACE_MS = 4000;

/** Draw (or update) the status line in `parent`, and keep it moving from the job's feed. Its words
 * come from Python with {placeholders}; only numbers and state names from the feed fill them, and
 * they reach the page as text (textContent), never as HTML. */
function statusLine(parent, data, setStateValue) {
  let line = lines.get(parent);
  if (!line) {
    line = {parent, el: document.createElement("div"), fill: document.createElement("div"),
      text: document.createElement("div")};
    line.el.className = "live-status";
    line.el.setAttribute("role", "progressbar");
    line.el.setAttribute("aria-valuemin", "0");
    line.el.setAttribute("aria-valuemax", "100");
    line.text.className = "live-status-text";
    const bar = document.createElement("div");
    bar.className = "live-status-bar";
    line.fill.className = "live-status-fill";
    bar.appendChild(line.fill);
    line.el.append(line.text, bar);
    parent.appendChild(line.el);
    line.show = (rows) => paintStatus(line, rows);
    lines.set(parent, line);
  }
  line.words = data.words;
  line.state = data.state; // the state the page was drawn for
  line.place = data.state === "queued" ? (data.queue_position ?? 0) : 0; // and the place in the queue
  line.setStateValue = setStateValue;
  line.drawnAt = performance.now();
  paintStatus(line, data);
  if (!line.feed || line.feed.token !== data.feed.token || line.feed.done) {
    line.feed = {...data.feed};
    loadPlotly(data).then((Plotly) => subscribe(line, Plotly)).catch((error) => console.error("live status:", error));
  }
  return () => setTimeout(() => {
    if (parent.isConnected) return;
    line.feed = null; // leaves the poll loop
    lines.delete(parent);
  }, 0);
}

/** Only the place moved, within PLACE_MS of the line's draw: ask once that time is up (true), with the
 * newest answer then; a start or an end in between asks at once, and a redraw reschedules. */
function placeLater(line, now) {
  const wait = line.drawnAt + PLACE_MS - performance.now();
  if (wait <= 0) return false;
  line.timer ??= setTimeout(() => {
    line.timer = null;
    if (line.parent.isConnected) paintStatus(line, line.latest);
  }, wait);
  return true;
}

/** The line at `now` (the page's payload, or a feed answer). A job that has moved to another state
 * (started, ended, paused) or place in the queue asks for a rerun instead, which redraws the buttons
 * and the last snapshot with it. While the job waits in the queue the line is hidden: the page says
 * its place (st.info, drawn at once by a Train click), and the line only watches the feed for news. */
function paintStatus(line, now) {
  const {words} = line;
  line.latest = now; // what a waiting place's timer will look at
  const place = now.state === "queued" ? (now.queue_position ?? 0) : 0;
  if (now.state !== line.state || place !== line.place) {
    if (now.state === line.state && placeLater(line, now)) return;
    const news = `${now.state} ${place}`;
    if (line.asked !== news) {
      line.asked = news;
      line.asks = (line.asks ?? 0) + 1;
      line.setStateValue("seen", {state: now.state, position: place, n: line.asks});
    }
    return;
  }
  line.el.hidden = now.state === "queued";
  if (now.state === "queued") return;
  const count = (n) => Math.round(n).toLocaleString("en-US");
  const perSecond = (r) => (r < 10 ? r.toFixed(1) : count(r)); // as training.per_second: "0.3", not "0"
  const share = Math.min(1, now.step / Math.max(now.total, 1));
  const timing = now.seconds > 0
    ? words.timing.replace("{seconds}", now.seconds.toFixed(1)).replace("{rate}", perSecond(now.step / now.seconds)) : "";
  setLine(line, now.state, words.line.replace("{state}", words.states[now.state] ?? now.state)
    .replace("{step}", count(now.step)).replace("{total}", count(now.total)).replace("{timing}", timing), share);
}

/** Write the line's words and bar, only where they changed (each write costs the page a layout). */
function setLine(line, state, text, share) {
  if (line.text.textContent !== text) line.text.textContent = text;
  const width = `${(100 * share).toFixed(2)}%`;
  if (line.fill.style.width !== width) {
    line.fill.style.width = width;
    line.el.setAttribute("aria-valuenow", String(Math.round(100 * share)));
  }
  if (line.el.dataset.state !== state) line.el.dataset.state = state;
}

/** The rows of a shared answer from row `since` on (a chart may hold more rows than the slowest). */
function from(rows, since) {
  const skip = Math.max(0, since - rows.start);
  if (!skip) return rows;
  const y = {};
  for (const [key, values] of Object.entries(rows.y)) y[key] = values.slice(skip);
  return {...rows, start: rows.start + skip, x: rows.x.slice(skip), y};
}

async function grow(chart, feed, rows, Plotly) {
  const gd = chart.gd;
  const xs = [], ys = [];
  feed.keys.forEach((key, i) => {
    const y = rows.y[key] ?? [];
    xs[i] = [];
    ys[i] = [];
    y.forEach((v, j) => {
      if (v !== null) {
        xs[i].push(rows.x[j]);
        ys[i].push(v);
      }
    });
  });
  const traces = xs.map((_, i) => i).filter((i) => xs[i].length && i < (gd.data?.length ?? 0));
  if (!traces.length) return;
  if (chart.fastLeft > 0 && appendFast(gd, traces, xs, ys)) {
    chart.fastLeft -= 1;
  } else {
    await redraw(chart, traces, xs, ys, Plotly);
    chart.fastLeft = FAST_RUN;
  }
  traces.forEach((i) => { chart.end[i] = (chart.end[i] ?? 0) + xs[i].length; });
  mark(chart);
}

/** Draw the new points of plain lines, when every one lands inside the axes; false otherwise.
 *
 * Each update's points become a short path of their own (from the trace's last point on), drawn
 * beside plotly's line with its style: the browser then repaints only that segment's few pixels. Growing
 * plotly's own path instead repainted the whole line's box, three charts a dozen times a second: most of
 * the page's paint time while training. Plotly's next redraw draws every point in its own path, and the
 * segments go (dropTails, on plotly_afterplot). */
function appendFast(gd, traces, xs, ys) {
  const full = gd._fullLayout;
  const xa = full?.xaxis, ya = full?.yaxis;
  if (!xa || !ya) return false;
  const tails = [];
  for (const i of traces) {
    const trace = gd._fullData?.[i], data = gd.data[i];
    if (!trace || trace.type !== "scatter" || trace.mode !== "lines" || trace.xaxis !== "x" || trace.yaxis !== "y"
        || (trace.line?.shape ?? "linear") !== "linear" || trace.fill !== "none") return false;
    const path = gd.querySelector(`.scatterlayer .trace${trace.uid} path.js-line`);
    const last = lastFinite(data);
    if (!path || !(path.getAttribute("d") || "").startsWith("M") || last === null) return false;
    let d = "";
    for (const [x, y] of [last, ...xs[i].map((x, j) => [x, ys[i][j]])]) {
      const px = xa.c2p(x), py = ya.c2p(y);
      if (!(px >= 0 && px <= xa._length && py >= 0 && py <= ya._length)) return false;
      d += `${d ? "L" : "M"}${px.toFixed(2)},${py.toFixed(2)}`;
    }
    tails.push([path, d]);
  }
  for (const [path, d] of tails) {
    const tail = path.cloneNode(false); // plotly's stroke, width and dash, inline
    tail.setAttribute("class", "live-tail");
    tail.setAttribute("d", d);
    path.after(tail);
  }
  if (!gd.dataset.tails) { // once per graph div: a plotly redraw has every point in its own paths
    gd.dataset.tails = "1";
    gd.on("plotly_afterplot", () => dropTails(gd));
  }
  push(gd, traces, xs, ys); // plotly's data must hold the points too, for its next redraw
  return true;
}

function dropTails(gd) {
  gd.querySelectorAll(".live-tail").forEach((tail) => tail.remove());
}

/** A trace's last point with finite x and y (where a new segment starts), or null. */
function lastFinite(trace) {
  const x = trace.x ?? [], y = trace.y ?? [];
  for (let j = Math.min(x.length, y.length) - 1; j >= 0; j--) {
    if (Number.isFinite(x[j]) && Number.isFinite(y[j])) return [x[j], y[j]];
  }
  return null;
}

/** One plotly redraw with the new points and axes ranged afresh around all the data, with headroom on
 * the right (and above and below), so the next points fit without another redraw. One call: an
 * extendTraces with autorange and then a relayout for the headroom were two full redraws. */
async function redraw(chart, traces, xs, ys, Plotly) {
  const gd = chart.gd;
  push(gd, traces, xs, ys);
  const layout = {...gd.layout, datarevision: (gd.layout.datarevision ?? 0) + 1};
  if (!chart.zoomed) Object.assign(layout, roomy(chart, layout));
  chart.ranging = true;
  try {
    await Plotly.react(gd, gd.data, layout, CONFIG);
  } finally {
    chart.ranging = false;
  }
}

/** Put the new points into plotly's own data (its next redraw draws from there). */
function push(gd, traces, xs, ys) {
  traces.forEach((i) => {
    for (const [axis, values] of [["x", xs[i]], ["y", ys[i]]]) {
      if (!Array.isArray(gd.data[i][axis])) gd.data[i][axis] = Array.from(gd.data[i][axis] ?? []); // a typed array, once
      for (const v of values) gd.data[i][axis].push(v);
    }
  });
}

/** x and y axes ranged over every trace's finite points (a log axis in log units), HEADROOM past the
 * last x and half of it above and below; {} where the axes are not plain numbers (left to plotly). */
function roomy(chart, layout) {
  const gd = chart.gd, full = gd._fullLayout;
  const kinds = [full?.xaxis?.type, full?.yaxis?.type];
  if (!kinds.every((k) => k === "linear" || k === "log")) return {};
  const span = (axis, log) => {
    let lo = Infinity, hi = -Infinity;
    for (const trace of gd.data) {
      for (const v of trace[axis] ?? []) {
        const u = log ? (v > 0 ? Math.log10(v) : NaN) : v;
        if (u !== null && Number.isFinite(u)) { if (u < lo) lo = u; if (u > hi) hi = u; }
      }
    }
    if (!(lo <= hi)) return null;
    const pad = hi > lo ? 0 : Math.max(Math.abs(hi) * 0.1, 0.5);
    return [lo - pad, hi + pad];
  };
  const x = span("x", kinds[0] === "log"), y = span("y", kinds[1] === "log");
  if (!x || !y) return {};
  const dx = x[1] - x[0], dy = y[1] - y[0];
  const now = performance.now();
  chart.pace ??= {t: now, x: x[1]};
  const seconds = (now - chart.pace.t) / 1000;
  const rate = seconds > 0.5 ? (x[1] - chart.pace.x) / seconds : 0; // x units a second, since the first draw
  const ahead = Math.min(Math.max(HEADROOM * dx, rate * AHEAD_S), dx); // early on a run doubles its x in a second
  return {xaxis: {...layout.xaxis, autorange: false, range: [x[0], x[1] + ahead]},
          yaxis: {...layout.yaxis, autorange: false, range: [y[0] - HEADROOM / 2 * dy, y[1] + HEADROOM / 2 * dy]}};
}

/** Ranges a little past the data, so the next points can be appended without a redraw. */
async function makeRoom(chart, Plotly) {
  const room = chart.zoomed ? {} : roomy(chart, chart.gd.layout);
  if (!room.xaxis) return;
  chart.ranging = true;
  try {
    await Plotly.relayout(chart.gd, {"xaxis.range": room.xaxis.range, "yaxis.range": room.yaxis.range});
  } finally {
    chart.ranging = false;
  }
}

/** Tell Python what this chart holds (component state `sync`, which reruns the script once).
 * `why` null: always (a new draw); otherwise not twice in a row for the same reason within
 * REPORT_AGAIN_MS, as Python answers each report once and the answer may still be on its way. */
function report(chart, why) {
  const now = performance.now();
  if (why !== null && why === chart.lastReport && now - chart.lastReportAt < REPORT_AGAIN_MS) return;
  chart.lastReport = why ?? `holds ${chart.epoch}`;
  chart.lastReportAt = now;
  chart.reports += 1;
  chart.setStateValue("sync", {mount: chart.mount, epoch: chart.epoch, end: chart.end, n: chart.reports});
}

/** What a test or a curious student can read off the graph div. */
function mark(chart) {
  chart.gd.dataset.epoch = String(chart.epoch);
  chart.gd.dataset.points = chart.end.join(",");
  chart.gd.dataset.updates = String(Number(chart.gd.dataset.updates) + 1);
}

/** Plotly only follows the window's size; the column can change alone (sidebar, layout). */
function watchWidth(gd, Plotly) {
  let width = gd.clientWidth;
  let pending = false;
  const observer = new ResizeObserver(() => {
    if (pending || gd.clientWidth === width) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      if (!gd.isConnected || !gd.clientWidth) return; // leaving the page, or a hidden tab: nothing to fit
      width = gd.clientWidth;
      Plotly.Plots.resize(gd).catch(() => {}); // it refuses a div that went away meanwhile
    });
  });
  observer.observe(gd);
  return observer;
}

/* --- Streamlit's chart theme, as st.plotly_chart applies it in the browser ----------------------
 * Streamlit's Python template marks theme colours with placeholders (#000001...#000040) that its
 * frontend replaces, then merges a layout of its fonts and greys into the figure's template. The
 * same is done here, from the CSS variables Streamlit sets on every component (--st-*).
 */

function themeOf(element) {
  const css = getComputedStyle(element);
  const get = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const list = (name, fallback) => (get(name, "") ? get(name, "").split(",").map((c) => c.trim()) : fallback);
  const background = get("--st-background-color", "#ffffff");
  const light = luminance(background) > 0.5;
  const font = get("--st-font", '"Source Sans", sans-serif');
  return {
    background, font,
    headingFont: get("--st-heading-font", font),
    heading: get("--st-heading-color", light ? "#31333F" : "#fafafa"),
    border: get("--st-border-color", light ? "rgba(49, 51, 63, 0.2)" : "rgba(250, 250, 250, 0.2)"),
    axisText: light ? "#808495" : "#e6eaf1", // Streamlit's gray70 / gray30
    grid: light ? "#e6eaf1" : "#31333F", // gray30 / gray85
    legendText: light ? "#262730" : "#fafafa", // gray90 / gray10
    categorical: list("--st-chart-categorical-colors",
      ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5"]),
    sequential: list("--st-chart-sequential-colors",
      ["#e4f5ff", "#c7ebff", "#a6dcff", "#83c9ff", "#60b4ff", "#3d9df3", "#1c83e1", "#0068c9", "#0054a3", "#004280"]),
    diverging: list("--st-chart-diverging-colors",
      ["#7d353b", "#bd4043", "#ff4b4b", "#ff8c8c", "#ffc7c7", "#a6dcff", "#60b4ff", "#1c83e1", "#0054a3", "#004280"]),
  };
}

function paint(json, theme) {
  const colours = {};
  const put = (first, list) => list.slice(0, 10).forEach((c, i) => { colours[placeholder(first + i)] = c; });
  put(1, theme.categorical);
  put(11, theme.sequential);
  put(21, theme.diverging);
  put(32, ["#3D9970", "#FF4136", "#4499FF", "#B2B5BE", theme.axisText, theme.legendText, theme.background,
    theme.border, theme.background]);
  return json.replace(/#0000[0-4][0-9]/gi, (m) => colours[m] ?? m);
}

function placeholder(n) {
  return `#0000${String(n).padStart(2, "0")}`;
}

function styleLikeStreamlit(layout, t) {
  const axisTitle = (standoff) => ({font: {color: t.axisText, size: 14}, standoff});
  const themed = {
    font: {color: t.axisText, family: t.font, size: 12},
    title: {font: {family: t.headingFont, size: 16, color: t.heading}, pad: {l: 4}, xanchor: "left", x: 0},
    legend: {title: {font: {size: 12, color: t.axisText}, side: "top"}, valign: "top", bordercolor: "transparent",
      borderwidth: 0, font: {size: 12, color: t.legendText}},
    paper_bgcolor: t.background,
    plot_bgcolor: t.background,
    yaxis: {zerolinecolor: t.grid, title: axisTitle(24), tickcolor: t.grid,
      tickfont: {color: t.axisText, size: 12}, gridcolor: t.grid, minor: {gridcolor: t.grid}, automargin: false},
    xaxis: {zerolinecolor: t.grid, gridcolor: t.grid, showgrid: false, tickfont: {color: t.axisText, size: 12},
      tickcolor: t.grid, title: axisTitle(20), minor: {gridcolor: t.grid}, zeroline: false, automargin: false},
    margin: {pad: 8, r: 0, l: 0},
    hoverlabel: {bgcolor: t.background, bordercolor: t.border, font: {color: t.axisText, family: t.font, size: 12}},
  };
  layout.template ??= {};
  layout.template.layout = merge(layout.template.layout ?? {}, themed); // the figure's own layout still wins
  if (typeof layout.title === "string") layout.title = {text: layout.title};
  if (layout.title && typeof layout.title.text === "string") layout.title.text = `<b>${layout.title.text}</b>`;
}

function merge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    const isObject = value && typeof value === "object" && !Array.isArray(value);
    target[key] = isObject ? merge(target[key] && typeof target[key] === "object" ? target[key] : {}, value) : value;
  }
  return target;
}

function luminance(colour) {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour);
  let rgb;
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join("") : hex[1];
    rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  } else {
    rgb = (colour.match(/[\d.]+/g) ?? ["255", "255", "255"]).slice(0, 3).map(Number);
  }
  return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
}
