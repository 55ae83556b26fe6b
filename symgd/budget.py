"""Run exact work that can blow up (solving, simplifying) under a wall-clock budget.

Two tools, for two strengths of promise:

- :func:`run_with_budget` raises inside the running computation when its time is up, with
  ``SIGALRM`` (an interval timer) on the main thread of a POSIX process; the work unwinds
  normally, so a caller can catch :class:`~symgd.errors.SolveTimeout` and fall back. It is
  cheap, and budgets nest (an inner budget never extends an outer one), but it is only as
  good as the Python bytecode it interrupts: a long call inside C (a huge integer power, a
  dense polynomial of degree 10^9) or code that swallows the alarm can run past it, and off
  the main thread there are no signals at all.
- :func:`run_isolated` runs the work in a worker process and kills it at the deadline, so
  the caller gets control back by ``seconds`` plus a fraction of a second whatever the work
  does, with the last partial result the work reported. The worker lives on between calls
  (its caches stay warm) unless it had to be killed; it has a memory limit too. On Linux it
  is forked from the caller, so SymPy is already imported.
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from symgd.errors import SolveTimeout, SymgdError

__all__ = ["run_with_budget", "budget_available", "run_isolated", "Isolated", "WorkersBusy",
           "isolation_available", "time_left", "DEFAULT_TIMEOUT", "MEMORY_LIMIT"]

T = TypeVar("T")

#: Seconds a call that solves (critical_points, analyze, check, explain) takes at most when
#: no ``timeout`` is given: a hard transcendental case returns within it with what it has
#: proven. ``SYMGD_TIMEOUT`` changes it (the test suite sets a generous one, so that its
#: tables check answers, not the speed of a loaded machine).
DEFAULT_TIMEOUT = float(os.environ.get("SYMGD_TIMEOUT", "2"))
#: Bytes of address space an isolated child may use (SymPy's Gröbner bases and huge
#: expansions grow without bound; past this the child gets MemoryError, not the machine).
MEMORY_LIMIT = int(os.environ.get("SYMGD_MEMORY_LIMIT", 3 * 2**30))
#: Seconds the parent waits past the deadline for the worker's own (graceful) timeout.
_GRACE = 0.3
#: Worker processes busy at once; more callers wait for one to be free.
MAX_WORKERS = 2
_in_child = False  # set in an isolated child: nested isolation runs in-process

_deadlines: list[float] = []  # stack of absolute deadlines of the active budgets
#: Modules whose code the alarm never interrupts: the budgets' own bookkeeping.
_BOOKKEEPING = frozenset({__name__, "symgd.errors"})


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


def _quiet_unraisable() -> None:
    """Keep a budget's alarm, swallowed inside a finalizer, from printing "Exception
    ignored in ..." on the user's terminal (it fires again; see _on_alarm)."""
    hook = sys.unraisablehook
    if getattr(hook, "_symgd", False):
        return

    def quiet(unraisable) -> None:
        if not isinstance(unraisable.exc_value, _Expired):
            hook(unraisable)

    quiet._symgd = True
    sys.unraisablehook = quiet


def time_left() -> float:
    """Seconds left in the innermost open budget (infinity when there is none), so that work
    with phases can share what its caller gave it.

    Example:
        >>> time_left()
        inf
        >>> 0 < run_with_budget(time_left, 5.0) <= 5.0
        True
    """
    return _deadlines[-1] - time.monotonic() if _deadlines else float("inf")


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    # A signal can be delivered a little late: only a budget that is still open and whose
    # deadline has passed raises (a stale alarm after its budget closed must not escape from
    # the ``finally`` that closes it, as it did at 25 variables).
    if not _deadlines:
        return
    remaining = _deadlines[-1] - time.monotonic()
    if remaining > 1e-3:
        signal.setitimer(signal.ITIMER_REAL, remaining)  # early (a clock's rounding): wait on
        return
    if _importing(frame):
        # an import cut in the middle leaves a half-initialized module in sys.modules for
        # the rest of the process (NumPy, loaded on first use inside a budget, then recursed
        # forever on np.linalg); the import finishes first, then the budget ends
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        return
    if frame is not None and frame.f_globals.get("__name__") in _BOOKKEEPING:
        # the budget is closing (its finally, or building its SolveTimeout): a raise there
        # skipped the pop of its deadline, and every later budget in the process saw a
        # deadline long past (seen under load, when the re-fire below lands 10 ms later)
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        return
    # Fire again soon in case this raise is swallowed: Python ignores exceptions raised in a
    # weakref finalizer or __del__ (they go to sys.unraisablehook), and the budget would be
    # lost. The budget's own exit cancels the timer.
    signal.setitimer(signal.ITIMER_REAL, 0.01)
    raise _Expired()


def _importing(frame) -> bool:
    """Whether the interrupted code runs inside an import (importlib's frames on the stack)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


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
    # the time this work really had (an enclosing budget may leave less than asked for):
    # a message saying "did not finish within 6 s" of a 2 s call would not be true
    seconds = max(deadline - now, 0.0)
    if deadline <= now:
        raise SolveTimeout(what, seconds)
    previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    if not _deadlines:
        _quiet_unraisable()
    _deadlines.append(deadline)
    signal.setitimer(signal.ITIMER_REAL, deadline - now)
    try:
        return fn()
    except _Expired:
        # Stop the 10 ms re-arm first: an alarm while the SolveTimeout is being built would
        # replace it with a bare _Expired (seen in a worker at 30 variables).
        signal.setitimer(signal.ITIMER_REAL, 0)
        raise SolveTimeout(what, seconds) from None
    finally:
        # Close this budget before stopping its timer: an alarm arriving in between then
        # sees the enclosing budget (or none) and does not raise here.
        _deadlines.pop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if _deadlines:  # re-arm the enclosing budget for the time it has left
            remaining = _deadlines[-1] - time.monotonic()
            signal.signal(signal.SIGALRM, _on_alarm)
            if remaining <= 0:
                raise SolveTimeout(what, seconds)
            signal.setitimer(signal.ITIMER_REAL, remaining)


class WorkersBusy(RuntimeError):
    """Every worker process stayed busy for the time a caller was willing to wait (a server
    answers "busy, retry" instead of queueing without bound)."""


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
    """Whether :func:`run_isolated` runs work in a worker process here (not on Windows, not
    inside a worker, and not when ``SYMGD_ISOLATION=0``).

    Example:
        >>> isinstance(isolation_available(), bool)
        True
    """
    return (not _in_child and sys.platform != "win32"
            and os.environ.get("SYMGD_ISOLATION", "1") != "0"
            and "fork" in multiprocessing.get_all_start_methods())


def run_isolated(work: Callable[..., T], args: tuple, seconds: float | None,
                 what: str = "the work", *, wait: float | None = None,
                 grace: float = _GRACE,
                 meanwhile: Callable[[], object] | None = None) -> Isolated[T]:
    """Run ``work(*args, report=report)`` in a worker process that is killed at the deadline.

    ``work`` may call ``report(partial)`` as often as it likes; the last one comes back when
    the work is stopped, so a caller still gets what was proven so far. Inside the worker the
    same deadline is also a :func:`run_with_budget` budget, so most work ends gracefully
    (raising SolveTimeout inside, which ``work`` may catch) and the worker lives on, its
    caches warm for the next call; the kill is the guarantee for the rest, after which the
    next call starts a fresh worker. Without isolation (see :func:`isolation_available`) the
    work runs in this process under :func:`run_with_budget`.

    Args:
        work: a module-level function (it is named, not copied, to the worker), given
            ``report=`` as a keyword when it takes one; its result must be picklable. Work
            or arguments that cannot be pickled (a class defined inside a function) run in
            this process under :func:`run_with_budget` instead.
        args: its positional arguments.
        seconds: the budget; None means no limit (the work then runs in this process).
        what: a few words naming the work, for the reason.
        wait: seconds to wait for a free worker (None: as long as it takes).
        grace: seconds the caller waits past ``seconds`` for the worker's own graceful
            stop before killing it (a caller with a deadline of its own passes a short one).
        meanwhile: work for this process to do while the worker runs (``analyze`` takes
            the Hessian for its report there while the worker solves: the two cores of a
            small machine both work). Its time counts in ``seconds``; without a worker it
            runs before ``work``. What it raises propagates, and the worker is stopped.

    Returns:
        An :class:`Isolated` record.

    Raises:
        SymgdError: what the work raised for bad input, re-raised here (and any other
            exception it raised, with the worker's traceback as a note).
        WorkersBusy: no worker was free within ``wait`` seconds.

    Example:
        >>> import operator
        >>> run_isolated(operator.mul, (6, 7), 5.0).value
        42
    """
    if seconds is None or seconds == float("inf") or not isolation_available():
        return _in_process(work, args, seconds, what, meanwhile)
    worker = _POOL.take(wait)
    healthy = False
    try:
        got, healthy = worker.run(work, args, seconds, what, grace, meanwhile)
        return got
    except _CannotSend:  # an argument only this process can hold (a class made in a function)
        healthy = True  # nothing reached the worker: it is still waiting for work
    finally:
        _POOL.give_back(worker, healthy)
    return _in_process(work, args, seconds, what, meanwhile)


class _CannotSend(Exception):
    """The work or its arguments cannot be pickled for a worker process."""


def _call(work, args, report):
    try:
        takes_report = "report" in inspect.signature(work).parameters
    except (TypeError, ValueError):  # a builtin without a signature
        takes_report = False
    return work(*args, report=report) if takes_report else work(*args)


def _in_process(work, args, seconds, what, meanwhile=None) -> Isolated:
    if meanwhile is not None:
        meanwhile()
    reports: list = []
    try:
        value = run_with_budget(lambda: _call(work, args, reports.append), seconds, what)
        return Isolated(True, value)
    except SolveTimeout:
        return Isolated(False, None, reports[-1] if reports else None, _late(what, seconds))


def _late(what: str, seconds: float | None) -> str:
    return f"{what} did not finish within {seconds:.3g} s"


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self) -> None:
        context = _context()
        self.conn, child_end = context.Pipe(duplex=True)
        self.process = context.Process(target=_worker_main, args=(child_end, MEMORY_LIMIT),
                                       daemon=True, name="symgd-worker")
        self.process.start()
        child_end.close()

    def alive(self) -> bool:
        return self.process.is_alive()

    def run(self, work, args, seconds: float, what: str, grace: float = _GRACE,
            meanwhile: Callable[[], object] | None = None) -> tuple[Isolated, bool]:
        """The work's outcome, and whether this worker can take more work (False also when
        ``meanwhile`` raised: the worker is then left to be stopped)."""
        try:
            # the whole message is pickled before a byte is written, so a failure here
            # leaves the pipe clean and the worker waiting
            self.conn.send((work, args, seconds, what))
        except (pickle.PicklingError, TypeError, AttributeError) as err:
            raise _CannotSend(str(err)) from err
        deadline = time.monotonic() + seconds + grace
        if meanwhile is not None:
            meanwhile()  # raising here leaves run() with healthy False: the worker is stopped
        partial = None
        while True:
            remaining = deadline - time.monotonic()
            try:
                # poll(0) past the deadline still collects an answer that came in meanwhile
                if not self.conn.poll(max(remaining, 0.0)):
                    return Isolated(False, None, partial, _late(what, seconds)), False
                kind, payload = self.conn.recv()
            except (EOFError, OSError):  # the worker died without a word: killed, crashed
                self.process.join(1.0)
                return Isolated(False, None, partial, f"{what} stopped: the worker process "
                                f"ended (exit code {self.process.exitcode})"), False
            if kind == "partial":
                partial = payload
            elif kind == "done":
                return Isolated(True, payload), True
            elif kind == "timeout":
                return Isolated(False, None, partial, _late(what, seconds)), True
            elif kind == "memory":
                return Isolated(False, None, partial, f"{what} ran out of memory (limit "
                                f"{payload / 2**30:.1f} GB)"), False
            else:  # the work raised: bad input keeps its type, a bug too (with its traceback)
                error, trace = payload
                if not isinstance(error, SymgdError) and hasattr(error, "add_note"):
                    error.add_note(f"in symgd's worker process:\n{trace}")
                raise error

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5.0)
        self.conn.close()


class _Pool:
    """Idle workers, at most MAX_WORKERS busy at once (the playground answers on threads)."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_WORKERS)

    def take(self, wait: float | None = None) -> _Worker:
        if not self._slots.acquire(timeout=-1 if wait is None else wait):
            raise WorkersBusy(f"all {MAX_WORKERS} worker processes are busy")
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.stop()
        try:
            return _Worker()
        except BaseException:
            self._slots.release()
            raise

    def give_back(self, worker: _Worker, healthy: bool) -> None:
        try:
            if healthy and worker.alive():
                with self._lock:
                    self._idle.append(worker)
            else:
                worker.stop()
        finally:
            self._slots.release()


def _context():
    # fork is cheap (the worker shares the parent's imported modules) but unsafe when other
    # threads hold locks; a threaded caller (the playground's server) gets forkserver, whose
    # server process is single-threaded and has symgd imported.
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["symgd.critical"])
    return context


def _worker_main(conn, memory) -> None:
    global _in_child
    _in_child = True
    if memory:
        _limit_memory(memory)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            work, args, seconds, what = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if not _serve(conn, work, args, seconds, what, memory):
            return


def _serve(conn, work, args, seconds, what, memory) -> bool:
    """Run one task and send its outcome; False when this worker should end."""
    def report(value) -> None:
        conn.send(("partial", value))

    try:
        value = run_with_budget(lambda: _call(work, args, report), seconds, what)
        conn.send(("done", value))
    except (SolveTimeout, _Expired):  # _Expired: an alarm that slipped past the budget's exit
        signal.setitimer(signal.ITIMER_REAL, 0)
        conn.send(("timeout", None))
    except MemoryError:
        conn.send(("memory", memory))
        return False  # its state may be broken: the next call gets a fresh worker
    except Exception as err:  # noqa: BLE001 - handed to the parent, which raises it
        import traceback

        trace = traceback.format_exc()
        try:
            conn.send(("error", (err, trace)))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            conn.send(("error", (RuntimeError(f"{type(err).__name__}: {err}"), trace)))
    return True


def _limit_memory(limit: int) -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not POSIX, or not allowed: no limit
        pass


_POOL = _Pool()
