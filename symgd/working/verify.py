"""The verifier: every claim behind a step is checked here before the step is shown.

Each kind of claim has one exact check:

- ``derivative`` (expr, v, result): ``diff(expr, v) - result`` is identically 0;
- ``equal`` (a, b): ``a - b`` is identically 0 (the parts of a derivative add up to it, a
  Hessian entry, f at a point, D at a point);
- ``split`` (equation, cases, never_zero): the equation is, up to a non-zero constant, the
  product of the cases' factors and of factors that are never 0, so its solution set is the
  union of the cases' (the zero-product property). A dropped case leaves a factor unmatched;
- ``never_zero`` (factor,): no real value of the variables makes it 0 (e^u, (−1)^n, a
  polynomial without real roots, a non-zero number);
- ``linear`` (equation, v, solution): the equation is a·v + b with a non-zero number a, and
  the solution makes it 0, so ``equation = 0 ⇔ v = solution``;
- ``substitute`` (old, v, value, new): ``new`` is ``old`` with ``v`` replaced by ``value``;
- ``definite`` (form, variables): a quadratic form with a definite matrix (Sylvester's
  criterion), so it is 0 only at 0;
- ``real_roots`` (p, v, roots): the roots are exactly the real roots of the polynomial p;
- ``few_roots`` (p, v, roots): p has degree 1 or 2 (any real coefficients, √2 included)
  and these are its real roots, as many as the sign of the discriminant says;
- ``no_real_roots`` (p, v): p has no real root (counted exactly by Sturm's theorem);
- ``eliminant`` (equations, variables, p): p lies in the ideal of the equations (a lex
  Gröbner basis contains it), so every solution of the system is a root of p;
- ``same_ideal`` (equations, basis, variables): the two systems generate the same ideal
  (equal reduced Gröbner bases), so they have the same solutions;
- ``general_solution`` (expr, v, lattices): the lattices ``base + period·n`` solve
  ``expr = 0`` (checked exactly at n = −2, ..., 2) and are the whole real solution set that
  ``solveset`` finds;
- ``consistent`` (equations, variables): the polynomial equations have a common complex
  solution (their reduced Gröbner basis is not {1});
- ``active_sets`` (inequalities, cases, impossible): every set of inequalities is listed as
  a case exactly once or contains an impossible set, which is not listed (the enumeration
  of the KKT cases is complete);
- ``vanishes`` (gradient, variables, point): ∇f is 0 at the point (exactly; at 50 digits
  for points whose coordinates are roots of high-degree polynomials, and said so);
- ``sign`` (value, s): the exact sign of a number is s;
- ``even_powers`` (g, variables, positive): every term of the polynomial g is an even power
  with a coefficient of the claimed sign (so g ≥ 0, or g ≤ 0);
- ``lowest_term`` (r, t, c, k): r(t) starts with c·t^k near t = 0;
- ``eigenvalues`` (matrix, values): the characteristic polynomial is the product of
  (λ − value) over the values;
- ``iterate`` (x, lr, g, x_next): one step of gradient descent in floating point;
- ``float_value`` (expr, variables, point, value): expr at the point is the float value;
- ``pattern`` (iterates, x0, fixed, factor): every iterate is fixed + (x0 − fixed)·factor^k;
- ``largest_eigenvalue`` (expr, variables, at, L): L is the largest eigenvalue of the
  Hessian (exactly for a constant Hessian, at the point ``at`` otherwise).

Every check runs under a time budget; one that cannot finish counts as not verified.
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath
import numpy as np
import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.classify.signs import try_sign
from symgd.errors import SolveTimeout

from .records import Claim, Step

__all__ = ["check_claim", "check_step", "is_identically_zero", "never_zero", "failed_claims",
           "factors_of"]

SECONDS = 3.0  # for one claim
HARD = (SolveTimeout, NotImplementedError, ValueError, TypeError, ArithmeticError,
        sp.polys.polyerrors.BasePolynomialError, AttributeError, RecursionError)


def is_identically_zero(expr: sp.Expr, seconds: float = SECONDS) -> bool:
    """Whether ``expr`` is 0 for every value of its variables (False when not proved).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> is_identically_zero(sp.sin(x)**2 + sp.cos(x)**2 - 1), is_identically_zero(x)
        (True, False)
    """
    if expr == 0:
        return True
    try:
        return run_with_budget(lambda: _zero(sp.sympify(expr)), seconds, "a zero test")
    except HARD:
        return False


def _zero(expr: sp.Expr) -> bool:
    expanded = sp.expand(expr)
    if expanded == 0:
        return True
    if not expanded.free_symbols:
        return try_sign(expanded) == 0
    if _clearly_nonzero(expanded):
        return False
    for simplifier in (sp.cancel, sp.simplify, lambda e: sp.simplify(sp.expand_trig(e))):
        if simplifier(expanded) == 0:
            return True
    return False


def _clearly_nonzero(expr: sp.Expr) -> bool:
    """A value at a few rational points well away from 0: the identity is false."""
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    for k in range(3):
        values = {s: sp.Rational(3 + 2 * i + 5 * k, 7 + k) for i, s in enumerate(symbols)}
        try:
            value = complex(sp.N(expr.xreplace(values), 30))
        except (TypeError, ValueError):
            continue
        if abs(value) > 1e-8:
            return True
    return False


def never_zero(factor: sp.Expr) -> bool:
    """Whether a factor is non-zero for every real value of its variables (and every
    integer value of integer parameters).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> never_zero(sp.exp(-x**2 - y**2)), never_zero(x**2 + 1), never_zero(x + 1)
        (True, True, False)
    """
    try:
        return run_with_budget(lambda: _never_zero(factor), SECONDS, "a non-zero proof")
    except HARD:
        return False


def _never_zero(factor: sp.Expr) -> bool:
    if not factor.free_symbols:
        return try_sign(factor) not in (0, None)
    if isinstance(factor, sp.exp):
        return factor.args[0].is_extended_real is True
    if factor.is_Pow:
        base, exponent = factor.as_base_exp()
        if base == -1 and exponent.is_integer:
            return True
        return exponent.is_positive is True and _never_zero(base)
    if factor.is_Mul:
        return all(_never_zero(f) for f in factor.args)
    if isinstance(factor, sp.cosh):
        return True
    if factor.is_positive or factor.is_negative:
        return True
    symbols = sorted(factor.free_symbols, key=lambda s: s.name)
    if len(symbols) == 1 and factor.is_polynomial(symbols[0]):
        poly = sp.Poly(factor, symbols[0])
        return poly.domain in (sp.ZZ, sp.QQ) and poly.degree() > 0 and poly.count_roots() == 0
    return False


def factors_of(expr: sp.Expr) -> list[sp.Expr]:
    """The factors of an expression over Q, each exponential ``e^u`` kept whole (SymPy's
    ``factor`` would write ``e^(−x² − y²)`` as ``e^(−x²)·e^(−y²)``).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> factors_of(2*x*sp.exp(-x**2 - y**2) - 2*sp.exp(-x**2 - y**2))
        [2, x - 1, exp(-x**2 - y**2)]
    """
    expr = sp.sympify(expr).replace(sp.exp, lambda u: sp.exp(sp.expand(u)))
    atoms = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    hidden = {a: sp.Dummy(f"e{i}", positive=True) for i, a in enumerate(atoms)}
    factored = sp.factor(expr.xreplace(hidden))
    back = {d: a for a, d in hidden.items()}
    return [f.xreplace(back) for f in sp.Mul.make_args(factored)]


def _bases(expr: sp.Expr) -> list[sp.Expr]:
    """The non-constant factors of ``expr`` (each once, without its power)."""
    out: list[sp.Expr] = []
    for factor in factors_of(expr):
        base, exponent = factor.as_base_exp()
        if not base.free_symbols:
            continue
        if exponent.is_number and exponent.is_negative:
            raise ValueError("a split is claimed on an equation with a denominator")
        if not any(_associate(base, b) for b in out):
            out.append(base)
    return out


def _associate(a: sp.Expr, b: sp.Expr) -> bool:
    ratio = sp.cancel(sp.expand(a) / sp.expand(b))
    return not ratio.free_symbols and ratio != 0


def _split(equation, cases, nonzero) -> bool:
    bases = _bases(equation)
    case_bases = [b for case in cases for b in _bases(case)]
    for base in bases:  # every factor's zeros belong to a case, or it is never 0
        if any(_associate(base, c) for c in case_bases):
            continue
        if any(_associate(base, z) for z in nonzero) and _never_zero(base):
            continue
        return False
    # and no case brings zeros the equation does not have
    return all(any(_associate(c, b) for b in bases) for c in case_bases)


def _linear(equation, variable, solution) -> bool:
    poly = sp.Poly(sp.expand(equation), variable)
    if poly.degree() != 1:
        return False
    slope = poly.coeff_monomial(variable)
    return bool(slope.is_number and slope != 0) and \
        _zero(sp.expand(equation.subs(variable, solution)))


def _real_roots(poly, variable, roots) -> bool:
    exact = sp.Poly(poly, variable)
    if not all(c.is_number for c in exact.all_coeffs()):
        return False
    found = list(dict.fromkeys(exact.real_roots()))
    if len(found) != len(roots):
        return False
    unmatched = list(found)
    for root in roots:
        match = next((r for r in unmatched if try_sign(sp.sympify(root) - r) == 0), None)
        if match is None:
            return False
        unmatched.remove(match)
    return True


def _few_roots(poly, variable, roots) -> bool:
    """Degree 1 or 2 with any real coefficients: the roots solve it, are distinct, and are
    as many as the discriminant's sign says."""
    exact = sp.Poly(sp.expand(poly), variable)
    if exact.degree() == 1:
        a, b = exact.all_coeffs()
        return len(roots) == 1 and try_sign(a) != 0 and _zero(sp.sympify(roots[0]) + b / a)
    if exact.degree() != 2:
        return False
    a, b, c = exact.all_coeffs()
    count = {-1: 0, 0: 1, 1: 2}[try_sign(b**2 - 4 * a * c)]
    if len(roots) != count or (count == 2 and try_sign(roots[0] - roots[1]) == 0):
        return False
    return all(_zero(exact.as_expr().subs(variable, r)) for r in roots)


def _no_real_roots(poly, variable) -> bool:
    exact = sp.Poly(poly, variable)
    return exact.degree() > 0 and exact.count_roots() == 0


def _eliminant(equations, variables, poly) -> bool:
    basis = sp.groebner(list(equations), *variables, order="lex")
    return basis.contains(poly)


def _same_ideal(equations, basis, variables) -> bool:
    first = sp.groebner(list(equations), *variables, order="lex")
    second = sp.groebner(list(basis), *variables, order="lex")
    return list(first.exprs) == list(second.exprs)


def _consistent(equations, variables) -> bool:
    return list(sp.groebner(list(equations), *variables, order="grevlex").exprs) != [1]


def _active_sets(inequalities, cases, impossible) -> bool:
    import itertools

    listed = [frozenset(c) for c in cases]
    if len(set(listed)) != len(listed):
        return False
    for size in range(len(inequalities) + 1):
        for chosen in itertools.combinations(inequalities, size):
            key = frozenset(chosen)
            blocked = any(frozenset(i) <= key for i in impossible)
            if blocked == (key in listed):
                return False
    return True


def _general_solution(expr, variable, atoms) -> bool:
    from symgd.critical.solve.periodic import lattice_atom, solution_atoms

    n = sp.Symbol("n", integer=True)
    for atom in atoms:
        value = atom[1] if atom[0] == "point" else atom[1] + atom[2] * n
        for k in range(-2, 3):
            if try_sign(sp.sympify(expr.subs(variable, value.subs(n, k)))) != 0:
                return False
    found = solution_atoms(sp.solveset(expr, variable, sp.S.Reals), variable)
    return _same_atoms(found, atoms, lattice_atom)


def _same_atoms(found, claimed, lattice_atom) -> bool:
    """The same subset of R: lattices compared on a common period."""
    def expand(atoms):
        periods = [a[2] for a in atoms if a[0] == "lattice"]
        if not periods:
            return {("point", sp.nsimplify(a[1])) for a in atoms}
        common = sp.ilcm(*[sp.fraction(sp.nsimplify(p / sp.pi))[0] for p in periods]) * sp.pi
        out = set()
        for a in atoms:
            if a[0] == "point":
                out.add(("point", a[1]))
                continue
            copies = sp.simplify(common / a[2])
            if not copies.is_Integer:
                raise ValueError("incommensurable periods")
            out.update(lattice_atom(a[1] + a[2] * k, common) for k in range(int(copies)))
        return out

    return expand(found) == expand(claimed)


def _vanishes(gradient, variables, point) -> bool:
    values = dict(zip(variables, point, strict=True))
    for component in gradient:
        value = component.xreplace(values)
        if value.free_symbols:
            if not _zero(value):
                return False
        elif value.has(sp.CRootOf):
            with mpmath.workdps(60):
                if abs(complex(sp.N(value, 50))) > 1e-40:
                    return False
        elif try_sign(value) != 0:
            return False
    return True


def _definite(form, variables) -> bool:
    """A homogeneous quadratic form whose matrix is definite (Sylvester's criterion)."""
    poly = sp.Poly(form, *variables)
    if not poly.is_homogeneous or poly.total_degree() != 2:
        return False
    matrix = sp.hessian(form, variables) / 2
    minors = [matrix[:k, :k].det() for k in range(1, len(variables) + 1)]
    return all(m > 0 for m in minors) or all((-1) ** k * m > 0
                                            for k, m in enumerate(minors, start=1))


def _substitute(old, variable, value, new) -> bool:
    if isinstance(variable, sp.Tuple):
        return _zero(old.subs(dict(zip(variable, value, strict=True))) - new)
    return _zero(old.subs(variable, value) - new)


def _even_powers(g, variables, positive) -> bool:
    """Every monomial of g has even exponents and a coefficient of the claimed sign."""
    poly = sp.Poly(sp.expand(g), *variables)
    want = 1 if positive else -1
    return not poly.is_zero and all(all(e % 2 == 0 for e in monom) and try_sign(c) == want
                                    for monom, c in poly.terms())


def _lowest_term(r, t, c, k) -> bool:
    """r(t) = c·t^k + higher powers of t near 0."""
    k = int(k)
    if r.is_polynomial(t):
        poly = sp.Poly(sp.expand(r), t)
        low = [m[0] for m in poly.monoms()]
        return min(low) == k and _zero(poly.coeff_monomial(t**k) - c)
    series = sp.series(r, t, 0, k + 1).removeO()
    poly = sp.Poly(series, t)
    return all(poly.coeff_monomial(t**j) == 0 for j in range(k)) and \
        _zero(poly.coeff_monomial(t**k) - c)


def _eigenvalues(matrix, values) -> bool:
    """The values are the eigenvalues of the symmetric matrix, with multiplicity."""
    lam = sp.Symbol("lambda_")  # a Dummy does not survive charpoly().as_expr()
    char = sp.Poly(matrix.charpoly(lam).as_expr(), lam)
    if char.degree() != len(values):
        return False
    product = sp.Integer(1)
    for v in values:
        product *= (lam - v)
    return _zero(sp.expand(char.as_expr() - product))


def _float_value(expr, variables, point, value) -> bool:
    """expr at the point, at 30 digits, is the float value (to 1e-12, relative)."""
    at = dict(zip(variables, (sp.Float(v, 30) for v in point), strict=True))
    exact = float(sp.N(sp.sympify(expr).xreplace(at), 30))
    return abs(exact - float(value)) <= 1e-12 * max(1.0, abs(exact))


def _pattern(iterates, x0, fixed, factor) -> bool:
    """Every iterate x_k of a run equals fixed + (x0 − fixed)·factor^k (to rounding)."""
    xs = np.asarray(iterates, dtype=float)
    k = np.arange(len(xs))
    with np.errstate(all="ignore"):
        predicted = fixed + (x0 - fixed) * float(factor) ** k
    scale = np.maximum(1.0, np.abs(predicted))
    return bool(np.all(np.abs(xs - predicted) <= 1e-9 * scale))


def _largest_eigenvalue(expr, variables, at, value) -> bool:
    """value is the largest eigenvalue of the Hessian of expr (exact when ``at`` is None,
    else at the point, in floating point)."""
    matrix = sp.hessian(expr, variables)
    if at is None:
        roots = matrix.charpoly().real_roots()
        return bool(roots) and _zero(max(roots, key=lambda r: float(r)) - value)
    numbers = np.array(matrix.xreplace(dict(zip(variables, at, strict=True))).evalf().tolist(),
                       dtype=float)
    top = np.linalg.eigvalsh(0.5 * (numbers + numbers.T))[-1]
    return abs(top - float(value)) <= 1e-9 * max(1.0, abs(top))


def _iterate(x, lr, g, x_next) -> bool:
    expected = np.asarray(x, dtype=float) - float(lr) * np.asarray(g, dtype=float)
    return bool(np.allclose(expected, np.asarray(x_next, dtype=float), rtol=1e-12,
                            atol=1e-300))


_CHECKS = {
    "derivative": lambda e, v, r: _zero(sp.diff(e, v) - r),
    "equal": lambda a, b: _zero(sp.sympify(a) - sp.sympify(b)),
    "split": _split,
    "never_zero": _never_zero,
    "linear": _linear,
    "substitute": _substitute,
    "definite": _definite,
    "even_powers": _even_powers,
    "lowest_term": _lowest_term,
    "eigenvalues": _eigenvalues,
    "real_roots": _real_roots,
    "no_real_roots": _no_real_roots,
    "few_roots": _few_roots,
    "eliminant": _eliminant,
    "same_ideal": _same_ideal,
    "consistent": _consistent,
    "active_sets": _active_sets,
    "general_solution": _general_solution,
    "vanishes": _vanishes,
    "sign": lambda value, s: try_sign(sp.sympify(value)) == s,
    "iterate": _iterate,
    "float_value": _float_value,
    "pattern": _pattern,
    "largest_eigenvalue": _largest_eigenvalue,
}


def check_claim(claim: Claim, seconds: float = SECONDS) -> bool:
    """Check one claim (see the module docstring for the kinds); False when it fails or
    cannot be decided within ``seconds``.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> check_claim(Claim("derivative", (x**3, x, 3*x**2)))
        True
        >>> check_claim(Claim("split", (x**2 - x, (x,), ())))  # the case x = 1 is missing
        False
    """
    check = _CHECKS.get(claim.kind)
    if check is None:
        return False
    try:
        return bool(run_with_budget(lambda: check(*claim.args), seconds, claim.kind))
    except HARD:
        return False


def failed_claims(claims: Sequence[Claim]) -> list[Claim]:
    """The claims that do not check.

    Example:
        >>> x = sp.Symbol("x")
        >>> [c.words for c in failed_claims([Claim("equal", (x, x), "ok"),
        ...                                  Claim("equal", (x, 2*x), "wrong")])]
        ['wrong']
    """
    return [c for c in claims if not check_claim(c)]


def check_step(step: Step) -> bool:
    """Whether every claim behind a step checks (a step with no claim has nothing shown by
    hand and counts as checked only if it says what solved it).

    Example:
        >>> from symgd.working.notation import line
        >>> x = sp.Symbol("x")
        >>> s = Step("1", "f′", (line("2x"),), None, "", True,
        ...          claims=(Claim("derivative", (x**2, x, 2*x)),))
        >>> check_step(s)
        True
    """
    if not step.claims:
        return bool(step.by)
    return not failed_claims(step.claims)
