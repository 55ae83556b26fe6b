"""Words and tables for the descent comparison (what descent did, beside the exact answer)."""

from __future__ import annotations

import numpy as np

from .kinds import DEGENERATE, LOCAL_MAX, LOCAL_MIN, SADDLE, CriticalSet
from .render import approx_text

__all__ = ["comparison_text", "findings"]

_STALL_TOL = 1e-3


def findings(runs, cps: CriticalSet, compiled, *, monotone: bool = False) -> tuple[str, ...]:
    """Plain sentences: unbounded below, stalls at saddles or degenerate points.

    Args:
        runs: the comparison's runs; cps: the critical points; compiled: f compiled.
        monotone: the runs used a line search, so f fell at every step and any divergence
            means f is unbounded below.

    Example:
        >>> findings([], CriticalSet((), True), None)
        ()
    """
    out = []
    down = [r for r in runs if not r.ascent]
    diverged = [r for r in down if r.status == "diverged"]
    if diverged:
        falling = [r for r in diverged if monotone or _fell(r, compiled)]
        if falling:
            out.append(f"{len(falling)} of {len(down)} descent runs diverged with f falling "
                       "without bound: f is unbounded below, so it has no global minimum.")
        if len(falling) < len(diverged):
            out.append(f"{len(diverged) - len(falling)} descent runs diverged because the step "
                       "was too large (see their messages for the stability bound).")
    landed: dict[tuple[str, int], list] = {}  # (what happened, point number) -> runs
    for r in runs:
        if r.nearest is None or r.distance is None or r.distance > _STALL_TOL:
            continue
        what = _landing(r, cps[r.nearest])
        if what:
            landed.setdefault((what, r.nearest + 1), []).append(r)
    for (what, number), group in landed.items():
        who = (f"a run from {approx_text(group[0].start)}" if len(group) == 1
               else f"{len(group)} runs")
        out.append(_LANDINGS[what].format(who=who, n=number, kind=cps[number - 1].kind))
    return tuple(dict.fromkeys(out))  # drop repeats, keep order


_LANDINGS = {
    "family": "{who} stopped on the family #{n}: the gradient vanishes all along it, so where "
              "descent stops depends on the start.",
    "saddle": "{who} stalled at the saddle point #{n}: descent stops wherever the gradient "
              "vanishes.",
    "degenerate": "{who} reached the degenerate {kind} #{n}; the singular Hessian makes "
                  "convergence there slow (sublinear).",
}


def _landing(r, p) -> str | None:
    """Which of the _LANDINGS a run that ended at the critical point ``p`` is, if any."""
    if set(p.parameters) - set(p.integer_parameters):
        return "family"  # a lattice (integer parameters only) is isolated points: read on
    if not r.ascent and p.kind == SADDLE:
        return "saddle"
    if p.hessian_test == DEGENERATE and p.kind in (LOCAL_MIN, LOCAL_MAX):
        return "degenerate"
    return None


def _fell(run, compiled) -> bool:
    """Did f go down a long way (unbounded below) rather than blow up (lr too large)?"""
    if "without bound" in run.message or "unbounded" in run.message:
        return True
    if compiled is None or not np.all(np.isfinite(run.end)):
        return False
    with np.errstate(all="ignore"):
        start = float(compiled.fun(np.array(run.start)))
        value = float(compiled.fun(np.array(run.end)))
    return value < start - 1e6 * (1 + abs(start))


def comparison_text(c) -> str:
    """A compact table of the runs, then the findings.

    Example:
        >>> from symgd.compare import DescentComparison
        >>> comparison_text(DescentComparison("gd", None, (), ())).splitlines()[0]
        'descent (gd, Armijo line search): 0 runs (↓ descent, ↑ ascent)'
    """
    rate = "Armijo line search" if c.lr is None else f"lr={c.lr:g}"
    lines = [f"descent ({c.method}, {rate}): {len(c.runs)} runs (↓ descent, ↑ ascent)"]
    rows = []
    for r in c.runs:
        end = "—" if r.status == "diverged" else approx_text(r.end, 3)
        near = "—" if r.nearest is None else f"#{r.nearest + 1} at {r.distance:.1e}"
        rows.append(("↑" if r.ascent else "↓", approx_text(r.start, 3), end, r.status,
                     str(r.nit), near))
    if rows:
        head = ("", "start", "end", "status", "nit", "nearest exact point")
        widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows]:
            lines.append("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    lines += [f"  {s}" for s in c.findings]
    return "\n".join(lines)
