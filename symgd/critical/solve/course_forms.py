"""Families of critical points in the form a course writes them.

The solver's natural output is what programs sample: graphs over free coordinates and
lattices with integer parameters. A course writes the same sets differently, and this module
rewrites them that way without losing the sampleable form:

- **a circle or ellipse is one curve**: (x² + y² − 1)² is critical on the circle
  x² + y² = 1, parametrized (cos t, sin t), not on two half-circles (t, ±√(1 − t²));
- **a curve is named by its equation**: x + y = π/2 + 2πn for sin(x + y), y = x² for a
  parabola, x² + y² = 1 for the circle (kept in ``RawPoint.equations``);
- **a line is one line**: cbrt(x²)·y² is critical on y = 0, which the solver (through
  u = cbrt(x²), x = ±u^(3/2)) returns as the halves (±sqrt(t³), 0), t > 0; they are the
  line (t, 0), t ≠ 0 (the origin is on the other line of critical points, x = 0);
- **lattices that fit together are one lattice**: sin x·sin y is critical at (mπ, nπ) and
  at (π/2 + mπ, π/2 + nπ) — two lattices, not the eight of period 2π that ``solveset``
  gives (Stewart §14.7 answers it this way, with the kind depending on the parity of m + n).
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ..domain import Box
from ..records import RawPoint
from .nonzero import never_zero

__all__ = ["course_equation", "ellipse_family", "ellipse_halves", "graph_equations",
           "merge_lattices", "merge_mirror_halves", "with_course_forms"]


def course_equation(g: sp.Expr, gens: Sequence[sp.Symbol]) -> sp.Eq:
    """The curve g = 0 as a course writes it: a linear one as Σ terms = constant, one with a
    variable of degree 1 solved for it, an ellipse with its squares completed, otherwise the
    constant moved to the right.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> course_equation(x**2 + y**2 - 1, (x, y)), course_equation(y - x**2, (x, y))
        (Eq(x**2 + y**2, 1), Eq(y, x**2))
        >>> course_equation(x - y, (x, y)), course_equation(x + y - 1, (x, y))
        (Eq(y, x), Eq(x + y, 1))
        >>> course_equation(x**2 - 2*x + y**2 - 3, (x, y))
        Eq(y**2 + (x - 1)**2, 4)
    """
    g = sp.expand(g)
    used = [s for s in gens if g.has(s)]
    constant = g.as_independent(*used, as_Add=True)[0]
    variable = g - constant
    if sp.Poly(g, *used).total_degree() == 1:
        if constant == 0 and len(used) == 2:  # the line y = x, y = -2x
            last = used[-1]
            return sp.Eq(last, sp.solve(g, last)[0], evaluate=False)
        if variable.could_extract_minus_sign():
            variable, constant = -variable, -constant
        return sp.Eq(variable, -constant, evaluate=False)
    for s in reversed(used):
        coefficient = g.coeff(s, 1)
        rest = g - coefficient * s
        if coefficient.is_number and coefficient != 0 and not rest.has(s):
            return sp.Eq(s, sp.expand(-rest / coefficient), evaluate=False)
    shape = _ellipse(g, used)
    if shape is not None:
        (a, b), (a0, b0), (ka, kb), r = shape
        return sp.Eq(ka * (a - a0) ** 2 + kb * (b - b0) ** 2, r, evaluate=False)
    return sp.Eq(variable, -constant, evaluate=False)


def _ellipse(g: sp.Expr, used: Sequence[sp.Symbol]):
    """``((a, b), center, (ka, kb), r)`` when g = ka (a - a0)² + kb (b - b0)² - r with
    ka, kb, r > 0 (rational), else None. No a·b term: a rotated ellipse keeps its graphs."""
    if len(used) != 2:
        return None
    a, b = used
    poly = sp.Poly(g, a, b)
    if poly.total_degree() != 2 or poly.coeff_monomial(a * b) != 0:
        return None
    ka, kb = poly.coeff_monomial(a**2), poly.coeff_monomial(b**2)
    la, lb = poly.coeff_monomial(a), poly.coeff_monomial(b)
    c = poly.coeff_monomial(1)
    if not all(v.is_Rational for v in (ka, kb, la, lb, c)) or ka * kb <= 0:
        return None
    if ka < 0:
        ka, kb, la, lb, c = -ka, -kb, -la, -lb, -c
    a0, b0 = -la / (2 * ka), -lb / (2 * kb)
    r = ka * a0**2 + kb * b0**2 - c
    if r <= 0:
        return None
    return (a, b), (a0, b0), (ka, kb), r


def ellipse_family(basis: Sequence[sp.Expr], gens: Sequence[sp.Symbol],
                   parameter: sp.Symbol, nonzero: Sequence[sp.Expr] = ()
                   ) -> RawPoint | None:
    """A component that is an axis-parallel ellipse (every other coordinate fixed) as one
    family (a0 + α cos t, b0 + β sin t), with its equation; None otherwise, or when a
    denominator might vanish on it.

    Example:
        >>> x, y, t = sp.symbols("x y t", real=True)
        >>> ellipse_family([x**2 + y**2 - 1], (x, y), t).point
        (cos(t), sin(t))
    """
    curved = [g for g in basis if sp.Poly(g, *gens).total_degree() == 2]
    fixed = {}
    for g in basis:
        if g in curved:
            continue
        free = [s for s in gens if g.has(s)]
        if len(free) != 1 or sp.Poly(g, *free).total_degree() != 1:
            return None
        (s,) = free
        fixed[s] = sp.solve(g, s)[0]
    if len(curved) != 1:
        return None
    used = [s for s in gens if curved[0].has(s)]
    shape = _ellipse(sp.expand(curved[0]), used)
    if shape is None or set(fixed) | set(used) != set(gens):
        return None
    (a, b), (a0, b0), (ka, kb), r = shape
    on = {a: a0 + sp.sqrt(r / ka) * sp.cos(parameter),
          b: b0 + sp.sqrt(r / kb) * sp.sin(parameter), **fixed}
    if not all(never_zero(sp.simplify(d.xreplace(on))) for d in nonzero):
        return None
    point = tuple(on[s] for s in gens)
    equations = (sp.Eq(ka * (a - a0) ** 2 + kb * (b - b0) ** 2, r, evaluate=False),)
    equations += tuple(sp.Eq(s, v, evaluate=False) for s, v in fixed.items())
    return RawPoint(point, parameters=(parameter,), equations=equations)


def ellipse_halves(raw: RawPoint) -> list[RawPoint]:
    """The two graphs (t, ±√(1 − t²)) behind an ellipse family (cos t, sin t): what the
    classifier decides (its algebra is faster than trigonometric simplification); empty for
    another family.

    Example:
        >>> x, y, t = sp.symbols("x y t", real=True)
        >>> circle = RawPoint((sp.cos(t), sp.sin(t)), (t,), equations=(sp.Eq(x**2 + y**2, 1),))
        >>> [h.point for h in ellipse_halves(circle)]
        [(t, -sqrt(1 - t**2)), (t, sqrt(1 - t**2))]
    """
    if len(raw.parameters) != 1 or raw.integer_parameters or not raw.equations:
        return []
    (t,) = raw.parameters
    if not any(c.has(sp.cos(t)) for c in raw.point) or any(
            c.has(t) and not (c.has(sp.cos(t)) or c.has(sp.sin(t))) for c in raw.point):
        return []
    halves = []
    for sign in (-1, 1):
        point = tuple(sp.expand(c.xreplace({sp.cos(t): t, sp.sin(t): sign * sp.sqrt(1 - t**2)}))
                      for c in raw.point)
        if any(c.has(sp.cos, sp.sin) for c in point):
            return []
        halves.append(RawPoint(point, (t,), raw.exact, (t >= -1, t <= 1),
                               differentiable=raw.differentiable))
    return halves


def graph_equations(raw: RawPoint, symbols: Sequence[sp.Symbol]) -> tuple[sp.Basic, ...]:
    """The equation of a hypersurface family written as a graph (one real parameter per
    free coordinate, each parameter a coordinate itself): ``(2πn − t + π/2, t)`` is
    x + y = π/2 + 2πn.

    Example:
        >>> x, y, t, n = sp.symbols("x y t n", real=True)
        >>> raw = RawPoint((2*sp.pi*n - t + sp.pi/2, t), (t, n), integer_parameters=(n,))
        >>> graph_equations(raw, (x, y))
        (Eq(x + y, 2*pi*n + pi/2),)
    """
    reals = [p for p in raw.parameters if p not in raw.integer_parameters]
    if not reals or len(reals) != len(symbols) - 1:
        return ()
    rename, graph = {}, []
    for s, c in zip(symbols, raw.point, strict=True):
        if c in reals and c not in rename:
            rename[c] = s
        else:
            graph.append((s, c))
    if len(rename) != len(reals) or len(graph) != 1:
        return ()
    (last,) = graph
    g = sp.expand(last[0] - last[1].xreplace(rename))
    if not g.is_polynomial(*symbols):
        return ()
    return (course_equation(g, symbols),)


# -- lattices ------------------------------------------------------------------------------
def _lattice_shape(raw: RawPoint, symbols):
    """Per coordinate ``(n, offset, period)`` for b + p·n with its own integer parameter n,
    ``(None, c, None)`` for a constant c, ``(t, None, None)`` for a real parameter t that is
    the coordinate itself (a line of the lattice); None when the family has another shape."""
    if not raw.integer_parameters or raw.conditions:
        return None
    reals = set(raw.parameters) - set(raw.integer_parameters)
    shape, seen = [], set()
    for c in raw.point:
        if c in reals:
            shape.append((c, None, None))
            continue
        params = [p for p in raw.parameters if c.has(p)]
        if not params:
            shape.append((None, c, None))
            continue
        if len(params) != 1 or params[0] in seen or params[0] in reals:
            return None
        (n,) = params
        period = sp.diff(c, n)
        if period.has(n) or not period.is_positive:
            return None
        seen.add(n)
        shape.append((n, sp.expand(c - period * n), period))
    if len(seen) + sum(1 for n, o, p in shape if o is None) != len(raw.parameters):
        return None
    return shape


def _same_modulo(a: sp.Expr, b: sp.Expr, period: sp.Expr) -> bool:
    ratio = sp.simplify((a - b) / period)
    return bool(ratio.is_integer)


def _reduced(offset: sp.Expr, period: sp.Expr) -> sp.Expr:
    ratio = sp.simplify(offset / period)
    if ratio.is_Rational:
        return sp.expand((ratio - sp.floor(ratio)) * period)
    return offset


def merge_lattices(raws: Sequence[RawPoint], symbols: Sequence[sp.Symbol]
                   ) -> list[tuple[RawPoint, tuple[int, ...]]]:
    """Lattices (in two or more variables) whose union is one lattice of half the period in
    every coordinate that moves: the eight lattices of sin x·sin y become two. Each result
    comes with the indices of the raw points it replaces (one index for a point kept).

    Whether a merge reads better depends on the kinds (sin x + cos y keeps its four
    lattices: max, min and two kinds of saddle), so the caller decides after classifying.

    Example:
        >>> x, y, n, m = sp.symbols("x y n m", integer=True)
        >>> quarter = [RawPoint((sp.pi*a + 2*sp.pi*n, sp.pi*b + 2*sp.pi*m), (n, m),
        ...                     integer_parameters=(n, m)) for a in (0, 1) for b in (0, 1)]
        >>> [(r.point, members) for r, members in merge_lattices(quarter, (x, y))]
        [((pi*n, pi*m), (0, 1, 2, 3))]
    """
    shapes = [_lattice_shape(raw, symbols) if len(symbols) > 1 else None for raw in raws]
    entries = [((raw.parameters, raw.integer_parameters), shape, (i,), frozenset())
               for i, (raw, shape) in enumerate(zip(raws, shapes, strict=True))
               if shape is not None and any(period for _, _, period in shape)]
    changed = True
    while changed:
        changed = False
        for i in range(len(symbols)):  # halve one coordinate as far as it goes, then the next
            while (merged := _halve(entries, i)) is not None:
                entries, changed = merged, True
    out: list[tuple[RawPoint, tuple[int, ...]]] = []
    used: set[int] = set()
    for (params, integers), shape, members, halved in entries:
        moving = {i for i, (_, _, period) in enumerate(shape) if period is not None}
        if len(members) > 1 and halved >= moving:
            point = tuple(n if offset is None else offset if n is None else offset + period * n
                          for n, offset, period in shape)
            out.append((RawPoint(point, parameters=params, integer_parameters=integers),
                        tuple(sorted(members))))
            used.update(members)
    out += [(raw, (i,)) for i, raw in enumerate(raws) if i not in used]
    return sorted(out, key=lambda item: item[1][0])


def _halve(entries, i):
    """Merge two entries differing only by half a period in coordinate i; None if none do."""
    for j, (params, shape, members, halved) in enumerate(entries):
        n, offset, period = shape[i]
        if period is None:
            continue
        for k, (params2, other, members2, halved2) in enumerate(entries):
            if k == j or params2 != params or not _fits(shape, other, i):
                continue
            if _same_modulo(other[i][1], offset + period / 2, period):
                half = period / 2
                merged = list(shape)
                merged[i] = (n, _reduced(offset, half), half)
                rest = [e for idx, e in enumerate(entries) if idx not in (j, k)]
                return rest + [(params, merged, members + members2,
                                halved | halved2 | {i})]
    return None


def _fits(a, b, i) -> bool:
    """Same parameters and periods everywhere, same offsets (modulo) except in coordinate i."""
    for index, ((n, offset, period), (m, offset2, period2)) in enumerate(zip(a, b, strict=True)):
        if n != m or (period != period2 and not (period is None and period2 is None)):
            return False
        if index == i or offset is None:
            continue
        if period is None and sp.simplify(offset - offset2) != 0:
            return False
        if period is not None and not _same_modulo(offset, offset2, period):
            return False
    return a[i][2] == b[i][2]


def with_course_forms(raws: Sequence[RawPoint], symbols: Sequence[sp.Symbol],
                      box: Box | None) -> list[RawPoint]:
    """Give every hypersurface family written as a graph its equation (lattices are merged
    after classification, see :func:`merge_lattices`).

    Example:
        >>> x, y, t, n = sp.symbols("x y t n", real=True)
        >>> raw = RawPoint((2*sp.pi*n - t + sp.pi/2, t), (t, n), integer_parameters=(n,))
        >>> with_course_forms([raw], (x, y), None)[0].equations
        (Eq(x + y, 2*pi*n + pi/2),)
    """
    done = []
    for raw in merge_mirror_halves(raws):
        if raw.parameters and not raw.equations:
            equations = graph_equations(raw, symbols)
            if equations:
                raw = RawPoint(raw.point, raw.parameters, raw.exact, raw.conditions,
                               raw.integer_parameters, equations,
                               differentiable=raw.differentiable)
        done.append(raw)
    return done


def merge_mirror_halves(raws: Sequence[RawPoint]) -> list[RawPoint]:
    """Pairs of families (±c·t^e, rest), t > 0 (or t ≥ 0), with c > 0, e > 0 and ``rest``
    free of t, as the one family (t, rest) with t ≠ 0 (or every real t): t ↦ c·t^e maps
    t > 0 onto (0, ∞) one to one, so the two halves are exactly the line without (with)
    its point at 0. Other families are kept as they are.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> halves = [RawPoint((s * sp.sqrt(t**3), sp.Integer(0)), (t,), conditions=(t > 0,))
        ...           for s in (-1, 1)]
        >>> [(r.point, r.conditions) for r in merge_mirror_halves(halves)]
        [((t, 0), (Ne(t, 0),))]
    """
    raws = list(raws)
    merged: list[RawPoint] = []
    used: set[int] = set()
    for i, a in enumerate(raws):
        if i in used:
            continue
        for j in range(i + 1, len(raws)):
            if j in used:
                continue
            line = _mirror_line(a, raws[j])
            if line is not None:
                merged.append(line)
                used.update((i, j))
                break
        else:
            merged.append(a)
    return merged


def _mirror_line(a: RawPoint, b: RawPoint) -> RawPoint | None:
    if not (len(a.parameters) == 1 and a.parameters == b.parameters
            and not a.integer_parameters and not b.integer_parameters
            and not a.equations and not b.equations
            and a.differentiable == b.differentiable and a.exact and b.exact
            and len(a.conditions) == 1 and set(a.conditions) == set(b.conditions)):
        return None
    (t,) = a.parameters
    (condition,) = a.conditions
    if condition not in (t > 0, t >= 0):
        return None
    moving = [k for k, (p, q) in enumerate(zip(a.point, b.point, strict=True)) if p != q]
    if len(moving) != 1:
        return None
    (k,) = moving
    if any(c.has(t) for i, c in enumerate(a.point) if i != k):
        return None
    h = a.point[k] if a.point[k].could_extract_minus_sign() is False else b.point[k]
    if sp.expand(a.point[k] + b.point[k]) != 0 or not _increasing_power(h, t):
        return None
    point = a.point[:k] + (t,) + a.point[k + 1:]
    conditions = (sp.Ne(t, 0),) if condition == (t > 0) else ()
    return RawPoint(point, a.parameters, a.exact, conditions, (), (),
                    differentiable=a.differentiable)


def _increasing_power(h: sp.Expr, t: sp.Symbol) -> bool:
    """h = c·t^e with c > 0 and e > 0 rational (sqrt(t³) = t^(3/2)): on t > 0 it takes
    every value in (0, ∞) exactly once."""
    coefficient, power = sp.powsimp(sp.powdenest(h, force=False)).as_coeff_Mul()
    if not (coefficient.is_Rational and coefficient > 0):
        return False
    if power == t:
        return True
    base, exponent = power.as_base_exp()
    if base == t:
        return bool(exponent.is_Rational and exponent > 0)
    inner, root = base.as_base_exp() if base.is_Pow else (None, None)
    return bool(inner == t and root.is_Rational and root > 0 and exponent.is_Rational
                and exponent > 0)
