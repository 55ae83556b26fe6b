"""Lattices with several integer parameters whose Hessian depends on their parities.

sin x·sin y is critical on the lattice (π/2 + mπ, π/2 + nπ), where its Hessian is
−(−1)^(m+n)·I: a local maximum when m + n is even, a minimum when it is odd (Stewart §14.7).
The Hessian along such a lattice depends on the integers only through (−1)^m, (−1)^n, ...,
so the 2^k parity classes decide it: each class is assessed at one representative, and the
classes are described as a course would, by the parity of a sum (m + n even) where one
explains the split, else class by class.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import sympy as sp

__all__ = ["parity_classes", "describe_classes"]

MAX_PARAMETERS = 3  # 2^3 classes at most


def parity_classes(along: sp.Matrix, params: Sequence[sp.Symbol],
                   assess_at: Callable[[dict], object]) -> list[tuple[str, object]] | None:
    """``[(condition, verdict), ...]`` over the parity classes of ``params``, or None when
    the Hessian ``along`` the lattice depends on them beyond their parities.

    Args:
        along: the Hessian on the lattice (entries in the integer parameters).
        params: the integer parameters it depends on.
        assess_at: the verdict at given parameter values.

    Example:
        >>> m, n = sp.symbols("m n", integer=True)
        >>> along = sp.diag(-(-1)**(m + n), -(-1)**(m + n))
        >>> parity_classes(along, (m, n), lambda at: "max" if (at[m] + at[n]) % 2 == 0
        ...                else "min")
        [('Eq(Mod(m + n, 2), 0)', 'max'), ('Eq(Mod(m + n, 2), 1)', 'min')]
    """
    params = tuple(params)
    if not 1 < len(params) <= MAX_PARAMETERS:
        return None
    halves = {p: sp.Dummy(f"k_{p}", integer=True) for p in params}
    verdicts = {}
    for residues in itertools.product((0, 1), repeat=len(params)):
        shifted = along.xreplace({p: 2 * halves[p] + r
                                  for p, r in zip(params, residues, strict=True)})
        if any(sp.simplify(entry).has(*halves.values()) for entry in shifted):
            return None
        verdicts[residues] = assess_at({p: sp.Integer(r)
                                        for p, r in zip(params, residues, strict=True)})
    return describe_classes(params, verdicts)


def _parity(params, subset, value) -> str:
    total = " + ".join(str(params[i]) for i in subset)
    return f"Eq(Mod({total}, 2), {value})"


def describe_classes(params: Sequence[sp.Symbol], verdicts: dict) -> list[tuple[str, object]]:
    """Group parity classes with equal verdicts into conditions a reader can use.

    Example:
        >>> m, n = sp.symbols("m n", integer=True)
        >>> cases = describe_classes((m, n), {(0, 0): "max", (1, 1): "min", (0, 1): "saddle",
        ...                                   (1, 0): "saddle"})
        >>> for condition, verdict in cases:
        ...     print(f"{condition}: {verdict}")
        Eq(Mod(m, 2), 0) & Eq(Mod(n, 2), 0): max
        Eq(Mod(m, 2), 1) & Eq(Mod(n, 2), 1): min
        Eq(Mod(m + n, 2), 1): saddle
    """
    params = tuple(params)
    groups: dict = {}
    for residues, verdict in verdicts.items():
        groups.setdefault(verdict, []).append(residues)
    if len(groups) == 1:
        return [("True", next(iter(groups)))]
    subsets = [s for size in range(1, len(params) + 1)
               for s in itertools.combinations(range(len(params)), size)]
    out = []
    left = None
    for verdict, members in groups.items():
        described = None
        for subset in subsets:
            for value in (0, 1):
                matching = [r for r in verdicts if sum(r[i] for i in subset) % 2 == value]
                if sorted(matching) == sorted(members):
                    described = _parity(params, subset, value)
                    break
            if described:
                break
        if described is None and len(members) > 2 and left is None:
            left = (verdict, members)  # described below as "none of the others"
            continue
        if described is None:
            described = " | ".join(
                "(" + " & ".join(_parity(params, (i,), r[i]) for i in range(len(params))) + ")"
                if len(members) > 1 else
                " & ".join(_parity(params, (i,), r[i]) for i in range(len(params)))
                for r in sorted(members))
        out.append((described, verdict, min(members)))
    if left is not None:
        others = " & ".join(f"~({condition})" for condition, _, _ in out)
        out.append((others, left[0], min(left[1])))
    out.sort(key=lambda item: (len(item[0].split("&")) == 1, item[2]))
    return [(condition, verdict) for condition, verdict, _ in out]
