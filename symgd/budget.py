"""Run exact work that can blow up (solving, simplifying) under a wall-clock budget.

Two tools, for two strengths of promise:

- :func:`run_with_budget` raises inside the running computation when its time is up, with
  ``SIGALRM`` (an interval timer) on the main thread of a POSIX process; the work unwinds
  normally, so a caller can catch :class:`~symgd.errors.SolveTimeout` and fall back. It is
  cheap, and budgets nest (an inner budget never extends an outer one), but it is only as
  good as the Python bytecode it interrupts: a long call inside C (a huge integer power, a
  dense polynomial of degree 10^9) or code that swallows the alarm can run past it, and off
  the main thread there are no signals at all.
- :func:`run_isolated` runs the work in a child process and kills it at the deadline, so the
  caller gets control back by ``seconds`` plus a fraction of a second whatever the work does,
  with the last partial result the work reported. A memory limit is set in the child too.
  On Linux the child is forked (SymPy is already imported; a round trip costs ~10 ms).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from symgd.errors import SolveTimeout, SymgdError

__all__ = ["run_with_budget", "budget_available", "run_isolated", "Isolated",
           "isolation_available", "MEMORY_LIMIT"]

T = TypeVar("T")

#: Bytes of address space an isolated child may use (SymPy's Gröbner bases and huge
#: expansions grow without bound; past this the child gets MemoryError, not the machine).
MEMORY_LIMIT = int(os.environ.get("SYMGD_MEMORY_LIMIT", 3 * 2**30))
#: Seconds the parent waits past the deadline for the child's own (graceful) timeout.
_GRACE = 0.3
_in_child = False  # set in an isolated child: nested isolation runs in-process

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


@dataclass(frozen=True)
class Isolated(Generic[T]):
    """What :func:`run_isolated` got back.

    Attributes:
        finished: whether the work returned within its time.
        value: its return value (None unless finished).
        partial: the last partial result it reported before it was stopped (or None).
        reason: why it did not finish, in words ("" when it finished).
    """

    finished: bool
    value: T | None = None
    partial: Any = None
    reason: str = ""


def isolation_available() -> bool:
    """Whether :func:`run_isolated` can run work in a child process here.

    Example:
        >>> isinstance(isolation_available(), bool)
        True
    """
    return (not _in_child and sys.platform != "win32"
            and "fork" in multiprocessing.get_all_start_methods())


def run_isolated(work: Callable[[Callable[[Any], None]], T], seconds: float | None,
                 what: str = "the work", *, memory: int | None = MEMORY_LIMIT) -> Isolated[T]:
    """Run ``work(report)`` in a child process that is killed at the deadline.

    ``work`` may call ``report(partial)`` as often as it likes; the parent keeps the last one,
    so work stopped at its deadline still hands back what it had proven so far. Inside the
    child the same deadline is also a :func:`run_with_budget` budget, so most work ends
    gracefully (raising SolveTimeout inside, which ``work`` may catch); the kill is the
    guarantee for the rest. Without process isolation (Windows, or already in a child) the
    work runs in this process under :func:`run_with_budget`.

    Args:
        work: takes the ``report`` callable; its result must be picklable.
        seconds: the budget; None means no limit (the work then runs in this process).
        what: a few words naming the work, for the reason.
        memory: the child's address-space limit in bytes (None: no limit).

    Returns:
        An :class:`Isolated` record.

    Raises:
        SymgdError: what the work raised for bad input, re-raised here.

    Example:
        >>> run_isolated(lambda report: 6 * 7, 5.0).value
        42
        >>> def slow(report):
        ...     report("halfway")
        ...     while True:
        ...         pass
        >>> r = run_isolated(slow, 0.2, "spinning")
        >>> r.finished, r.partial, r.reason
        (False, 'halfway', 'spinning did not finish within 0.2 s')
    """
    if seconds is None or seconds == float("inf") or not isolation_available():
        return _in_process(work, seconds, what)
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, work, seconds, what, memory),
                            daemon=True)
    child.start()
    sender.close()
    try:
        return _collect(receiver, child, time.monotonic() + seconds + _GRACE, seconds, what)
    finally:
        if child.is_alive():
            child.kill()
        child.join(5.0)
        receiver.close()


def _in_process(work, seconds, what) -> Isolated:
    reports: list = []
    try:
        return Isolated(True, run_with_budget(lambda: work(reports.append), seconds, what))
    except SolveTimeout:
        return Isolated(False, None, reports[-1] if reports else None, _late(what, seconds))


def _late(what: str, seconds: float | None) -> str:
    return f"{what} did not finish within {seconds:g} s"


def _context():
    # fork is cheap (the child shares the parent's imported modules) but is unsafe when other
    # threads hold locks; a threaded caller (the playground's server) gets forkserver, whose
    # server process is single-threaded and has symgd imported.
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["symgd.critical"])
    return context


def _collect(receiver, child, deadline: float, seconds: float, what: str) -> Isolated:
    partial = None
    while True:
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0 or not receiver.poll(remaining):
                return Isolated(False, None, partial, _late(what, seconds))
            kind, payload = receiver.recv()
        except (EOFError, OSError):  # the child died without a word: killed or crashed
            code = child.exitcode
            why = "ran out of memory" if code in (-signal.SIGKILL, 137) else "stopped"
            return Isolated(False, None, partial, f"{what} {why} (exit {code})")
        if kind == "partial":
            partial = payload
        elif kind == "done":
            return Isolated(True, payload)
        elif kind == "timeout":
            return Isolated(False, None, partial, _late(what, seconds))
        elif kind == "memory":
            return Isolated(False, None, partial, f"{what} ran out of memory "
                            f"(limit {payload / 2**30:.1f} GB)")
        else:  # "error": the work raised; bad input keeps its type, anything else too
            raise payload


def _child_main(sender, work, seconds, what, memory) -> None:
    global _in_child
    _in_child = True
    if memory:
        _limit_memory(memory)

    def report(value) -> None:
        sender.send(("partial", value))

    try:
        value = run_with_budget(lambda: work(report), seconds, what)
        sender.send(("done", value))
    except SolveTimeout:
        sender.send(("timeout", None))
    except MemoryError:
        sender.send(("memory", memory))
    except SymgdError as err:
        sender.send(("error", err))
    except Exception as err:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            sender.send(("error", err))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            sender.send(("error", RuntimeError(f"{type(err).__name__}: {err}")))
    finally:
        sender.close()


def _limit_memory(limit: int) -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not POSIX, or not allowed: no limit
        pass
