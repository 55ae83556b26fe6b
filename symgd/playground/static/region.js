// symgd playground: the constraints on the map. The feasible region is left clear and the
// rest washed out and hatched; the boundary (or the constraint curve) is drawn and numbered
// like the candidates list; the level curves of f through the Lagrange points are dashed,
// with ∇f and ∇g drawn there (parallel: ∇f = λ∇g, Stewart §14.8); the absolute maximum and
// minimum are ringed. All coordinates come from the server (symgd.constrained.sketch and the
// exact candidates); this file only draws them.
"use strict";

const SymgdRegion = (() => {
  const P = SymgdPlot;
  const INK = "#1d2430", CURVE = "#1d3f8f", LEVEL = "#343a40";
  const RING = { maximum: "#b3261e", minimum: "#1b7f3b" };
  const WASH = "rgba(246, 248, 250, 0.8)", HATCH = "rgba(93, 104, 120, 0.4)";

  // An offscreen layer the size of the canvas, in CSS pixels through its transform.
  function layerFor(fr) {
    const c = fr.canvas, layer = document.createElement("canvas");
    layer.width = c.width; layer.height = c.height;
    const ctx = layer.getContext("2d");
    ctx.setTransform(c.dpr, 0, 0, c.dpr, 0, 0);
    return { layer, ctx };
  }

  // Fill what the layer already covers (its alpha) with the wash and diagonal hatching.
  function washCovered(fr, ctx) {
    const m = fr.margin;
    ctx.globalCompositeOperation = "source-in";
    ctx.fillStyle = WASH;
    ctx.fillRect(m.left, m.top, fr.pw, fr.ph);
    ctx.globalCompositeOperation = "source-atop";
    ctx.strokeStyle = HATCH; ctx.lineWidth = 1;
    ctx.beginPath();
    for (let d = -fr.ph; d < fr.pw; d += 9) {
      ctx.moveTo(m.left + d, m.top + fr.ph); ctx.lineTo(m.left + d + fr.ph, m.top);
    }
    ctx.stroke();
    ctx.globalCompositeOperation = "source-over";
  }

  function paste(fr, layer) {
    const ctx = fr.canvas.getContext("2d");
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
  }

  // Two variables: the cells where some inequality fails, washed out and hatched.
  function wash(fr, sketch) {
    if (!sketch.mask.some((row) => row.includes("0"))) return false;
    const nx = sketch.x.length, ny = sketch.y.length;
    const image = document.createElement("canvas");
    image.width = nx; image.height = ny;
    const ictx = image.getContext("2d"), data = ictx.createImageData(nx, ny);
    for (let j = 0; j < ny; j++) {
      const row = sketch.mask[j];
      for (let i = 0; i < nx; i++) {
        if (row[i] === "0") data.data[((ny - 1 - j) * nx + i) * 4 + 3] = 255;  // row 0 is y min
      }
    }
    ictx.putImageData(data, 0, 0);
    const { layer, ctx } = layerFor(fr);
    const [x0, x1] = [sketch.x[0], sketch.x[nx - 1]], [y0, y1] = [sketch.y[0], sketch.y[ny - 1]];
    const dx = (x1 - x0) / (nx - 1) / 2, dy = (y1 - y0) / (ny - 1) / 2;
    ctx.save();
    ctx.beginPath(); ctx.rect(fr.margin.left, fr.margin.top, fr.pw, fr.ph); ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image, fr.px(x0 - dx), fr.py(y1 + dy), fr.px(x1 + dx) - fr.px(x0 - dx), fr.py(y0 - dy) - fr.py(y1 + dy));
    washCovered(fr, ctx);
    ctx.restore();
    paste(fr, layer);
    return true;
  }

  function label(ctx, text, X, Y, color) {
    ctx.save();
    ctx.font = "600 12px system-ui, sans-serif"; ctx.textAlign = "left";
    ctx.lineWidth = 3.5; ctx.strokeStyle = "rgba(255,255,255,0.92)"; ctx.fillStyle = color;
    ctx.strokeText(text, X, Y); ctx.fillText(text, X, Y);
    ctx.restore();
  }

  // A point of the polylines well inside the view, for a label: along the longest visible
  // run of points, the first of a few spots (30 %, 70 %, the middle, ...) at least 45 px from
  // every candidate (whose arrows and rings are drawn there), else the farthest of them.
  function labelPoint(fr, lines, avoid = []) {
    let best = null;
    for (const line of lines) {
      const inside = line.filter(([x, y]) => fr.inside(fr.px(x), fr.py(y)) &&
        fr.px(x) < fr.margin.left + fr.pw - 40 && fr.py(y) > fr.margin.top + 16);
      if (inside.length && (!best || inside.length > best.length)) best = inside;
    }
    if (!best) return null;
    const room = ([x, y]) => Math.min(Infinity, ...avoid.map(([ax, ay]) => Math.hypot(fr.px(x) - fr.px(ax), fr.py(y) - fr.py(ay))));
    let chosen = null;
    for (const t of [0.3, 0.7, 0.5, 0.15, 0.85, 0.4, 0.6]) {
      const at = best[Math.floor((best.length - 1) * t)], r = room(at);
      if (r >= 45) return at;
      if (!chosen || r > chosen.r) chosen = { at, r };
    }
    return chosen.at;
  }

  // The constraint curves g = 0: an equation's curve is the feasible set (navy, thick); an
  // inequality's is the boundary of the region (ink). The parts outside the feasible set
  // (a box's sides beyond its corners) are thin and dashed. Each is numbered like the list.
  // Returns the boxes of the numbers it wrote ({X, Y, w}: text from X, baseline Y), so
  // that the rings' labels can keep clear of them.
  function curves(fr, sketch, numbered, avoid = []) {
    const ctx = fr.canvas.getContext("2d");
    const labels = [];
    for (const c of sketch.curves) {
      const color = c.equation ? CURVE : INK;
      for (const line of c.outside || []) {
        P.polyline(fr, line, c.equation ? "rgba(29, 63, 143, 0.55)" : "rgba(29, 36, 48, 0.5)", { width: 1.2, dash: [5, 4], dots: false });
      }
      for (const line of c.lines) {
        P.polyline(fr, line, color, { width: c.equation ? 2.8 : 2.2, dots: false, halo: true });
      }
      const at = numbered ? labelPoint(fr, c.lines.length ? c.lines : c.outside || [], avoid) : null;
      if (at) labels.push({ text: `(${c.number})`, X: fr.px(at[0]) + 6, Y: fr.py(at[1]) - 6, color });
    }
    ctx.save(); ctx.font = "600 12px system-ui, sans-serif";
    for (const l of labels) l.w = ctx.measureText(l.text).width;
    ctx.restore();
    for (const l of labels) label(ctx, l.text, l.X, l.Y, l.color);
    return labels.map(({ X, Y, w }) => textBox(X, Y, w));
  }

  // The box of a label written from X on baseline Y, w wide (12px text); do two boxes meet?
  const textBox = (X, Y, w) => ({ x0: X, y0: Y - 12, x1: X + w, y1: Y + 4 });
  const meets = (a, b) => !(a.x1 + 2 < b.x0 || b.x1 + 2 < a.x0 || a.y1 + 2 < b.y0 || b.y1 + 2 < a.y0);
  // The candidates' markers (and rings) on the screen, for labels to keep off.
  const markerBoxes = (fr, points) => points.filter((p) => p.approx.length === 2).map((p) => {
    const X = fr.px(p.approx[0]), Y = fr.py(p.approx[1]);
    return { x0: X - 9, y0: Y - 9, x1: X + 9, y1: Y + 9 };  // the marker, not the ring's corners
  });

  function levels(fr, sketch) {
    for (const level of sketch.levels || []) {
      for (const line of level.lines) P.polyline(fr, line, LEVEL, { width: 1.5, dash: [6, 4], dots: false });
    }
  }

  // ∇f and ∇g at the Lagrange points, drawn at fixed lengths on the screen (the map's axes
  // have equal scales, so the angle between them is true): ∇f in ink, longer; ∇g in the
  // constraint's navy, shorter and dashed, so that both show when they point the same way.
  // Their names sit on opposite sides of the arrows.
  // A name that would cover another label or a marker is left out (crowded views: the list
  // says it all). Returns the boxes of the names it wrote, like curves().
  function arrows(fr, points, taken = []) {
    const unit = fr.pw / (fr.view.x[1] - fr.view.x[0]);  // pixels per unit
    const ctx = fr.canvas.getContext("2d"), boxes = [], obstacles = [...taken, ...markerBoxes(fr, points)];
    for (const p of points) {
      if (!p.lagrange || !p.arrows || !fr.inside(fr.px(p.approx[0]), fr.py(p.approx[1]))) continue;
      // 40 px, or less than half the way to the nearest other candidate (a zoomed-out view);
      // none when that leaves less than 12 px
      const X0 = fr.px(p.approx[0]), Y0 = fr.py(p.approx[1]);
      const room = Math.min(Infinity, ...points.filter((q) => q !== p && q.approx.length === 2)
        .map((q) => Math.hypot(fr.px(q.approx[0]) - X0, fr.py(q.approx[1]) - Y0)));
      const length = Math.min(40, 0.45 * room);
      if (length < 12) continue;
      const shown = [["\u2207f", p.arrows.grad_f, length, [], INK, 1]];
      for (const g of p.arrows.grad_g) {
        shown.push([p.arrows.grad_g.length > 1 ? `\u2207g${g.number}` : "\u2207g", g.vector, length * 0.675, [4, 3], CURVE, -1]);
      }
      for (const [name, v, length, dash, color, side] of shown) {
        const norm = Math.hypot(v[0], v[1]);
        if (!(norm > 0)) continue;
        const ux = v[0] / norm, uy = v[1] / norm;
        const dx = (ux * length) / unit, dy = (uy * length) / unit;
        if (!P.arrow(fr, p.approx[0], p.approx[1], dx, dy, color, { width: 1.8, dash })) continue;
        // screen direction (y down) and its normal, for the name beside the head
        const sx = ux, sy = -uy, nx = -sy * side, ny = sx * side;
        const X = fr.px(p.approx[0]) + sx * (length - 6) + nx * 13, Y = fr.py(p.approx[1]) + sy * (length - 6) + ny * 13;
        ctx.save(); ctx.font = "600 12px system-ui, sans-serif";
        const w = ctx.measureText(name).width;
        ctx.restore();
        const box = textBox(X - w / 2, Y + 4, w);
        const inPlot = box.x0 >= fr.margin.left && box.x1 <= fr.margin.left + fr.pw && box.y0 >= fr.margin.top && box.y1 <= fr.margin.top + fr.ph;
        if (!inPlot || obstacles.some((b) => meets(box, b))) continue;
        label(ctx, name, X - w / 2, Y + 4, color);
        boxes.push(box); obstacles.push(box);
      }
    }
    return boxes;
  }

  // Exact values as a reader writes them: sqrt(2)/2 as √2/2, sqrt(x + 1) as √(x + 1).
  const nice = (text) => text.replace(/sqrt\(([^()]+)\)/g, (m, a) => (/^[\w.]+$/.test(a) ? "\u221a" + a : `\u221a(${a})`));

  // Where a ring's label goes: of eight directions around the ring, the one farthest (in
  // angle) from what is drawn there (the arrows, the constraint and level curves leaving the
  // point), whose label stays inside the plot; right, then left, above and below are
  // preferred on a tie. None (null) when every spot covers another label or a marker.
  const DIRECTIONS = [[1, 0], [-1, 0], [0, -1], [0, 1], [0.71, -0.71], [-0.71, -0.71], [0.71, 0.71], [-0.71, 0.71]];
  function labelSpot(fr, X, Y, w, arrowsAt, taken) {
    // the label's near edge or corner just outside the ring (radius 12)
    const spot = ([sx, sy]) => ({
      X: sx === 0 ? X - w / 2 : sy === 0 ? (sx > 0 ? X + 17 : X - 17 - w) : (sx > 0 ? X + 12 : X - 12 - w),
      Y: sx === 0 ? (sy < 0 ? Y - 18 : Y + 28) : sy === 0 ? Y + 4 : (sy < 0 ? Y - 12 : Y + 22),
    });
    const fits = ({ X: lx, Y: ly }) => lx >= fr.margin.left + 2 && lx + w <= fr.margin.left + fr.pw - 2 &&
      ly - 10 >= fr.margin.top && ly + 3 <= fr.margin.top + fr.ph;
    let best = null;
    for (const d of DIRECTIONS) {
      const at = spot(d);
      // screen directions of the arrows (y down); the angle between unit vectors
      const apart = arrowsAt.length ? Math.min(...arrowsAt.map(([ux, uy]) => Math.acos(Math.max(-1, Math.min(1, (d[0] * ux + d[1] * uy) / Math.hypot(d[0], d[1])))))) : Math.PI;
      if (!fits(at) || taken.some((b) => meets(textBox(at.X, at.Y, w), b))) continue;
      if (!best || apart > best.apart + 1e-9) best = { apart, at };
    }
    return best ? best.at : null;
  }

  // Screen directions (unit, y down) from (X, Y) to the points of the constraint curves and
  // the level curves that lie 14-40 px away: the lines a label there would sit on.
  function linesLeaving(fr, sketch, X, Y) {
    const out = [];
    if (!sketch || !sketch.curves) return out;
    const lines = [...sketch.curves.flatMap((c) => [...c.lines, ...(c.outside || [])]),
      ...(sketch.levels || []).flatMap((l) => l.lines)];
    for (const line of lines) {
      for (const [x, y] of line) {
        const dx = fr.px(x) - X, dy = fr.py(y) - Y, r = Math.hypot(dx, dy);
        if (r >= 14 && r <= 40) out.push([dx / r, dy / r]);
      }
    }
    return out;
  }

  // Rings around the absolute maximum and minimum, with their value.
  // ``taken``: boxes of labels already written (the curves' numbers), kept clear of.
  function absolute(fr, analysis, one, taken = []) {
    const ctx = fr.canvas.getContext("2d"), boxes = one ? [] : [...taken, ...markerBoxes(fr, analysis.points)];
    for (const [word, extremum] of [["maximum", analysis.absolute_max], ["minimum", analysis.absolute_min]]) {
      if (!extremum) continue;
      for (const q of extremum.points) {
        if (q.some((c) => c === null)) continue;
        const y = one ? extremum.value : q[1];
        if (y === null || y === undefined) continue;
        const X = fr.px(q[0]), Y = fr.py(y);
        if (!fr.inside(X, Y)) continue;
        ctx.save();
        ctx.lineWidth = 4.5; ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.beginPath(); ctx.arc(X, Y, 12, 0, 2 * Math.PI); ctx.stroke();
        ctx.lineWidth = 2.5; ctx.strokeStyle = RING[word];
        ctx.beginPath(); ctx.arc(X, Y, 12, 0, 2 * Math.PI); ctx.stroke();
        ctx.restore();
        const value = nice(extremum.value_text);
        const text = `abs ${word.slice(0, 3)} ${value.length <= 10 ? value : P.fmt(extremum.value)}`;
        ctx.save(); ctx.font = "600 12px system-ui, sans-serif";
        const w = ctx.measureText(text).width;
        ctx.restore();
        // Away from the ∇f and ∇g arrows when the point has them (one variable: none).
        const p = one ? null : analysis.points.find((c) => c.arrows && Math.hypot(c.approx[0] - q[0], c.approx[1] - q[1]) < 1e-12);
        const arrowsAt = one ? [] : linesLeaving(fr, analysis.sketch, X, Y);
        if (p) {
          for (const v of [p.arrows.grad_f, ...p.arrows.grad_g.map((g) => g.vector)]) {
            const n = Math.hypot(v[0], v[1]);
            if (n > 0) arrowsAt.push([v[0] / n, -v[1] / n]);
          }
        }
        const right = X + 14 + w <= fr.margin.left + fr.pw;  // one variable: right of the ring if it fits
        const at = one ? { X: right ? X + 14 : X - 14 - w, Y: Y + (word === "maximum" ? -12 : 22) } : labelSpot(fr, X, Y, w, arrowsAt, boxes);
        if (!at) continue;
        boxes.push(textBox(at.X, at.Y, w));
        label(ctx, text, at.X, at.Y, RING[word]);
      }
    }
  }

  // One variable: the x ranges where an inequality fails, washed and hatched, full height;
  // the ends of the intervals (or an equation's solutions) as vertical lines.
  function interval(fr, sketch) {
    const { layer, ctx } = layerFor(fr);
    const xs = sketch.x, mask = sketch.mask;
    let any = false;
    ctx.save();
    ctx.beginPath(); ctx.rect(fr.margin.left, fr.margin.top, fr.pw, fr.ph); ctx.clip();
    ctx.fillStyle = "#000";
    for (let i = 0; i < xs.length; i++) {
      if (mask[i] !== "0") continue;
      const a = i > 0 ? (xs[i - 1] + xs[i]) / 2 : xs[i], b = i + 1 < xs.length ? (xs[i] + xs[i + 1]) / 2 : xs[i];
      ctx.fillRect(fr.px(a), fr.margin.top, fr.px(b) - fr.px(a) + 0.5, fr.ph);
      any = true;
    }
    if (any) washCovered(fr, ctx);
    ctx.restore();
    if (any) paste(fr, layer);
    const draw = fr.canvas.getContext("2d");
    for (const c of sketch.points) {
      for (const x of c.x) {
        const X = fr.px(x);
        if (X < fr.margin.left || X > fr.margin.left + fr.pw) continue;
        draw.save();
        draw.strokeStyle = c.equation ? CURVE : INK; draw.lineWidth = c.equation ? 2.5 : 1.8;
        if (!c.equation) draw.setLineDash([6, 4]);
        draw.beginPath(); draw.moveTo(X, fr.margin.top); draw.lineTo(X, fr.margin.top + fr.ph); draw.stroke();
        draw.restore();
        label(draw, `(${c.number})`, X + 4, fr.margin.top + 14, c.equation ? CURVE : INK);
      }
    }
  }

  // The legend's words for what is drawn.
  function legend(analysis) {
    const items = [];
    const sketch = analysis.sketch || {};
    const mask = sketch.mask || [];  // rows of a 2-D grid, or one string along the x axis
    if (typeof mask === "string" ? mask.includes("0") : mask.some((row) => row.includes("0"))) items.push("hatched: not feasible");
    if ((analysis.constraints || []).some((c) => c.equation)) items.push("navy: the constraint curve");
    if ((sketch.levels || []).length) items.push("dashed: level curves of f through the Lagrange points, where \u2207f \u2225 \u2207g");
    if (analysis.absolute_max || analysis.absolute_min) items.push("rings: the absolute maximum (red) and minimum (green)");
    return items;
  }

  return { wash, curves, levels, arrows, absolute, interval, legend, nice };
})();
