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

const charts = new WeakMap(); // parentElement -> chart
const CONFIG = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]};
const REPORT_AGAIN_MS = 1500; // a report that changed nothing is repeated after this long (it may have been lost)

let plotlyLoading = null;

/** plotly.js from the app's static folder, loaded once per page whatever the number of charts. */
function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  plotlyLoading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.dataset.liveChartPlotly = "";
    script.addEventListener("load", () => resolve(window.Plotly));
    script.addEventListener("error", () => {
      plotlyLoading = null;
      script.remove();
      reject(new Error(`plotly.js did not load from ${url}`));
    });
    document.head.appendChild(script);
  });
  return plotlyLoading;
}

export default function liveChart({data, parentElement, setStateValue}) {
  let chart = charts.get(parentElement);
  if (!chart) {
    chart = newChart(parentElement);
    charts.set(parentElement, chart);
  }
  chart.setStateValue = setStateValue;
  if (data) receive(chart, data);
  return chart.cleanup;
}

function newChart(parent) {
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
  // data changed before that call finished), so only a chart that really left the page is purged.
  chart.cleanup = () => setTimeout(() => {
    if (parent.isConnected) return;
    chart.resize?.disconnect();
    window.Plotly?.purge(gd);
    charts.delete(parent);
  }, 0);
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
      const Plotly = await loadPlotly(batch[batch.length - 1].plotly);
      const full = batch.map((p) => p.kind).lastIndexOf("full");
      const tails = batch.slice(full + 1);
      if (full >= 0) {
        const payload = batch[full];
        if (payload.epoch !== chart.epoch) {
          await draw(chart, payload, Plotly);
          report(chart, null);
        } else {
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
      width = gd.clientWidth;
      Plotly.Plots.resize(gd);
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
    yaxis: {ticklabelposition: "outside", zerolinecolor: t.grid, title: axisTitle(24), tickcolor: t.grid,
      tickfont: {color: t.axisText, size: 12}, gridcolor: t.grid, minor: {gridcolor: t.grid}, automargin: true},
    xaxis: {zerolinecolor: t.grid, gridcolor: t.grid, showgrid: false, tickfont: {color: t.axisText, size: 12},
      tickcolor: t.grid, title: axisTitle(20), minor: {gridcolor: t.grid}, zeroline: false, automargin: true},
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
