// symgd playground: drawing on a <canvas> (axes, curves, heat map, contour lines, markers,
// arrows). No libraries: the contour lines come from marching squares (Lorensen & Cline 1987,
// in its 2-D form) over the grid of f values the server computed.
//
// Every canvas keeps a backing store of devicePixelRatio x its CSS size (sharp on HiDPI
// screens); all drawing below is in CSS pixels, through the context's scale.
"use strict";

const SymgdPlot = (() => {
  const MARGIN = { left: 64, right: 14, top: 14, bottom: 38 };
  const KIND_STYLE = {
    "local minimum": { color: "#1b7f3b", shape: "circle" },
    "local maximum": { color: "#b3261e", shape: "triangle" },
    "saddle point": { color: "#6a3fb5", shape: "cross" },
  };
  const OTHER_KIND = { color: "#5d6878", shape: "diamond" };
  // Viridis stops (matplotlib), lightened so that paths drawn on top stay visible.
  const PALETTE = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

  // Size the backing store to the CSS box times devicePixelRatio; returns the CSS size.
  function setup(canvas) {
    // The content box (inside the border) is what the backing store is stretched over.
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, canvas.clientWidth), h = Math.max(1, canvas.clientHeight);
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    }
    canvas.cssWidth = w; canvas.cssHeight = h; canvas.dpr = dpr;
    return { w, h, dpr };
  }

  function clear(canvas) {
    if (!canvas.cssWidth) setup(canvas);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(canvas.dpr, 0, 0, canvas.dpr, 0, 0);
    return ctx;
  }

  // The plot area of a view; with equal: true one unit is as long on both axes (the view is
  // widened along one axis to fill the area), so angles on the map are true angles.
  function fitView(canvas, view, equal, margin = MARGIN) {
    if (!equal) return view;
    const pw = canvas.cssWidth - margin.left - margin.right, ph = canvas.cssHeight - margin.top - margin.bottom;
    const [x0, x1] = view.x, [y0, y1] = view.y;
    const scale = Math.min(pw / (x1 - x0), ph / (y1 - y0));
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, hw = pw / scale / 2, hh = ph / scale / 2;
    return { x: [cx - hw, cx + hw], y: [cy - hh, cy + hh] };
  }

  function frame(canvas, view, { equal = false, margin = MARGIN, logY = false } = {}) {
    const w = canvas.cssWidth, h = canvas.cssHeight;
    const shown = fitView(canvas, view, equal, margin);
    const [x0, x1] = shown.x, [y0, y1] = shown.y;
    const pw = w - margin.left - margin.right, ph = h - margin.top - margin.bottom;
    return {
      canvas, view: shown, pw, ph, margin, logY,
      px: (x) => margin.left + ((x - x0) / (x1 - x0)) * pw,
      py: (y) => margin.top + (1 - (y - y0) / (y1 - y0)) * ph,
      fromPx: (px, py) => [x0 + ((px - margin.left) / pw) * (x1 - x0),
        y0 + (1 - (py - margin.top) / ph) * (y1 - y0)],
      inside: (px, py) => px >= margin.left && px <= margin.left + pw &&
        py >= margin.top && py <= margin.top + ph,
    };
  }

  function niceTicks(lo, hi, count) {
    const raw = (hi - lo) / count;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
    const ticks = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
      ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    }
    return ticks;
  }

  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) {
      return v.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
    }
    return String(Number(v.toPrecision(6)));
  }

  // Tick labels that never overlap: drop every other label until they fit.
  function thinned(ticks, widthOf, room) {
    let step = 1;
    while (step < ticks.length && ticks.filter((_, i) => i % step === 0).reduce((s, t) => s + widthOf(t) + 10, 0) > room) step++;
    return ticks.filter((_, i) => i % step === 0);
  }

  function axes(fr, labels) {
    const ctx = fr.canvas.getContext("2d"), m = fr.margin;
    ctx.save();
    ctx.strokeStyle = "#c9d0da"; ctx.fillStyle = "#3b4452";
    ctx.font = "12px system-ui, sans-serif"; ctx.lineWidth = 1;
    ctx.strokeRect(m.left, m.top, fr.pw, fr.ph);
    ctx.textAlign = "center";
    const xLabel = (t) => fmt(t);
    const xs = thinned(niceTicks(fr.view.x[0], fr.view.x[1], Math.max(2, Math.floor(fr.pw / 90))),
      (t) => ctx.measureText(xLabel(t)).width, fr.pw);
    for (const t of xs) {
      const x = fr.px(t);
      ctx.beginPath(); ctx.moveTo(x, m.top + fr.ph); ctx.lineTo(x, m.top + fr.ph + 5); ctx.stroke();
      ctx.fillText(xLabel(t), x, m.top + fr.ph + 18);
    }
    ctx.textAlign = "right";
    const [ylo, yhi] = fr.view.y;
    const yTicks = fr.logY ? niceTicks(Math.ceil(ylo), Math.floor(yhi), Math.max(3, Math.floor(fr.ph / 30))).filter((t) => Number.isInteger(t))
      : niceTicks(ylo, yhi, Math.max(2, Math.floor(fr.ph / 45)));
    for (const t of yTicks) {
      const y = fr.py(t);
      ctx.beginPath(); ctx.moveTo(m.left - 5, y); ctx.lineTo(m.left, y); ctx.stroke();
      ctx.fillText(fr.logY ? "1e" + t : fmt(t), m.left - 8, y + 4);
    }
    ctx.textAlign = "center";
    ctx.fillText(labels[0], m.left + fr.pw / 2, fr.canvas.cssHeight - 3);
    ctx.save();
    ctx.translate(13, m.top + fr.ph / 2); ctx.rotate(-Math.PI / 2);
    ctx.fillText(labels[1], 0, 0);
    ctx.restore();
    ctx.restore();
  }

  function clip(fr, ctx) {
    ctx.beginPath();
    ctx.rect(fr.margin.left, fr.margin.top, fr.pw, fr.ph);
    ctx.clip();
  }

  function colour(t) {
    const s = Math.min(Math.max(t, 0), 1) * (PALETTE.length - 1);
    const i = Math.min(Math.floor(s), PALETTE.length - 2), u = s - i;
    const c = PALETTE[i].map((a, k) => a + u * (PALETTE[i + 1][k] - a));
    return c.map((a) => Math.round(0.55 * a + 0.45 * 255));  // lightened
  }

  // Rank-based colour scale (histogram equalisation): a few huge values (Rosenbrock's walls)
  // must not flatten the whole map into one colour.
  function quantileScale(values) {
    const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
    const rank = (v) => {
      let lo = 0, hi = sorted.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
      return sorted.length > 1 ? lo / (sorted.length - 1) : 0.5;
    };
    return { at, rank, empty: sorted.length === 0 };
  }

  function heatMap(fr, grid) {
    const ctx = fr.canvas.getContext("2d");
    const n = grid.n, scale = quantileScale(grid.values);
    const image = document.createElement("canvas");
    image.width = n; image.height = n;
    const ictx = image.getContext("2d"), data = ictx.createImageData(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = grid.values[i * n + j], k = ((n - 1 - i) * n + j) * 4;  // row 0 is y min
        const c = v === null ? [220, 220, 220] : colour(scale.rank(v));
        data.data[k] = c[0]; data.data[k + 1] = c[1]; data.data[k + 2] = c[2];
        data.data[k + 3] = 255;
      }
    }
    ictx.putImageData(data, 0, 0);
    const [gx0, gx1] = grid.view.x, [gy0, gy1] = grid.view.y;
    const dx = (gx1 - gx0) / (n - 1) / 2, dy = (gy1 - gy0) / (n - 1) / 2;
    ctx.save();
    clip(fr, ctx);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image, fr.px(gx0 - dx), fr.py(gy1 + dy),
      fr.px(gx1 + dx) - fr.px(gx0 - dx), fr.py(gy0 - dy) - fr.py(gy1 + dy));
    contours(fr, ctx, grid, scale);
    ctx.restore();
  }

  // Marching squares: each cell's corners above/below the level give one of 16 cases; the
  // crossing points on the edges are found by linear interpolation.
  function contours(fr, ctx, grid, scale) {
    if (scale.empty) return;
    const n = grid.n, v = grid.values, xs = grid.x, ys = grid.y;
    const levels = [];
    for (let q = 1; q < 16; q++) levels.push(scale.at(q / 16));
    ctx.strokeStyle = "rgba(30, 40, 60, 0.35)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const level of levels) {
      for (let i = 0; i < n - 1; i++) {
        for (let j = 0; j < n - 1; j++) {
          const a = v[i * n + j], b = v[i * n + j + 1], c = v[(i + 1) * n + j + 1], d = v[(i + 1) * n + j];
          if (a === null || b === null || c === null || d === null) continue;
          const pts = [];
          const edge = (p, q, xa, ya, xb, yb) => {
            if ((p > level) !== (q > level)) {
              const t = (level - p) / (q - p);
              pts.push([xa + t * (xb - xa), ya + t * (yb - ya)]);
            }
          };
          edge(a, b, xs[j], ys[i], xs[j + 1], ys[i]);
          edge(b, c, xs[j + 1], ys[i], xs[j + 1], ys[i + 1]);
          edge(d, c, xs[j], ys[i + 1], xs[j + 1], ys[i + 1]);
          edge(a, d, xs[j], ys[i], xs[j], ys[i + 1]);
          for (let k = 0; k + 1 < pts.length; k += 2) {  // 2 or 4 crossings (saddle cells)
            ctx.moveTo(fr.px(pts[k][0]), fr.py(pts[k][1]));
            ctx.lineTo(fr.px(pts[k + 1][0]), fr.py(pts[k + 1][1]));
          }
        }
      }
    }
    ctx.stroke();
  }

  function curve(fr, xs, ys) {
    const ctx = fr.canvas.getContext("2d");
    ctx.save();
    clip(fr, ctx);
    ctx.strokeStyle = "#1d2430"; ctx.lineWidth = 2;
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      if (ys[i] === null) { pen = false; continue; }
      const X = fr.px(xs[i]), Y = Math.max(-1e6, Math.min(1e6, fr.py(ys[i])));
      if (pen) ctx.lineTo(X, Y); else ctx.moveTo(X, Y);
      pen = true;
    }
    ctx.stroke();
    ctx.restore();
  }

  function markerAt(ctx, X, Y, kind, r) {
    const style = KIND_STYLE[kind] || OTHER_KIND;
    ctx.save();
    ctx.fillStyle = style.color; ctx.strokeStyle = "#fff"; ctx.lineWidth = 1.5;
    ctx.beginPath();
    if (style.shape === "circle") ctx.arc(X, Y, r, 0, 2 * Math.PI);
    else if (style.shape === "triangle") { ctx.moveTo(X, Y - r - 1); ctx.lineTo(X + r, Y + r - 1); ctx.lineTo(X - r, Y + r - 1); ctx.closePath(); }
    else if (style.shape === "diamond") { ctx.moveTo(X, Y - r); ctx.lineTo(X + r, Y); ctx.lineTo(X, Y + r); ctx.lineTo(X - r, Y); ctx.closePath(); }
    if (style.shape === "cross") {
      ctx.lineCap = "round";
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 5.5;
      ctx.moveTo(X - r, Y - r); ctx.lineTo(X + r, Y + r); ctx.moveTo(X + r, Y - r); ctx.lineTo(X - r, Y + r);
      ctx.stroke();
      ctx.strokeStyle = style.color; ctx.lineWidth = 3;
      ctx.stroke();
    } else { ctx.fill(); ctx.stroke(); }
    ctx.restore();
  }

  function marker(fr, x, y, kind, size) {
    const X = fr.px(x), Y = fr.py(y);
    if (!fr.inside(X, Y)) return;
    markerAt(fr.canvas.getContext("2d"), X, Y, kind, size || 6);
  }

  // A path: a white halo under the coloured line keeps it visible on any background.
  function polyline(fr, points, color, { dash = [], width = 2, dots = true, halo = false } = {}) {
    const ctx = fr.canvas.getContext("2d");
    ctx.save();
    clip(fr, ctx);
    const trace = () => {
      ctx.beginPath();
      points.forEach(([x, y], i) => {
        const X = Math.max(-1e6, Math.min(1e6, fr.px(x))), Y = Math.max(-1e6, Math.min(1e6, fr.py(y)));
        if (i === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
      });
    };
    ctx.setLineDash(dash); ctx.lineJoin = "round";
    if (halo) { ctx.strokeStyle = "rgba(255,255,255,0.85)"; ctx.lineWidth = width + 2.5; trace(); ctx.stroke(); }
    ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = width;
    trace(); ctx.stroke();
    if (dots && points.length < 400) {
      for (const [x, y] of points) {
        ctx.beginPath(); ctx.arc(fr.px(x), fr.py(y), 2.5, 0, 2 * Math.PI); ctx.fill();
      }
    }
    ctx.restore();
  }

  // An arrow from (x, y) by (dx, dy) in data units; skipped when shorter than 4 px.
  function arrow(fr, x, y, dx, dy, color, { width = 2.2, dash = [] } = {}) {
    const X0 = fr.px(x), Y0 = fr.py(y), X1 = fr.px(x + dx), Y1 = fr.py(y + dy);
    const len = Math.hypot(X1 - X0, Y1 - Y0);
    if (!(len >= 4) || !isFinite(len)) return false;
    const ctx = fr.canvas.getContext("2d");
    ctx.save();
    clip(fr, ctx);
    const ux = (X1 - X0) / len, uy = (Y1 - Y0) / len, head = Math.min(10, 0.4 * len);
    ctx.lineCap = "round";
    for (const [stroke, w] of [["rgba(255,255,255,0.9)", width + 2.5], [color, width]]) {
      ctx.strokeStyle = stroke; ctx.fillStyle = stroke; ctx.lineWidth = w; ctx.setLineDash(dash);
      ctx.beginPath(); ctx.moveTo(X0, Y0); ctx.lineTo(X1 - ux * head * 0.6, Y1 - uy * head * 0.6); ctx.stroke();
      ctx.setLineDash([]);
      ctx.beginPath(); ctx.moveTo(X1, Y1);
      ctx.lineTo(X1 - ux * head - uy * head * 0.5, Y1 - uy * head + ux * head * 0.5);
      ctx.lineTo(X1 - ux * head + uy * head * 0.5, Y1 - uy * head - ux * head * 0.5);
      ctx.closePath(); ctx.fill();
    }
    ctx.restore();
    return true;
  }

  function current(fr, x, y, color) {
    const ctx = fr.canvas.getContext("2d");
    ctx.save();
    clip(fr, ctx);
    ctx.fillStyle = color; ctx.strokeStyle = "#fff"; ctx.lineWidth = 2.5;
    ctx.beginPath(); ctx.arc(fr.px(x), fr.py(y), 7, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    ctx.restore();
  }

  // The start: a black square the user can drag.
  function startMark(fr, x, y) {
    const ctx = fr.canvas.getContext("2d"), X = fr.px(x), Y = fr.py(y);
    if (!fr.inside(X, Y)) return;
    ctx.save();
    ctx.fillStyle = "#1d2430"; ctx.strokeStyle = "#fff"; ctx.lineWidth = 2;
    ctx.fillRect(X - 5.5, Y - 5.5, 11, 11); ctx.strokeRect(X - 5.5, Y - 5.5, 11, 11);
    ctx.restore();
  }

  // A note at the edge where an iterate left the view: an arrow pointing to it and its value.
  function offView(fr, x, y, color, text) {
    const cx = fr.margin.left + fr.pw / 2, cy = fr.margin.top + fr.ph / 2;
    let X = fr.px(x), Y = fr.py(y);
    if (!isFinite(X) || !isFinite(Y)) { X = x > 0 ? 1e9 : -1e9; Y = cy; }
    const dx = X - cx, dy = Y - cy;
    const t = Math.min((fr.pw / 2 - 14) / Math.abs(dx || 1e-9), (fr.ph / 2 - 14) / Math.abs(dy || 1e-9));
    const ex = cx + dx * t, ey = cy + dy * t, len = Math.hypot(dx, dy) || 1;
    const ctx = fr.canvas.getContext("2d");
    ctx.save();
    ctx.fillStyle = color; ctx.strokeStyle = color; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(ex - (dx / len) * 18, ey - (dy / len) * 18); ctx.lineTo(ex, ey); ctx.stroke();
    ctx.beginPath(); ctx.arc(ex, ey, 3.5, 0, 2 * Math.PI); ctx.fill();
    ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = ex > cx ? "right" : "left";
    ctx.fillStyle = "#1d2430";
    ctx.fillText(text, ex + (ex > cx ? -8 : 8), Math.min(fr.margin.top + fr.ph - 6, Math.max(fr.margin.top + 14, ey - 8)));
    ctx.restore();
  }

  return { MARGIN, setup, clear, fitView, frame, axes, heatMap, curve, marker, markerAt, polyline, arrow, current,
    startMark, offView, fmt, niceTicks, colour, quantileScale, KIND_STYLE, OTHER_KIND };
})();
