// symgd playground: the whole state in the query string, so that a link restores it.
//   ?mode=function|data&f=...&subject_to=...&subject_to=...&x0=...&lr=...&method=...&methods=gd,adam
//   &points=x1,y1;x2,y2;...&batch=full|mini|sgd&batch_size=...
// plus each method's own settings (beta, beta1, beta2, rho for the chosen method; lr_adam,
// beta_momentum, ... for the others when they differ from the defaults) and ascent=1, view=3d.
"use strict";

const SymgdShare = (() => {
  const BATCH_NAMES = { full: "full", mini: "minibatch", minibatch: "minibatch", sgd: "sgd" };
  const num = (text) => (text !== null && text.trim() !== "" && isFinite(Number(text)) ? Number(text) : null);

  function encode(state) {
    const q = new URLSearchParams();
    q.set("mode", state.mode);
    if (state.mode === "data") {
      q.set("lr", String(state.dataLr));
      q.set("batch", state.batch === "minibatch" ? "mini" : state.batch);
      if (state.batch === "minibatch") q.set("batch_size", String(state.batchSize));
      if (state.points.length) q.set("points", state.points.map((p) => p.join(",")).join(";"));
      return q.toString();
    }
    q.set("f", state.expr);
    for (const row of state.subjectTo || []) q.append("subject_to", row);
    q.set("x0", state.x0.replace(/\s+/g, ""));
    q.set("method", state.method);
    const own = state.params[state.method];
    q.set("lr", String(own.lr));
    for (const [key, value] of Object.entries(own)) if (key !== "lr") q.set(key, String(value));
    if (state.methods.length > 1) q.set("methods", state.methods.join(","));
    for (const [method, values] of Object.entries(state.params)) {
      if (method === state.method) continue;
      for (const [key, value] of Object.entries(values)) {
        if (value !== state.defaults[method][key]) q.set(`${key}_${method}`, String(value));
      }
    }
    if (state.ascent) q.set("ascent", "1");
    if (state.view3d) q.set("view", "3d");
    return q.toString();
  }

  // Read what the link says; unknown or malformed values are left out (and listed).
  function decode(search, defaults) {
    const q = new URLSearchParams(search), out = { params: {}, ignored: [] };
    if (!q.toString()) return null;
    out.mode = q.get("mode") === "data" ? "data" : "function";
    if (q.has("f")) out.expr = q.get("f");
    // subject_to repeats (one constraint each) or holds several separated by ";"
    if (q.has("subject_to")) {
      out.subjectTo = q.getAll("subject_to").flatMap((v) => v.split(";")).map((v) => v.trim()).filter((v) => v.length);
    }
    if (q.has("x0")) out.x0 = q.get("x0").split(",").join(", ");
    const methods = Object.keys(defaults);
    if (q.has("method")) {
      if (methods.includes(q.get("method"))) out.method = q.get("method"); else out.ignored.push("method");
    }
    if (q.has("methods")) {
      const list = q.get("methods").split(",").filter((m) => methods.includes(m));
      if (list.length) out.methods = list; else out.ignored.push("methods");
    }
    const chosen = out.method || "gd";
    for (const [key, value] of out.mode === "function" ? q.entries() : []) {
      const [name, method] = key.includes("_") && !key.startsWith("batch") ? key.split("_") : [key, chosen];
      if (!methods.includes(method) || !(name in defaults[method])) continue;
      const v = num(value);
      if (v === null || v <= 0 || (name !== "lr" && v >= 1)) { out.ignored.push(key); continue; }
      out.params[method] = { ...(out.params[method] || {}), [name]: v };
    }
    if (out.mode === "data") {
      const lr = num(q.get("lr"));
      if (lr !== null && lr > 0) out.dataLr = lr;
      if (q.has("batch")) out.batch = BATCH_NAMES[q.get("batch")] || "full";
      const size = num(q.get("batch_size"));
      if (size !== null && size >= 1) out.batchSize = Math.round(size);
      if (q.has("points")) {
        out.points = q.get("points").split(";").map((p) => p.split(",").map(num))
          .filter((p) => p.length === 2 && p.every((v) => v !== null));
      }
    }
    out.ascent = q.get("ascent") === "1";
    out.view3d = q.get("view") === "3d";
    return out;
  }

  return { encode, decode };
})();
