"""``symgd descend "x^2 + 3y^2" --x0 1,1``: run gradient descent (or ascent) from a start.

The report: the path in a few lines, the verdict, and the nearest exact critical point, so
the iterative answer stands beside the exact one.
"""


from __future__ import annotations

import numpy as np
import sympy as sp

from symgd.expr.render import approx_text, number_text, pretty, pretty_point

from .options import (
    add_function_args,
    check_plot_target,
    count,
    parse_starts,
    print_json,
    save_plot,
)

__all__ = ["add_parser", "run", "descent_summary", "descent_table", "each_start"]

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
        rows.append(f"  {i:>6}  {approx_text(h.x[i], 6):<30}{number_text(h.fun[i], 6):>14}"
                    f"{number_text(h.grad_norm[i], 3):>12}")
    return rows


_SAYS_STATUS = ("converged", "diverged", "reached max_iter", "stopped")


def _verdict(result) -> str:
    """The run's message, led by its status unless the message already starts with it
    (never "diverged: diverged after 10 steps")."""
    if result.message.startswith(_SAYS_STATUS):
        return result.message
    return f"{result.status}: {result.message}"


def _critical(expr: sp.Expr, symbols):
    from symgd.critical.points import critical_points

    return critical_points(expr, symbols, timeout=3.0)


def _nearest_point(cps, x: np.ndarray) -> tuple[str, float] | None:
    """The nearest exact critical point as text, with its distance; None if there is none."""
    from symgd.analysis.match import nearest_critical

    k, dist = nearest_critical(cps, x)
    if k is None:
        return None
    p = cps[k]
    where = "the family " if p.is_family else ""
    return f"{where}{pretty_point(p.point)} ({p.kind})", dist


def _nearest(expr: sp.Expr, symbols, x: np.ndarray) -> str | None:
    if not np.all(np.isfinite(x)):
        return None
    cps = _critical(expr, symbols)
    near = _nearest_point(cps, x)
    if near is None:
        return "exact critical points: none" + ("" if cps.complete else " found")
    return f"nearest exact critical point: {near[0]}, at distance {near[1]:.2e}"


def each_start(result) -> list:
    """A many-start :class:`~symgd.descent.result.Result` as one single-start Result per start.

    Each keeps its own history (its ``nit + 1`` points, without the repeated rows a start
    that stopped early has in the stacked history) and its own message.

    Example:
        >>> from symgd.descent.engine import minimize
        >>> runs = each_start(minimize("x^2", [5.0, 3.0], lr=0.1))
        >>> [r.history.x[0].tolist() for r in runs]
        [[5.0], [3.0]]
    """
    from symgd.descent.result import History, Result

    bound = result.lr_bound
    runs = []
    for i in range(len(result.nit)):
        nit, h = int(result.nit[i]), result.history
        history = None if h is None else History(
            x=h.x[:nit + 1, i], fun=h.fun[:nit + 1, i], grad_norm=h.grad_norm[:nit + 1, i],
            lr=h.lr[:nit, i])
        runs.append(Result(
            x=result.x[i], fun=float(result.fun[i]), jac=result.jac[i], nit=nit,
            success=bool(result.success[i]), status=str(result.status[i]),
            message=str(result.message[i]), history=history,
            lr_bound=bound[i] if isinstance(bound, np.ndarray) and bound.ndim else bound,
            method=result.method, maximize=result.maximize))
    return runs


def descent_table(expr: sp.Expr, symbols, runs: list) -> str:
    """Text for several starts: one line per start, then why the others did not converge.

    Args:
        expr, symbols: the function and its variables.
        runs: single-start results with histories (from :func:`each_start`).

    Example:
        >>> from symgd.descent.engine import minimize
        >>> from symgd.expr.parse import as_expression
        >>> e, s = as_expression("x^2")
        >>> text = descent_table(e, s, each_start(minimize(e, [5.0, 3.0], lr=0.1)))
        >>> text.splitlines()[0]
        'gd(lr=0.1) on f(x) = x² from 2 starts'
    """
    first = runs[0]
    what = " ascent" if first.maximize else ""
    lines = [f"{first.method}{what} on f({', '.join(s.name for s in symbols)}) = "
             f"{pretty(expr)} from {len(runs)} starts"]
    cps = _critical(expr, symbols) if any(np.all(np.isfinite(r.x)) for r in runs) else None
    head = ("", "start", "end", "f(end)", "status", "nit", "nearest exact critical point")
    rows = []
    for k, r in enumerate(runs, 1):
        finite = bool(np.all(np.isfinite(r.x)))
        near = (_nearest_point(cps, np.asarray(r.x, dtype=float))
                if finite and r.status != "diverged" else None)  # a diverged end is nowhere
        rows.append((f"{k}.", approx_text(r.history.x[0], 6), approx_text(r.x, 4) if finite
                     else "—", number_text(r.fun, 4), r.status, str(r.nit),
                     "—" if near is None else f"{near[0]} at {near[1]:.1e}"))
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        lines.append("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    lines += [f"  start {k}: {_verdict(r)}" for k, r in enumerate(runs, 1)
              if r.status != "converged"]
    return "\n".join(lines)


def descent_summary(expr: sp.Expr, symbols, result) -> str:
    """Text for one descent run: header, path excerpt, status message, nearest exact point.

    Example:
        >>> from symgd.descent.engine import minimize
        >>> from symgd.expr.parse import as_expression
        >>> e, s = as_expression("x^2")
        >>> print(descent_summary(e, s, minimize(e, [5.0], lr=0.1)).splitlines()[0])
        gd(lr=0.1) on f(x) = x² from (5)
        >>> print(descent_summary(e, s, minimize(e, [5.0])).splitlines()[0])
        gd(Armijo line search) on f(x) = x² from (5)
    """
    what = "ascent" if result.maximize else ""
    head = (f"{result.method}{' ' + what if what else ''} on "
            f"f({', '.join(s.name for s in symbols)}) = {pretty(expr)} "
            f"from {approx_text(result.history.x[0]) if result.history is not None else ''}")
    lines = [head]
    if result.history is not None:
        lines += _rows(result)
    lines.append(_verdict(result))
    near = _nearest(expr, symbols, np.asarray(result.x, dtype=float))
    if near:
        lines.append(near)
    return "\n".join(lines)


def add_parser(sub) -> None:
    """Register ``descend`` on an argparse subparsers object.

    Example:
        >>> import argparse
        >>> p = argparse.ArgumentParser(); add_parser(p.add_subparsers(dest="c"))
        >>> p.parse_args(["descend", "x^2", "--x0", "5"]).max_iter
        1000
    """
    p = sub.add_parser("descend", help="run gradient descent (or ascent) from a start")
    add_function_args(p)
    p.add_argument("--x0", required=True, metavar="1,2",
                   help="the start, comma-separated; several starts separated by ';' "
                        "(e.g. \"1,2; -3,0\"); for f of one variable every number is a start")
    p.add_argument("--method", default="gd", help="gd, momentum, nesterov, adagrad, rmsprop, "
                   "adam or newton")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default: per method)")
    p.add_argument("--schedule", default=None, metavar="NAME[:k=v,...]",
                   help="learning-rate schedule: constant, step_decay, exponential_decay, "
                        "inverse_time, cosine (e.g. inverse_time:k=100)")
    p.add_argument("--max-iter", type=count, default=1000)
    p.add_argument("--tol", type=float, default=1e-8)
    p.add_argument("--ascent", action="store_true", help="maximize instead (gradient ascent)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plot", metavar="FILE.png")
    p.set_defaults(run=run)


def run(args) -> int:
    """Run ``symgd descend``; exit 0 when every start converged, 1 otherwise."""
    from symgd.descent.engine import maximize, minimize
    from symgd.expr.parse import as_expression

    from .schedules import schedule_from_text

    if args.plot:
        check_plot_target(args.plot)  # before the run, not after it
    expr, symbols = as_expression(args.expr, args.vars)
    x0 = parse_starts(args.x0, len(symbols))
    lr = schedule_from_text(args.schedule, args.lr) if args.schedule else args.lr
    run = maximize if args.ascent else minimize
    result = run(expr, x0, variables=symbols, method=args.method, lr=lr,
                 max_iter=args.max_iter, tol=args.tol)
    runs = each_start(result) if result.multistart else [result]
    if args.json:  # one start: its object; several: a list of the same objects
        print_json([r.to_dict() for r in runs] if result.multistart else result.to_dict())
    elif result.multistart:
        print(descent_table(expr, symbols, runs))
    else:
        print(descent_summary(expr, symbols, result))
    if args.plot:
        save_plot(result.plot(expr if len(symbols) <= 2 else None), args.plot)
    return 0 if all(r.status == "converged" for r in runs) else 1
