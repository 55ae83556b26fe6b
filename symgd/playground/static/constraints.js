// symgd playground: the "subject to" rows under f, their inline errors, the note naming the
// descent method the constraints call for, and the list of exact candidates (interior
// critical points, Lagrange / KKT points, corners) with the absolute maximum and minimum.
// The server reads and checks every row (symgd.playground.subject_to); nothing is parsed here.
"use strict";

const SymgdConstraints = (() => {
  const $ = (id) => document.getElementById(id);
  const P = SymgdPlot;
  let changed = () => {};
  let timer = null;

  const inputs = () => [...document.querySelectorAll("#constraints input.constraint")];
  // The rows as typed, blank ones left out: what the server is sent and the link holds.
  const filled = () => inputs().map((i) => i.value.trim()).filter((t) => t.length);
  const key = (rows) => JSON.stringify(rows);

  function addRow(text = "", focus = false) {
    const row = document.createElement("div"), input = document.createElement("input");
    const remove = document.createElement("button"), error = document.createElement("div");
    row.className = "constraint-row";
    input.type = "text"; input.className = "constraint"; input.value = text;
    input.spellcheck = false; input.autocomplete = "off";
    input.placeholder = inputs().length ? "e.g. 0 <= x <= 3" : "e.g. x^2 + y^2 = 1 (optional)";
    input.setAttribute("aria-label", "constraint");
    remove.type = "button"; remove.className = "remove"; remove.textContent = "\u00d7";
    remove.title = "remove this constraint";
    error.className = "error constraint-error"; error.setAttribute("role", "alert");
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => changed(), 450); });
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") { clearTimeout(timer); changed(); } });
    remove.addEventListener("click", () => {
      if (inputs().length > 1) row.remove(); else input.value = "";
      clearTimeout(timer); changed();
    });
    row.append(input, remove, error);
    $("constraints").append(row);
    if (focus) input.focus();
    return input;
  }

  function setRows(rows) {
    $("constraints").textContent = "";
    (rows.length ? rows : [""]).forEach((r) => addRow(r));
  }

  // Cancel a pending "the rows changed" (a preset or a link sets them itself).
  function settle() { clearTimeout(timer); }

  // An error from the server: under the row it names (``constraint`` counts the rows that
  // were sent, the non-blank ones), with a caret under ``position``; null clears them all.
  function showError(err) {
    const rows = [...document.querySelectorAll("#constraints .constraint-row")];
    for (const row of rows) {
      row.querySelector("input").classList.remove("invalid");
      row.querySelector(".constraint-error").textContent = "";
    }
    if (!err || err.constraint === undefined || err.constraint === null) return false;
    const used = rows.filter((r) => r.querySelector("input").value.trim().length);
    const row = used[err.constraint];
    if (!row) return false;
    const input = row.querySelector("input"), box = row.querySelector(".constraint-error");
    input.classList.add("invalid");
    box.append(err.message);
    if (err.position !== undefined && err.position !== null) {
      const text = input.value.trim(), code = document.createElement("code");
      code.textContent = text + "\n" + " ".repeat(Math.min(err.position, text.length)) + "^";
      box.append(code);
    }
    return true;
  }

  function showMethod(answer) {
    $("method-note").textContent = answer && answer.method ? "descent: " + answer.method.text : "";
  }

  // The candidates list: the absolute extrema first (or why there is none), then every
  // candidate with its kind, where it lies, its multipliers and f there.
  function listCandidates(answer, shown) {
    const list = $("points"), nice = SymgdRegion.nice;
    list.textContent = "";
    list.classList.add("constrained");
    const line = (cls, color, text, ring = false) => {
      const li = document.createElement("li"), sw = document.createElement("span");
      sw.className = "swatch" + (ring ? " ring" : "");
      if (ring) sw.style.borderColor = color; else sw.style.background = color;
      li.className = cls; li.append(sw, text); list.append(li);
      return li;
    };
    // "λ1 = -√2/2" kept on one line (a break after its minus sign would hide the sign).
    const unbroken = (text) => {
      const span = document.createElement("span");
      span.className = "unbroken"; span.textContent = text;
      return span;
    };
    for (const [word, extremum, reason, color] of [
      ["maximum", answer.absolute_max, answer.max_reason, "#b3261e"],
      ["minimum", answer.absolute_min, answer.min_reason, "#1b7f3b"]]) {
      if (extremum) {
        const where = places(answer, extremum);
        const value = extremum.value_text.length <= 16 ? nice(extremum.value_text) : "\u2248 " + P.fmt(extremum.value);
        const li = line("absolute", color, `absolute ${word} ${value} at ${where}`, true);
        li.dataset.absolute = word; li.title = extremum.why;
      } else {
        const li = line("absolute none", "#8a94a3", `no absolute ${word}: ${reason.replace(/^none: /, "")}`, true);
        li.dataset.absolute = word;
      }
    }
    for (const p of answer.points) {
      const style = P.KIND_STYLE[p.kind] || P.OTHER_KIND;
      const value = p.value_text.length <= 12 ? nice(p.value_text) : P.fmt(p.value);
      const li = line("candidate", style.color, `${p.kind} at (${nice(shown(p))})${p.exact ? "" : ", numeric"}`);
      const detail = document.createElement("span");
      detail.className = "detail";
      detail.append(` \u2014 ${p.where}`);
      for (const [k, v] of Object.entries(p.multipliers)) detail.append(", ", unbroken(`${k} = ${nice(v)}`));
      detail.append(", ", unbroken(`f = ${value}`));
      li.append(detail);
      li.dataset.kind = p.kind;
    }
    for (const fam of answer.families) {
      if (fam.samples && fam === answer.families.find((f) => f.text === fam.text)) {
        line("candidate", (P.KIND_STYLE[fam.kind] || P.OTHER_KIND).color, `${fam.kind}: the curve ${nice(fam.text)} \u2014 ${fam.where}, f = ${nice(fam.value_text)}`);
      }
    }
    if (!answer.points.length && !answer.families.length) line("note", "#8a94a3", answer.timed_out ? "not known" : "no candidates");
    for (const note of answer.notes) {
      const li = document.createElement("li");
      li.className = "note"; li.textContent = note; list.append(li);
    }
    if (!answer.complete && !answer.timed_out) {
      const li = document.createElement("li");
      li.className = "note"; li.textContent = "the list is not proven complete"; list.append(li);
    }
  }

  // Where an absolute extremum is attained: "(0, -1), (0, 1)", or with one variable
  // "x = 1 and x = -2" (bare numbers joined by commas would read as a point).
  function places(answer, extremum) {
    const nice = SymgdRegion.nice, name = answer.variables[0];
    const points = answer.variables.length === 1
      ? extremum.texts.map((t) => `${name} = ${nice(t)}`).join(" and ") : extremum.texts.map(nice).join(", ");
    if (!extremum.families.length) return points;
    return points + (points ? ", and on " : "on ") + extremum.families.map(nice).join(", ");
  }

  function setup(onChange) {
    changed = onChange;
    $("add-constraint").addEventListener("click", () => addRow("", true));
    if (!inputs().length) setRows([]);
  }

  return { setup, filled, key, setRows, settle, showError, showMethod, listCandidates, places };
})();
