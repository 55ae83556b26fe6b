// symgd playground: the page's controls, the run loop, and the function mode.
// All mathematics happens on the server (symgd); this file asks for it and draws the answers.
"use strict";

const $ = (id) => document.getElementById(id);
const P = SymgdPlot;
const COLORS = ["#d9480f", "#1f5fbf", "#2b8a3e", "#ae3ec9", "#e8590c", "#0b7285", "#5c3d2e"];
const METHODS = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton"];
const VIEW_LIMIT = 1e9;  // the server refuses views beyond this
const PRESETS = [
  { name: "x\u00b2, lr 0.1 (converges)", expr: "x**2", x0: "5", lr: 0.1 },
  { name: "x\u00b2, lr 2 (the lecture's divergent run)", expr: "x**2", x0: "5", lr: 2 },
  { name: "x\u00b3 (a degenerate critical point)", expr: "x**3", x0: "1", lr: 0.1 },
  { name: "sin x", expr: "sin(x)", x0: "1", lr: 0.3 },
  { name: "saddle x\u00b2 \u2212 y\u00b2", expr: "x**2 - y**2", x0: "1, 0.01", lr: 0.1 },
  { name: "Rosenbrock", expr: "(1 - x)**2 + 100*(y - x**2)**2", x0: "-1.5, 2", lr: 0.0005,
    method: "momentum", view: { x: [-2, 2], y: [-1, 3] } },
  { name: "Himmelblau", expr: "(x**2 + y - 11)**2 + (x + y**2 - 7)**2", x0: "0, 0", lr: 0.01 },
];

const S = {
  mode: "function", analysis: null, dim: 1, grid: null, view: null, runs: [], start: [5],
  localBound: null, running: false, busy: false, exprOk: false, analyzeToken: 0,
};
const modes = {};

async function api(name, body) {
  const response = await fetch("/api/" + name, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ error: "the server sent no JSON" }));
  if (!response.ok) {
    const err = new Error(data.error || response.statusText);
    err.position = data.position;
    throw err;
  }
  return data;
}

// ---- learning rate: typed, or a log-scale slider from 1e-4 to 10 -------------------------
const LOG_LO = -4, LOG_SPAN = 5;
const lrToSlider = (lr) => Math.round(((Math.log10(lr) - LOG_LO) / LOG_SPAN) * 1000);
const sliderToLr = (v) => Number(Math.pow(10, LOG_LO + (LOG_SPAN * v) / 1000).toPrecision(2));
function currentLr() {
  const lr = Number($("lr").value);
  return isFinite(lr) && lr > 0 ? lr : null;
}
function setLr(lr) {
  $("lr").value = lr;
  $("lr-slider").value = lrToSlider(lr);
  showBound();
}
function showBound() {
  const bound = modes[S.mode].bound ? modes[S.mode].bound() : null, mark = $("lr-bound-mark");
  const lr = currentLr();
  if (!bound || !bound.value) {
    mark.hidden = true;
    $("lr-bound").textContent = bound ? bound.text : "";
    return;
  }
  const where = Math.min(1, Math.max(0, (Math.log10(bound.value) - LOG_LO) / LOG_SPAN));
  mark.hidden = false;
  mark.style.left = `calc(${(where * 100).toFixed(2)}% - 1px)`;
  const over = lr !== null && lr > bound.value;
  $("lr-bound").textContent = bound.text + (over ? " \u2014 lr is above it: expect divergence" : "");
  $("lr-bound").style.color = over ? "var(--bad)" : "";
}

// ---- function mode -----------------------------------------------------------------------
function parseStart() {
  const parts = $("x0").value.split(/[\s,;()[\]]+/).filter((s) => s.length);
  const values = parts.map(Number);
  if (values.length !== S.dim || values.some((v) => !isFinite(v))) return null;
  return values;
}

function showExprError(err, text) {
  const box = $("expr-error");
  box.textContent = "";
  $("expr").classList.toggle("invalid", Boolean(err));
  if (!err) return;
  box.append(err.message);
  if (err.position !== undefined && err.position !== null) {
    const code = document.createElement("code");
    code.textContent = text + "\n" + " ".repeat(Math.min(err.position, text.length)) + "^";
    box.append(code);
  }
}

async function loadFunction(view) {
  const text = $("expr").value, token = ++S.analyzeToken;
  pause();
  setStatus("analyzing " + text + " \u2026", "");
  try {
    const body = view ? { expr: text, view } : { expr: text };
    const answer = await api("analyze", body);
    if (token !== S.analyzeToken) return;
    showExprError(null);
    S.analysis = answer; S.exprOk = true; S.dim = answer.variables.length;
    S.grid = answer.grid; S.view = { ...answer.grid.view };
    listPoints(answer);
    labelReadouts();
    await resetRuns();
  } catch (err) {
    if (token !== S.analyzeToken) return;
    S.exprOk = false;
    showExprError(err, text);
    setStatus("fix the function to continue", "");
  }
}

function listPoints(answer) {
  const list = $("points");
  list.textContent = "";
  const add = (kind, text) => {
    const li = document.createElement("li"), sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = (P.KIND_STYLE[kind] || P.OTHER_KIND).color;
    li.append(sw, `${kind} at (${text})`);
    list.append(li);
  };
  // Exact coordinates when short (0, 3, 2, pi/2); else their values (CRootOf(...) is unreadable).
  const shown = (p) => (p.text.length <= 24 ? p.text : p.approx.map((c) => P.fmt(Number(c.toPrecision(5)))).join(", "));
  answer.points.forEach((p) => add(p.kind, shown(p) + (p.exact ? "" : ", numeric")));
  answer.families.forEach((f) => add(f.kind, f.text));
  if (!answer.points.length && !answer.families.length) list.textContent = "none";
  for (const note of answer.notes) {
    const li = document.createElement("li");
    li.className = "note"; li.textContent = note; list.append(li);
  }
}

function labelReadouts() {
  const two = S.dim === 2;
  $("label-x").textContent = two ? "(x, y)" : "x";
  $("label-f").textContent = two ? "f(x, y)" : "f(x)";
  $("label-grad").textContent = two ? "\u2207f" : "f'(x)";
  $("label-step").textContent = "step taken";
}

function chosenMethods() {
  if (!$("race").checked) return [$("method").value];
  const boxes = [...document.querySelectorAll("#race-methods input:checked")];
  return boxes.length ? boxes.map((b) => b.value) : [$("method").value];
}

async function resetRuns() {
  pause();
  const start = parseStart();
  if (!S.exprOk) return;
  if (!start) {
    setStatus(`the start needs ${S.dim} number${S.dim > 1 ? "s" : ""}, e.g. ${S.dim > 1 ? "1, 2" : "5"}`, "diverged");
    return;
  }
  S.start = start;
  S.grid = S.analysis.grid; S.view = { ...S.analysis.grid.view };
  labelReadouts();
  S.runs = chosenMethods().map((method) => ({
    method, color: COLORS[METHODS.indexOf(method) % COLORS.length], x: start, k: 0, state: [], trail: [],
    status: "running", message: "",
  }));
  $("view-note").textContent = "";
  await advanceRuns(0);
  setStatus("ready: press Step or Run", "");
}

function runBody(run, steps) {
  return { expr: $("expr").value, x0: S.start, x: run.x, method: run.method,
    lr: currentLr(), steps, ascent: $("ascent").checked, k: run.k, state: run.state };
}

async function advanceRuns(steps) {
  if (currentLr() === null) { setStatus("the learning rate must be a positive number", "diverged"); return true; }
  const active = S.runs.filter((r) => steps === 0 || r.status === "running");
  const answers = await Promise.all(active.map((r) => api("run", runBody(r, steps))));
  active.forEach((run, i) => {
    const a = answers[i];
    if (steps === 0 || !run.trail.length) run.trail = [a.from];
    run.trail.push(...a.path);
    const last = run.trail[run.trail.length - 1];
    if (last.x.every((v) => v !== null)) run.x = last.x;
    Object.assign(run, { k: a.k, state: a.state, status: a.status, message: a.message });
    if (i === 0) S.localBound = a.local_bound;
  });
  await followView();
  drawFunction(); showReadouts(); showBound();
  if (steps > 0) showRunStatus();
  return S.runs.every((r) => r.status !== "running");
}

// Axes that follow the action: widen the view to hold every visited point (up to VIEW_LIMIT).
async function followView() {
  const axes = S.dim === 1 ? ["x"] : ["x", "y"];
  let changed = false, escaped = 0;
  const view = { ...S.view };
  axes.forEach((axis, a) => {
    const [vlo, vhi] = view[axis], margin = 0.03 * (vhi - vlo);
    let lo = vlo, hi = vhi, grow = false;
    for (const run of S.runs) for (const p of run.trail) {
      const v = p.x[a];
      if (v === null || Math.abs(v) > VIEW_LIMIT / 2) { escaped = Math.max(escaped, v === null ? Infinity : Math.abs(v)); continue; }
      if (v < vlo + margin || v > vhi - margin) grow = true;
      lo = Math.min(lo, v); hi = Math.max(hi, v);
    }
    if (grow) {
      const pad = 0.1 * (hi - lo);
      view[axis] = [Math.min(vlo, lo - pad), Math.max(vhi, hi + pad)]; changed = true;
    }
  });
  $("view-note").textContent = escaped ? `the iterate left any sane range (|x| = ${P.fmt(escaped)}): it is no longer drawn` : "";
  if (!changed) return;
  S.view = view;
  const body = { expr: $("expr").value, view: S.dim === 1 ? { x: view.x } : view };
  S.grid = await api("grid", body);
}

function yRange1D() {
  let lo = Infinity, hi = -Infinity;
  S.grid.values.forEach((v) => { if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
  for (const run of S.runs) for (const p of run.trail) if (p.f !== null) { lo = Math.min(lo, p.f); hi = Math.max(hi, p.f); }
  if (!isFinite(lo)) return [-1, 1];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo))) { lo -= 1; hi += 1; }
  const pad = 0.08 * (hi - lo);
  return [lo - pad, hi + pad];
}

function drawFunction() {
  const canvas = $("plot");
  P.clear(canvas);
  if (!S.grid) return;
  const one = S.dim === 1;
  const view = one ? { x: S.grid.view.x, y: yRange1D() } : S.grid.view;
  const fr = P.frame(canvas, view);
  S.frame = fr;
  if (one) P.curve(fr, S.grid.x, S.grid.values); else P.heatMap(fr, S.grid);
  P.axes(fr, one ? ["x", "f(x)"] : ["x", "y"]);
  drawCriticalPoints(fr, one);
  for (const run of S.runs) drawRun(fr, run, one);
  showLegend();
}

function drawCriticalPoints(fr, one) {
  const a = S.analysis;
  for (const p of a.points) P.marker(fr, p.approx[0], one ? p.value : p.approx[1], p.kind);
  for (const fam of a.families) {
    if (one || fam.periodic) {
      fam.samples.forEach((s) => P.marker(fr, s[0], one ? valueAt(s[0]) : s[1], fam.kind, 5));
    } else {
      P.polyline(fr, fam.samples, (P.KIND_STYLE[fam.kind] || P.OTHER_KIND).color, { dash: [6, 4], dots: false });
    }
  }
}

function valueAt(x) {  // f on the sampled curve, by linear interpolation (for 1-D family markers)
  const xs = S.grid.x, ys = S.grid.values;
  if (x < xs[0] || x > xs[xs.length - 1]) return null;
  const i = Math.min(xs.length - 2, Math.floor(((x - xs[0]) / (xs[xs.length - 1] - xs[0])) * (xs.length - 1)));
  const t = (x - xs[i]) / (xs[i + 1] - xs[i]);
  return ys[i] === null || ys[i + 1] === null ? null : ys[i] + t * (ys[i + 1] - ys[i]);
}

function drawRun(fr, run, one) {
  const pts = run.trail.filter((p) => p.x.every((v) => v !== null && Math.abs(v) < VIEW_LIMIT) && (!one || p.f !== null));
  if (!pts.length) return;
  const xy = pts.map((p) => (one ? [p.x[0], p.f] : p.x));
  P.polyline(fr, xy, run.color, { width: one ? 1.5 : 2 });
  const last = pts[pts.length - 1];
  if (one && last.grad[0] !== null) {  // the tangent at the current point
    const half = 0.15 * (fr.view.x[1] - fr.view.x[0]), x = last.x[0];
    P.polyline(fr, [[x - half, last.f - half * last.grad[0]], [x + half, last.f + half * last.grad[0]]],
      "rgba(31, 95, 191, 0.8)", { dash: [5, 4], dots: false, width: 1.5 });
  }
  P.current(fr, xy[xy.length - 1][0], xy[xy.length - 1][1], run.color);
}

function showLegend() {
  const legend = $("legend");
  legend.textContent = "";
  if (S.runs.length < 2) return;
  for (const run of S.runs) {
    const item = document.createElement("span"), sw = document.createElement("span");
    sw.className = "swatch"; sw.style.background = run.color;
    item.append(sw, `${run.method}: ${run.status} (${run.k} steps)`);
    legend.append(item);
  }
}

const vec = (v) => (v.length === 1 ? P.fmt(v[0]) : "(" + v.map(P.fmt).join(", ") + ")");

function nearestPoint(x) {
  let best = null;
  const consider = (coords, kind, text) => {
    const d = Math.hypot(...coords.map((c, i) => c - x[i]));
    if (!best || d < best.d) best = { d, kind, text };
  };
  for (const p of S.analysis.points) consider(p.approx, p.kind, vec(p.approx));
  for (const f of S.analysis.families) for (const s of f.samples) consider(s, f.kind, vec(s) + " on " + f.text);
  return best;
}

function showReadouts() {
  const run = S.runs[0];
  if (!run || !run.trail.length) return;
  const last = run.trail[run.trail.length - 1];
  $("iteration").textContent = String(run.k);
  $("readout-x").textContent = vec(last.x);
  $("readout-f").textContent = P.fmt(last.f);
  $("readout-grad").textContent = vec(last.grad);
  $("readout-step").textContent = last.step ? vec(last.step) : "\u2014";
  const near = last.x.every((v) => v !== null) ? nearestPoint(last.x) : null;
  $("readout-dist").textContent = near ? `${near.kind} at ${near.text}: ${P.fmt(near.d)} away` : "\u2014";
}

function showRunStatus() {
  if (S.runs.length === 1) {
    const run = S.runs[0];
    let text = run.message;
    if (run.status === "converged") {
      const near = nearestPoint(run.x);
      if (near) text += ` \u2014 at the ${near.kind} ${near.text} (distance ${P.fmt(near.d)})`;
    }
    setStatus(text, run.status);
  } else {
    setStatus(S.runs.map((r) => `${r.method}: ${r.message}`).join("\n"), S.runs.every((r) => r.status === "converged") ? "converged" : "");
  }
}

function setStatus(text, kind) {
  const box = $("status");
  box.textContent = text;
  box.className = "status " + (kind || "");
}

function functionBound() {
  if (!S.analysis) return null;
  const ascent = $("ascent").checked, b = S.analysis.bound, what = ascent ? "ascent" : "descent";
  const exact = ascent ? b.ascent : b.descent;
  if (b.exact) {
    return exact ? { value: exact, text: `stability bound for gd: lr < 2/L = ${ascent ? P.fmt(exact) : b.text} (exact: the Hessian is constant)` }
      : { value: null, text: `no stability bound: f has no positive curvature for ${what}` };
  }
  return S.localBound ? { value: S.localBound, text: `stability bound for gd at the start: lr < 2/L \u2248 ${P.fmt(S.localBound)}` }
    : { value: null, text: `no stability bound at the start: no positive curvature for ${what} there` };
}

// ---- the run loop, shared by both modes ---------------------------------------------------
function pause() {
  S.running = false;
  $("run").textContent = "Run";
}

async function tick() {
  if (!S.running) return;
  const speed = Number($("speed").value), interval = Math.max(30, 1000 / speed);
  const steps = Math.max(1, Math.round((speed * interval) / 1000));
  const began = performance.now();
  try {
    const finished = await modes[S.mode].advance(steps);
    if (finished) { pause(); return; }
  } catch (err) {
    setStatus("error: " + err.message, "diverged"); pause(); return;
  }
  setTimeout(tick, Math.max(0, interval - (performance.now() - began)));
}

async function onStep() {
  if (S.busy) return;
  S.busy = true; pause();
  try { await modes[S.mode].advance(1); } catch (err) { setStatus("error: " + err.message, "diverged"); }
  S.busy = false;
}

function onRun() {
  if (S.running) { pause(); return; }
  if (!modes[S.mode].ready()) return;
  S.running = true;
  $("run").textContent = "Pause";
  tick();
}

modes.function = {
  advance: (n) => (S.exprOk && S.runs.length ? advanceRuns(n) : Promise.resolve(true)),
  ready: () => S.exprOk && S.runs.some((r) => r.status === "running"),
  reset: () => resetRuns(),
  bound: functionBound,
  draw: drawFunction,
  click: (x, y) => {
    $("x0").value = S.dim === 1 ? P.fmt(x) : `${P.fmt(x)}, ${P.fmt(y)}`;
    resetRuns();
  },
};

function setMode(mode) {
  pause();
  S.mode = mode;
  document.querySelectorAll(".function-only").forEach((e) => { e.hidden = mode !== "function"; });
  document.querySelectorAll(".data-only").forEach((e) => { e.hidden = mode !== "data"; });
  $("race-methods").hidden = mode !== "function" || !$("race").checked;
  $("loss-plot").hidden = mode !== "data";
  $("legend").textContent = ""; $("view-note").textContent = "";
  $("hint").textContent = mode === "function" ? "Click the plot to choose where to start." : "Click the plot to add data points.";
  modes[mode].reset();
}

function applyPreset(p) {
  $("expr").value = p.expr; $("x0").value = p.x0; $("method").value = p.method || "gd";
  setLr(p.lr);
  loadFunction(p.view);
}

function init() {
  PRESETS.forEach((p, i) => $("preset").append(new Option(p.name, String(i))));
  METHODS.forEach((m, i) => {
    const label = document.createElement("label"), box = document.createElement("input");
    label.className = "inline"; box.type = "checkbox"; box.value = m;
    box.checked = ["gd", "momentum", "adam"].includes(m);
    label.append(box, m); label.style.color = COLORS[i % COLORS.length];
    $("race-methods").append(label);
    box.addEventListener("change", () => resetRuns());
  });
  let debounce = null;
  $("expr").addEventListener("input", () => { clearTimeout(debounce); debounce = setTimeout(() => loadFunction(), 450); });
  $("expr").addEventListener("keydown", (e) => { if (e.key === "Enter") { clearTimeout(debounce); loadFunction(); } });
  $("x0").addEventListener("change", () => resetRuns());
  $("method").addEventListener("change", () => resetRuns());
  $("ascent").addEventListener("change", () => { showBound(); resetRuns(); });
  $("race").addEventListener("change", () => { $("race-methods").hidden = !$("race").checked; resetRuns(); });
  $("preset").addEventListener("change", () => applyPreset(PRESETS[Number($("preset").value)]));
  $("lr").addEventListener("input", () => { const lr = currentLr(); if (lr) $("lr-slider").value = lrToSlider(lr); showBound(); });
  $("lr-slider").addEventListener("input", () => { $("lr").value = sliderToLr(Number($("lr-slider").value)); showBound(); });
  $("step").addEventListener("click", onStep);
  $("run").addEventListener("click", onRun);
  $("reset").addEventListener("click", () => modes[S.mode].reset());
  $("mode").addEventListener("change", () => setMode($("mode").value));
  $("plot").addEventListener("click", (e) => {
    if (!S.frame) return;
    const rect = e.target.getBoundingClientRect(), c = $("plot");
    const px = ((e.clientX - rect.left) * c.width) / rect.width, py = ((e.clientY - rect.top) * c.height) / rect.height;
    if (!S.frame.inside(px, py)) return;
    const [x, y] = S.frame.fromPx(px, py);
    modes[S.mode].click(x, y);
  });
  setLr(Number($("lr").value));
  loadFunction();
}

window.SymgdApp = { S, $, api, modes, setStatus, pause, showBound, currentLr };
window.addEventListener("DOMContentLoaded", init);
