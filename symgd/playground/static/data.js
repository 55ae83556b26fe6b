// symgd playground: data mode. Click to place points; a line y = w x + b is fitted by
// (full-batch, mini-batch or stochastic) gradient descent on the server, beside the exact
// least-squares line, with the loss curve on a log axis underneath.
"use strict";

(() => {
  const { S, $, api, modes, setStatus } = window.SymgdApp;
  const P = SymgdPlot;
  const VIEW = { x: [0, 10], y: [0, 10] };
  const MAX_EPOCHS = 5000;  // the server's cap too: a run stops there, exactly
  const D = { points: [], w: [0, 0], epochs: 0, losses: [], status: "running", message: "",
    exact: null, bound: null, lines: [] };

  // The run's first loss and its last ten: enough for the server's divergence tests.
  const recentLosses = () => (D.losses.length <= 11 ? D.losses : [D.losses[0], ...D.losses.slice(-10)]);

  function body(epochs) {
    return { points: D.points, w: D.w, lr: SymgdApp.currentLr(), batch: $("batch").value,
      batch_size: Math.max(1, Math.min(500, Math.round(Number($("batch-size").value) || 1))),
      epochs, seed: D.epochs, epoch: D.epochs, losses: recentLosses() };
  }

  function reset() {
    return SymgdApp.locked(async () => {
      Object.assign(D, { w: [0, 0], epochs: 0, losses: [], status: "running", message: "", lines: [] });
      $("data-lesson").textContent = SymgdLessons.DATA_LESSONS[$("batch").value];
      if (D.points.length >= 2 && SymgdApp.currentLr()) {
        try {
          const a = await api("fit", { ...body(1), epoch: 0, losses: [] });  // the exact line, the bound, J(w0)
          D.exact = a.exact; D.bound = a.bound; D.losses = [a.loss[0]];
        } catch (err) { setStatus("error: " + err.message, "diverged"); }
      } else {
        D.exact = null; D.bound = null;
      }
      draw(); SymgdApp.showBound();
      setStatus(D.points.length >= 2 ? "ready: press Step (one epoch) or Run" : "place at least two points (click the plot)", "");
      SymgdApp.updateUrl();
    });
  }

  async function advance(epochs) {
    if (D.points.length < 2) { setStatus("place at least two points (click the plot)", ""); return true; }
    if (!SymgdApp.currentLr()) { setStatus("the learning rate must be a positive number", "diverged"); return true; }
    if (D.epochs >= MAX_EPOCHS || D.status !== "running") return true;
    const a = await api("fit", body(Math.min(epochs, MAX_EPOCHS - D.epochs)));
    if (!D.losses.length) D.losses.push(a.loss[0]);
    D.losses.push(...a.loss.slice(1));
    D.lines.push(...a.path.slice(1));
    D.lines = D.lines.slice(-12);
    D.epochs = a.epoch;
    Object.assign(D, { status: a.status, message: a.message, exact: a.exact, bound: a.bound });
    if (a.w.every((v) => v !== null)) D.w = a.w;
    draw();
    const exact = D.exact.w;
    setStatus(`${a.message}\nexact least-squares line: y = ${P.fmt(exact[0])} x + ${P.fmt(exact[1])}`,
      a.status === "running" ? "" : a.status);
    return a.status !== "running";
  }

  function readouts() {
    const last = D.losses[D.losses.length - 1];
    SymgdApp.fillReadouts([{ name: "fitted line", color: "#d9480f" }], [
      { id: "iteration", label: "epoch", cells: [String(D.epochs)] },
      { id: "x", label: "line", cells: [`w = ${P.fmt(D.w[0])}, b = ${P.fmt(D.w[1])}`] },
      { id: "f", label: "loss J", cells: [last === undefined ? "" : P.fmt(last)] },
      { id: "grad", label: "exact line", cells: [D.exact ? `w = ${P.fmt(D.exact.w[0])}, b = ${P.fmt(D.exact.w[1])}` : ""] },
      { id: "step", label: "batches", cells: [$("batch").value] },
    ]);
  }

  function line(fr, w, color, options) {
    if (!w || w.some((v) => v === null)) return;
    const [x0, x1] = VIEW.x;
    P.polyline(fr, [[x0, w[0] * x0 + w[1]], [x1, w[0] * x1 + w[1]]], color, { dots: false, ...options });
  }

  function draw() {
    const canvas = $("plot");
    P.setup(canvas);
    P.clear(canvas);
    const fr = P.frame(canvas, VIEW, { equal: true });
    S.frame = fr;
    P.axes(fr, ["x", "y"]);
    D.lines.forEach((w, i) => line(fr, w, `rgba(217, 72, 15, ${0.05 + (0.25 * i) / D.lines.length})`, { width: 1 }));
    if (D.exact) line(fr, D.exact.w, "#1d2430", { dash: [7, 5], width: 1.5 });
    if (D.points.length >= 2) line(fr, D.w, "#d9480f", { width: 2.5 });
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#1f5fbf";
    for (const [x, y] of D.points) { ctx.beginPath(); ctx.arc(fr.px(x), fr.py(y), 4.5, 0, 2 * Math.PI); ctx.fill(); }
    $("legend").textContent = D.points.length >= 2 ? "orange: the line being fitted (faint: its last updates); dashed: the exact least-squares line" : "";
    drawLoss();
    readouts();
  }

  // The gap J - J* to the least-squares loss per epoch, on a log axis: linear convergence is
  // a straight line there (a plot of J itself flattens onto J* and hides it).
  function drawLoss() {
    const canvas = $("loss-plot");
    P.setup(canvas);
    P.clear(canvas);
    const best = D.exact ? D.exact.loss : null;
    $("loss-title").textContent = best === null ? "loss J per epoch (log axis)"
      : `J \u2212 J* per epoch (log axis), J* = ${P.fmt(best)} the least-squares loss`;
    if (!D.losses.length) return;
    SymgdApp.logChart(canvas, [{ color: "#d9480f", points: D.losses.map((v, i) => [i, v === null || best === null ? v : v - best]) }],
      "epoch", best === null ? "J" : "J \u2212 J*");
  }

  function addNoisyPoints() {
    const slope = 0.3 + Math.random() * 0.8, cut = 1 + Math.random() * 3;
    for (let i = 0; i < 12; i++) {
      const x = 0.5 + Math.random() * 9, y = slope * x + cut + (Math.random() - 0.5) * 2;
      D.points.push([Number(x.toFixed(3)), Number(Math.min(9.8, Math.max(0.2, y)).toFixed(3))]);
    }
    reset();
  }

  modes.data = {
    advance,
    ready: () => D.points.length >= 2 && D.status === "running" && D.epochs < MAX_EPOCHS,
    reset,
    draw,
    bound: () => (D.bound ? { value: D.bound, text: `stability bound for full-batch gd: lr < 2/L = ${P.fmt(D.bound)}` } : null),
    click: (x, y) => { D.points.push([Number(x.toFixed(3)), Number(y.toFixed(3))]); SymgdApp.stop(); reset(); },
  };

  window.SymgdData = {
    state: () => ({ points: D.points, batch: $("batch").value,
      batchSize: Math.max(1, Math.round(Number($("batch-size").value) || 4)) }),
    restore: (state) => {
      if (state.points) D.points = state.points.filter((p) => p.every((v) => Math.abs(v) <= 1e6)).slice(0, 500);
      if (state.batch) $("batch").value = state.batch;
      if (state.batchSize) $("batch-size").value = String(state.batchSize);
    },
    D,
  };

  window.addEventListener("DOMContentLoaded", () => {
    $("clear-points").addEventListener("click", () => { D.points = []; SymgdApp.stop(); reset(); });
    $("sample-points").addEventListener("click", () => { SymgdApp.stop(); addNoisyPoints(); });
    $("batch").addEventListener("change", () => { SymgdApp.stop(); reset(); });
    $("batch-size").addEventListener("change", () => { SymgdApp.stop(); reset(); });
  });
})();
