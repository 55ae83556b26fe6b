"""Generated inputs and the properties every surface of symgd must keep on them.

Shared by the derandomized CI suite (``tests/fuzz/test_fuzz.py``) and the long campaign
(``benchmarks/fuzz.py --minutes N``). An input is made from a seed, so every failure is
reproducible from one integer. Each ``check_*`` function runs one surface on one input and
returns a :class:`Finding` per broken property (an empty list when all hold); it never
raises, so a campaign records every failure and goes on.

The properties (issue #17):
- every result or error is a symgd type (a ``SymgdError``), never an internal error;
- the time budget holds: a call with ``timeout=T`` returns by T + SLACK seconds;
- every isolated critical point has ∇f ≈ 0 at its approximation;
- a nondegenerate kind matches the numeric Hessian's eigenvalue signs;
- where ``complete`` is true, a multistart numeric root search finds nothing unlisted;
- ``to_dict()`` is JSON without NaN or infinity;
- ``check`` accepts the true gradient and rejects a perturbed one;
- ``minimize`` never emits a RuntimeWarning;
- a run reported "converged" has |∇f| ≤ tol at its end, and f is defined a small step
  either side of it along each coordinate (not the edge of f's domain, where the computed
  gradient can underflow to 0 with the true one ≈ 4e53).
"""

from __future__ import annotations

import json
import math
import random
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

#: Seconds a budgeted call may take beyond its ``timeout`` (process start-up, pickling).
SLACK = 1.0
VARIABLES = ("x", "y", "z")
_FUNCTIONS = ("sin", "cos", "exp", "log", "sqrt", "abs", "tan", "atan", "cbrt", "sinh")
_HOSTILE = (
    "__import__('os').system('echo pwned')", "().__class__.__bases__[0].__subclasses__()",
    "lambda: 1", "x.__class__", "eval('1')", "exec('x=1')", "open('/etc/passwd')",
    "globals()", "x; import os", "x if 1 else y", "[x for x in y]", "x @ y", "x := 3",
    "sympify('x')", "Symbol('x')", "x**x**x**x**x**x**x**x", "9**9**9**9", "x" * 5000,
    "(" * 400 + "x" + ")" * 400, "sin(" * 300 + "x" + ")" * 300, "1e999*x", "x\x00y",
    "x²+y²", "√x", "∞*x", "", "   ", "x +", "*x", "x))", "((x", "f(x) = ", "x = 1",
    "x^^2", "2**-**3", "x/0", "0/0*x", "zoo*x", "nan*x", "oo*x", "I*x", "E**x", "pi*x",
)


@dataclass(frozen=True)
class Finding:
    """One broken property: which surface, which property, on what input, and the detail."""

    surface: str
    prop: str
    text: str
    detail: str

    def to_dict(self) -> dict:
        return {"surface": self.surface, "property": self.prop, "input": self.text,
                "detail": self.detail}


@dataclass
class Outcome:
    """What one call did: ok / symgd error / internal error, its time, and any findings."""

    surface: str
    text: str
    status: str
    seconds: float
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"surface": self.surface, "input": self.text, "status": self.status,
                "seconds": round(self.seconds, 3),
                "findings": [f.to_dict() for f in self.findings]}


# ----------------------------------------------------------------------------- inputs

def expression(seed: int, *, max_depth: int = 4, variables: tuple[str, ...] | None = None) -> str:
    """A random expression in student syntax, from one seed.

    Most inputs are ordinary calculus functions (polynomials, exp, trig, logs, roots, in up
    to three variables); about one in ten is hostile (injection attempts, huge numbers,
    towers, deep nesting, junk).

    Example:
        >>> expression(3) == expression(3)
        True
    """
    rng = random.Random(seed)
    if rng.random() < 0.1:
        return rng.choice(_HOSTILE)
    names = variables or VARIABLES[: rng.choice((1, 2, 2, 2, 3))]
    return _tree(rng, names, rng.randint(1, max_depth))


def _leaf(rng: random.Random, names) -> str:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(names)
    if roll < 0.85:
        return str(rng.choice((1, 2, 3, 5, 1, 2, -1, -2, 10)))
    if roll < 0.93:
        return rng.choice(("pi", "e", "1/2", "3/4", "0.5", "2.5"))
    return rng.choice(("10^30", "1e-12", "7^99", "1e300", "(1/3)^(-50)", "0"))


def _tree(rng: random.Random, names, depth: int) -> str:
    if depth <= 0:
        return _leaf(rng, names)
    roll = rng.random()
    a = _tree(rng, names, depth - 1)
    if roll < 0.55:
        b = _tree(rng, names, depth - 1)
        op = rng.choice(("+", "-", "*", "*", "+", "/", "^"))
        if op == "^":
            b = rng.choice(("2", "3", "2", "4", "1/3", "2/3", "-1", "1/2", b))
        return f"({a}) {op} ({b})"
    if roll < 0.85:
        return f"{rng.choice(_FUNCTIONS)}({a})"
    return f"{rng.choice(('', '-', '2*', '3*'))}({a})^{rng.choice(('2', '3', '4'))}"


# ------------------------------------------------------------------------------ running

def _timed(surface: str, text: str, call) -> tuple[Outcome, object]:
    """Run ``call()`` and classify what happened; RuntimeWarnings are findings too."""
    from symgd.errors import SymgdError

    start = time.perf_counter()
    value, status, detail = None, "ok", ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            value = call()
        except SymgdError as err:
            status, detail = "symgd_error", f"{type(err).__name__}: {err}"
        except RecursionError as err:  # noqa: B014 - kept apart: it names the tower inputs
            status, detail = "internal_error", f"RecursionError: {err}"
        except Exception as err:  # noqa: BLE001 - the property under test
            status, detail = "internal_error", f"{type(err).__name__}: {err}"[:400]
    out = Outcome(surface, text, status, time.perf_counter() - start)
    if status == "internal_error":
        out.findings.append(Finding(surface, "symgd types only", text, detail))
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if runtime:
        out.findings.append(Finding(surface, "no RuntimeWarning", text,
                                    str(runtime[0].message)[:200]))
    return out, value


def _budget(out: Outcome, timeout: float) -> None:
    if out.seconds > timeout + SLACK:
        out.findings.append(Finding(out.surface, "budget holds", out.text,
                                    f"{out.seconds:.1f} s against timeout={timeout:g}"))


def _json_clean(out: Outcome, data) -> None:
    try:
        json.dumps(data, allow_nan=False)
    except (TypeError, ValueError) as err:
        out.findings.append(Finding(out.surface, "to_dict is JSON", out.text, str(err)[:200]))


def check_analyze(text: str, *, timeout: float = 2.0, descend: bool = True) -> Outcome:
    """``symgd.analyze`` on one input: types, budget, points, kinds, JSON.

    Example:
        >>> check_analyze("x^2 + y^2", descend=False).findings
        []
    """
    import symgd

    out, a = _timed("analyze", text, lambda: symgd.analyze(text, timeout=timeout,
                                                           descend=descend))
    _budget(out, timeout)
    if a is None:
        return out
    _json_clean(out, _safe(lambda: a.to_dict(), out))
    _safe(lambda: str(a), out)
    out.findings.extend(_point_findings("analyze", text, a.expr, a.variables,
                                        a.critical_points))
    return out


def check_critical(text: str, *, timeout: float = 2.0, roots: bool = True) -> Outcome:
    """``symgd.critical_points``: budget, ∇f ≈ 0, kinds, and completeness by a root search.

    Example:
        >>> check_critical("x^3 - 3x").findings
        []
    """
    import symgd

    out, cps = _timed("critical_points", text,
                      lambda: symgd.critical_points(text, timeout=timeout))
    _budget(out, timeout)
    if cps is None:
        return out
    expr, names = symgd.parse(text)
    out.findings.extend(_point_findings("critical_points", text, expr, names, cps))
    if roots and cps.complete:
        out.findings.extend(_unlisted_roots(text, expr, names, cps))
    return out


def check_minimize(text: str, *, seed: int = 0, x0: list[float] | None = None) -> Outcome:
    """``symgd.minimize`` from a random start (or ``x0``): types, no RuntimeWarning, honest
    "converged": |∇f| ≤ tol at the end, and f defined (finite, computed here by SymPy's
    lambdify, not by symgd) a relative step of 1e-6 either side along each coordinate, so
    the end is not the edge of f's domain (where the computed gradient can underflow to 0).

    Example:
        >>> check_minimize("x^2 + y^2").findings
        []
        >>> check_minimize("sqrt(sin(z)^3)/(z - (2z/3)^2)", x0=[1.25]).findings
        []
    """
    import symgd

    rng = np.random.default_rng(seed)
    try:
        expr, names = symgd.parse(text)
    except Exception:  # noqa: BLE001 - the parse itself is judged by _timed below
        expr, names = None, ("x",)
    if x0 is None:
        x0 = rng.uniform(-2, 2, size=len(names)).round(3).tolist()
    out, r = _timed("minimize", text, lambda: symgd.minimize(text, x0, max_iter=300))
    if r is None:
        return out
    _json_clean(out, _safe(lambda: r.to_dict(), out))
    if r.status == "converged":
        grad = np.asarray(r.jac, dtype=float).ravel()
        if not (np.all(np.isfinite(grad)) and np.linalg.norm(grad) <= 1e-6 * 10):
            out.findings.append(Finding("minimize", "converged means |∇f| ≤ tol", text,
                                        f"|∇f| = {np.linalg.norm(grad):.3g} at {r.x}"))
        beyond = _undefined_beside(expr, names, np.asarray(r.x, dtype=float).ravel())
        if beyond is not None:
            out.findings.append(Finding("minimize", "converged only inside f's domain", text,
                                        f"converged at {r.x}, the edge of f's domain: f is "
                                        f"not finite at {beyond}"))
    return out


def _undefined_beside(expr, names, x: np.ndarray) -> list[float] | None:
    """A point x ± 1e-6 max(1, |x_i|) e_i where f (by lambdify) is not finite, or None."""
    try:
        f = _numeric(expr, names)[2]
    except Exception:  # noqa: BLE001 - functions lambdify cannot print are not judged here
        return None
    for i in range(len(x)):
        for sign in (-1.0, 1.0):
            y = x.copy()
            y[i] += sign * 1e-6 * max(1.0, abs(x[i]))
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    value = complex(f(*y))
                except (ArithmeticError, TypeError, ValueError):
                    return y.tolist()
            if not (value.imag == 0 and math.isfinite(value.real)):
                return y.tolist()
    return None


def _as_typed(expr) -> str:
    """The text a student types for ``expr``: a number past the reader's 100 digits (f's
    ``1e300`` differentiates to a 301-digit integer, 3/1e300 to a fraction) written as a
    float, as in f."""
    import mpmath
    import sympy as sp

    # shortest form (1e+999, not 1.0000000000000000e+999, which has more digits to read)
    big = {n: sp.Symbol(mpmath.nstr(mpmath.mpf(int(n.p)) / int(n.q), 15).replace(".0e", "e"))
           for n in expr.atoms(sp.Rational) if max(abs(n.p), n.q) > 10**99}
    return str(expr.xreplace(big) if big else expr)


def check_gradient_grading(text: str, *, timeout: float = 2.0) -> Outcome:
    """``symgd.check`` accepts the true gradient and rejects a perturbed one, each call within
    its budget; an answer it did not reach in time must say so (not checked), never be
    marked right.

    Example:
        >>> check_gradient_grading("x^2 y").findings
        []
    """
    import symgd

    grad = []

    def true_gradient():
        grad.extend(_as_typed(g) for g in symgd.gradient(text))

    out, _ = _timed("check", text, true_gradient)
    if out.status != "ok":
        return out
    import sympy as sp

    gradient = symgd.gradient(text)
    if any(g.has(sp.nan, sp.zoo, sp.oo, -sp.oo) for g in gradient):
        return out  # the formula is undefined as written (0^(y^2) gives log(0)): no answer
    # Doubling plus one changes every component except one equal to -1, and stays wrong at
    # any scale (adding 1 to a gradient of size 1e30 would be within tolerance); a constant
    # near -1 (-1.000000000001) gets 1 added instead.
    near_minus_one = gradient[0].is_number and abs(complex(gradient[0]) + 1) < 0.5
    changed = f"({grad[0]}) + 1" if near_minus_one else f"2*({grad[0]}) + 1"
    for answer, should_be_right in ((grad, True), ([changed] + grad[1:], False)):
        out, report = _timed("check", text,
                             lambda a=answer: symgd.check(text, gradient=a, timeout=timeout))
        _budget(out, timeout)
        if report is None:
            return out
        part = report.parts[0]
        if "Could not read" in part.feedback and "digits" in part.feedback:
            return out  # constants past the reader's documented limits (x^4/10^960): no answer
        rounded = any(a != str(g) for a, g in zip(answer, gradient))
        if should_be_right and rounded and not report.correct:
            return out  # a huge exact constant typed as 15 digits is not the exact answer
        if report.correct != should_be_right and part.checked:
            what = "accepts the true gradient" if should_be_right else \
                "rejects a perturbed gradient"
            out.findings.append(Finding("check", what, text, str(report)[:300]))
        if not part.checked and part.correct:
            out.findings.append(Finding("check", "an answer not checked is not right", text,
                                        str(report)[:300]))
        if out.findings:
            return out
    return out


def _safe(call, out: Outcome):
    try:
        return call()
    except Exception as err:  # noqa: BLE001 - the property under test
        out.findings.append(Finding(out.surface, "symgd types only", out.text,
                                    f"{type(err).__name__} in a view: {err}"[:300]))
        return None


# --------------------------------------------------------------- the maths being checked

def _numeric(expr, names):
    import sympy as sp

    from symgd.numeric.stable_forms import float_constants

    expr = float_constants(expr)  # 10^30 as a float: NumPy has no tan of a Python int
    symbols = [sp.Symbol(str(n), real=True) if isinstance(n, str) else n for n in names]
    grad = [sp.diff(expr, s) for s in symbols]
    hess = [[sp.diff(g, s) for s in symbols] for g in grad]
    mods = [{"RealRoot": lambda a, q: np.sign(a) * np.abs(a) ** (1.0 / q)}, "numpy"]
    return (sp.lambdify(symbols, grad, modules=mods), sp.lambdify(symbols, hess, modules=mods),
            sp.lambdify(symbols, expr, modules=mods))


def _point_findings(surface, text, expr, names, cps) -> list[Finding]:
    """∇f ≈ 0 at every isolated point's approximation; nondegenerate kinds match the
    eigenvalue signs of the numeric Hessian there."""
    findings = []
    try:
        grad, hess, _ = _numeric(expr, names)
    except Exception:  # noqa: BLE001 - functions lambdify cannot print are not judged here
        return findings
    for p in cps:
        if p.is_family or not getattr(p, "differentiable", True):
            continue
        x = [float(v) for v in p.approx]
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                g = np.asarray(grad(*x), dtype=float)
                h = np.asarray(hess(*x), dtype=float)
            except Exception:  # noqa: BLE001
                continue
        scale = 1.0 + max(abs(v) for v in x)
        if (np.all(np.isfinite(g)) and np.max(np.abs(g)) > 1e-6 * min(scale, 1e70) ** 4
                and not _vanishes_precisely(expr, names, p.point)):
            findings.append(Finding(surface, "∇f ≈ 0 at each point", text,
                                    f"|∇f| = {np.max(np.abs(g)):.3g} at {p.point}"))
        if np.all(np.isfinite(h)) and p.hessian_test in ("local minimum", "local maximum",
                                                         "saddle point"):
            eig = np.linalg.eigvalsh((h + h.T) / 2)
            tiny = 1e-7 * max(1.0, float(np.max(np.abs(eig))))
            if np.min(np.abs(eig)) < tiny:
                continue  # too close to degenerate for floats to judge
            expected = ("local minimum" if eig.min() > 0 else
                        "local maximum" if eig.max() < 0 else "saddle point")
            if expected != p.hessian_test:
                findings.append(Finding(surface, "kind matches the Hessian", text,
                                        f"{p.point}: {p.hessian_test}, eigenvalues {eig}"))
    return findings


def _vanishes_precisely(expr, names, point) -> bool:
    """∇f = 0 at the point to 60 digits: the float check cannot judge an ill-conditioned
    gradient (sinh(x) - 10^30 at x = asinh(10^30) cancels 30 digits, and floats gave
    |∇f| = 1e60 at a true critical point)."""
    import sympy as sp

    symbols = [sp.Symbol(str(n), real=True) if isinstance(n, str) else n for n in names]
    values = dict(zip(symbols, point, strict=True))
    try:
        parts = [sp.N(sp.diff(expr, s).xreplace(values), 60) for s in symbols]
        sizes = [abs(complex(v)) for v in parts]
    except (TypeError, ValueError, ArithmeticError):
        return False
    return max(sizes) < 1e-20


def _unlisted_roots(text, expr, names, cps, starts: int = 24) -> list[Finding]:
    """A multistart root search of ∇f in [-3, 3]^d: a root far from every listed point and
    family, where f is defined, contradicts ``complete``."""
    from scipy.optimize import root

    try:
        grad, _, fun = _numeric(expr, names)
    except Exception:  # noqa: BLE001
        return []
    d = len(names)
    rng = np.random.default_rng(0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # "zero" is relative to how large the gradient is elsewhere (z/1e300 is not flat)
        try:
            scale = np.nanmedian([np.max(np.abs(np.asarray(grad(*v), dtype=float)))
                                  for v in rng.uniform(-3, 3, size=(8, d))])
        except Exception:  # noqa: BLE001 - a gradient the checker cannot evaluate
            return []
    if not np.isfinite(scale) or scale == 0:
        return []
    listed = [np.asarray(p.approx, dtype=float) for p in cps if not p.is_family]
    found = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for x0 in rng.uniform(-3, 3, size=(starts, d)):
            try:
                sol = root(lambda v: np.asarray(grad(*v), dtype=float), x0, tol=1e-12)
            except Exception:  # noqa: BLE001
                continue
            x = sol.x
            if not (sol.success and np.all(np.isfinite(x)) and np.max(np.abs(x)) < 10):
                continue
            g = np.asarray(grad(*x), dtype=float)
            if not (np.all(np.isfinite(g)) and np.max(np.abs(g)) < 1e-9 * scale):
                continue
            try:  # f must be real at the root, and at the root rounded: y^(7/3) written as
                # y^3/cbrt(y)^2 has tiny gradients near 0, where f itself is undefined
                values = [complex(fun(*x)), complex(fun(*np.round(x, 9)))]
            except Exception:  # noqa: BLE001 - a value the checker cannot compute: not judged
                continue
            if not all(np.isfinite(v) and v.imag == 0 for v in values):
                continue
            if any(np.max(np.abs(x - q)) < 1e-4 for q in listed):
                continue
            if any(_on_family(p, x) for p in cps if p.is_family):
                continue
            if not _root_at_60_digits(expr, names, x):
                continue  # a float artefact: underflow (7^(99y) at y = -3.9), or a pole
            found.append(x)
    if not found:
        return []
    return [Finding("critical_points", "complete means nothing unlisted", text,
                    f"a root of ∇f at {np.round(found[0], 6).tolist()} is not listed")]


def _root_at_60_digits(expr, names, x: np.ndarray) -> bool:
    """Newton's method at 60 digits from a float root converges to a point where f is
    defined and the exact gradient is below 1e-30 (floats call 7^(99y) zero at y = -3.9, and
    a gradient times 1/tan(z) zero at tan's pole)."""
    import mpmath
    import sympy as sp

    symbols = [sp.Symbol(str(n), real=True) if isinstance(n, str) else n for n in names]
    grad = [sp.diff(expr, s) for s in symbols]
    try:
        g_mp = sp.lambdify(symbols, grad, "mpmath")
        f_mp = sp.lambdify(symbols, expr, "mpmath")
        with mpmath.workdps(60):
            point = mpmath.findroot(lambda *v: g_mp(*v), [mpmath.mpf(float(c)) for c in x],
                                    tol=mpmath.mpf(10) ** -50, maxsteps=60)
            point = [point] if len(symbols) == 1 else list(point)
            value = f_mp(*point)
            size = max(abs(v) for v in g_mp(*point))
            # a root, not a flat region: (1/atan(y))^(8(1 - x)^16) has |f| ~ e^-3700 and
            # |grad f| below any absolute threshold far from its critical line x = 1; where f
            # itself is that small (and not 0), judge grad log|f| = grad f / f instead
            if value != 0 and abs(value) < mpmath.mpf("1e-300"):
                size = size / abs(value)
            return bool(mpmath.isfinite(value) and mpmath.im(value) == 0 and size < 1e-30
                        and max(abs(float(c) - c0) for c, c0 in zip(point, x)) < 1e-3
                        and not _on_a_pole_as_written(expr, symbols, point))
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, ArithmeticError,
            NameError, AttributeError):
        return False


#: How close to 0 a denominator (or tan's cosine, log's argument) may come at a root before
#: the checker takes the root for the edge of f's domain: Newton's method at 60 digits walks
#: toward such an edge (y^3/x has gradient -> 0 along y = x -> 0, where f is undefined).
_EDGE = 1e-15


def _on_a_pole_as_written(expr, symbols, point) -> bool:
    """Whether f *as written* is undefined at ``point`` (to within :data:`_EDGE`): a
    denominator, tan's or sec's cosine, cot's or csc's sine is ~0, or log's argument is.

    symgd's convention, as a textbook's: ``sin(x)/tan(z^6)`` is undefined where tan(z^6) is,
    even though the quotient extends smoothly there; such a point is not a critical point.
    """
    import mpmath
    import sympy as sp

    def near_zero(sub) -> bool:
        try:
            value = sp.lambdify(symbols, sub, "mpmath")(*point)
        except (ZeroDivisionError, ValueError, TypeError, ArithmeticError):
            return True
        return bool(abs(value) < _EDGE or not mpmath.isfinite(value))

    for node in sp.preorder_traversal(expr):
        if node.is_Pow and node.exp.is_negative and not node.base.is_number:
            if near_zero(node.base):
                return True
        elif isinstance(node, (sp.tan, sp.sec)) and near_zero(sp.cos(node.args[0])):
            return True
        elif isinstance(node, (sp.cot, sp.csc)) and near_zero(sp.sin(node.args[0])):
            return True
        elif isinstance(node, sp.log) and near_zero(node.args[0]):
            return True
    return False


def _on_family(p, x: np.ndarray) -> bool:
    """Whether x lies (numerically) on a listed family: a lattice's integers solved for
    directly (n may be 10^11 for sin(10^12 z)), else the family's own distance test."""
    lattice = _lattice_distance(p, x)
    if lattice is not None:
        return lattice < 1e-6 * (1 + float(np.max(np.abs(x))))
    try:
        from symgd.analysis.match import distance_to_point

        return distance_to_point(p, x) < 1e-4
    except Exception:  # noqa: BLE001 - no way to tell: do not call it unlisted
        return True


def _lattice_distance(p, x: np.ndarray) -> float | None:
    """Distance from x to a lattice b + A n (n integer), or None for other families."""
    import sympy as sp

    params = tuple(p.parameters)
    if not params or set(params) != set(p.integer_parameters):
        return None
    try:
        A = np.array([[float(sp.diff(c, n)) for n in params] for c in p.point])
        b = np.array([float(c.xreplace({n: 0 for n in params})) for c in p.point])
    except (TypeError, ValueError):  # not linear in its integers
        return None
    n = np.linalg.lstsq(A, x - b, rcond=None)[0]
    best = np.inf
    for shift in np.ndindex(*(2,) * len(params)):  # the integer corners around n
        m = np.floor(n) + np.array(shift)
        best = min(best, float(np.max(np.abs(A @ m + b - x))))
    return best


def describe(outcomes: list[Outcome]) -> dict:
    """Counts for the README: inputs, internal errors, budget overruns, wrong points.

    Example:
        >>> describe([])["inputs"]
        0
    """
    props = [f.prop for o in outcomes for f in o.findings]
    return {"inputs": len(outcomes),
            "internal_errors": sum(o.status == "internal_error" for o in outcomes),
            "budget_overruns": props.count("budget holds"),
            "wrong_points": sum(props.count(p) for p in (
                "∇f ≈ 0 at each point", "kind matches the Hessian",
                "complete means nothing unlisted")),
            "findings": len(props),
            "max_seconds": max((o.seconds for o in outcomes), default=math.nan)}
