"""Open boxes: the ``domain`` option that restricts where critical points are looked for.

A domain is a mapping ``{"x": (lo, hi), ...}``; each pair is an *open* interval with exact
SymPy bounds (``"pi"`` and ``"-2*pi"`` are read exactly). Variables left out are unbounded,
and ``-inf`` / ``inf`` leave one side open.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import sympy as sp

from symgd.errors import DomainError
from symgd.expr.parse import parse_number

__all__ = ["Box", "parse_domain", "inside_box", "finite_box"]

Box = dict[sp.Symbol, tuple[sp.Expr, sp.Expr]]


def _read_bound(value: object, name: str) -> sp.Expr:
    """One bound as an exact SymPy number (text goes through symgd.expr.parse.parse_number)."""
    if isinstance(value, sp.Expr) and value.is_number:
        bound = value
    elif isinstance(value, bool):
        raise DomainError(f"domain for '{name}': bound {value!r} is not a number")
    elif isinstance(value, numbers.Integral):
        bound = sp.Integer(int(value))
    elif isinstance(value, numbers.Real):
        if math.isnan(float(value)):
            raise DomainError(f"domain for '{name}': bound is NaN")
        bound = sp.oo if value == math.inf else -sp.oo if value == -math.inf else sp.Float(value)
    elif isinstance(value, str):
        bound = _read_text_bound(value, name)
    else:
        raise DomainError(f"domain for '{name}': bound {value!r} is not a number")
    if bound in (sp.oo, -sp.oo):
        return bound
    if bound.is_real is not True or bound.is_finite is not True:
        raise DomainError(f"domain for '{name}': bound {value!r} is not a finite real number")
    return bound


def _read_text_bound(text: str, name: str) -> sp.Expr:
    stripped = text.strip().lower()
    if stripped in ("inf", "+inf", "oo", "infinity"):
        return sp.oo
    if stripped in ("-inf", "-oo", "-infinity"):
        return -sp.oo
    try:
        return parse_number(text)
    except ValueError as err:  # ParseError is a ValueError
        raise DomainError(f"domain for '{name}': cannot read bound {text!r}: {err}") from None


def parse_domain(domain: Mapping | None, symbols: Sequence[sp.Symbol]) -> Box | None:
    """Check a domain mapping and turn it into exact open intervals keyed by Symbol.

    Args:
        domain: ``None`` or a mapping from a variable name (or Symbol) to a pair
            ``(lo, hi)`` of numbers or text such as ``"pi"`` / ``"-2*pi"``.
        symbols: the variables of the function.

    Returns:
        ``None`` when ``domain`` is None, else ``{symbol: (lo, hi)}`` for the variables named.

    Raises:
        DomainError: unknown variable, a bound pair that is not a 2-sequence, a bound that is
            not a real number, or ``lo >= hi``.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> parse_domain({"x": (0, 3)}, (x,))
        {x: (0, 3)}
    """
    if domain is None:
        return None
    if not isinstance(domain, Mapping):
        raise DomainError(f"domain must be a mapping like {{'x': (0, 1)}}, got {domain!r}")
    by_name = {s.name: s for s in symbols}
    box: Box = {}
    for key, pair in domain.items():
        name = key.name if isinstance(key, sp.Symbol) else str(key)
        if name not in by_name:
            raise DomainError(f"domain names '{name}', which is not a variable; variables: "
                              + ", ".join(by_name))
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise DomainError(f"domain for '{name}' must be a pair (lo, hi), got {pair!r}")
        lo, hi = _read_bound(pair[0], name), _read_bound(pair[1], name)
        if lo == sp.oo or hi == -sp.oo or (lo >= hi) in (True, sp.true):
            raise DomainError(f"domain for '{name}': lower bound {pair[0]} is not below "
                              f"upper bound {pair[1]}")
        box[by_name[name]] = (lo, hi)
    return box


def inside_box(point: Sequence[sp.Expr], symbols: Sequence[sp.Symbol], box: Box | None) -> bool:
    """Whether a point lies strictly inside the open box (decided at 50 digits if needed).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> inside_box((sp.pi,), (x,), {x: (sp.Integer(0), sp.Integer(3))})
        False
    """
    if not box:
        return True
    for coordinate, symbol in zip(point, symbols, strict=True):
        if symbol not in box:
            continue
        lo, hi = box[symbol]
        if not (_less(lo, coordinate) and _less(coordinate, hi)):
            return False
    return True


def _less(a: sp.Expr, b: sp.Expr) -> bool:
    if a == -sp.oo or b == sp.oo:
        return True
    decided = a < b  # SymPy's true/false when it can tell, else an unevaluated relation
    if decided in (True, False, sp.true, sp.false):
        return bool(decided)
    return bool(sp.N(b - a, 50) > 0)  # algebraic numbers: 50 digits settle any real gap


def finite_box(symbols: Sequence[sp.Symbol], box: Box | None,
               default: float = 10.0) -> list[tuple[float, float]]:
    """Float bounds for a numeric search: unbounded sides become ``±default``.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> finite_box((x, y), {x: (sp.Integer(0), sp.oo)})
        [(0.0, 10.0), (-10.0, 10.0)]
    """
    bounds = []
    for symbol in symbols:
        lo, hi = (box or {}).get(symbol, (-sp.oo, sp.oo))
        flo = -default if lo == -sp.oo else float(lo)
        fhi = default if hi == sp.oo else float(hi)
        if flo >= fhi:  # a half-bounded side beyond the default: search a unit-wide slab
            flo, fhi = (flo, flo + 2 * default) if hi == sp.oo else (fhi - 2 * default, fhi)
        bounds.append((flo, fhi))
    return bounds
