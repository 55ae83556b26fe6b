"""The ``symgd descend`` report: the path in a few lines, the verdict, and the nearest
exact critical point so the iterative answer stands beside the exact one."""

from __future__ import annotations

import numpy as np
import sympy as sp

from .render import approx_text, pretty

__all__ = ["descent_summary"]

_HEAD, _TAIL = 4, 2


def _rows(result) -> list[str]:
    h = result.history
    n = len(h.x)
    shown = list(range(min(n, _HEAD)))
    if n > _HEAD:
        shown += list(range(max(_HEAD, n - _TAIL), n))
    rows = [f"  {'step':>6}  {'x':<30}{'f(x)':>14}{'|grad|':>12}"]
    for k, i in enumerate(shown):
        if k and i != shown[k - 1] + 1:
            rows.append(f"  {'...':>6}")
        rows.append(f"  {i:>6}  {approx_text(h.x[i], 6):<30}{h.fun[i]:>14.6g}"
                    f"{h.grad_norm[i]:>12.3g}")
    return rows


def _nearest(expr: sp.Expr, symbols, x: np.ndarray) -> str | None:
    from .critical import critical_points
    from .descent_match import nearest_critical

    if not np.all(np.isfinite(x)):
        return None
    cps = critical_points(expr, symbols, timeout=3.0)
    k, dist = nearest_critical(cps, x)
    if k is None:
        return "exact critical points: none" + ("" if cps.complete else " found")
    p = cps[k]
    where = "the family " if p.is_family else ""
    return (f"nearest exact critical point: {where}{pretty(sp.Tuple(*p.point))} "
            f"({p.kind}), at distance {dist:.2e}")


def descent_summary(expr: sp.Expr, symbols, result) -> str:
    """Text for one descent run: header, path excerpt, status message, nearest exact point.

    Example:
        >>> from symgd.engine import minimize
        >>> from symgd.parse import as_expression
        >>> e, s = as_expression("x^2")
        >>> print(descent_summary(e, s, minimize(e, [5.0], lr=0.1)).splitlines()[0])
        gd(lr=0.1) on f(x) = x² from (5)
    """
    what = "ascent" if result.maximize else ""
    head = (f"{result.method}{' ' + what if what else ''} on "
            f"f({', '.join(s.name for s in symbols)}) = {pretty(expr)} "
            f"from {approx_text(result.history.x[0]) if result.history is not None else ''}")
    lines = [head]
    if result.history is not None:
        lines += _rows(result)
    lines.append(f"{result.status}: {result.message}")
    near = _nearest(expr, symbols, np.asarray(result.x, dtype=float))
    if near:
        lines.append(near)
    return "\n".join(lines)
