"""Run exact work that can blow up (solving, simplifying) under a wall-clock budget.

SymPy is pure Python and cannot be cancelled from outside a thread, so the budget is
enforced with ``SIGALRM`` (an interval timer) when we are on the main thread of a POSIX
process: the handler raises inside the running computation, which unwinds normally. Off the
main thread (a web server's worker, a notebook kernel's helper thread) signals are not
available; there the work runs unbudgeted rather than not at all, and callers should pass
a small problem. Budgets nest: an inner budget never extends an outer one.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from symgd.errors import SolveTimeout

__all__ = ["run_with_budget", "budget_available"]

T = TypeVar("T")

_deadlines: list[float] = []  # stack of absolute deadlines of the active budgets


class _Expired(BaseException):
    """Raised by the alarm handler. A BaseException so that SymPy's broad
    ``except Exception`` clauses cannot swallow it."""


def budget_available() -> bool:
    """Whether a time budget can actually be enforced here.

    Example:
        >>> isinstance(budget_available(), bool)
        True
    """
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Expired()


def run_with_budget(fn: Callable[[], T], seconds: float | None, what: str = "the work") -> T:
    """Run ``fn()`` and raise :class:`SolveTimeout` if it takes longer than ``seconds``.

    Args:
        fn: a callable taking no arguments.
        seconds: the budget; ``None`` or ``inf`` means no limit.
        what: a few words naming the work, used in the timeout message.

    Returns:
        Whatever ``fn`` returns.

    Raises:
        SolveTimeout: when the budget (or an enclosing one) runs out first.

    Example:
        >>> run_with_budget(lambda: 1 + 1, 1.0)
        2
    """
    if seconds is None or seconds == float("inf") or not budget_available():
        return fn()
    now = time.monotonic()
    deadline = now + max(float(seconds), 1e-3)
    if _deadlines:
        deadline = min(deadline, _deadlines[-1])
    if deadline <= now:
        raise SolveTimeout(what, seconds)
    previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    _deadlines.append(deadline)
    signal.setitimer(signal.ITIMER_REAL, deadline - now)
    try:
        return fn()
    except _Expired:
        raise SolveTimeout(what, seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _deadlines.pop()
        signal.signal(signal.SIGALRM, previous_handler)
        if _deadlines:  # re-arm the enclosing budget for the time it has left
            remaining = _deadlines[-1] - time.monotonic()
            signal.signal(signal.SIGALRM, _on_alarm)
            if remaining <= 0:
                raise SolveTimeout(what, seconds)
            signal.setitimer(signal.ITIMER_REAL, remaining)
