// symgd playground: data mode. Click to place points; a line y = w x + b is fitted by
// (full-batch, mini-batch or stochastic) gradient descent on the server, beside the exact
// least-squares line, with the loss curve underneath.
"use strict";

(() => {
  const { S, $, api, modes, setStatus } = window.SymgdApp;
  const P = SymgdPlot;
  const VIEW = { x: [0, 10], y: [0, 10] };
  const MAX_EPOCHS = 5000;
  const D = { points: [], w: [0, 0], epochs: 0, losses: [], status: "running", message: "",
    exact: null, bound: null, lines: [] };

  function body(epochs) {
    return { points: D.points, w: D.w, lr: SymgdApp.currentLr(), batch: $("batch").value,
      batch_size: Math.max(1, Math.min(500, Math.round(Number($("batch-size").value) || 1))),
      epochs, seed: D.epochs };
  }

  async function reset() {
    Object.assign(D, { w: [0, 0], epochs: 0, losses: [], status: "running", message: "", lines: [] });
    $("iteration").textContent = "0";
    if (D.points.length >= 2 && SymgdApp.currentLr()) {
      try {
        const a = await api("fit", body(1));  // only for the exact line, the bound, J(w0)
        D.exact = a.exact; D.bound = a.bound; D.losses = [a.loss[0]];
      } catch (err) { setStatus("error: " + err.message, "diverged"); }
    } else {
      D.exact = null; D.bound = null;
    }
    draw(); readouts(); SymgdApp.showBound();
    setStatus(D.points.length >= 2 ? "ready: press Step (one epoch) or Run" : "place at least two points (click the plot)", "");
  }

  async function advance(epochs) {
    if (D.points.length < 2) { setStatus("place at least two points (click the plot)", ""); return true; }
    if (!SymgdApp.currentLr()) { setStatus("the learning rate must be a positive number", "diverged"); return true; }
    const a = await api("fit", body(epochs));
    if (!D.losses.length) D.losses.push(a.loss[0]);
    D.losses.push(...a.loss.slice(1));
    D.lines.push(...a.path.slice(1));
    D.lines = D.lines.slice(-12);
    D.epochs += a.path.length - 1;
    Object.assign(D, { status: a.status, message: a.message, exact: a.exact, bound: a.bound });
    if (a.w.every((v) => v !== null)) D.w = a.w;
    draw(); readouts();
    const done = a.status === "converged" || a.status === "diverged" || D.epochs >= MAX_EPOCHS;
    const exact = D.exact.w;
    let text = a.message.replace(/^ran all \d+ epochs \(\d+ updates\)/, `${D.epochs} epochs`);
    text += `\nexact least-squares line: y = ${P.fmt(exact[0])} x + ${P.fmt(exact[1])}`;
    if (D.epochs >= MAX_EPOCHS && a.status !== "converged") text = `stopped after ${D.epochs} epochs; ` + text;
    setStatus(text, a.status === "max_epochs" ? "" : a.status);
    return done;
  }

  function readouts() {
    const last = D.losses[D.losses.length - 1];
    $("iteration").textContent = String(D.epochs);
    $("readout-x").textContent = `w = ${P.fmt(D.w[0])}, b = ${P.fmt(D.w[1])}`;
    $("readout-f").textContent = last === undefined ? "" : P.fmt(last);
    $("readout-grad").textContent = D.exact ? `w = ${P.fmt(D.exact.w[0])}, b = ${P.fmt(D.exact.w[1])}` : "";
    $("readout-step").textContent = $("batch").value;
    $("label-x").textContent = "line";
    $("label-f").textContent = "loss J";
    $("label-grad").textContent = "exact line";
    $("label-step").textContent = "batches";
  }

  function line(fr, w, color, options) {
    if (!w || w.some((v) => v === null)) return;
    const [x0, x1] = VIEW.x;
    P.polyline(fr, [[x0, w[0] * x0 + w[1]], [x1, w[0] * x1 + w[1]]], color, { dots: false, ...options });
  }

  function draw() {
    const canvas = $("plot");
    P.clear(canvas);
    const fr = P.frame(canvas, VIEW);
    S.frame = fr;
    P.axes(fr, ["x", "y"]);
    D.lines.forEach((w, i) => line(fr, w, `rgba(217, 72, 15, ${0.05 + (0.25 * i) / D.lines.length})`, { width: 1 }));
    if (D.exact) line(fr, D.exact.w, "#1d2430", { dash: [7, 5], width: 1.5 });
    if (D.points.length >= 2) line(fr, D.w, "#d9480f", { width: 2.5 });
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#1f5fbf";
    for (const [x, y] of D.points) { ctx.beginPath(); ctx.arc(fr.px(x), fr.py(y), 4.5, 0, 2 * Math.PI); ctx.fill(); }
    drawLoss();
  }

  // The loss curve on a log scale, with the least-squares loss as a dashed floor.
  function drawLoss() {
    const canvas = $("loss-plot");
    P.clear(canvas);
    const finite = D.losses.filter((v) => v !== null && v > 0);
    if (!finite.length) return;
    const floor = D.exact && D.exact.loss > 0 ? D.exact.loss : Math.min(...finite);
    const lo = Math.log10(Math.min(floor, ...finite)), hi = Math.log10(Math.max(...finite));
    const view = { x: [0, Math.max(10, D.losses.length - 1)], y: [lo - 0.1, Math.max(hi, lo + 1) + 0.1] };
    const fr = P.frame(canvas, view);
    P.axes(fr, ["epoch", "log10 J"]);
    const pts = [];
    D.losses.forEach((v, i) => { if (v !== null && v > 0) pts.push([i, Math.log10(v)]); });
    P.polyline(fr, pts, "#d9480f", { dots: pts.length < 60, width: 2 });
    if (D.exact && D.exact.loss > 0) {
      const y = Math.log10(D.exact.loss);
      P.polyline(fr, [[view.x[0], y], [view.x[1], y]], "#1d2430", { dash: [7, 5], dots: false, width: 1 });
    }
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
    ready: () => D.points.length >= 2,
    reset,
    draw,
    bound: () => (D.bound ? { value: D.bound, text: `stability bound for full-batch gd: lr < 2/L = ${P.fmt(D.bound)}` } : null),
    click: (x, y) => { D.points.push([Number(x.toFixed(3)), Number(y.toFixed(3))]); SymgdApp.pause(); reset(); },
  };

  window.addEventListener("DOMContentLoaded", () => {
    $("clear-points").addEventListener("click", () => { D.points = []; SymgdApp.pause(); reset(); });
    $("sample-points").addEventListener("click", () => { SymgdApp.pause(); addNoisyPoints(); });
    $("batch").addEventListener("change", () => { SymgdApp.pause(); reset(); });
  });
})();
