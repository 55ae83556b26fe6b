"""Classifying a candidate on the boundary or on the constraint set.

Conventions: inequalities are c(x) >= 0 and ∇f = Σ λᵢ ∇gᵢ over the active constraints
(the Lagrangian L = f - Σ λᵢ gᵢ, Nocedal & Wright §12.1). At a point where the active
gradients are independent:

1. **First order (the KKT sign test).** A local minimum needs λᵢ >= 0 on every active
   inequality, a local maximum λᵢ <= 0 (N&W Theorem 12.1; for a maximum apply it to -f). A
   point whose active inequalities have multipliers of both signs is neither.
2. **Second order.** On the tangent space of the *strongly* active constraints (equations
   and inequalities with λᵢ ≠ 0) the Hessian of L positive (negative) definite proves a strict
   local minimum (maximum) (N&W Theorem 12.6); a negative (positive) direction on the tangent
   space of *all* active constraints rules it out (Theorem 12.5). The inertia of the Hessian
   of L on a tangent space is read from the bordered Hessian K = [[∇²L, Jᵀ], [J, 0]]:
   inertia(K) = inertia(Zᵀ ∇²L Z) + (m, m, 0) for a full-rank m x n Jacobian J (N&W Theorem
   16.3), with exact signs (:func:`symgd.critical.classify.inertia.inertia`).
3. **Higher order**, when that test is silent and every active inequality has λᵢ ≠ 0: f along
   the constraint manifold (:mod:`symgd.constrained.manifold`). With λᵢ of the right sign
   strictly, a minimum along the manifold is a minimum on the region: in coordinates (u, s)
   with s = the active c's, f = r(u) + Σ sᵢ (λᵢ + O(|u|, |s|)) >= r(u) for s >= 0.
4. Otherwise (a zero multiplier on an active inequality, or dependent gradients, where the
   multipliers need not exist) the second-order conditions are not enough: sampled feasible
   points give evidence (:mod:`symgd.constrained.sampling`), labelled as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.classify.inertia import inertia
from symgd.critical.classify.signs import try_sign
from symgd.critical.records import INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, Verdict
from symgd.errors import SolveTimeout

from .constraints import Constraint
from .manifold import manifold_verdict
from .multipliers import Multipliers, multipliers_at
from .records import NOT_EXTREMUM, multiplier_name
from .sampling import sample_near, sampled_verdict

__all__ = ["Calculus", "Classified", "classify_candidate"]

INERTIA_SECONDS = 2.0


@dataclass(frozen=True)
class Calculus:
    """The derivatives a classification needs, computed once per problem."""

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    constraints: tuple[Constraint, ...]
    gradient: tuple[sp.Expr, ...]
    hessian: sp.Matrix
    gradients: dict
    hessians: dict

    @classmethod
    def of(cls, expr: sp.Expr, variables: Sequence[sp.Symbol],
           constraints: Sequence[Constraint]) -> Calculus:
        """Differentiate f and every constraint once.

        Example:
            >>> from symgd.constrained.constraints import read_problem
            >>> p = read_problem("x y", ["x + y = 2"])
            >>> Calculus.of(p.expr, p.variables, p.constraints).gradients[1]
            (1, 1)
        """
        variables = tuple(variables)
        grad = tuple(sp.diff(expr, s) for s in variables)
        return cls(expr, variables, tuple(constraints), grad, sp.hessian(expr, variables),
                   {c.number: tuple(sp.diff(c.function, s) for s in variables)
                    for c in constraints},
                   {c.number: sp.hessian(c.function, variables) for c in constraints})


@dataclass(frozen=True)
class Classified:
    """A candidate's multipliers and verdict."""

    multipliers: Multipliers
    verdict: Verdict


def _signs(values, active) -> dict[int, int | None]:
    return {c.number: try_sign(v) for c, v in zip(active, values, strict=True)
            if not c.is_equation}


def _reduced_inertia(calc: Calculus, lagrangian_hessian: sp.Matrix, rows: Sequence[int],
                     at: dict) -> tuple[int, int, int] | None:
    """The inertia of ∇²L on the tangent space of the constraints ``rows``, from the
    bordered Hessian (N&W Theorem 16.3)."""
    m = len(rows)
    if m == 0:
        matrix = lagrangian_hessian
    else:
        jacobian = sp.Matrix([list(calc.gradients[k]) for k in rows])
        matrix = sp.Matrix.vstack(sp.Matrix.hstack(lagrangian_hessian, jacobian.T),
                                  sp.Matrix.hstack(jacobian, sp.zeros(m, m)))
    try:
        found = run_with_budget(lambda: inertia(matrix, at=at, timeout=1.0), INERTIA_SECONDS,
                                "the bordered Hessian's inertia")
    except SolveTimeout:
        return None
    if found is None:
        return None
    p, q, z = found
    return p - m, q - m, z


def _words(signs: dict[int, int | None]) -> str:
    shown = {1: "> 0", -1: "< 0", 0: "= 0"}
    return ", ".join(f"{multiplier_name(k)} {shown[s]}" for k, s in signs.items())


def _second_order(calc, active, values, signs, at) -> Verdict | str:
    """The verdict of steps 1 and 2, or "degenerate" / "weak" when they are silent."""
    min_ok = all(s is not None and s >= 0 for s in signs.values())
    max_ok = all(s is not None and s <= 0 for s in signs.values())
    if not (min_ok or max_ok):
        return Verdict(NOT_EXTREMUM, None, f"KKT sign test: {_words(signs)} have opposite "
                       "signs, so f can both rise and fall into the feasible set")
    hessian_l = calc.hessian - sum((v * calc.hessians[c.number] for c, v in
                                    zip(active, values, strict=True)),
                                   sp.zeros(*calc.hessian.shape))
    strong = [c.number for c in active if c.is_equation or signs[c.number] != 0]
    weak = [c.number for c in active if not c.is_equation and signs[c.number] == 0]
    on_strong = _reduced_inertia(calc, hessian_l, strong, at)
    on_all = on_strong if not weak else _reduced_inertia(calc, hessian_l,
                                                         [c.number for c in active], at)
    if on_strong is None or on_all is None:
        return Verdict(INCONCLUSIVE, None, "the signs of the bordered Hessian could not be "
                       "decided in time")
    tangent = f"tangent space of dimension {sum(on_strong)}"
    bordered = "bordered Hessian" if strong else "Hessian"
    if min_ok and on_strong[1] == 0 and on_strong[2] == 0:
        why = (f"{bordered}: ∇²L positive definite on the {tangent}"
               if sum(on_strong) else "no feasible direction keeps every active constraint")
        return Verdict(LOCAL_MIN, True, _first_order(signs, 1) + why)
    if max_ok and on_strong[0] == 0 and on_strong[2] == 0:
        why = (f"{bordered}: ∇²L negative definite on the {tangent}"
               if sum(on_strong) else "no feasible direction keeps every active constraint")
        return Verdict(LOCAL_MAX, True, _first_order(signs, -1) + why)
    not_min = not min_ok or on_all[1] > 0
    not_max = not max_ok or on_all[0] > 0
    if not_min and not_max:
        return Verdict(NOT_EXTREMUM, None, f"{bordered}: ∇²L takes both signs on the tangent "
                       "space" if min_ok and max_ok else
                       f"{bordered}: ∇²L has the wrong sign along the tangent space for the "
                       "extremum the multipliers allow")
    return "weak" if weak else "degenerate"


def _first_order(signs: dict, sense: int) -> str:
    if not signs:
        return ""
    word = "≥" if sense > 0 else "≤"
    return f"KKT: multipliers of the active inequalities {word} 0 ({_words(signs)}); "


def _higher_order(calc, active, multipliers: Multipliers, signs, point) -> Verdict | None:
    functions = [c.function for c in active]
    try:
        verdict = run_with_budget(lambda: manifold_verdict(
            calc.expr, functions, calc.variables, point, multipliers.pivots,
            multipliers.jacobian), 3.0, "the higher-order test on the constraint set")
    except SolveTimeout:
        return None
    except (NotImplementedError, ValueError, TypeError, ArithmeticError, sp.PolynomialError):
        return None
    if verdict is None:
        return None
    sense = 1 if verdict.kind == LOCAL_MIN else -1 if verdict.kind == LOCAL_MAX else 0
    agrees = all(s is not None and s * sense >= 0 for s in signs.values())
    if sense and agrees:
        return Verdict(verdict.kind, verdict.strict,
                       "the second-order test is silent (degenerate); " + verdict.decided_by)
    return Verdict(NOT_EXTREMUM, None, "the second-order test is silent (degenerate); "
                   + verdict.decided_by + (", and the multipliers point the other way"
                                           if sense else ""))


def classify_candidate(calc: Calculus, point: Sequence[sp.Expr], active: Sequence[Constraint],
                       *, exact: bool = True) -> Classified:
    """The multipliers and the local verdict at a candidate on the constraint set.

    Args:
        calc: the problem's derivatives.
        point: the candidate (exact coordinates unless ``exact`` is False).
        active: the constraints active there (at least one).
        exact: False for a point found numerically (then only sampling decides).

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x^2 + 2y^2", ["x^2 + y^2 = 1"])
        >>> calc = Calculus.of(p.expr, p.variables, p.constraints)
        >>> found = classify_candidate(calc, (0, 1), p.constraints)
        >>> found.multipliers.values, found.verdict.kind
        ((2,), 'local maximum')
    """
    at = dict(zip(calc.variables, [sp.sympify(c) for c in point], strict=True))
    active = tuple(active)
    numbers = [c.number for c in active]
    multipliers = multipliers_at(calc.gradient, [calc.gradients[k] for k in numbers], at) \
        if exact else Multipliers(None, (), (), sp.zeros(len(active), len(at)))
    if not multipliers.regular:
        why = ("the active constraints' gradients are linearly dependent here (a cusp, a "
               "singular point or a corner where they meet tangentially), so the Lagrange "
               "conditions and the second-order test do not apply"
               if multipliers.regular is False else
               "the point is known only numerically, so the tests do not apply")
        sample = sample_near(calc.expr, calc.variables, point, calc.constraints, numbers)
        return Classified(multipliers, sampled_verdict(sample, why))
    signs = _signs(multipliers.values, active)
    found = _second_order(calc, active, multipliers.values, signs, at)
    if isinstance(found, Verdict):
        return Classified(multipliers, found)
    if found == "degenerate":
        verdict = _higher_order(calc, active, multipliers, signs, tuple(at.values()))
        if verdict is not None:
            return Classified(multipliers, verdict)
        why = "the second-order test is silent and higher-order terms up to degree 8 did not " \
              "decide"
    else:
        why = ("second-order conditions are not enough: an active inequality has a zero "
               "multiplier and the Hessian of L is only semidefinite on the tangent space")
    sample = sample_near(calc.expr, calc.variables, point, calc.constraints, numbers)
    return Classified(multipliers, sampled_verdict(sample, why))
