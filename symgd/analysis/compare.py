"""Descent beside the exact answer: run gradient descent (and ascent toward maxima) from
several starts and match every end point to the nearest exact critical point.

This is the analysis's second opinion and its lesson: where descent lands, where it
diverges because f is unbounded below, and where it stalls on a saddle or a degenerate point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.critical.records import DEGENERATE, LOCAL_MAX, LOCAL_MIN, SADDLE, CriticalSet
from symgd.expr.render import approx_text

from .match import nearest_critical, starts_around

__all__ = [
    "DescentRun", "DescentComparison", "compare_descent", "comparison_text", "findings",
]


@dataclass(frozen=True)
class DescentRun:
    """One run of the comparison.

    Attributes:
        start, end: the first and last iterate.
        status: the engine's status ("converged", "diverged", "max_iter", "stopped").
        nit: the number of updates.
        nearest: index into the analysis's critical points of the nearest one, or None.
        distance: the distance from ``end`` to it, or None.
        ascent: True for a gradient-ascent run (toward a maximum).
        message: the engine's explanation.

    Example:
        >>> DescentRun((1.0,), (0.0,), "converged", 12, 0, 1e-9).to_dict()["nearest"]
        0
    """

    start: tuple[float, ...]
    end: tuple[float, ...]
    status: str
    nit: int
    nearest: int | None
    distance: float | None
    ascent: bool = False
    message: str = ""

    def to_dict(self) -> dict:
        finite = all(np.isfinite(self.end))
        return {"start": list(self.start), "end": list(self.end) if finite else None,
                "status": self.status, "nit": self.nit, "nearest": self.nearest,
                "distance": self.distance, "ascent": self.ascent, "message": self.message}


@dataclass(frozen=True)
class DescentComparison:
    """Descent runs matched to the exact critical points, with plain-words findings.

    Attributes:
        method: the optimizer, e.g. ``"gd(lr=None)"`` (None: Armijo line search).
        lr: the learning rate asked for (None: line search).
        runs: the runs, descent first then ascent.
        findings: sentences such as "f is unbounded below: 3 of 8 descent runs diverged".

    Example:
        >>> DescentComparison("gd", None, (), ()).to_dict()["runs"]
        []
    """

    method: str
    lr: float | None
    runs: tuple[DescentRun, ...]
    findings: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"method": self.method, "lr": self.lr, "runs": [r.to_dict() for r in self.runs],
                "findings": list(self.findings)}

    def __str__(self) -> str:

        return comparison_text(self)

    __repr__ = __str__


def compare_descent(
    expr: sp.Expr,
    symbols: tuple[sp.Symbol, ...],
    cps: CriticalSet,
    *,
    method: str = "gd",
    lr: float | None = None,
    starts: Sequence[Sequence[float]] | None = None,
    max_iter: int = 2000,
    seed: int = 0,
    domain: dict | None = None,
) -> DescentComparison:
    """Run descent (and ascent toward maxima) and match the ends to the critical points.

    Args:
        expr, symbols: the function and its variables.
        cps: its critical points (from :func:`symgd.critical.points.critical_points`).
        method: optimizer name or object; lr: its rate (None: Armijo line search for gd).
        starts: the descent starts, shape (S, d); default: seeded random starts around
            the critical points (and inside ``domain``).
        max_iter: iteration limit per run; seed: seed of the random starts.
        domain: the analysis's box ``{Symbol: (lo, hi)}``, to keep starts inside.

    Example:
        >>> from symgd.critical.points import critical_points
        >>> from symgd.expr.parse import as_expression
        >>> e, s = as_expression("(x-1)^2 + y^2")
        >>> c = compare_descent(e, s, critical_points(e, s))
        >>> all(r.nearest == 0 for r in c.runs)
        True
    """
    from symgd.descent.engine import maximize, minimize
    from symgd.numeric.compile import compile as compile_function

    compiled = compile_function(expr, symbols)
    rng = np.random.default_rng(seed)
    down = (np.asarray(starts, dtype=float).reshape(-1, len(symbols)) if starts is not None
            else starts_around(cps, len(symbols), rng, domain=domain))
    runs = _runs(minimize(compiled, down, method=method, lr=lr, max_iter=max_iter,
                          history=False), down, cps, ascent=False)
    maxima = [p for p in cps if not p.is_family and p.kind == LOCAL_MAX]
    if maxima and starts is None:
        up = starts_around(CriticalSet(tuple(maxima), True), len(symbols), rng,
                           domain=domain, count=max(2, len(maxima)))
        runs += _runs(maximize(compiled, up, method=method, lr=lr, max_iter=max_iter,
                               history=False), up, cps, ascent=True)
    label = getattr(method, "name", method)
    return DescentComparison(method=str(label), lr=lr, runs=tuple(runs),
                             findings=findings(runs, cps, compiled,
                                               monotone=lr is None and label == "gd"))


def _runs(result, starts: np.ndarray, cps: CriticalSet, *, ascent: bool) -> list[DescentRun]:
    out = []
    messages = np.broadcast_to(np.asarray(result.message, dtype=object), (len(starts),))
    for k in range(len(starts)):
        end = np.asarray(result.x[k], dtype=float)
        status = str(result.status[k])
        # A diverged run has no end point worth matching: it is on its way to infinity.
        nearest, distance = (nearest_critical(cps, end)
                             if status != "diverged" and np.all(np.isfinite(end))
                             else (None, None))
        out.append(DescentRun(tuple(map(float, starts[k])), tuple(map(float, end)),
                              status, int(result.nit[k]), nearest, distance,
                              ascent, str(messages[k])))
    return out


# Words and tables for the descent comparison (what descent did, beside the exact answer).

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
        >>> from symgd.analysis.compare import DescentComparison
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
