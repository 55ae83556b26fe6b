"""Finished analyses kept in this process, so that a function analyzed again is answered at
once (issue #18: a playground or a notebook asks for the same function again and again).

The key is the function as SymPy holds it (``srepr``: ``x^2+y^2`` and ``x**2 + y**2`` are
one entry), its variables and every option that can change the answer. Only analyses that
finished within their budget are kept: one cut short by its deadline is computed again next
time, when the machine may be less loaded. An :class:`~.analyze.Analysis` is frozen, but
its gradient and Hessian are SymPy's mutable matrices and its box a dict: each caller gets
its own copies of those, so nothing it changes reaches the next caller.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence

import sympy as sp

__all__ = ["analysis_key", "recall", "remember", "forget_all", "CACHE_SIZE"]

#: Analyses kept, most recently used last (an Analysis with its descent runs is a few kB).
CACHE_SIZE = 128

_KEPT: OrderedDict = OrderedDict()
_LOCK = threading.Lock()  # the playground answers on threads


def analysis_key(expr: sp.Expr, symbols: Sequence[sp.Symbol], **options) -> Hashable | None:
    """The cache key of one call, or None when an option cannot be compared safely (an
    optimizer object, starts that are not numbers): such calls are not cached.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> analysis_key(x**2, (x,), descend=False) == analysis_key(x**2, (x,), descend=False)
        True
        >>> analysis_key(x**2, (x,), method=object()) is None
        True
    """
    parts = []
    for name, value in sorted(options.items()):
        plain = _plain(value)
        if plain is _UNCOMPARABLE:
            return None
        parts.append((name, plain))
    return sp.srepr(expr), tuple(sp.srepr(s) for s in symbols), tuple(parts)


_UNCOMPARABLE = object()


def _plain(value):
    """An option as a hashable value that compares by content, or _UNCOMPARABLE."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, sp.Basic):
        return sp.srepr(value)
    if isinstance(value, dict):
        items = [(str(k), _plain(v)) for k, v in value.items()]
        return _UNCOMPARABLE if any(v is _UNCOMPARABLE for _, v in items) else \
            ("dict", tuple(sorted(items)))
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        if not isinstance(items, (list, tuple)):
            return _plain(items)
        plain = tuple(_plain(v) for v in items)
        return _UNCOMPARABLE if any(v is _UNCOMPARABLE for v in plain) else ("seq", plain)
    return _UNCOMPARABLE


def recall(key: Hashable | None, **fresh):
    """The kept analysis for ``key`` (with its own copies of the mutable parts, and the
    fields in ``fresh``, e.g. the text this caller typed), or None.

    Example:
        >>> recall(None) is None
        True
    """
    if key is None:
        return None
    with _LOCK:
        kept = _KEPT.get(key)
        if kept is None:
            return None
        _KEPT.move_to_end(key)
    return _copied(kept, **fresh)


def remember(key: Hashable | None, analysis) -> None:
    """Keep a finished analysis under ``key`` (a copy of its mutable parts), dropping the
    least recently used past CACHE_SIZE.

    Example:
        >>> remember(None, object())  # an uncomparable call is not kept
    """
    if key is None:
        return
    with _LOCK:
        _KEPT[key] = _copied(analysis)
        while len(_KEPT) > CACHE_SIZE:
            _KEPT.popitem(last=False)


def forget_all() -> None:
    """Empty the cache (for measurements of the uncached work).

    Example:
        >>> forget_all()
    """
    with _LOCK:
        _KEPT.clear()


def _copied(analysis, **fresh):
    return dataclasses.replace(
        analysis, gradient=analysis.gradient.copy(), hessian=analysis.hessian.copy(),
        domain=None if analysis.domain is None else dict(analysis.domain), **fresh)
