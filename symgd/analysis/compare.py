"""Descent beside the exact answer: run gradient descent (and ascent toward maxima) from
several starts and match every end point to the nearest exact critical point.

This is the analysis's second opinion and its lesson: where descent lands, where it runs
off (and whether f is then provably unbounded: :mod:`~.bounds`), where it stops at the edge
of f's domain, and where it stalls on a saddle or a degenerate point. Every start lies where
f and its gradient are defined (a start outside, such as x < 0 for sqrt(x), says nothing
about f), and no sentence claims more than the runs or a proof show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.critical.records import DEGENERATE, LOCAL_MAX, LOCAL_MIN, SADDLE, CriticalSet
from symgd.errors import OptionError
from symgd.expr.render import approx_text, number_text

from .bounds import Hint, Unbounded, prove_unbounded
from .match import nearest_critical, starts_around

__all__ = [
    "DescentRun", "DescentComparison", "compare_descent", "comparison_text", "findings",
    "STEEP", "EDGE",
]

#: The engine's status of a run that stopped at a finite point where f is finite but its
#: gradient is not (the edge of f's domain, a cusp): it did not run off anywhere.
STEEP = "infinite_gradient"
#: ... and of a run whose gradient vanished where f is undefined a small step away (the edge
#: of f's domain, where the computed gradient can underflow): not a convergence.
EDGE = "domain_edge"


@dataclass(frozen=True)
class DescentRun:
    """One run of the comparison.

    Attributes:
        start, end: the first and last iterate.
        status: the engine's: "converged", "diverged" (ran off: |x| or f grew without
            settling), "max_iter", "stopped", "infinite_gradient" (stopped at a finite
            point where f is finite but its gradient is not, e.g. at the edge of f's domain),
            or "domain_edge" (the gradient vanished where f is undefined a small step away).
        nit: the number of updates.
        nearest: index into the analysis's critical points of the nearest one, or None.
        distance: the distance from ``end`` to it, or None.
        ascent: True for a gradient-ascent run (toward a maximum).
        message: the engine's explanation.
        fun_start, fun_end: f at the start and at the end (None where not finite).

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
    fun_start: float | None = None
    fun_end: float | None = None

    def to_dict(self) -> dict:
        finite = all(np.isfinite(self.end))
        return {"start": list(self.start), "end": list(self.end) if finite else None,
                "status": self.status, "nit": self.nit, "nearest": self.nearest,
                "distance": self.distance, "ascent": self.ascent, "message": self.message,
                "fun_start": self.fun_start, "fun_end": self.fun_end}


@dataclass(frozen=True)
class DescentComparison:
    """Descent runs matched to the exact critical points, with plain-words findings.

    Attributes:
        method: the optimizer, e.g. ``"gd"``.
        lr: the learning rate asked for (None: line search).
        runs: the runs, descent first then ascent.
        findings: sentences such as "f is unbounded below: along (x, y) = (-t, 0), ...".
        unbounded: the proofs that f is unbounded below and/or above (rays or curves along
            which f → ∓∞, see :class:`~.bounds.Unbounded`); empty when none was found.

    Example:
        >>> DescentComparison("gd", None, (), ()).to_dict()["runs"]
        []
    """

    method: str
    lr: float | None
    runs: tuple[DescentRun, ...]
    findings: tuple[str, ...]
    unbounded: tuple[Unbounded, ...] = ()

    def to_dict(self) -> dict:
        return {"method": self.method, "lr": self.lr, "runs": [r.to_dict() for r in self.runs],
                "findings": list(self.findings),
                "unbounded": [u.to_dict() for u in self.unbounded]}

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
            the critical points, where f and its gradient are defined and inside ``domain``.
        max_iter: iteration limit per run; seed: seed of the random starts.
        domain: the analysis's box ``{Symbol: (lo, hi)}``, to keep starts inside.

    Raises:
        OptionError: a given start lies outside ``domain`` or where f or its gradient is
            not defined.

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
    defined = _defined(compiled)
    rng = np.random.default_rng(seed)
    dim = len(symbols)
    down = (_given_starts(starts, symbols, defined, domain) if starts is not None
            else starts_around(cps, dim, rng, domain=domain, valid=defined))
    runs = []
    if len(down):
        runs = _runs(minimize(compiled, down, method=method, lr=lr, max_iter=max_iter,
                              history=False), down, cps, compiled, ascent=False)
    maxima = [p for p in cps if not p.is_family and p.kind == LOCAL_MAX]
    if maxima and starts is None:
        up = starts_around(CriticalSet(tuple(maxima), True), dim, rng,
                           domain=domain, count=max(2, len(maxima)), valid=defined)
        if len(up):
            runs += _runs(maximize(compiled, up, method=method, lr=lr, max_iter=max_iter,
                                   history=False), up, cps, compiled, ascent=True)
    label = str(getattr(method, "name", method))
    monotone = lr is None and label == "gd"
    proofs = _proofs(expr, symbols, runs, compiled, monotone)
    said = findings(runs, cps, compiled, monotone=monotone, unbounded=proofs)
    if not len(down):
        said = ("no start was found where f and its gradient are defined and finite in "
                "double precision (searched boxes up to 2048 times wider than the critical "
                "points' box), so descent was not run",) + said
    return DescentComparison(method=label, lr=lr, runs=tuple(runs), findings=said,
                             unbounded=proofs)


def _defined(compiled):
    """``(S, d) -> (S,)``: True where f and its gradient are real and finite (f's natural
    domain, as the compiled code sees it: NaN outside, inf at poles)."""
    def defined(points: np.ndarray) -> np.ndarray:
        cols = np.asarray(points, dtype=float).T
        with np.errstate(all="ignore"):
            value = np.asarray(compiled.fun(cols), dtype=float).reshape(-1)
            grad = np.asarray(compiled.grad(cols), dtype=float).reshape(len(cols), -1)
        return np.isfinite(value) & np.isfinite(grad).all(axis=0)
    return defined


def _real(compiled):
    """``(S, d) -> (S,)``: True where f is real (not NaN); ±inf is allowed, because along a
    proof's curve f may overflow (t - e^t at t = 1e8) or tend to -inf (log at an edge)."""
    def real(points: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            value = np.asarray(compiled.fun(np.asarray(points, dtype=float).T), dtype=float)
        return ~np.isnan(value.reshape(-1))
    return real


def _given_starts(starts, symbols, defined, domain) -> np.ndarray:
    """The caller's starts as (S, d), each checked to lie where f is defined and in the box."""
    down = np.asarray(starts, dtype=float).reshape(-1, len(symbols))
    ok = defined(down)
    for k, point in enumerate(down):
        where = approx_text(point, 6)
        if not ok[k]:
            raise OptionError(f"start {k + 1} = {where} is outside f's domain: f or its "
                              "gradient is not defined (or not finite) there; give starts "
                              "where f is defined")
        for (name, (lo, hi)), v in zip((domain or {}).items(), point):
            if not float(lo) < v < float(hi):
                raise OptionError(f"start {k + 1} = {where} is outside the domain: {name} "
                                  f"must lie in ({lo}, {hi}); give starts inside it")
    return down


def _runs(result, starts: np.ndarray, cps: CriticalSet, compiled, *,
          ascent: bool) -> list[DescentRun]:
    out = []
    messages = np.broadcast_to(np.asarray(result.message, dtype=object), (len(starts),))
    statuses = np.broadcast_to(np.asarray(result.status), (len(starts),))
    ends = np.asarray(result.x, dtype=float).reshape(len(starts), -1)
    fun_ends = np.asarray(result.fun, dtype=float).reshape(-1)
    with np.errstate(all="ignore"):
        fun_starts = np.asarray(compiled.fun(starts.T), dtype=float).reshape(-1)
    for k in range(len(starts)):
        end, status = ends[k], str(statuses[k])
        # A run that ran off has no end point worth matching: it is on its way to infinity.
        nearest, distance = (nearest_critical(cps, end)
                             if status != "diverged" and np.all(np.isfinite(end))
                             else (None, None))
        out.append(DescentRun(tuple(map(float, starts[k])), tuple(map(float, end)),
                              status, int(result.nit[k] if np.ndim(result.nit) else
                                          result.nit), nearest, distance,
                              ascent, str(messages[k]), _finite(fun_starts[k]),
                              _finite(fun_ends[k])))
    return out


def _finite(value: float) -> float | None:
    return float(value) + 0.0 if np.isfinite(value) else None


# Which runs say f may be unbounded, and the proofs (bounds.py) they point to.

#: A run out of steps that went this many times (1 + |start|) away, with f falling by this
#: many times (1 + |f(start)|), counts as running off (f = ln(xy) - x - 2y: 2,000 Armijo steps
#: carry it ~4,500 away, f from about -3 to -10^4). Such runs are only evidence, and hints
#: for a proof (bounds.py); a sentence says "unbounded" only with the proof.
_FAR = 100.0


def _ran_off(r: DescentRun, compiled, monotone: bool) -> bool:
    """Did the run go off with f falling (rising, for ascent) rather than blow up because
    its steps were too large?"""
    if r.status == "diverged":
        return monotone or _fell(r, compiled)
    return _went_far(r, _FAR)


#: a run at max_iter that went this many times its start's size, with f falling by as many
#: times its start value, is a hint for a proof (never a claim by itself): x·sin(y)'s runs
#: walk off along y ≈ ∓π/2 at about the same speed, f falling linearly
_HINT_FAR = 10.0


def _heading_off(r: DescentRun) -> bool:
    """A run stopped by max_iter while going far with f falling (rising, for ascent), short
    of :func:`_ran_off`'s 100-fold: where it went is worth a try for a proof."""
    return _went_far(r, _HINT_FAR)


def _went_far(r: DescentRun, factor: float) -> bool:
    """A run stopped by max_iter ``factor`` times its start's size away, with f better by
    ``factor`` times its start value."""
    if r.status != "max_iter" or r.fun_start is None or r.fun_end is None:
        return False
    went = np.linalg.norm(np.subtract(r.end, r.start))
    change = r.fun_end - r.fun_start if r.ascent else r.fun_start - r.fun_end
    return bool(went > factor * (1.0 + np.linalg.norm(r.start))
                and change > factor * (1.0 + abs(r.fun_start)))


def _edge_falling(r: DescentRun) -> bool:
    """A run that stopped at the edge of f's domain with f better than at its start: f may
    tend to ∓∞ there (ln x as x → 0⁺), or have its extremum there (sqrt(x) at 0)."""
    if r.status != STEEP or r.fun_start is None or r.fun_end is None:
        return False
    return r.fun_end > r.fun_start if r.ascent else r.fun_end < r.fun_start


def _proofs(expr, symbols, runs, compiled, monotone) -> tuple[Unbounded, ...]:
    """A proof of "unbounded below" when descent runs ran off or stopped at an edge with f
    falling, and of "unbounded above" likewise for ascent runs."""
    found = []
    for ascent in (False, True):
        hints = []
        for r in runs:
            if r.ascent != ascent:
                continue
            if _ran_off(r, compiled, monotone) or _heading_off(r):
                hints.append(Hint(r.start, r.end))
            elif _edge_falling(r):
                with np.errstate(all="ignore"):
                    gradient = np.asarray(compiled.grad(np.array(r.end)), dtype=float)
                hints.append(Hint(r.start, r.end, edge=True, gradient=tuple(gradient)))
        if not hints:
            continue
        proof = prove_unbounded(expr, symbols, below=not ascent, hints=hints,
                                defined=_real(compiled))
        if proof is not None:
            found.append(proof)
    return tuple(found)


# Words and tables for the descent comparison (what descent did, beside the exact answer).

_STALL_TOL = 1e-3


def findings(runs, cps: CriticalSet, compiled, *, monotone: bool = False,
             unbounded: Sequence[Unbounded] = ()) -> tuple[str, ...]:
    """Plain sentences: unbounded (with its proof) or evidence of it, edges, stalls.

    Args:
        runs: the comparison's runs; cps: the critical points; compiled: f compiled.
        monotone: the runs used a line search, so f fell at every step and a run that ran
            off went with f falling.
        unbounded: proofs that f is unbounded (from :func:`~.bounds.prove_unbounded`); only
            with one does a sentence say "unbounded".

    Example:
        >>> findings([], CriticalSet((), True), None)
        ()
    """
    out = []
    for ascent in (False, True):
        out += _runaway_sentences([r for r in runs if r.ascent == ascent], compiled,
                                  monotone, ascent, unbounded)
    out += _steep_sentences(runs)
    landed: dict[tuple[str, int], list] = {}  # (what happened, point number) -> runs
    for r in runs:
        if r.nearest is None or r.distance is None or r.distance > _STALL_TOL:
            continue
        what = _landing(r, cps[r.nearest])
        if what:
            landed.setdefault((what, r.nearest + 1), []).append(r)
    for (what, number), group in landed.items():
        out.append(_LANDINGS[what].format(who=_who(group), n=number,
                                          kind=cps[number - 1].kind))
    return tuple(dict.fromkeys(out))  # drop repeats, keep order


def _who(group) -> str:
    return (f"a run from {approx_text(group[0].start)}" if len(group) == 1
            else f"{len(group)} runs")


def _runaway_sentences(runs, compiled, monotone, ascent, unbounded) -> list[str]:
    """The proof of unboundedness when there is one, else the runs as evidence only; and
    runs that blew up because the step was too large."""
    kind, extreme = ("ascent", "maximum") if ascent else ("descent", "minimum")
    falling = "rising" if ascent else "falling"
    word = "above" if ascent else "below"
    diverged = [r for r in runs if r.status == "diverged"]
    off = [r for r in runs if _ran_off(r, compiled, monotone)]
    heading = [r for r in runs if r not in off and _heading_off(r)]
    proof = next((u for u in unbounded if u.below != ascent), None)
    out = []
    if proof is not None and (off or heading or any(_edge_falling(r) for r in runs)):
        went = (f" ({len(off)} of {len(runs)} {kind} runs ran off with f {falling})" if off
                else f" ({len(heading)} of {len(runs)} {kind} runs were still going with f "
                     f"{falling} when they reached their step limit)" if heading else "")
        out.append(f"{proof.sentence()}, so f has no global {extreme}{went}.")
    elif off:
        values = [r.fun_end for r in off if r.fun_end is not None]
        reached = ""
        if values:
            best = max(values) if ascent else min(values)
            reached = f" (to f = {number_text(best, 3)})"
        out.append(f"{len(off)} of {len(runs)} {kind} runs ran off with f {falling}{reached}: "
                   f"numerical evidence, not a proof, that f may be unbounded {word} (symgd "
                   "found no ray or curve along which it could prove it).")
    blew_up = [r for r in diverged if r not in off]
    if blew_up:
        out.append(f"{len(blew_up)} {kind} {_runs_word(len(blew_up))} diverged because the "
                   "step was too large (see their messages for the stability bound).")
    return out


def _runs_word(n: int) -> str:
    return "run" if n == 1 else "runs"


def _steep_sentences(runs) -> list[str]:
    """Runs that stopped where f is finite but its gradient is not, in one sentence; and runs
    whose gradient vanished at the edge of f's domain, in another."""
    out = []
    steep = [r for r in runs if r.status == STEEP]
    if steep:
        out.append(f"{_who(steep)} stopped at {_ends_text(steep)}: the gradient of f is "
                   "infinite or undefined there (f is not differentiable: the edge of f's "
                   "domain, a cusp or a vertical tangent), so gradient descent cannot go on.")
    edge = [r for r in runs if r.status == EDGE]
    if edge:
        out.append(f"{_who(edge)} stopped at the edge of f's domain, at {_ends_text(edge)}: "
                   "the computed gradient vanished there, but f is undefined just beyond, so "
                   "the stop is not evidence of a stationary point and is not counted as "
                   "converged.")
    return out


def _ends_text(group) -> str:
    """The runs' end points (rounded to 6 decimals, so that 1e-201 reads 0) and, if they all
    stopped at one point, f there."""
    groups: dict[str, list] = {}
    for r in group:
        groups.setdefault(approx_text(np.round(r.end, 6), 4), []).append(r)
    shown = list(groups)[:_SHOWN_POINTS]
    where = ", ".join(shown) + (", …" if len(groups) > len(shown) else "")
    if len(groups) == 1:
        value = group[0].fun_end
        return where + (f", where f = {number_text(round(value, 6), 4)}"
                        if value is not None else "")
    return f"points {where}"


_SHOWN_POINTS = 4


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
    """Did f go a long way down (up, for ascent) rather than blow up (lr too large)?"""
    if compiled is None or not np.all(np.isfinite(run.end)):
        return False
    with np.errstate(all="ignore"):
        start = float(compiled.fun(np.array(run.start)))
        value = float(compiled.fun(np.array(run.end)))
    if run.ascent:
        return value > start + 1e6 * (1 + abs(start))
    return value < start - 1e6 * (1 + abs(start))


def comparison_text(c) -> str:
    """A compact table of the runs, then the findings.

    The arrows (↓ descent, ↑ ascent) are shown only when both kinds of run are listed.

    Example:
        >>> from symgd.analysis.compare import DescentComparison
        >>> comparison_text(DescentComparison("gd", None, (), ())).splitlines()[0]
        'descent (gd, Armijo line search): 0 runs'
    """
    rate = "Armijo line search" if c.lr is None else f"lr={c.lr:g}"
    both = any(r.ascent for r in c.runs) and not all(r.ascent for r in c.runs)
    count = f"{len(c.runs)} {_runs_word(len(c.runs))}"
    lines = [f"descent ({c.method}, {rate}): {count}" + (" (↓ descent, ↑ ascent)" if both
                                                          else "")]
    rows = []
    for r in c.runs:
        end = "—" if r.status == "diverged" else approx_text(r.end, 3)
        near = "—" if r.nearest is None else f"#{r.nearest + 1} at {r.distance:.1e}"
        arrow = ("↑" if r.ascent else "↓",) if both else ()
        rows.append((*arrow, approx_text(r.start, 3), end, r.status, str(r.nit), near))
    if rows:
        head = (*(("",) if both else ()), "start", "end", "status", "steps",
                "nearest exact point")
        widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows]:
            lines.append("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    lines += [f"  {s}" for s in c.findings]
    return "\n".join(lines)
