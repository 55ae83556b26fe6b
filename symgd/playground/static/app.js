// symgd playground: the page's controls, the run loop, the view, and the function mode.
// All mathematics happens on the server (symgd); this file asks for it and draws the answers.
"use strict";

const $ = (id) => document.getElementById(id);
const P = SymgdPlot;
const L = SymgdLessons;
const C = SymgdConstraints;
const R = SymgdRegion;
const METHODS = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton"];
// Path colours, far apart from each other and from the critical-point colours (green, red,
// purple, slate): blue, orange, black, pink, teal, magenta, brown.
const METHOD_COLORS = { gd: "#1c7ed6", momentum: "#f08c00", nesterov: "#111111", adagrad: "#f783ac",
  rmsprop: "#0ca678", adam: "#ae3ec9", newton: "#8d4a1c" };
const VIEW_LIMIT = 1e9;  // the server refuses views beyond this
const FOLLOW_REACH = 10;  // the view follows a run up to this many home-view widths away
const PREVIEW_STEPS = 200;  // the path recomputed live while a slider or the start is dragged
const TRAIL_LIMIT = 20000;  // older iterates are thinned beyond this many

const S = {
  mode: "function", analysis: null, dim: 1, grid: null, view: null, home: null, userView: false,
  runs: [], start: [5], localBound: null, exprOk: false, analyzeToken: 0, analyzing: null,
  loop: 0, loopSeq: 0, lock: Promise.resolve(), epoch: 0, frame: null, view3d: false,
  rot: { az: -0.6, el: 0.75 }, params: JSON.parse(JSON.stringify(L.DEFAULTS)), dataLr: 0.02,
  preset: null, frameTimes: [], gridTimer: null, debounce: null,
};
const modes = {};

// A 503 means every exact worker is busy (symgd.playground.exact.Busy): asked again after
// the server's Retry-After, a few times, before the page says so.
async function api(name, body, tries = 4) {
  const response = await fetch("/api/" + name, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ error: "the server sent no JSON" }));
  if (response.status === 503 && tries > 1) {
    const wait = Math.min(Number(response.headers.get("Retry-After")) || 2, 5);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    return api(name, body, tries - 1);
  }
  if (!response.ok) {
    const err = new Error(data.error || response.statusText);
    err.position = data.position;
    err.constraint = data.constraint;
    err.busy = response.status === 503;
    throw err;
  }
  return data;
}

// Every change to the runs goes through this queue, one at a time: a reset, a step, a batch
// of the run loop, a live preview. A second loop or a late answer can never interleave.
function locked(task) {
  const done = S.lock.then(() => task());
  S.lock = done.catch(() => {});
  return done;
}

// ---- learning rate and each method's own hyperparameters --------------------------------
const LOG_LO = -4, LOG_SPAN = 5;
const lrToSlider = (lr) => Math.round(((Math.log10(lr) - LOG_LO) / LOG_SPAN) * 1000);
const sliderToLr = (v) => Number(Math.pow(10, LOG_LO + (LOG_SPAN * v) / 1000).toPrecision(2));
const chosenMethod = () => $("method").value;
function ownParams() { return S.params[chosenMethod()]; }
function currentLr() {
  const lr = S.mode === "data" ? S.dataLr : ownParams().lr;
  return isFinite(lr) && lr > 0 ? lr : null;
}
function setLr(lr) {
  if (S.mode === "data") S.dataLr = lr; else ownParams().lr = lr;
  showParams();
}
function showParams() {
  const lr = S.mode === "data" ? S.dataLr : ownParams().lr;
  if (document.activeElement !== $("lr")) $("lr").value = lr;
  $("lr-slider").value = lrToSlider(lr);
  $("lr-label").textContent = S.mode === "data" ? "learning rate" : `learning rate of ${chosenMethod()}`;
  const box = $("hyper");
  box.textContent = "";
  if (S.mode === "function") {
    for (const [key, value] of Object.entries(ownParams())) {
      if (key === "lr") continue;
      const label = document.createElement("label"), input = document.createElement("input"), out = document.createElement("output");
      input.type = "range"; input.id = key; input.min = "0"; input.max = key === "beta2" ? "0.9999" : "0.99";
      input.step = key === "beta2" ? "0.0001" : "0.01"; input.value = String(value);
      out.textContent = String(value); out.id = key + "-value";
      input.addEventListener("input", () => {
        ownParams()[key] = Number(input.value); out.textContent = input.value;
        livePreview();
      });
      label.append(L.HYPER[key] || key, input, out);
      box.append(label);
    }
  }
  showBound();
}
function showBound() {
  const bound = modes[S.mode].bound ? modes[S.mode].bound() : null, mark = $("lr-bound-mark");
  const lr = S.mode === "data" ? currentLr() : S.params.gd.lr;
  const gdShown = S.mode === "data" || chosenMethod() === "gd" || chosenMethods().includes("gd");
  if (!bound || !bound.value) {
    mark.hidden = true;
    $("lr-bound").textContent = bound ? bound.text : "";
    $("lr-bound").style.color = "";
    return;
  }
  const where = Math.min(1, Math.max(0, (Math.log10(bound.value) - LOG_LO) / LOG_SPAN));
  mark.hidden = false;
  mark.style.left = `calc(${(where * 100).toFixed(2)}% - 1px)`;
  let warning = "";
  if (gdShown && lr !== null && Math.abs(lr - bound.value) <= 1e-9 * bound.value) {
    warning = " \u2014 gd's lr equals it: expect an endless 2-cycle";
  } else if (gdShown && lr !== null && lr > bound.value) {
    warning = " \u2014 gd's lr is above it: expect divergence";
  }
  $("lr-bound").textContent = bound.text + warning;
  $("lr-bound").style.color = warning ? "var(--bad)" : "";
}

// ---- function mode: the analysis -------------------------------------------------------
// The problem on the page: f and the rows under "subject to" (blank rows left out).
const problemKey = () => C.key([$("expr").value, ...C.filled()]);
const constrained = () => Boolean(S.analysis && S.analysis.constraints);
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

// Analyze the function in the box (once per text: a second call waits for the first).
// A new function stops a run, unless Run itself asked for it (Run waits, then runs it).
function loadFunction(view, forRun = false) {
  const text = $("expr").value, rows = C.filled(), key = problemKey();
  if (S.analyzing && S.analyzing.key === key) return S.analyzing.promise;
  const token = ++S.analyzeToken;
  if (!forRun) stop();
  S.frame = null;  // no click may map through the previous function's frame
  S.epoch++;
  setStatus("analyzing " + text + " \u2026", "");
  drawWaiting("analyzing " + text + " \u2026");
  const promise = (async () => {
    try {
      const body = view ? { expr: text, view } : { expr: text };
      if (rows.length) body.subject_to = rows;
      const answer = await api(rows.length ? "constrained" : "analyze", body);
      if (token !== S.analyzeToken) return;
      answer.text = text; answer.rows = rows; answer.key = key;
      showExprError(null); C.showError(null);
      S.analysis = answer; S.exprOk = true; S.dim = answer.variables.length;
      S.grid = answer.grid; S.sketch = answer.sketch || null;
      S.home = { ...answer.grid.view }; S.userView = false;
      if (S.dim === 1) S.view3d = false;
      C.showMethod(rows.length ? answer : null);
      allowMethods();
      if (rows.length) C.listCandidates(answer, shownPoint); else listPoints(answer);
      $("points-title").textContent = rows.length ? "candidates (exact), subject to the constraints" : "critical points (exact)";
      resetWorking();
      showLesson();
      await resetRuns();
    } catch (err) {
      if (token !== S.analyzeToken) return;
      S.exprOk = false; S.analysis = null;
      if (err.busy) {  // nothing is wrong with what was typed
        showExprError(null); C.showError(null);
        setStatus(`${err.message} (press Reset to ask again)`, "");
        drawWaiting("the exact side is busy");
        return;
      }
      const onRow = C.showError(err);
      showExprError(onRow ? null : err, text);
      const what = onRow ? "the constraint" : "the function";
      setStatus(`fix ${what} to continue`, "");
      drawWaiting(`fix ${what} to continue`);
    }
  })();
  S.analyzing = { key, promise };
  promise.finally(() => { if (S.analyzing && S.analyzing.promise === promise) S.analyzing = null; });
  return promise;
}

// Step and Run always act on the function and start in the boxes, even when pressed while an
// analysis is under way or straight after typing.
async function ensureCurrent() {
  if (S.mode !== "function") return;
  clearTimeout(S.debounce);
  C.settle();
  if (!S.analysis || S.analysis.key !== problemKey() || S.analyzing) await loadFunction(undefined, true);
  await S.lock;
}

// ---- "show the working": symgd.explain's worked solution, fetched when the panel opens -----
let workingFor = null;
function resetWorking() {
  workingFor = null;
  if ($("working-panel").open) loadWorking();
  else $("working").textContent = "";
}
async function loadWorking() {
  const text = $("expr").value;
  if (!$("working-panel").open || workingFor === text) return;
  workingFor = text;
  $("working").textContent = "working it out \u2026";
  try {
    const answer = await api("explain", { expr: text });
    if (workingFor !== text) return;
    // built by symgd from the parsed function; every piece of text in it is HTML-escaped
    if (answer.html) $("working").innerHTML = answer.html;
    else $("working").textContent = answer.note || "no working";
    if (constrained()) {
      const note = document.createElement("p");
      note.className = "note";
      note.textContent = "This working finds the critical points of f without the constraints; the candidates list above is the constrained answer.";
      $("working").prepend(note);
    }
  } catch (err) {
    if (workingFor === text) $("working").textContent = err.message;
  }
}

// Exact coordinates when short (0, 3, 2, pi/2); else their values (CRootOf(...) is unreadable).
const shownPoint = (p) => (p.text.length <= 24 ? p.text : p.approx.map((c) => P.fmt(Number(c.toPrecision(5)))).join(", "));

function listPoints(answer) {
  const list = $("points");
  list.textContent = "";
  list.classList.remove("constrained");
  const add = (kind, text) => {
    const li = document.createElement("li"), sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = (P.KIND_STYLE[kind] || P.OTHER_KIND).color;
    li.append(sw, `${kind} at (${text})`);
    list.append(li);
  };
  answer.points.forEach((p) => add(p.kind, shownPoint(p) + (p.exact ? "" : ", numeric")));
  answer.families.forEach((f) => add(f.kind, f.text));
  if (!answer.points.length && !answer.families.length) list.textContent = "none";
  for (const note of answer.notes) {
    const li = document.createElement("li");
    li.className = "note"; li.textContent = note; list.append(li);
  }
}

function showLesson() {
  const p = S.preset;
  const own = !p || p.expr !== $("expr").value || C.key(p.subject_to || []) !== C.key(C.filled());
  $("lesson").textContent = own ? "" : p.lesson;
  if (own) $("preset").value = "";
}

function chosenMethods() {
  if (!$("race").checked || $("race").disabled) return [chosenMethod()];
  const boxes = [...document.querySelectorAll("#race-methods input:checked")].filter((b) => !b.disabled);
  return boxes.length ? boxes.map((b) => b.value) : [chosenMethod()];
}

// Projected descent (a box or a ball) is plain gd, as in symgd.minimize; the augmented
// Lagrangian takes any first-order method inside, not Newton. Without constraints, all.
function allowedMethods() {
  if (!constrained()) return METHODS;
  return S.analysis.method.kind === "projected" ? ["gd"] : METHODS.filter((m) => m !== "newton");
}

function allowMethods() {
  const allowed = allowedMethods(), why = constrained()
    ? (S.analysis.method.kind === "projected" ? "on a box or a ball, descent is projected gradient descent (gd)"
      : "Newton is not available with general constraints") : "";
  for (const option of $("method").options) {
    option.disabled = !allowed.includes(option.value);
    option.title = option.disabled ? why : "";
  }
  document.querySelectorAll("#race-methods input").forEach((b) => {
    b.disabled = !allowed.includes(b.value);
    b.parentElement.title = b.disabled ? why : "";
  });
  $("race").disabled = allowed.length < 2;
  $("race").parentElement.title = $("race").disabled ? why : "";
  $("race-methods").hidden = !$("race").checked || $("race").disabled;
  if (!allowed.includes(chosenMethod())) { $("method").value = allowed[0]; showParams(); }
}

// ---- runs --------------------------------------------------------------------------------
function resetRuns(steps = 0) {
  return locked(() => doReset(steps));
}

async function doReset(steps) {
  S.epoch++;
  if (!S.exprOk) return;
  const start = parseStart();
  if (!start) {
    setStatus(`the start needs ${S.dim} number${S.dim > 1 ? "s" : ""}, e.g. ${S.dim > 1 ? "1, 2" : "5"}`, "diverged");
    return;
  }
  S.start = start;
  if (!S.userView) {
    S.view = { ...S.home };
    includeInView(S.view, [start], 0.15);
    S.home = { ...S.view };
  }
  S.runs = chosenMethods().map((method) => ({
    method, color: METHOD_COLORS[method], x: start, k: 0, state: [], memo: null, trail: [],
    status: "running", message: "", al: null, violation: null, multipliers: null,
  }));
  await advanceRuns(steps, S.epoch);
  if (steps === 0) setStatus("ready: press Step or Run", "");
  updateUrl();
  if (!gridCovers()) refreshGrid();
}

function includeInView(view, points, pad) {
  const axes = S.dim === 1 ? ["x"] : ["x", "y"];
  axes.forEach((axis, a) => {
    let [lo, hi] = view[axis];
    for (const p of points) {
      const v = p[a];
      if (v === null || !isFinite(v) || Math.abs(v) > VIEW_LIMIT / 2) continue;
      if (v < lo || v > hi) { const w = hi - lo; lo = Math.min(lo, v - pad * w); hi = Math.max(hi, v + pad * w); }
    }
    view[axis] = [lo, hi];
  });
}

function runBody(run, steps) {
  const params = S.params[run.method], body = {
    expr: S.analysis.text, x0: S.start, x: run.x, method: run.method, steps,
    ascent: $("ascent").checked, k: run.k, state: run.state,
  };
  for (const [key, value] of Object.entries(params)) body[key] = value;
  if (run.memo) body.memo = run.memo;
  if (constrained()) {
    body.subject_to = S.analysis.rows;
    if (run.al) body.al = run.al;
  }
  return body;
}

async function advanceRuns(steps, epoch = S.epoch) {
  const active = S.runs.filter((r) => steps === 0 || r.status === "running");
  if (!active.length) return true;
  const endpoint = constrained() ? "constrained_run" : "run";
  const answers = await Promise.all(active.map((r) => api(endpoint, runBody(r, steps))));
  if (epoch !== S.epoch) return true;  // a reset came first: these answers are stale
  active.forEach((run, i) => {
    const a = answers[i];
    if (steps === 0 || !run.trail.length) run.trail = [a.from];
    run.trail.push(...a.path);
    if (run.trail.length > TRAIL_LIMIT) run.trail = thin(run.trail);
    const last = run.trail[run.trail.length - 1];
    if (last.x.every((v) => v !== null)) run.x = last.x;
    Object.assign(run, { k: a.k, state: a.state, memo: a.memo, status: a.status, message: a.message,
      al: a.al || null, violation: a.violation ?? null, multipliers: a.multipliers || null });
    if (i === 0) S.localBound = a.local_bound;
  });
  followView();
  draw(); showReadouts(); showBound();
  if (steps > 0) showRunStatus();
  return S.runs.every((r) => r.status !== "running");
}

function thin(trail) {  // keep the first and the newest half; every other point of the rest
  const half = trail.length >> 1;
  return [trail[0], ...trail.slice(1, half).filter((_, i) => i % 2 === 0), ...trail.slice(half)];
}

// ---- the view: follows a run, but never to absurd sizes; zoom, pan, fit, home -----------
function followView() {
  if (S.userView || !S.view) return;
  const axes = S.dim === 1 ? ["x"] : ["x", "y"], view = { ...S.view };
  let changed = false;
  axes.forEach((axis, a) => {
    const [hlo, hhi] = S.home[axis], reach = FOLLOW_REACH * (hhi - hlo), mid = (hlo + hhi) / 2;
    let [lo, hi] = view[axis];
    for (const run of S.runs) for (const [i, p] of run.trail.entries()) {
      // The first bounces of a run are always shown; later iterates only within reach.
      const v = p.x[a];
      if (v === null || Math.abs(v) > VIEW_LIMIT / 2 || (i > 3 && Math.abs(v - mid) > reach)) continue;
      const margin = 0.04 * (hi - lo);
      if (v < lo + margin) { lo = v - 0.12 * (hi - lo); changed = true; }
      if (v > hi - margin) { hi = v + 0.12 * (hi - lo); changed = true; }
    }
    view[axis] = [lo, hi];
  });
  if (changed) { S.view = view; refreshGrid(); }
}

function fitView() {
  if (S.mode !== "function" || !S.analysis) return;
  const pts = [S.start];
  for (const run of S.runs) for (const p of run.trail) if (p.x.every((v) => v !== null && Math.abs(v) < VIEW_LIMIT / 2)) pts.push(p.x);
  for (const p of S.analysis.points) if (p.approx.every((c) => Math.abs(c) < 1e3)) pts.push(p.approx);
  const axes = S.dim === 1 ? ["x"] : ["x", "y"], view = {};
  axes.forEach((axis, a) => {
    let lo = Math.min(...pts.map((p) => p[a])), hi = Math.max(...pts.map((p) => p[a]));
    if (!(hi - lo > 1e-9)) { lo -= 1; hi += 1; }
    const pad = 0.08 * (hi - lo);
    view[axis] = [lo - pad, hi + pad];
  });
  S.view = view; S.userView = true;
  draw(); refreshGrid();
}

function homeView() {
  if (!S.home) return;
  S.view = { ...S.home }; S.userView = false;
  draw(); refreshGrid();
}

function zoomAt(px, py, factor) {
  if (!S.frame || !S.view) return;
  const [cx, cy] = S.frame.fromPx(px, py), view = { ...S.frame.view };
  const scale = (range, c) => [c + (range[0] - c) * factor, c + (range[1] - c) * factor];
  S.view = S.dim === 1 ? { x: scale(view.x, cx) } : { x: scale(view.x, cx), y: scale(view.y, cy) };
  clampView();
  S.userView = true;
  draw(); refreshGrid();
}

function panBy(dxPx, dyPx) {
  const fr = S.frame;
  if (!fr) return;
  const ux = (fr.view.x[1] - fr.view.x[0]) / fr.pw, uy = (fr.view.y[1] - fr.view.y[0]) / fr.ph;
  S.view = { ...S.view, x: [S.view.x[0] - dxPx * ux, S.view.x[1] - dxPx * ux] };
  if (S.dim === 2) S.view.y = [S.view.y[0] + dyPx * uy, S.view.y[1] + dyPx * uy];
  clampView();
  S.userView = true;
  draw(); refreshGrid();
}

function clampView() {
  for (const axis of Object.keys(S.view)) {
    let [lo, hi] = S.view[axis];
    if (!(hi - lo > 1e-7 * Math.max(1, Math.abs(lo)))) { const m = (lo + hi) / 2, h = 5e-8 * Math.max(1, Math.abs(m)); lo = m - h; hi = m + h; }
    S.view[axis] = [Math.max(-VIEW_LIMIT, lo), Math.min(VIEW_LIMIT, hi)];
  }
}

function gridCovers() {  // the grid spans what is on screen (else the map has blank edges)
  if (!S.grid || !S.view) return false;
  const canvas = $("plot");
  P.setup(canvas);
  const shown = S.dim === 1 ? { x: S.view.x } : P.fitView(canvas, S.view, true);
  return Object.keys(shown).every((a) => S.grid.view[a][0] <= shown[a][0] + 1e-9 * Math.abs(shown[a][0]) &&
    S.grid.view[a][1] >= shown[a][1] - 1e-9 * Math.abs(shown[a][1]));
}

// The grid for what is on screen (with equal aspect, wider than S.view along one axis).
function refreshGrid() {
  clearTimeout(S.gridTimer);
  S.gridTimer = setTimeout(async () => {
    if (!S.analysis || !S.view) return;
    const canvas = $("plot");
    P.setup(canvas);
    const shown = S.dim === 1 ? { x: S.view.x } : P.fitView(canvas, S.view, true);
    const text = S.analysis.text, key = S.analysis.key;
    try {
      if (constrained()) {
        const a = await api("region", { expr: text, subject_to: S.analysis.rows, view: shown, levels: S.analysis.levels });
        if (!S.analysis || S.analysis.key !== key) return;
        S.sketch = a.sketch; S.grid = a.grid; draw();
        return;
      }
      const grid = await api("grid", { expr: text, view: shown });
      if (!S.analysis || S.analysis.key !== key) return;
      S.grid = grid; draw();
    } catch (err) { $("view-note").textContent = "could not draw this view: " + err.message; }
  }, 90);
}

// ---- drawing -----------------------------------------------------------------------------
function drawWaiting(text) {
  const canvas = $("plot");
  P.setup(canvas);
  const ctx = P.clear(canvas);
  ctx.fillStyle = "#5d6878"; ctx.font = "14px system-ui, sans-serif"; ctx.textAlign = "center";
  ctx.fillText(text.length > 80 ? text.slice(0, 77) + "\u2026" : text, canvas.cssWidth / 2, canvas.cssHeight / 2);
  P.setup($("loss-plot")); P.clear($("loss-plot"));
  $("legend").textContent = "";
}

function draw() { modes[S.mode].draw(); }

function yRange1D(xView) {
  let lo = Infinity, hi = -Infinity;
  const xs = S.grid.x;
  S.grid.values.forEach((v, i) => { if (v !== null && xs[i] >= xView[0] && xs[i] <= xView[1]) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
  for (const run of S.runs) for (const p of run.trail) {
    if (p.f !== null && p.x[0] !== null && p.x[0] >= xView[0] && p.x[0] <= xView[1]) { lo = Math.min(lo, p.f); hi = Math.max(hi, p.f); }
  }
  if (!isFinite(lo)) return [-1, 1];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo))) { lo -= 1; hi += 1; }
  const pad = 0.08 * (hi - lo);
  return [lo - pad, hi + pad];
}

function drawFunction() {
  const canvas = $("plot");
  P.setup(canvas);
  if (!S.analysis || !S.grid || !S.view) return;
  if (S.view3d && S.dim === 2) { drawSurface(); drawLossChart(); showLegend(); return; }
  const ctx = P.clear(canvas);
  const one = S.dim === 1;
  const view = one ? { x: S.view.x, y: yRange1D(S.view.x) } : S.view;
  const fr = P.frame(canvas, view, { equal: !one });
  S.frame = fr;
  if (one) {
    if (constrained() && S.sketch) R.interval(fr, S.sketch);
    P.curve(fr, S.grid.x, S.grid.values);
    P.axes(fr, [S.analysis.variables[0], `f(${S.analysis.variables[0]})`]);
    drawCriticalPoints(fr, one);
    if (constrained()) R.absolute(fr, S.analysis, true);
  } else {
    // The map, its axes and critical points change only with the view: drawn once, then
    // copied each frame, so that a live preview redraws only the paths.
    const key = JSON.stringify([fr.view, canvas.width, canvas.height]);
    if (!S.background || S.background.grid !== S.grid || S.background.key !== key) {
      const layer = document.createElement("canvas");
      Object.assign(layer, { width: canvas.width, height: canvas.height, cssWidth: canvas.cssWidth,
        cssHeight: canvas.cssHeight, dpr: canvas.dpr });
      layer.getContext("2d").setTransform(canvas.dpr, 0, 0, canvas.dpr, 0, 0);
      const under = P.frame(layer, view, { equal: true });
      P.heatMap(under, S.grid);
      const region = constrained() && S.sketch;
      let taken = [];  // where the curves' numbers and the arrows' names were written
      if (region) { R.wash(under, S.sketch); R.levels(under, S.sketch); taken = R.curves(under, S.sketch, true, S.analysis.points.map((p) => p.approx)); }
      P.axes(under, S.analysis.variables);
      if (region) taken = taken.concat(R.arrows(under, S.analysis.points, taken));
      drawCriticalPoints(under, one);
      if (region) R.absolute(under, { ...S.analysis, sketch: S.sketch }, false, taken);
      S.background = { grid: S.grid, key, layer };
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(S.background.layer, 0, 0);
    ctx.setTransform(canvas.dpr, 0, 0, canvas.dpr, 0, 0);
  }
  const offs = [];
  // The arrows of the last step: for a single run, or for the runs of a race still moving.
  if (constrained() && !one) {  // projected descent starts from the start's projection
    for (const run of S.runs) {
      const t0 = run.trail[0];
      if (t0 && t0.x.every((v) => v !== null) && Math.hypot(t0.x[0] - S.start[0], t0.x[1] - S.start[1]) > 1e-12) {
        P.polyline(fr, [S.start, t0.x], run.color, { dash: [3, 3], width: 1.4, dots: false });
      }
    }
  }
  S.runs.forEach((run) => drawRun(fr, run, one, S.runs.length === 1 || run.status === "running", offs));
  P.startMark(fr, S.start[0], one ? valueAt(S.start[0]) ?? fr.view.y[0] : S.start[1]);
  offs.forEach((o) => P.offView(fr, o.x, o.y, o.color, o.text));
  $("view-note").textContent = offs.length ? "an iterate left the view: \u201cfit view\u201d shows it" : "";
  drawLossChart();
  showLegend();
}

function drawSurface() {
  const runs = S.runs.map((run) => ({ color: run.color,
    points: run.trail.filter((p) => p.x.every((v) => v !== null)).map((p) => [p.x[0], p.x[1], p.f]) }));
  const points = S.analysis.points.map((p) => ({ x: p.approx[0], y: p.approx[1], f: p.value, kind: p.kind }));
  S.frame = null;
  SymgdSurface.draw($("plot"), S.grid, { az: S.rot.az, el: S.rot.el, runs, points, names: S.analysis.variables });
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

function valueAt(x) {  // f on the sampled curve, by linear interpolation (for 1-D markers)
  const xs = S.grid.x, ys = S.grid.values;
  if (x < xs[0] || x > xs[xs.length - 1]) return null;
  const i = Math.min(xs.length - 2, Math.floor(((x - xs[0]) / (xs[xs.length - 1] - xs[0])) * (xs.length - 1)));
  const t = (x - xs[i]) / (xs[i + 1] - xs[i]);
  return ys[i] === null || ys[i + 1] === null ? null : ys[i] + t * (ys[i + 1] - ys[i]);
}

const ARROW_WORDS = { gradient: "\u2212lr\u2207f", momentum: "\u03b2v", scaled: "scaled step", newton: "Newton step",
  projection: "projection", penalty: "constraint pull" };

function drawRun(fr, run, one, arrows, offs) {
  const finite = run.trail.filter((p) => p.x.every((v) => v !== null && Math.abs(v) < VIEW_LIMIT) && (!one || p.f !== null));
  if (!finite.length) return;
  const xy = finite.map((p) => (one ? [p.x[0], p.f] : p.x));
  P.polyline(fr, xy, run.color, { width: one ? 1.8 : 2.2, halo: true, dots: xy.length < 400 });
  const last = run.trail[run.trail.length - 1];
  const [lx, ly] = xy[xy.length - 1];
  const visible = fr.inside(fr.px(lx), fr.py(ly));
  if (!visible || last.x.some((v) => v === null)) {
    const text = `${run.method}: ${S.dim === 1 ? "x" : "(x, y)"} = ${vecText(last.x)}`;
    offs.push({ x: lx, y: ly, color: run.color, text });
  }
  // With constraints the last step's pieces are drawn while the run moves: at its end they
  // cancel out where the exact ∇f and ∇g arrows already stand.
  const moving = !constrained() || run.status === "running";
  if (arrows && moving && last.parts && run.trail.length >= 2) drawParts(fr, run, one);
  if (visible) P.current(fr, lx, ly, run.color);
}

// The pieces of the last step as arrows from where it began: they add up to the step.
function drawParts(fr, run, one) {
  const before = run.trail[run.trail.length - 2], last = run.trail[run.trail.length - 1];
  if (before.x.some((v) => v === null) || (one && before.f === null)) return;
  if (!fr.inside(fr.px(before.x[0]), fr.py(one ? before.f : before.x[1]))) return;
  const parts = last.parts, names = Object.keys(parts);
  // momentum + gradient, gradient + projection, ∇f + the constraints' pull: head to tail
  const chained = "momentum" in parts || "projection" in parts || "penalty" in parts;
  let ox = before.x[0], oy = one ? before.f : before.x[1];
  const ctx = fr.canvas.getContext("2d");
  for (const name of names) {
    const v = parts[name];
    if (v.some((c) => c === null)) continue;
    const dx = v[0], dy = one ? 0 : v[1];
    const dash = name === "gradient" && !chained && names.length > 1 ? [5, 4] : [];
    if (P.arrow(fr, ox, oy, dx, dy, "#1d2430", { width: name === "gradient" ? 1.8 : 2.4, dash })) {
      ctx.save(); ctx.font = "12px system-ui, sans-serif"; ctx.fillStyle = "#1d2430";
      ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.lineWidth = 3;
      const X = fr.px(ox + dx) + 6, Y = fr.py(oy + dy) - 6, word = ARROW_WORDS[name] || name;
      ctx.strokeText(word, X, Y); ctx.fillText(word, X, Y); ctx.restore();
    }
    if (chained) { ox += dx; oy += dy; }
  }
}

function showLegend() {
  const legend = $("legend");
  legend.textContent = "";
  // The surface shows f only: say where the constraints are drawn rather than describe them.
  $("region-legend").textContent = !constrained() ? ""
    : S.view3d && S.dim === 2 ? "the constraints, the tangent level curves and the absolute extrema are drawn on the map: press 3-D again"
      : R.legend({ ...S.analysis, sketch: S.sketch }).join(" \u00b7 ");
  for (const run of S.runs) {
    const item = document.createElement("span"), sw = document.createElement("span");
    sw.className = "swatch"; sw.style.background = run.color;
    item.append(sw, `${run.method}: ${run.status.replace("_", " ")} (${run.k} step${run.k === 1 ? "" : "s"})`);
    item.dataset.method = run.method;
    legend.append(item);
  }
}

// ---- the loss chart: f along each run on a log axis -------------------------------------
function lossReference(values) {
  const sign = $("ascent").checked ? -1 : 1, kind = sign > 0 ? "local minimum" : "local maximum";
  const lowest = Math.min(...values);
  const optima = S.analysis.points.filter((p) => p.kind === kind && p.value !== null).map((p) => sign * p.value);
  const best = optima.length ? Math.min(...optima) : null;
  if (best !== null && lowest >= best - 1e-12 * Math.max(1, Math.abs(best))) {
    return { ref: best, label: sign > 0 ? "f \u2212 f(min)" : "f(max) \u2212 f" };
  }
  if (sign > 0 && lowest > 0) return { ref: 0, label: "f" };
  return { ref: lowest, label: sign > 0 ? "f \u2212 lowest f seen" : "highest f seen \u2212 f" };
}

function drawLossChart() {
  const canvas = $("loss-plot");
  P.setup(canvas);
  P.clear(canvas);
  if (constrained() && constrainedLossChart(canvas)) return;
  const sign = $("ascent").checked ? -1 : 1;
  const series = S.runs.map((run) => run.trail.map((p, k) => [k, p.f === null ? null : sign * p.f]));
  const values = series.flat().map(([, v]) => v).filter((v) => v !== null);
  if (!values.length) return;
  const { ref, label } = lossReference(values);
  logChart(canvas, series.map((s, i) => ({ color: S.runs[i].color, points: s.map(([k, v]) => [k, v === null ? null : v - ref]) })),
    "iteration", label);
  $("loss-title").textContent = `${label} per iteration (log axis)`;
}

// With constraints: the gap |f − f*| to the absolute minimum (maximum, ascending) and, for
// the augmented Lagrangian, the constraint violation (dashed); f alone says little, since
// an infeasible iterate can have f below f*.
function constrainedLossChart(canvas) {
  const goal = $("ascent").checked ? "max" : "min", extremum = S.analysis["absolute_" + goal];
  if (!extremum || extremum.value === null) return false;
  const best = extremum.value, curves = [];
  for (const run of S.runs) {
    curves.push({ color: run.color, points: run.trail.map((p, k) => [k, p.f === null ? null : Math.abs(p.f - best)]) });
    if (run.trail.some((p) => p.violation !== undefined)) {
      curves.push({ color: run.color, dash: [5, 4], points: run.trail.map((p, k) => [k, p.violation ?? null]) });
    }
  }
  const label = `|f \u2212 f(${goal})|`, dashed = curves.some((c) => c.dash);
  logChart(canvas, curves, "iteration", label);
  $("loss-title").textContent = `${label}` + (dashed ? " and the violation (dashed)" : "") +
    ` per iteration (log axis); f(${goal}) = ${extremum.value_text.length <= 12 ? R.nice(extremum.value_text) : P.fmt(best)}, the absolute ${goal}imum`;
  return true;
}

// Curves of positive values on a log10 axis; the axis stops at 1e-16 of the largest value
// (below that is rounding). Used by both modes.
function logChart(canvas, curves, xLabel, yLabel, floorLine = null) {
  const logs = curves.map((c) => c.points.filter(([, v]) => v !== null && v > 0 && isFinite(v)).map(([k, v]) => [k, Math.log10(v)]));
  const all = logs.flat();
  if (!all.length) return null;
  let hi = Math.max(...all.map(([, v]) => v)), lo = Math.min(...all.map(([, v]) => v));
  if (floorLine !== null) lo = Math.min(lo, Math.log10(floorLine));
  lo = Math.max(lo, hi - 16);
  const xmax = Math.max(10, ...curves.map((c) => c.points.length - 1));
  const fr = P.frame(canvas, { x: [0, xmax], y: [Math.floor(lo), Math.max(Math.ceil(hi), Math.floor(lo) + 1)] },
    { logY: true, margin: { left: 62, right: 12, top: 10, bottom: 38 } });
  P.axes(fr, [xLabel, yLabel]);
  logs.forEach((pts, i) => P.polyline(fr, pts.map(([k, v]) => [k, Math.max(v, lo)]), curves[i].color,
    { dots: pts.length < 60 && !curves[i].dash, width: 2, dash: curves[i].dash || [] }));
  if (floorLine !== null && floorLine > 0) {
    const y = Math.log10(floorLine);
    P.polyline(fr, [[0, y], [xmax, y]], "#1d2430", { dash: [7, 5], dots: false, width: 1 });
  }
  return fr;
}

// ---- readouts: one column per run, labelled by its method --------------------------------
const vecText = (v) => (v.length === 1 ? P.fmt(v[0]) : "(" + v.map(P.fmt).join(", ") + ")");

function nearestPoint(x) {
  let best = null;
  const consider = (coords, kind, text, point = null) => {
    const d = Math.hypot(...coords.map((c, i) => c - x[i]));
    if (!best || d < best.d) best = { d, kind, text, point };
  };
  for (const p of S.analysis.points) consider(p.approx, p.kind, vecText(p.approx), p);
  for (const f of S.analysis.families) for (const s of f.samples) consider(s, f.kind, vecText(s) + " on " + f.text);
  return best;
}

function fillReadouts(columns, rows) {
  // columns: [{name, color}], rows: [{id, label, cells: [text per column]}]
  const table = $("readouts");
  table.textContent = "";
  const head = table.createTHead().insertRow();
  head.append(document.createElement("th"));
  for (const c of columns) {
    const th = document.createElement("th"), sw = document.createElement("span");
    sw.className = "swatch"; sw.style.background = c.color;
    th.append(sw, c.name); head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow(), th = document.createElement("th");
    th.textContent = row.label; th.id = "label-" + row.id; tr.append(th);
    row.cells.forEach((text, i) => {
      const td = tr.insertCell();
      td.textContent = text;
      if (i === 0) td.id = row.id === "iteration" ? "iteration" : "readout-" + row.id;
      td.dataset.row = row.id; td.dataset.column = columns[i].name;
    });
  }
}

function showReadouts() {
  if (!S.runs.length || !S.analysis) return;
  const two = S.dim === 2, lasts = S.runs.map((r) => r.trail[r.trail.length - 1] || { x: r.x, f: null, grad: [] });
  const near = (last) => {
    const n = last.x.every((v) => v !== null) ? nearestPoint(last.x) : null;
    return n ? `${n.kind} at ${n.text}: ${P.fmt(n.d)} away` : "\u2014";
  };
  const norm = (g) => (g.length && g.every((v) => v !== null) ? P.fmt(Math.hypot(...g)) : "\u2014");
  if (S.runs.length > 1) {  // a race: one row per method, labelled with its colour
    fillRace(S.runs.map((r, i) => ({ name: r.method, color: r.color,
      cells: [String(r.k), vecText(lasts[i].x), P.fmt(lasts[i].f), norm(lasts[i].grad)] })),
    ["method", "iteration", two ? "(x, y)" : "x", two ? "f(x, y)" : "f(x)", "|\u2207f|"]);
    return;
  }
  fillReadouts(S.runs.map((r) => ({ name: r.method, color: r.color })), [
    { id: "iteration", label: "iteration", cells: S.runs.map((r) => String(r.k)) },
    { id: "x", label: two ? "(x, y)" : "x", cells: lasts.map((l) => vecText(l.x)) },
    { id: "f", label: two ? "f(x, y)" : "f(x)", cells: lasts.map((l) => P.fmt(l.f)) },
    { id: "grad", label: two ? "\u2207f" : "f'(x)", cells: lasts.map((l) => (l.grad.length ? vecText(l.grad) : "")) },
    { id: "step", label: "step taken", cells: lasts.map((l) => (l.step ? vecText(l.step) : "\u2014")) },
    ...(constrained() ? constrainedReadouts() : []),
    { id: "dist", label: constrained() ? "nearest candidate" : "nearest critical point", cells: lasts.map(near) },
  ]);
}

function constrainedReadouts() {
  const rows = [{ id: "violation", label: "constraint violation", cells: S.runs.map((r) => (r.violation === null ? "\u2014" : P.fmt(r.violation))) }];
  if (S.analysis.method.kind === "augmented") {
    rows.push({ id: "multipliers", label: "multipliers", cells: S.runs.map((r) => (r.multipliers
      ? Object.entries(r.multipliers).map(([k, v]) => `${k} = ${P.fmt(v)}`).join(", ") + (r.al ? `; \u03c1 = ${P.fmt(r.al.rho)}` : "")
      : "\u2014")) });
  }
  return rows;
}

function fillRace(rows, header) {
  const table = $("readouts");
  table.textContent = "";
  const head = table.createTHead().insertRow();
  for (const h of header) { const th = document.createElement("th"); th.textContent = h; head.append(th); }
  const body = table.createTBody();
  const ids = ["iteration", "readout-x", "readout-f", "readout-grad"];
  rows.forEach((row, r) => {
    const tr = body.insertRow(), th = document.createElement("th"), sw = document.createElement("span");
    sw.className = "swatch"; sw.style.background = row.color;
    th.append(sw, row.name); tr.append(th); tr.dataset.method = row.name;
    row.cells.forEach((text, i) => {
      const td = tr.insertCell();
      td.textContent = text; td.dataset.row = header[i + 1]; td.dataset.column = row.name;
      if (r === 0) td.id = ids[i];
    });
  });
}

function showRunStatus() {
  if (S.runs.length === 1) {
    const run = S.runs[0];
    let text = run.message;
    if (run.status === "converged") {
      const near = nearestPoint(run.x);
      if (near && near.point && constrained()) text += candidateWords(near, run);
      else if (near) text += ` \u2014 at the ${near.kind} ${near.text} (distance ${P.fmt(near.d)})`;
    }
    setStatus(text, run.status);
  } else {
    const all = S.runs.map((r) => r.status);
    setStatus(S.runs.map((r) => `${r.method}: ${r.message}`).join("\n"),
      all.every((s) => s === "converged") ? "converged" : all.includes("diverged") ? "diverged" : "");
  }
}

// The exact candidate a converged constrained run ended at, and whether it is the absolute
// minimum (maximum, ascending) the run was after.
function candidateWords(near, run) {
  const p = near.point, lambdas = Object.entries(p.multipliers).map(([k, v]) => `${k} = ${R.nice(v)}`).join(", ");
  let text = ` \u2014 the exact candidate there: ${p.kind} (${R.nice(shownPoint(p))}), ${p.where}${lambdas ? ", " + lambdas : ""}` +
    ` (distance ${P.fmt(near.d)})`;
  const goal = $("ascent").checked ? "maximum" : "minimum", extremum = S.analysis["absolute_" + goal.slice(0, 3)];
  if (p.absolute.includes(goal)) text += `: the absolute ${goal}, f = ${R.nice(extremum.value_text)}`;
  else if (extremum) text += `; the absolute ${goal} is f = ${R.nice(extremum.value_text)} at ${C.places(S.analysis, extremum)}`;
  return text;
}

function setStatus(text, kind) {
  const box = $("status");
  box.textContent = text;
  box.className = "status " + (kind || "");
}

function functionBound() {
  if (!S.analysis) return null;
  if (constrained() && S.analysis.method.kind === "augmented") {
    return S.localBound ? { value: S.localBound, text: `stability bound for gd on the augmented Lagrangian at the start (\u03c1 = 10): lr < 2/L \u2248 ${P.fmt(S.localBound)}; L_A steepens as \u03c1 grows` }
      : { value: null, text: "augmented Lagrangian: no positive curvature of L_A at the start" };
  }
  const ascent = $("ascent").checked, b = S.analysis.bound, what = ascent ? "ascent" : "descent";
  const exact = ascent ? b.ascent : b.descent;
  if (b.exact) {
    return exact ? { value: exact, text: `stability bound for gd: lr < 2/L = ${ascent ? P.fmt(exact) : b.text} (exact: the Hessian is constant)` }
      : { value: null, text: `no stability bound: f has no positive curvature for ${what}` };
  }
  return S.localBound ? { value: S.localBound, text: `stability bound for gd at the start: lr < 2/L \u2248 ${P.fmt(S.localBound)}` }
    : { value: null, text: `no stability bound at the start: no positive curvature for ${what} there` };
}

// ---- live preview: the first 200 steps, recomputed while a slider or the start moves ----
let previewBusy = false, previewAgain = false;
function livePreview() {
  if (S.mode !== "function" || !S.exprOk) { showBound(); return; }
  stop();
  if (previewBusy) { previewAgain = true; return; }
  previewBusy = true;
  const began = performance.now();
  resetRuns(PREVIEW_STEPS).then(() => {
    S.frameTimes.push(performance.now() - began);
    if (S.frameTimes.length > 200) S.frameTimes.shift();
    if (S.runs.length) showRunStatus();
  }).catch((err) => setStatus("error: " + err.message, "diverged")).finally(() => {
    previewBusy = false;
    if (previewAgain) { previewAgain = false; livePreview(); }
  });
}

// ---- the run loop, shared by both modes ---------------------------------------------------
function stop() {
  S.loop = 0;
  $("run").textContent = "Run";
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function loop(id) {
  while (S.loop === id) {
    const speed = Number($("speed").value), interval = Math.max(30, 1000 / speed);
    const steps = Math.max(1, Math.round((speed * interval) / 1000));
    const began = performance.now();
    let finished;
    try {
      finished = await locked(() => (S.loop === id ? modes[S.mode].advance(steps) : false));
    } catch (err) {
      setStatus("error: " + err.message, "diverged"); if (S.loop === id) stop(); return;
    }
    if (S.loop !== id) return;
    if (finished) { stop(); return; }
    await sleep(Math.max(0, interval - (performance.now() - began)));
  }
}

async function onStep() {
  stop();
  await ensureCurrent();
  try { await locked(() => modes[S.mode].advance(1)); } catch (err) { setStatus("error: " + err.message, "diverged"); }
}

async function onRun() {
  if (S.loop) { stop(); return; }
  const id = ++S.loopSeq;
  S.loop = id;
  $("run").textContent = "Pause";
  await ensureCurrent();
  if (S.loop !== id) return;
  if (!modes[S.mode].ready()) { stop(); return; }
  loop(id);
}

modes.function = {
  advance: (n) => (S.exprOk && S.runs.length ? advanceRuns(n) : Promise.resolve(true)),
  ready: () => S.exprOk && S.runs.some((r) => r.status === "running"),
  reset: () => (S.analysis && S.analysis.key === problemKey() ? resetRuns() : loadFunction()),
  bound: functionBound,
  draw: drawFunction,
  click: (x, y) => {
    $("x0").value = S.dim === 1 ? P.fmt(x) : `${P.fmt(x)}, ${P.fmt(y)}`;
    resetRuns();
  },
};

function setMode(mode) {
  stop();
  S.mode = mode;
  document.querySelectorAll(".function-only").forEach((e) => { e.hidden = mode !== "function"; });
  document.querySelectorAll(".data-only").forEach((e) => { e.hidden = mode !== "data"; });
  $("race-methods").hidden = mode !== "function" || !$("race").checked;
  $("legend").textContent = ""; $("view-note").textContent = "";
  $("fit-view").hidden = $("home-view").hidden = mode !== "function";
  $("hint").textContent = mode === "function" ? "Click or drag the start; drag the map to pan, scroll to zoom." : "Click the plot to add data points.";
  showParams();
  modes[mode].reset();
  updateUrl();
}

function applyPreset(p) {
  S.preset = p;
  S.params = JSON.parse(JSON.stringify(L.DEFAULTS));
  for (const [m, values] of Object.entries(p.params || {})) Object.assign(S.params[m], values);
  $("expr").value = p.expr; $("x0").value = p.x0; $("method").value = p.method || "gd";
  C.setRows(p.subject_to || []); C.settle();
  $("ascent").checked = Boolean(p.ascent);
  $("race").checked = Boolean(p.race);
  document.querySelectorAll("#race-methods input").forEach((b) => { b.checked = (p.race || ["gd", "momentum", "adam"]).includes(b.value); });
  $("race-methods").hidden = !p.race;
  S.analysis = null;
  showParams();
  loadFunction(p.view);
}

// ---- the shareable URL ------------------------------------------------------------------
function shareState() {
  const data = window.SymgdData ? window.SymgdData.state() : { points: [], batch: "full", batchSize: 4 };
  return { mode: S.mode, expr: $("expr").value, subjectTo: C.filled(), x0: $("x0").value, method: chosenMethod(),
    methods: $("race").checked ? chosenMethods() : [], params: S.params, defaults: L.DEFAULTS,
    ascent: $("ascent").checked, view3d: S.view3d, dataLr: S.dataLr, ...data };
}

function updateUrl() {
  const query = SymgdShare.encode(shareState());
  history.replaceState(null, "", "?" + query);
  $("share-link").value = location.href;
}

async function copyLink() {
  updateUrl();
  const link = $("share-link").value;
  try {
    await navigator.clipboard.writeText(link);
    $("copy-link").textContent = "copied";
  } catch (err) {
    $("share-link").select();
    $("copy-link").textContent = document.execCommand && document.execCommand("copy") ? "copied" : "select and copy";
  }
  setTimeout(() => { $("copy-link").textContent = "copy link"; }, 1500);
}

function restoreFromUrl() {
  const state = SymgdShare.decode(location.search, L.DEFAULTS);
  if (!state) return false;
  for (const [m, values] of Object.entries(state.params)) Object.assign(S.params[m], values);
  if (state.expr !== undefined) $("expr").value = state.expr;
  if (state.subjectTo) C.setRows(state.subjectTo);
  if (state.x0 !== undefined) $("x0").value = state.x0;
  if (state.method) $("method").value = state.method;
  if (state.methods) {
    $("race").checked = state.methods.length > 1;
    document.querySelectorAll("#race-methods input").forEach((b) => { b.checked = state.methods.includes(b.value); });
    $("race-methods").hidden = !$("race").checked;
  }
  $("ascent").checked = state.ascent;
  S.view3d = state.view3d;
  if (state.dataLr) S.dataLr = state.dataLr;
  if (state.mode === "data" && window.SymgdData) window.SymgdData.restore(state);
  $("mode").value = state.mode;
  if (state.ignored.length) setStatus(`the link's ${state.ignored.join(", ")} could not be read and were left at their defaults`, "");
  return state.mode;
}

// ---- pointer: click or drag the start, pan, zoom, turn the 3-D surface -------------------
function pointerSetup() {
  const canvas = $("plot");
  let press = null;
  const pos = (e) => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left - canvas.clientLeft, e.clientY - r.top - canvas.clientTop];
  };
  const nearStart = (px, py) => {
    if (!S.frame || S.mode !== "function" || !S.start.length) return false;
    const one = S.dim === 1, y = one ? valueAt(S.start[0]) : S.start[1];
    return y !== null && Math.hypot(S.frame.px(S.start[0]) - px, S.frame.py(y) - py) <= 12;
  };
  canvas.addEventListener("pointerdown", (e) => {
    const [px, py] = pos(e);
    const kind = S.mode === "function" && S.view3d && S.dim === 2 ? "turn" : nearStart(px, py) ? "start" : "pan";
    press = { px, py, kind, moved: false, last: [px, py] };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!press) return;
    const [px, py] = pos(e), [lx, ly] = press.last;
    if (!press.moved && Math.hypot(px - press.px, py - press.py) < 4) return;
    press.moved = true; press.last = [px, py];
    if (press.kind === "turn") {
      S.rot.az += (px - lx) * 0.01; S.rot.el = Math.min(1.5, Math.max(0.05, S.rot.el + (py - ly) * 0.01));
      draw();
    } else if (press.kind === "start" && S.frame) {
      const [x, y] = S.frame.fromPx(px, py);
      $("x0").value = S.dim === 1 ? P.fmt(x) : `${P.fmt(x)}, ${P.fmt(y)}`;
      livePreview();
    } else if (press.kind === "pan" && S.mode === "function") {
      canvas.classList.add("panning");
      panBy(px - lx, py - ly);
    }
  });
  const release = (e) => {
    if (!press) return;
    const p = press;
    press = null;
    canvas.classList.remove("panning");
    if (p.moved || !S.frame) return;
    const [px, py] = pos(e);
    if (!S.frame.inside(px, py)) return;
    const [x, y] = S.frame.fromPx(px, py);
    modes[S.mode].click(x, y);
  };
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", () => { press = null; });
  canvas.addEventListener("wheel", (e) => {
    if (S.mode !== "function" || S.view3d) return;
    e.preventDefault();
    const [px, py] = pos(e);
    zoomAt(px, py, Math.exp(Math.max(-0.5, Math.min(0.5, e.deltaY * 0.0015))));
  }, { passive: false });
}

function init() {
  C.setup(() => { if (S.mode === "function") loadFunction(); });
  L.PRESETS.forEach((p, i) => $("preset").append(new Option(p.name, String(i))));
  METHODS.forEach((m) => {
    const label = document.createElement("label"), box = document.createElement("input"), sw = document.createElement("span");
    label.className = "inline"; box.type = "checkbox"; box.value = m;
    box.checked = ["gd", "momentum", "adam"].includes(m);
    sw.className = "swatch"; sw.style.background = METHOD_COLORS[m];
    label.append(box, sw, m);
    $("race-methods").append(label);
    box.addEventListener("change", () => { resetRuns(); showBound(); });
  });
  $("expr").addEventListener("input", () => { clearTimeout(S.debounce); S.debounce = setTimeout(() => loadFunction(), 450); });
  $("expr").addEventListener("keydown", (e) => { if (e.key === "Enter") { clearTimeout(S.debounce); loadFunction(); } });
  $("x0").addEventListener("change", () => resetRuns());
  $("method").addEventListener("change", () => { showParams(); resetRuns(); });
  $("ascent").addEventListener("change", () => { showBound(); resetRuns(); });
  $("race").addEventListener("change", () => { $("race-methods").hidden = !$("race").checked; resetRuns(); showBound(); });
  $("preset").addEventListener("change", () => { if ($("preset").value !== "") applyPreset(L.PRESETS[Number($("preset").value)]); });
  $("lr").addEventListener("input", () => {
    const lr = Number($("lr").value);
    if (isFinite(lr) && lr > 0) { setLr(lr); if (S.mode === "function") livePreview(); else modes.data.reset(); }
    else showBound();
  });
  $("lr-slider").addEventListener("input", () => {
    const lr = sliderToLr(Number($("lr-slider").value));
    $("lr").value = lr; setLr(lr);
    if (S.mode === "function") livePreview(); else modes.data.reset();
  });
  $("step").addEventListener("click", onStep);
  $("run").addEventListener("click", onRun);
  $("reset").addEventListener("click", () => { stop(); modes[S.mode].reset(); });
  $("mode").addEventListener("change", () => setMode($("mode").value));
  $("working-panel").addEventListener("toggle", () => loadWorking());
  $("fit-view").addEventListener("click", fitView);
  $("home-view").addEventListener("click", homeView);
  $("view-3d").addEventListener("click", () => {
    if (S.dim !== 2) { $("view-note").textContent = "the 3-D view needs a function of two variables"; return; }
    S.view3d = !S.view3d; $("view-3d").setAttribute("aria-pressed", String(S.view3d));
    draw(); updateUrl();
  });
  $("copy-link").addEventListener("click", copyLink);
  pointerSetup();
  new ResizeObserver(() => {
    if (S.mode === "function" ? !S.analysis : false) return;
    draw();
    if (S.mode === "function" && !gridCovers()) refreshGrid();
  }).observe($("plot"));
  const mode = restoreFromUrl();
  $("view-3d").setAttribute("aria-pressed", String(S.view3d));
  if (mode === "data") { setMode("data"); return; }
  showParams();
  loadFunction();
}

window.SymgdApp = { S, $, api, modes, locked, gridCovers, setStatus, stop, showBound, showParams, currentLr, logChart,
  fillReadouts, updateUrl, draw, METHOD_COLORS };
window.addEventListener("DOMContentLoaded", init);
