"""Real solutions of a polynomial system, exactly: Gröbner bases with factorizing splitting.

Method (Cox, Little & O'Shea, *Ideals, Varieties, and Algorithms*, ch. 3 and 4; the
factorizing Gröbner algorithm of Czapor / Gräbe):

1. Compute a lexicographic Gröbner basis. Whenever a basis polynomial factors over Q, split
   into one branch per distinct irreducible factor and recurse. The leaves are the
   (Q-irreducible, in practice prime) components of the variety; a component contained in
   another is dropped, so a point on a line is not reported twice.
2. A zero-dimensional component: each variable's eliminant (the univariate polynomial of a
   lex basis with that variable last) has finitely many real roots, exact as radicals or
   ``CRootOf``; combinations are matched variable by variable against the basis at 60 digits
   (each root is pinned down by its isolating interval, so the match is unambiguous).
3. A positive-dimensional component of dimension d: a maximal independent set of d
   variables becomes the parameters t, s, u; the other variables are solved for them
   (``sympy.solve``), choosing the independent set that gives the fewest, radical-free
   branches (so the parabola y = x**2 is ``(t, t**2)``, not ``(±sqrt(t), t)``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import mpmath
import sympy as sp
from sympy.polys.orderings import lex

from ..domain import Box, inside_box
from ..records import RawPoint
from .course_forms import course_equation, ellipse_family
from .families import approx_key, dedupe, parameter_symbols, restrict_family

__all__ = ["components", "solve_polynomial_system", "zero_dimensional_points", "parametrize",
           "dimension_and_free_sets"]

DIGITS = 60


def _groebner(polys: Sequence[sp.Expr], gens: Sequence[sp.Symbol]) -> list[sp.Expr]:
    return list(sp.groebner(list(polys), *gens, order="lex").exprs)


def components(polys: Sequence[sp.Expr], gens: Sequence[sp.Symbol]) -> list[list[sp.Expr]]:
    """Split the variety of ``polys`` into components, each given by its lex Gröbner basis.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> components([2*x*y**2, 2*x**2*y], (x, y))
        [[x], [y]]
    """
    leaves: list[list[sp.Expr]] = []
    _split(list(polys), tuple(gens), leaves, set())
    leaves.sort(key=lambda basis: [str(b) for b in basis])  # factor order is not stable
    return _drop_contained(leaves, gens)


def _split(polys, gens, leaves, seen) -> None:
    basis = _groebner(polys, gens)
    key = tuple(basis)
    if basis == [1] or key in seen:
        return
    seen.add(key)
    for index, g in enumerate(basis):
        # factor a Poly, not an expression: sp.factor_list(expr) first runs together()
        # on it, which doubled the time of this loop
        poly = sp.Poly(g, *gens)
        factors = [f for f, _ in poly.factor_list()[1] if not f.is_ground]
        # g itself up to a constant (factor_list clears denominators: y^11 + y/3888 - 5/7776
        # comes back as 7776 y^11 + 2y - 5): nothing to split. Splitting it anyway found the
        # same basis again, which the seen-guard then dropped, and the component was lost.
        if len(factors) == 1 and factors[0].monic() == poly.monic():
            continue
        factors = [f.as_expr() for f in factors]
        rest = basis[:index] + basis[index + 1:]
        for factor in factors:  # V(g) is the union of the V(factor)
            _split(rest + [factor], gens, leaves, seen)
        return
    leaves.append(basis)


def _contains(big: list[sp.Expr], small: list[sp.Expr], gens) -> bool:
    """Whether V(small) lies inside V(big): every generator of big is in the ideal of small."""
    basis = sp.groebner(small, *gens, order="lex")
    return all(basis.contains(g) for g in big)


def _drop_contained(leaves, gens) -> list[list[sp.Expr]]:
    # A variety lies inside another only if its dimension is not larger; two finite ones
    # only if they are the same points, which dedupe() merges later anyway. So only pairs
    # with dim(small) < dim(big), or equal positive dimensions, need the Gröbner test
    # (19 finite components took 3 s of pairwise tests, for nothing).
    dims = [dimension_and_free_sets(leaf, gens)[0] for leaf in leaves]
    kept: list[list[sp.Expr]] = []
    for i, leaf in enumerate(leaves):
        inside_other = any(
            (dims[j] > dims[i] or dims[j] == dims[i] > 0)
            and _contains(other, leaf, gens) and (not _contains(leaf, other, gens) or j < i)
            for j, other in enumerate(leaves) if j != i)
        if not inside_other:
            kept.append(leaf)
    return kept


def dimension_and_free_sets(basis: list[sp.Expr], gens: Sequence[sp.Symbol]
                            ) -> tuple[int, list[tuple]]:
    """The dimension of a component and its candidate free-variable sets of that size.

    A set S is independent modulo the leading-term ideal when no leading monomial uses only
    variables of S; the largest such size is the dimension (Cox-Little-O'Shea §9.3).

    Example:
        >>> x, y, z = sp.symbols("x y z", real=True)
        >>> dimension_and_free_sets([x, z], (x, y, z))
        (1, [(y,)])
    """
    supports = []
    for g in basis:
        # the order as an object, not "lex": with python-flint installed SymPy keeps
        # univariate polynomials in flint, whose monoms() fails on an order's name
        leading = sp.Poly(g, *gens).monoms(order=lex)[0]
        supports.append({v for v, e in zip(gens, leading, strict=True) if e})
    # A variable whose pure power leads some generator is never free, and the supports it
    # meets need no further test: only the rest is enumerated (2^30 subsets for a sum of 30
    # squares became one). The sets found are exactly those of the full enumeration.
    forced = set().union(*(sup for sup in supports if len(sup) == 1))
    supports = [sup for sup in supports if not sup & forced]
    candidates = [v for v in gens if v not in forced]
    for size in range(len(candidates), -1, -1):
        free = [s for s in itertools.combinations(candidates, size)
                if not any(sup <= set(s) for sup in supports)]
        if free:
            return size, free
    return 0, [()]


def _independent(basis, gens, free) -> bool:
    dependents = [g for g in gens if g not in free]
    eliminated = _groebner(basis, dependents + list(free))
    return not any(e.free_symbols and e.free_symbols <= set(free) for e in eliminated)


def _graph_solutions(basis, gens, free):
    dependents = [g for g in gens if g not in free]
    # plain (not real) unknowns: a graph with complex values must still be seen, so that
    # its real points (where the imaginary part vanishes) are found later
    plain = {g: sp.Dummy(g.name) for g in dependents}
    try:
        found = sp.solve([b.subs(plain) for b in basis], list(plain.values()), dict=True)
    except (NotImplementedError, ValueError, TypeError):
        return None
    back = {d: g for g, d in plain.items()}
    solutions = [{back[k]: v for k, v in s.items() if k in back} for s in found]
    if not solutions or any(set(s) != set(dependents) or any(
            v.free_symbols - set(free) for v in s.values()) for s in solutions):
        return None
    return solutions


def _score(solutions) -> tuple[int, int]:
    radicals = sum(1 for s in solutions for v in s.values()
                   for p in v.atoms(sp.Pow) if not p.exp.is_Integer)
    return len(solutions), radicals


def parametrize(basis: list[sp.Expr], gens: Sequence[sp.Symbol], dimension: int,
                symbols: Sequence[sp.Symbol] | None = None
                ) -> tuple[tuple[sp.Symbol, ...], list[tuple[sp.Expr, ...]]] | None:
    """Write a positive-dimensional component as graph(s) over free variables.

    Returns ``(parameters, [point, ...])`` or None when no graph form is found.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> parametrize([x**2 - y], (x, y), 1)
        ((t,), [(t, t**2)])
    """
    best = None
    candidates = [s for s in itertools.combinations(gens, dimension)]
    for free in candidates:
        if not _independent(basis, gens, free):
            continue
        solutions = _graph_solutions(basis, gens, free)
        if solutions is not None and (best is None or _score(solutions) < _score(best[1])):
            best = (free, solutions)
    if best is None:
        return None
    free, solutions = best
    params = parameter_symbols(dimension, symbols or gens)
    rename = dict(zip(free, params, strict=True))
    points = [tuple(rename[g] if g in rename else sp.expand(s[g].subs(rename)) for g in gens)
              for s in solutions]
    return params, points


def _eliminant(basis, gens, variable) -> sp.Expr:
    order = [g for g in gens if g != variable] + [variable]
    last = basis[-1] if gens[-1] == variable else _groebner(basis, order)[-1]
    if last.free_symbols != {variable}:
        raise ValueError("component is not zero-dimensional")
    return last


def _real_roots(poly: sp.Expr, variable) -> list[sp.Expr]:
    roots: list[sp.Expr] = []
    for factor, _ in sp.Poly(poly, variable).factor_list()[1]:  # a Poly: no together()
        binomial = _binomial_roots(factor)
        roots.extend(factor.real_roots() if binomial is None else binomial)
    return list(dict.fromkeys(roots))


def _binomial_roots(factor: sp.Poly) -> list[sp.Expr] | None:
    """The real roots of a·x^n + b as c^(1/n) for c = -b/a > 0 (±c^(1/n) for even n), as
    -|c|^(1/n) for c < 0 and odd n, none for c < 0 and even n; without ``real_roots``, which
    builds all n complex roots and expands them (0.05-0.1 s in a fresh process for the
    mission's 81x^5 = -64). The forms are SymPy's own for c > 0; for c < 0 SymPy sometimes
    writes the same number as a sum (-18^(1/3)/24 - 2^(1/3)·3^(2/3)/8 for -18^(1/3)/6).
    None when the factor is not such a binomial.

    Example:
        >>> z = sp.Symbol("z")
        >>> _binomial_roots(sp.Poly(3*z**5 - 18, z)), _binomial_roots(sp.Poly(z**4 - 2, z))
        ([6**(1/5)], [-2**(1/4), 2**(1/4)])
        >>> _binomial_roots(sp.Poly(81*z**5 + 64, z)), _binomial_roots(sp.Poly(z**2 + 1, z))
        ([-2*6**(1/5)/3], [])
    """
    if len(factor.terms()) != 2 or factor.degree() < 2 or factor.coeff_monomial(1) == 0:
        return None
    n = factor.degree()
    c = -factor.coeff_monomial(1) / factor.LC()
    if not c.is_Rational:
        return None
    if c < 0:
        return [] if n % 2 == 0 else [-sp.root(-c, n)]
    r = sp.root(c, n)
    return [-r, r] if n % 2 == 0 else [r]


def _vanishes(poly: sp.Poly, values: Sequence) -> bool:
    """|p(v)| tiny compared to the sum of the absolute values of its terms (60 digits)."""
    total, scale = mpmath.mpf(0), mpmath.mpf(0)
    for monom, coeff in poly.terms():
        term = mpmath.mpf(sp.Rational(coeff).p) / sp.Rational(coeff).q
        for v, e in zip(values, monom, strict=True):
            term *= v ** e
        total += term
        scale += abs(term)
    return abs(total) <= scale * mpmath.mpf(10) ** (-DIGITS + 15)


def zero_dimensional_points(basis: list[sp.Expr], gens: Sequence[sp.Symbol]
                            ) -> list[tuple[sp.Expr, ...]]:
    """Every real point of a zero-dimensional component, with exact coordinates.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> zero_dimensional_points([x - y, y**2 - 2], (x, y))
        [(-sqrt(2), -sqrt(2)), (sqrt(2), sqrt(2))]
    """
    n = len(gens)
    roots = [_real_roots(_eliminant(basis, gens, v), v) for v in gens]
    if any(not r for r in roots):
        return []
    with mpmath.workdps(DIGITS):
        numeric = [[mpmath.mpf(str(sp.N(r, DIGITS))) for r in rs] for rs in roots]
        tails: list[tuple[int, ...]] = [()]
        for k in reversed(range(n)):
            assigned = gens[k:]
            checks = [sp.Poly(g, *assigned) for g in basis
                      if g.free_symbols <= set(assigned) and gens[k] in g.free_symbols]
            tails = [(i,) + tail for tail in tails for i in range(len(roots[k]))
                     if all(_vanishes(p, [numeric[k][i]] + [numeric[k + 1 + j][t]
                                                           for j, t in enumerate(tail)])
                            for p in checks)]
    return [tuple(roots[k][i] for k, i in enumerate(tail)) for tail in tails]


def solve_polynomial_system(polys: Sequence[sp.Expr], gens: Sequence[sp.Symbol], *,
                            box: Box | None = None, nonzero: Sequence[sp.Expr] = (),
                            course_forms: bool = False
                            ) -> tuple[list[RawPoint], bool, list[str]]:
    """Every real solution of ``polys = 0`` in the open box, where no ``nonzero`` vanishes.

    With ``course_forms`` (the gens are the variables) a component that is a circle or an
    axis-parallel ellipse is one family (cos t, sin t), and a curve or surface given by one
    equation carries it (:mod:`symgd.critical.solve.course_forms`).

    Returns:
        ``(raw_points, complete, notes)``.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> pts, complete, _ = solve_polynomial_system([3*x**2 - 3, 2*y], (x, y))
        >>> [p.point for p in pts], complete
        ([(-1, 0), (1, 0)], True)
    """
    gens = tuple(gens)
    linear = _linear_point(polys, gens)
    if linear is not None:
        points = [RawPoint(p) for p in linear if _keeps_point(p, gens, box, nonzero, [])]
        return points, True, []
    parts = components(polys, gens)
    families, points, notes, complete = [], [], [], True
    family_bases: list = []  # per parametrized component: its basis, or None if not real
    lone: list[tuple[RawPoint, int]] = []
    for basis in parts:
        dim, _ = dimension_and_free_sets(basis, gens)
        if dim == 0:
            points.extend(RawPoint(p) for p in zero_dimensional_points(basis, gens))
            continue
        circle = _circle(basis, gens, box, nonzero) if course_forms and dim == 1 else None
        if circle is not None:
            families.append(circle)
            family_bases.append(basis)
            continue
        found = parametrize(basis, gens, dim)
        if found is None:
            complete = False
            notes.append(f"could not parametrize the {dim}-dimensional set "
                         f"{{{', '.join(str(b) + ' = 0' for b in basis)}}}")
            continue
        params, graphs = found
        real_family = False
        for graph in graphs:
            nz = [sp.simplify(d.subs(dict(zip(gens, graph, strict=True)))) for d in nonzero]
            if any(d == 0 for d in nz):
                continue
            raws, decided = restrict_family(graph, params, gens, box, nz)
            if course_forms and len(basis) == 1:
                equation = (course_equation(basis[0], gens),)
                raws = [RawPoint(r.point, r.parameters, r.exact, r.conditions,
                                 r.integer_parameters, equation) if r.parameters else r
                        for r in raws]
            families.extend(r for r in raws if r.parameters)
            real_family = real_family or any(r.parameters for r in raws)
            # A complex curve can be real at single points only (x + y + z = 0 and
            # y**2 + y*z + z**2 = 0 is real at the origin alone): those are isolated points,
            # checked below against the real families of the other components.
            lone.extend((r, len(family_bases)) for r in raws if not r.parameters)
            complete = complete and decided
        family_bases.append(basis if real_family else None)
    points = [p for p in points if _keeps_point(p.point, gens, box, nonzero, family_bases)]
    points += [r for r, own in lone if _keeps_point(
        r.point, gens, box, nonzero, [b for i, b in enumerate(family_bases) if i != own])]
    return sorted(dedupe(points), key=approx_key) + families, complete, notes


def _linear_point(polys, gens) -> list[tuple[sp.Expr, ...]] | None:
    """The solutions of a linear system with at most one solution, by linear algebra; None
    when the system is not linear or its solutions form a line or more (left to Gröbner and
    the parametrization). A quadratic f in 30 variables has a linear gradient: 30 Gröbner
    eliminants took 14 s for what one elimination does in milliseconds."""
    if not polys or any(sp.Poly(p, *gens).total_degree() > 1 for p in polys):
        return None
    solutions = sp.linsolve(list(polys), list(gens))
    if not solutions:
        return []
    (solution,) = solutions
    if any(c.free_symbols for c in solution):
        return None
    return [tuple(solution)]


def _circle(basis, gens, box, nonzero) -> RawPoint | None:
    """The component as one closed curve (cos t, sin t), when it is an ellipse the box does
    not cut."""
    if box and any(s in box for s in gens):
        return None
    (t,) = parameter_symbols(1, gens)
    return ellipse_family(basis, gens, t, nonzero)


def _keeps_point(point, gens, box, nonzero, family_bases) -> bool:
    if not inside_box(point, gens, box):
        return False
    values = dict(zip(gens, point, strict=True))
    if any(abs(sp.N(d.subs(values), 50)) < 1e-40 for d in nonzero):
        return False
    with mpmath.workdps(DIGITS):
        numeric = [mpmath.mpf(str(sp.N(c, DIGITS))) for c in point]
        return not any(all(_vanishes(sp.Poly(b, *gens), numeric) for b in basis)
                       for basis in family_bases if basis is not None)
