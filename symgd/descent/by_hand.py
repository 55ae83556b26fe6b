"""Gradient descent by hand: what ``Result.explain()`` shows.

The working a teacher writes for "run gradient descent on f(x) = x² from x₀ = 5 with
lr = 0.1":

1. the update rule, x_{k+1} = x_k − lr·f′(x_k), with f′ written out;
2. the first steps' arithmetic, x₁ = 5 − 0.1·10 = 4, recomputed from the formula and checked
   against the run's own iterates;
3. the pattern when there is one: on a quadratic, f′(x) = a·x + b is linear, so the error
   x_k − x* is multiplied by 1 − lr·a each step and x_k = x* + (x₀ − x*)(1 − lr·a)^k
   (x_k = 5·0.8^k), checked against every iterate of the run;
4. why this lr converges, oscillates or diverges: the factor along the stiffest direction is
   1 − lr·L with L the largest eigenvalue of the Hessian, so the iteration contracts exactly
   when 0 < lr < 2/L, alternates sides when lr > 1/L, and stalls at lr = 2/L (Nocedal &
   Wright 2006, §3.3; Boyd & Vandenberghe 2004, §9.3);
5. what the run did (its status and message).

Other methods (momentum, Adam, ...) carry a state between steps; their update rule is named
and the first iterates are read from the run, not redone by hand.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symgd.errors import OptionError
from symgd.expr.calculus import hessian
from symgd.working.notation import Line, Math, board, line, named
from symgd.working.records import Claim, Step, Working
from symgd.working.verify import failed_claims

from .stability import largest_eigenvalue

__all__ = ["explain_run"]

_SUB = str.maketrans("0123456789k+", "₀₁₂₃₄₅₆₇₈₉ₖ₊")


def _num(value: float) -> str:
    text = f"{float(value):.6g}"
    return text.replace("-", "−")


def _vec(values) -> str:
    values = np.atleast_1d(np.asarray(values, dtype=float))
    if len(values) == 1:
        return _num(values[0])
    return "(" + ", ".join(_num(v) for v in values) + ")"


def _factor(text: str) -> str:
    return f"({text})" if text.startswith("−") else text


class _Names:
    """x_k for one variable named x; p_k = (x_k, y_k) for several."""

    def __init__(self, variables):
        self.one = len(variables) == 1
        self.base = variables[0].name if self.one and len(variables[0].name) == 1 else "p"

    def at(self, k: int | str) -> str:
        return self.base + str(k).translate(_SUB)

    def derivative(self, arg: str) -> str:
        return f"f′({arg})" if self.one else f"∇f({arg})"


def _step(label, title, lines, result, reason, claims, by="") -> Step:
    verified = not failed_claims(claims) if claims else bool(by)
    return Step(label, title, tuple(lines), result, reason, verified, by, tuple(claims))


def _gradient(spec):
    return [sp.diff(spec.expr, v) for v in spec.variables]


def _rule_step(spec, names: _Names, maximize: bool, lr_text: str) -> Step:
    grads = _gradient(spec)
    sign = "+" if maximize else "−"
    k, k1 = names.at("k"), names.at("k+1")
    if spec.plain_gd:
        rule = f"{k1} = {k} {sign} {lr_text}·{names.derivative(k)}"
        words = ("gradient ascent: a step up the gradient" if maximize else
                 "gradient descent: a step against the gradient, downhill")
    else:
        rule = f"{k1} = {k} {sign} (a step built from {names.derivative(k)} and the method's state)"
        words = "the method keeps a state between steps: momentum or running averages"
    lines = [line(rule, note=words)]
    claims = []
    if names.one:
        lines.append(line(named("f′(x)".replace("x", board(spec.variables[0])), "f'"), " = ",
                          grads[0]))
    else:
        lines.append(line(named("∇f", r"\nabla f"), " = (",
                          Math(", ".join(board(g) for g in grads),
                               ", ".join(sp.latex(g) for g in grads),
                               ", ".join(board(g) for g in grads)), ")"))
    for v, g in zip(spec.variables, grads, strict=True):
        claims.append(Claim("derivative", (spec.expr, v, g), f"∂f/∂{v.name} = {board(g)}"))
    return _step("1", "The update rule", lines, lines[0], "", claims)


def _value(expr, variables, point) -> float:
    return float(sp.N(expr.xreplace(dict(zip(variables, (sp.Float(v, 30) for v in point),
                                             strict=True))), 30))


def _first_steps(result, spec, names, start, count, maximize) -> Step | None:
    history = result.history
    if history is None:
        return None
    xs = history.x if not result.multistart else history.x[:, start]
    rates = history.lr if not result.multistart else history.lr[:, start]
    nit = int(np.atleast_1d(result.nit)[start]) if result.multistart else int(result.nit)
    grads = _gradient(spec)
    lines, claims = [], []
    sign = "+" if maximize else "−"
    for k in range(min(count, nit)):
        x, x_next, lr = xs[k], xs[k + 1], float(rates[k])
        g = np.array([_value(d, spec.variables, x) for d in grads])
        lr_text = _num(lr)
        arithmetic = f"{_vec(x)} {sign} {lr_text}·{_factor(_vec(g))} = {_vec(x_next)}"
        rate = f"α{str(k).translate(_SUB)}" if spec.line_search else lr_text
        lines.append(line(f"{names.at(k + 1)} = {names.at(k)} {sign} {rate}·"
                          f"{names.derivative(names.at(k))} = {arithmetic}",
                          note=f"{rate} = {lr_text}, chosen by backtracking"
                          if spec.line_search else ""))
        claims.append(Claim("iterate", (x, -lr if maximize else lr, g, x_next),
                            f"{names.at(k + 1)} = {_vec(x_next)}"))
        for d, gv in zip(grads, g, strict=True):
            claims.append(Claim("float_value", (d, tuple(spec.variables), tuple(x), gv),
                                f"the gradient at {names.at(k)} is {_vec(g)}"))
    if nit == 0:
        lines.append(line(f"no step was taken: {names.at(0)} = {_vec(xs[0])}"))
    return _step("2", "The first steps, by hand", lines, lines[0] if lines else None,
                 "substitute the current point into the derivative, then take the step",
                 claims)


def _quadratic(spec) -> tuple[sp.Matrix, sp.Matrix, sp.Expr] | None:
    variables = list(spec.variables)
    if not spec.expr.is_polynomial(*variables) or sp.Poly(spec.expr, *variables).total_degree() > 2:
        return None
    h = hessian(spec.expr, variables)
    b = sp.Matrix([sp.diff(spec.expr, v).xreplace({u: 0 for u in variables})
                   for v in variables])
    return h, b, spec.expr


def _pattern(result, spec, names, start, maximize) -> Step | None:
    """x_k = x* + (x₀ − x*)·r^k on a quadratic with a fixed lr (one factor per coordinate
    when the Hessian is diagonal)."""
    found = _quadratic(spec)
    if found is None or not spec.plain_gd or not isinstance(spec.lr, float) or \
            result.history is None:
        return None
    h, b, _ = found
    sign = -1 if maximize else 1
    descended = sign * h  # the Hessian of the function actually descended
    if descended.det() == 0 or not descended.is_diagonal():
        return None
    lr = spec.lr
    xs = result.history.x if not result.multistart else result.history.x[:, start]
    star = [-(sign * b[i]) / descended[i, i] for i in range(len(spec.variables))]
    factors = [1 - lr * float(descended[i, i]) for i in range(len(spec.variables))]
    x0 = xs[0]
    lines, claims = [], []
    names_k = []
    for i, v in enumerate(spec.variables):
        fixed = float(star[i])
        part = _num(x0[i] - fixed)
        power = f"{_factor(_num(factors[i]))}^k"
        centre = "" if fixed == 0 else f"{_num(fixed)} + "
        name = names.at("k") if names.one else f"{v.name}ₖ"
        if part == "1":
            term = power if not centre else f"{centre}{power}"
        elif part == "−1":
            term = f"−{power}" if not centre else f"{centre[:-3]} − {power}"
        else:
            term = f"{centre}{_factor(part) if centre else part}·{power}"
        names_k.append(f"{name} = {term}")
        d = float(descended[i, i])
        lines.append(line(f"{'f′' if names.one else f'∂f/∂{v.name}'} is linear: "
                          f"{v.name} − {_num(fixed)} is multiplied by 1 − {_num(lr)}·"
                          f"{_factor(_num(d))} = {_num(factors[i])} at each step"
                          if fixed else
                          f"{'f′' if names.one else f'∂f/∂{v.name}'} is linear: {v.name} is "
                          f"multiplied by 1 − {_num(lr)}·{_factor(_num(d))} = "
                          f"{_num(factors[i])} at each step"))
        claims.append(Claim("pattern", (xs[:, i], float(x0[i]), fixed, factors[i]),
                            f"every iterate fits {names_k[-1]}"))
    lines.append(line("so " + ", ".join(names_k)))
    reason = ("on a quadratic the derivative is linear, so the distance to the minimizer "
              "shrinks (or grows) by the same factor at every step")
    return _step("3", "The pattern", lines, lines[-1], reason, claims)


def _bound_step(result, spec, names, start, maximize) -> Step | None:
    if not spec.plain_gd:
        return None
    descended = -spec.expr if maximize else spec.expr
    x0 = (result.history.x[0] if not result.multistart else result.history.x[0, start]) \
        if result.history is not None else None
    try:
        top, exact = largest_eigenvalue(descended, spec.variables, at=x0)
    except OptionError:
        return None
    of = "−f" if maximize else "f"
    where = "" if exact else f" at {names.at(0)} (the curvature changes along the path)"
    lines = [line(f"L = the largest eigenvalue of the Hessian of {of}{where} = ",
                  top if exact else Math(_num(top), f"{float(top):.6g}", _num(top)))]
    claims = [Claim("largest_eigenvalue", (descended, tuple(spec.variables),
                                           None if exact else tuple(float(v) for v in x0), top),
                    f"L = {board(top) if exact else _num(top)}")]
    top_value = float(top)
    if top_value <= 0:
        lines.append(line("L ≤ 0: f is not convex there, so no step size makes every "
                          "direction contract; the 2/L bound says nothing"))
        return _step("4", "Why it behaves this way: the 2/L bound", lines, lines[-1], "",
                     claims)
    bound = 2 / top
    if spec.line_search:
        rates = result.history.lr if result.history is not None else None
        used = "" if rates is None else ", ".join(_num(r) for r in np.atleast_1d(
            rates if not result.multistart else rates[:, start])[:3])
        lines.append(line(f"2/L = {_num(bound)}; the rate was chosen at each step by "
                          f"backtracking (Armijo), which keeps f decreasing"
                          + (f"; the first rates were {used}" if used else "")))
        return _step("4", "Why it behaves this way: the 2/L bound", lines, lines[-1],
                     "a line search picks each step's rate, so no fixed bound applies",
                     claims)
    lr = spec.lr if isinstance(spec.lr, float) else float(spec.lr(0))
    factor = 1 - lr * top_value
    lines.append(line(f"2/L = {_num(bound)} and 1/L = {_num(1 / top_value)}; along the "
                      f"stiffest direction each step multiplies the error by 1 − lr·L = "
                      f"1 − {_num(lr)}·{_factor(_num(top_value))} = {_num(factor)}"))
    if abs(factor) < 1e-12:
        verdict = "lr = 1/L: the step lands on the minimizer along that direction at once"
    elif 0 < factor < 1:
        verdict = ("0 < lr < 1/L: the factor is in (0, 1), so the iterates approach the "
                   "minimizer from one side: it converges")
    elif -1 < factor < 0:
        verdict = ("1/L < lr < 2/L: the factor is in (−1, 0), so the iterates jump from side "
                   "to side of the minimizer (they oscillate) while the jumps shrink: it "
                   "converges")
    elif abs(factor + 1) < 1e-12:
        verdict = ("lr = 2/L: the factor is −1, so the iterates jump between two points "
                   "forever: it oscillates without converging")
    else:
        verdict = ("lr > 2/L: the factor is below −1, so every jump is larger than the last: "
                   "it diverges")
    if not exact:
        verdict += " (near the start; the curvature changes along the path)"
    if not isinstance(spec.lr, float):
        verdict += "; a schedule changes lr at each step, and the bound applies to each"
    lines.append(line(verdict))
    claims.append(Claim("float_value", (sp.Integer(1) - sp.Float(lr, 30) * top, (), (),
                                        factor), f"1 − lr·L = {_num(factor)}"))
    return _step("4", "Why it behaves this way: the 2/L bound", lines, lines[-1],
                 "gradient descent contracts along an eigenvector of the Hessian exactly when "
                 "|1 − lr·λ| < 1; the largest eigenvalue L is the first to fail, at lr = 2/L",
                 claims)


def _outcome(result, start) -> Step:
    status = result.status if not result.multistart else result.status[start]
    message = result.message if not result.multistart else result.message[start]
    lines = [line(f"status: {status}"), line(str(message))]
    return _step("5", "What the run did", lines, lines[0], "", [], by="the run itself")


def _relabel(step: Step, label: str) -> Step:
    return Step(label, step.title, step.lines, step.result, step.reason, step.verified,
                step.by, step.claims, step.table, step.heading)


def _iterates(result, names, start, count) -> Step:
    """The first iterates of a method with a state, read from the run."""
    if result.history is None:
        lines = [line("(run with history=True to see the iterates)")]
    else:
        xs = result.history.x if not result.multistart else result.history.x[:, start]
        lines = [line(f"{names.at(k)} = {_vec(x)}") for k, x in enumerate(xs[:count + 1])]
    return _step("2", "The first iterates, from the run", lines, None, "each step also "
                 "uses the method's state, so the iterates are read from the run",
                 [], by="the run's history")


def explain_run(result, start: int = 0, *, steps: int = 3) -> Working:
    """The working of one descent run (see the module docstring).

    Args:
        result: a :class:`~symgd.descent.result.Result` from ``minimize`` or ``maximize``.
        start: which start, for a run of many.
        steps: how many steps to work out by hand.

    Raises:
        OptionError: the result does not record its run, or ``start`` is out of range.

    Example:
        >>> from symgd.descent.engine import minimize
        >>> w = explain_run(minimize("x^2", 5.0, lr=0.1, max_iter=3))
        >>> w.step("3").result.text
        'so xₖ = 5·0.8^k'
    """
    spec = result.spec
    if spec is None:
        raise OptionError("this Result does not record the function it was run on (it was "
                          "built by hand); run minimize() or maximize() to explain a run")
    count = len(np.atleast_1d(result.nit)) if result.multistart else 1
    if not 0 <= start < count:
        raise OptionError(f"start must be in 0..{count - 1}, got {start}")
    names = _Names(spec.variables)
    maximize = bool(result.maximize)
    lr_text = "lr" if not isinstance(spec.lr, float) else _num(spec.lr)
    if spec.line_search:
        lr_text = "αₖ"
    parts = [_rule_step(spec, names, maximize, lr_text)]
    if spec.plain_gd:
        first = _first_steps(result, spec, names, start, steps, maximize)
        if first is not None:
            parts.append(first)
        for extra in (_pattern(result, spec, names, start, maximize),
                      _bound_step(result, spec, names, start, maximize)):
            if extra is not None:
                parts.append(extra)
    else:
        parts.append(_iterates(result, names, start, steps))
    parts.append(_outcome(result, start))
    parts = [_relabel(p, str(i)) for i, p in enumerate(parts, start=1)]
    what = "gradient ascent" if maximize else "gradient descent"
    if not spec.plain_gd:
        what = result.method
    title = (f"{what} on f({', '.join(v.name for v in spec.variables)}) = {board(spec.expr)} "
             f"from {names.at(0)} = " + _vec(result.history.x[0] if result.history is not None
                                             and not result.multistart else
                                             result.history.x[0, start]
                                             if result.history is not None else result.x))
    heading = Line((title,))
    return Working(title, tuple(parts), (), (), heading)

