"""Where f and its gradient are defined: a solution of grad f = 0 counts only there.

SymPy's solvers return points where the gradient's formula is 0 or meaningless (``x**y`` at
x = 0, ``|x|`` at 0, a pole of a denominator); the routes of :mod:`symgd.critical.solve.dispatch`
pass their answers through :func:`keep_defined`, which drops those. Where f itself is defined
and a partial derivative is not, the point is still critical (Stewart §14.7): those points are
found by :mod:`symgd.critical.solve.nondifferentiable`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import sympy as sp

from symgd.budget import run_with_budget

from ..records import RawPoint

__all__ = ["defined_at", "defined_at_all", "keep_defined", "family_defined", "finite_real",
           "negative_power_base", "as_quotients", "gradient_off_zero"]

#: Parameter values at which a family is tested for being defined: a family defined at none
#: of them (``(0, t)`` for ``x**y``, where ``0**(1/3)`` has no derivative) is dropped.
FAMILY_SAMPLES = (sp.Rational(1, 3), sp.Rational(7, 5), sp.Rational(-5, 3))
INTEGER_SAMPLES = (sp.Integer(0), sp.Integer(1), sp.Integer(-1))


def defined_at(expr, gradient, symbols, point) -> bool:
    """f and its gradient are finite and real at the point (so it is a true critical point).

    SymPy differentiates |x| to sign(x), which is 0 at 0; there f has no derivative, so a
    point where the argument of a sign/Heaviside in the gradient vanishes is excluded.
    """
    values = dict(zip(symbols, point, strict=True))
    kinks = [a.args[0] for g in gradient for a in g.atoms(sp.sign, sp.Heaviside, sp.DiracDelta)]
    if any(abs(sp.N(k.xreplace(values), 30)) < 1e-25 for k in kinks):
        return False
    return all(finite_real(e.xreplace(values)) for e in [expr, *gradient])


def defined_at_all(expr, gradient, symbols, points) -> list[bool]:
    """:func:`defined_at` for many numeric points at once (a numeric search hands over
    dozens: 12 ms each exactly, 0.6 s for fifty inside a 2 s budget).

    f and its gradient are evaluated in floats first; a point where all are finite is
    defined there (the points are approximations to begin with). Only the others, and
    gradients with sign or Heaviside (whose kinks floats cannot see), are decided exactly.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> f = sp.log(x)
        >>> defined_at_all(f, [1 / x], (x,), [(sp.Float(2),), (sp.Float(-1),), (sp.Float(0),)])
        [True, False, False]
    """
    if not points:
        return []
    import numpy as np  # here: only numeric points come this way, and exact routes skip NumPy

    from .numeric import numpy_function

    if any(g.has(sp.sign, sp.Heaviside, sp.DiracDelta) for g in gradient):
        return [defined_at(expr, gradient, symbols, p) for p in points]
    values = numpy_function(tuple(symbols), [expr, *gradient])
    out = []
    with np.errstate(all="ignore"):
        for point in points:
            try:
                at = np.asarray(values(*(float(c) for c in point)))
                fast = at.dtype.kind == "f" and bool(np.all(np.isfinite(at)))
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                fast = False
            out.append(fast or defined_at(expr, gradient, symbols, point))
    return out


def keep_defined(expr: sp.Expr, gradient: Sequence[sp.Expr], symbols: Sequence[sp.Symbol],
                 raws: Sequence[RawPoint]) -> tuple[list[RawPoint], list[str]]:
    """Drop points where the gradient is undefined (noting those where f is defined) and
    families defined at none of a few generic parameter values.

    Example:
        >>> x, y, t = sp.symbols("x y t", real=True)
        >>> f = x**y
        >>> grad = [sp.diff(f, x), sp.diff(f, y)]
        >>> raws = [RawPoint((sp.Integer(1), sp.Integer(0))),
        ...         RawPoint((sp.Integer(0), t), parameters=(t,))]
        >>> kept, notes = keep_defined(f, grad, (x, y), raws)
        >>> [r.point for r in kept], notes[0][:60]
        ([(1, 0)], "∇f is not defined on (0, t) (a solution of the gradient's fo")
    """
    kept, notes = [], []
    for raw in raws:
        if raw.parameters:
            if not family_defined(expr, gradient, symbols, raw):
                notes.append(_undefined_family_note(expr, symbols, raw))
            elif (power := _family_on_negative_base(expr, symbols, raw)) is not None:
                notes.append(_not_real_near_note(raw.point, power))
            elif (size := _family_off_zero(gradient, symbols, raw)) is not None:
                notes.append(f"a solver returned the family {_show(raw.point)}, but ∇f on it "
                             f"has size ≈ {size:.3g}, not 0: it is not listed")
            else:
                poles = _poles_on_family(expr, symbols, raw)
                # the family's own conditions say where it exists: "(0, t) for t real,
                # cos(t) ≠ 0", so no line of the report claims the poles are critical
                kept.append(raw if poles is None else
                            replace(raw, conditions=(*raw.conditions, sp.Ne(poles, 0))))
        elif defined_at(expr, gradient, symbols, raw.point):
            if (power := negative_power_base(expr, symbols, raw.point)) is not None:
                notes.append(_not_real_near_note(raw.point, power))
            elif (size := gradient_off_zero(gradient, symbols, raw.point)) is not None:
                notes.append(f"a solver returned {_show(raw.point)}, but ∇f there has size "
                             f"≈ {size:.3g}, not 0 (checked at 30 and 100 digits; SymPy "
                             "inverts atan, asin and log without their ranges): it is not "
                             "listed")
            else:
                kept.append(raw)
        # A point where f is defined but its gradient is not is still critical (Stewart
        # §14.7); solve/nondifferentiable.py finds and lists those, so it is dropped here.
    return kept, notes


def family_defined(expr: sp.Expr, gradient: Sequence[sp.Expr], symbols: Sequence[sp.Symbol],
                   raw: RawPoint) -> bool:
    """Whether f and its gradient are defined along the family at generic parameter values
    (those allowed by its conditions; True when none is allowed, as nothing can be told).

    Example:
        >>> x, y, t = sp.symbols("x y t", real=True)
        >>> grad = [y * x**(y - 1), x**y * sp.log(x)]
        >>> family_defined(x**y, grad, (x, y), RawPoint((sp.Integer(0), t), parameters=(t,)))
        False
    """
    tried = _generic_values(raw)
    return not tried or any(defined_at(expr, gradient, symbols,
                                       [c.xreplace(values) for c in raw.point])
                            for values in tried)


def gradient_off_zero(gradient: Sequence[sp.Expr], symbols: Sequence[sp.Symbol],
                      point: Sequence[sp.Expr]) -> float | None:
    """The size of the gradient at an exact point that a solver returned, when it is plainly
    not 0 at 30 and at 100 digits; None when it vanishes (or cannot be evaluated).

    SymPy's solvers invert atan, asin and log without their ranges: atan(x) + 7 = 0 gave
    x = -tan(7), where atan(x) = 2*pi - 7 (fuzz seed 15488: a "local maximum" of
    tan(3 (atan x + 7)^3), claimed complete). A true root's value shrinks with the digits;
    a false one's stays.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> g = [9 * (sp.atan(x) + 7) ** 2 / (x**2 + 1)]
        >>> round(gradient_off_zero(g, (x,), (-sp.tan(7),)), 2)  # 9 (2 pi)^2 / (1 + tan(7)^2)
        201.94
        >>> gradient_off_zero([x**2 - 2], (x,), (sp.sqrt(2),)) is None
        True
    """
    values = dict(zip(symbols, point, strict=True))
    largest = 0.0
    for component in gradient:
        value = component.xreplace(values)
        if value == 0:
            continue
        size = None
        for digits in (30, 100):  # 100 digits only for a value that 30 digits call non-zero
            number = sp.N(value, digits)
            if not number.is_number:
                return None
            size = float(abs(number))
            if size <= 1e-12:
                break
        if size > 1e-12:
            largest = max(largest, size)
    return largest or None


def negative_power_base(expr: sp.Expr, symbols: Sequence[sp.Symbol],
                        point: Sequence[sp.Expr]) -> sp.Pow | None:
    """A power in f whose base is negative at the point while its exponent is not a constant
    integer: f is then real at the point at most, not on any neighbourhood of it.

    Calculus reads a^b, for b not an integer, as real only where a > 0. ``sin(y)^cos(x)`` is
    -1 at (pi, 3*pi/2), and so is each partial derivative's formula, but every point near it
    has a non-integer cos(x) and a negative sin(y): f is not real there, and the point is no
    critical point (it is not inside f's domain). Its Hessian holds log(-1) = i*pi.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> negative_power_base(sp.sin(y)**sp.cos(x), (x, y), (sp.pi, 3*sp.pi/2))
        sin(y)**cos(x)
        >>> negative_power_base(sp.sin(y)**sp.cos(x), (x, y), (sp.pi, sp.pi/2)) is None
        True
    """
    powers = [p for p in expr.atoms(sp.Pow)
              if not (p.exp.is_Integer or (p.exp.is_number and p.base.is_number))
              and not p.base.is_positive]
    if not powers:
        return None
    values = dict(zip(symbols, point, strict=True))
    for power in powers:
        base = sp.N(power.base.xreplace(values), 30)
        if base.is_number and sp.im(base) == 0 and base < -sp.Float("1e-25"):
            return power
    return None


def _family_on_negative_base(expr, symbols, raw: RawPoint) -> sp.Pow | None:
    """:func:`negative_power_base` at each generic parameter value of a family: a power
    negative at all of them (a lattice where sin(y) = -1) makes the family not real nearby."""
    found = [negative_power_base(expr, symbols, [c.xreplace(values) for c in raw.point])
             for values in _generic_values(raw)]
    return found[0] if found and all(p is not None for p in found) else None


def _family_off_zero(gradient, symbols, raw: RawPoint) -> float | None:
    """:func:`gradient_off_zero` at a family's first generic parameter value."""
    tried = _generic_values(raw)
    if not tried:
        return None
    return gradient_off_zero(gradient, symbols, [c.xreplace(tried[0]) for c in raw.point])


def _not_real_near_note(point, power: sp.Pow) -> str:
    return (f"{_show(point)} solves the gradient's formula, but f is not real-valued near it: "
            f"{power} has a negative base there, and a power with a non-integer exponent is "
            "real only for a positive base; it is not inside f's domain, so it is not listed")


#: Seconds to find where f's denominators vanish along one family (a note, not a proof).
POLES_BUDGET = 0.3
_AS_QUOTIENT = {sp.tan: lambda u: sp.sin(u) / sp.cos(u), sp.cot: lambda u: sp.cos(u) / sp.sin(u),
                sp.sec: lambda u: 1 / sp.cos(u), sp.csc: lambda u: 1 / sp.sin(u)}


def as_quotients(expr: sp.Expr) -> sp.Expr:
    """tan, cot, sec and csc written as quotients of sin and cos, so that their poles show
    as zeros of a denominator.

    Example:
        >>> y = sp.Symbol("y", real=True)
        >>> sp.fraction(sp.together(as_quotients(sp.tan(y) + sp.sec(y))))
        (sin(y) + 1, cos(y))
    """
    return expr.replace(lambda e: isinstance(e, tuple(_AS_QUOTIENT)),
                        lambda e: _AS_QUOTIENT[type(e)](*e.args))


def _poles_on_family(expr, symbols, raw: RawPoint) -> sp.Expr | None:
    """Where f has poles on a family of one real parameter: the denominator d(t) whose real
    zeros they are, or None. ``(0, t)`` is critical for x^2 tan(y) except where cos(t) = 0,
    where f is not defined (the family's cases leave those points out; the family as
    written does not say so)."""
    reals = [p for p in raw.parameters if p not in raw.integer_parameters]
    if len(raw.parameters) != 1 or not reals or raw.conditions:  # conditions say it already
        return None
    (t,) = reals
    quotients = as_quotients(expr)
    at = dict(zip(symbols, raw.point, strict=True))
    try:
        denominator = run_with_budget(
            lambda: sp.factor_terms(sp.fraction(sp.together(quotients))[1].xreplace(at)),
            POLES_BUDGET, "f's poles on a family")
        if not denominator.has(t):
            return None
        zeros = run_with_budget(lambda: sp.solveset(denominator, t, sp.S.Reals),
                                POLES_BUDGET, "f's poles on a family")
    except Exception:  # noqa: BLE001 - a condition that cannot be worked out is left out
        return None
    return None if zeros is sp.S.EmptySet else denominator


def _undefined_family_note(expr, symbols, raw: RawPoint) -> str:
    """Why a family that solves the gradient's formula is not listed, true to where f itself
    is defined on it: nowhere (a pole), everywhere (a cusp: f has no derivative there), or
    at some of its points (0^t for x^y)."""
    where = _show(raw.point)
    f_defined = [defined_at(expr, [], symbols, [c.xreplace(values) for c in raw.point])
                 for values in _generic_values(raw)]
    if not any(f_defined):
        return (f"f and its gradient are not defined on {where} (a solution of the "
                "gradient's formula only), so it is not listed")
    some = "" if all(f_defined) else ", and f only at some of its points"
    return (f"∇f is not defined on {where} (a solution of the gradient's formula only{some}); "
            "where f is defined there, those are critical points at which ∇f does not exist, "
            "listed only where the search for such points settles them")


def _generic_values(raw: RawPoint) -> list[dict]:
    """Parameter values to test a family at, allowed by its conditions."""
    out = []
    for sample in range(len(FAMILY_SAMPLES)):
        values = {p: (INTEGER_SAMPLES if p in raw.integer_parameters else FAMILY_SAMPLES)[
            (sample + i) % len(FAMILY_SAMPLES)] for i, p in enumerate(raw.parameters)}
        if not any(c.xreplace(values) is sp.false for c in raw.conditions):
            out.append(values)
    return out


def finite_real(value: sp.Expr) -> bool:
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return False
    number = sp.N(value, 30)
    return number.is_number and abs(sp.im(number)) < 1e-25


def _show(point) -> str:
    if len(point) == 1:
        return f"{point[0]}"
    return "(" + ", ".join(str(c) for c in point) + ")"
