// symgd playground: the rotatable 3-D surface z = f(x, y), drawn on a 2-D canvas.
// An orthographic camera turns about the vertical axis (azimuth) and tilts (elevation); the
// grid's cells are filled from the farthest to the nearest (the painter's algorithm, Foley et
// al., "Computer Graphics", §15.5), each shaded by the angle of its normal to the light.
"use strict";

const SymgdSurface = (() => {
  const P = SymgdPlot;
  const MAX_LINES = 48;  // cells per side: enough to read the shape, cheap to redraw on drag

  // Heights are clipped to the 2 %..98 % quantiles of f over the view, so that Rosenbrock's
  // walls do not flatten its valley into a plane.
  function heightScale(values) {
    const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
    if (!sorted.length) return () => 0;
    const lo = sorted[Math.floor(0.02 * (sorted.length - 1))], hi = sorted[Math.floor(0.98 * (sorted.length - 1))];
    const span = hi > lo ? hi - lo : 1;
    return (z) => Math.max(-0.04, Math.min(1.04, (z - lo) / span));
  }

  function camera(canvas, az, el) {
    const w = canvas.cssWidth, h = canvas.cssHeight, scale = Math.min(w * 0.27, h * 0.33);
    const ca = Math.cos(az), sa = Math.sin(az), ce = Math.cos(el), se = Math.sin(el);
    return (u, v, z) => {
      const xr = u * ca - v * sa, yr = u * sa + v * ca, zc = 1.3 * (z - 0.5);
      return [w / 2 + scale * xr, h / 2 - scale * (yr * se + zc * ce), -yr * ce + zc * se];
    };
  }

  function draw(canvas, grid, { az, el, runs = [], points = [], names = ["x", "y"] }) {
    const ctx = P.clear(canvas);
    const n = grid.n, step = Math.max(1, Math.ceil((n - 1) / MAX_LINES));
    const idx = [];
    for (let i = 0; i < n; i += step) idx.push(i);
    if (idx[idx.length - 1] !== n - 1) idx.push(n - 1);
    const [x0, x1] = grid.view.x, [y0, y1] = grid.view.y;
    const U = (x) => (2 * (x - x0)) / (x1 - x0) - 1, V = (y) => (2 * (y - y0)) / (y1 - y0) - 1;
    const height = heightScale(grid.values), rank = P.quantileScale(grid.values).rank;
    const cam = camera(canvas, az, el);
    const cells = [];
    for (let a = 0; a + 1 < idx.length; a++) {
      for (let b = 0; b + 1 < idx.length; b++) {
        const corners = [[idx[a], idx[b]], [idx[a], idx[b + 1]], [idx[a + 1], idx[b + 1]], [idx[a + 1], idx[b]]];
        const zs = corners.map(([i, j]) => grid.values[i * n + j]);
        if (zs.some((z) => z === null)) continue;
        const world = corners.map(([i, j], k) => [U(grid.x[j]), V(grid.y[i]), height(zs[k])]);
        const screen = world.map(([u, v, z]) => cam(u, v, z));
        // The normal of the cell (from its diagonals) against a light above and to the left.
        const d1 = world[2].map((c, k) => c - world[0][k]), d2 = world[3].map((c, k) => c - world[1][k]);
        const nx = d1[1] * d2[2] - d1[2] * d2[1], ny = d1[2] * d2[0] - d1[0] * d2[2], nz = d1[0] * d2[1] - d1[1] * d2[0];
        const light = Math.abs(-0.4 * nx + 0.3 * ny + 0.87 * nz) / (Math.hypot(nx, ny, nz) || 1);
        const depth = screen.reduce((s, p) => s + p[2], 0) / 4;
        cells.push({ screen, depth, tone: rank(zs.reduce((s, z) => s + z, 0) / 4), light });
      }
    }
    cells.sort((p, q) => p.depth - q.depth);
    ctx.lineWidth = 0.6;
    for (const cell of cells) {
      const c = P.colour(cell.tone).map((v) => Math.round(v * (0.62 + 0.38 * cell.light)));
      ctx.fillStyle = ctx.strokeStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
      ctx.beginPath();
      cell.screen.forEach(([X, Y], k) => (k ? ctx.lineTo(X, Y) : ctx.moveTo(X, Y)));
      ctx.closePath(); ctx.fill(); ctx.stroke();
    }
    // The floor's edges, labelled, so the orientation can be read.
    ctx.strokeStyle = "#8a94a3"; ctx.fillStyle = "#3b4452"; ctx.lineWidth = 1;
    ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = "center";
    const base = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([u, v]) => cam(u, v, -0.06));
    ctx.beginPath(); base.forEach(([X, Y], k) => (k ? ctx.lineTo(X, Y) : ctx.moveTo(X, Y))); ctx.closePath(); ctx.stroke();
    const label = (u, v, text) => { const [X, Y] = cam(u, v, -0.16); ctx.fillText(text, X, Y + 4); };
    label(0, -1.12, `${names[0]}: ${P.fmt(x0)} \u2026 ${P.fmt(x1)}`);
    label(-1.12, 0, `${names[1]}: ${P.fmt(y0)} \u2026 ${P.fmt(y1)}`);
    const lift = (x, y, f) => cam(U(x), V(y), f === null ? 1.04 : height(f));
    for (const p of points) {
      if (p.x < x0 || p.x > x1 || p.y < y0 || p.y > y1 || p.f === null) continue;
      const [X, Y] = lift(p.x, p.y, p.f);
      P.markerAt(ctx, X, Y, p.kind, 6);
    }
    for (const run of runs) {
      const pts = run.points.filter(([x, y]) => x >= x0 && x <= x1 && y >= y0 && y <= y1);
      if (!pts.length) continue;
      const screen = pts.map(([x, y, f]) => lift(x, y, f));
      for (const [stroke, width] of [["rgba(255,255,255,0.9)", 4.5], [run.color, 2.2]]) {
        ctx.strokeStyle = stroke; ctx.lineWidth = width; ctx.lineJoin = "round";
        ctx.beginPath(); screen.forEach(([X, Y], k) => (k ? ctx.lineTo(X, Y) : ctx.moveTo(X, Y))); ctx.stroke();
      }
      const [X, Y] = screen[screen.length - 1];
      ctx.fillStyle = run.color; ctx.strokeStyle = "#fff"; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.arc(X, Y, 6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    }
    ctx.fillStyle = "#5d6878"; ctx.textAlign = "left";
    ctx.fillText("drag to turn the surface", 10, canvas.cssHeight - 10);
    return cells.length;
  }

  return { draw };
})();
