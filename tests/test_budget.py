"""The time budget stops runaway work and leaves no timer behind."""

from __future__ import annotations

import signal
import sys
import time
import types

import pytest
import sympy as sp

import symgd.budget as budget
from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout, SymgdError


def _spin():
    while True:
        pass


def test_returns_the_value_within_budget():
    assert run_with_budget(lambda: 41 + 1, 1.0) == 42


def test_runaway_work_is_stopped_and_named():
    # _spin never returns: that the call raised at all is the proof that it was stopped
    with pytest.raises(SolveTimeout, match="spinning did not finish within 0.2 s"):
        run_with_budget(_spin, 0.2, "spinning")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_runaway_sympy_work_is_stopped():
    x = sp.Symbol("x")
    with pytest.raises(SolveTimeout):
        run_with_budget(lambda: sp.expand((x + 1) ** 200000), 0.2, "expanding")


def test_timeout_is_a_symgd_error_and_value_error():
    assert issubclass(SolveTimeout, SymgdError)
    assert issubclass(SolveTimeout, ValueError)


def test_inner_budget_cannot_extend_the_outer_one():
    def outer():
        run_with_budget(lambda: None, 100)  # a generous inner budget that finishes
        _spin()

    with pytest.raises(SolveTimeout):
        run_with_budget(outer, 0.3, "outer")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_no_budget_means_no_timer():
    assert run_with_budget(lambda: signal.getitimer(signal.ITIMER_REAL)[0], None) == 0.0


def _frame_here():
    return sys._getframe()


def test_an_alarm_inside_the_budgets_own_bookkeeping_waits_for_the_work():
    # Under load the alarm's 10 ms re-fire landed in run_with_budget's `finally` before it
    # popped its deadline; the deadline stayed on the stack, long past, and every later
    # budget in the process expired at once (#18). The handler now leaves budget.py's and
    # errors.py's own frames alone and fires again a little later; in anyone else's code
    # it raises as before.
    in_budget = types.FunctionType(_frame_here.__code__, vars(budget))  # budget's globals
    budget._deadlines.append(time.monotonic() - 1.0)  # a deadline already past
    try:
        budget._on_alarm(signal.SIGALRM, in_budget())  # the bookkeeping: no raise
        with pytest.raises(budget._Expired):
            budget._on_alarm(signal.SIGALRM, _frame_here())  # the work: raised
    finally:
        budget._deadlines.pop()
        signal.setitimer(signal.ITIMER_REAL, 0)
    assert budget._deadlines == []


def _call_it(fn):
    return fn()


def test_work_that_cannot_be_pickled_runs_in_this_process():
    # a lambda cannot be sent to a worker process: the call still answers (in this process,
    # under the alarm), and the pool stays usable for the next call
    got = budget.run_isolated(_call_it, (lambda: 6 * 7,), 30.0)
    assert got.finished and got.value == 42
    import operator

    assert budget.run_isolated(operator.mul, (6, 7), 30.0).value == 42


def test_an_import_is_never_cut_in_the_middle(tmp_path, monkeypatch):
    # NumPy is imported on first use inside a budget (#18: exact answers never load it). A
    # budget that ran out during that import left a half-initialized numpy in sys.modules,
    # and np.linalg then recursed forever. The alarm now waits for the import to finish and
    # the budget ends right after it, with the module whole.
    (tmp_path / "slow_module_for_budget_test.py").write_text(
        "import time\ntime.sleep(0.3)\nFINISHED = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "slow_module_for_budget_test", raising=False)

    def work():
        import slow_module_for_budget_test  # noqa: F401
        _spin()

    with pytest.raises(SolveTimeout):
        run_with_budget(work, 0.05)
    assert sys.modules["slow_module_for_budget_test"].FINISHED is True
    assert budget._deadlines == []


def _pid_after(seconds):
    import os

    started = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process on Linux
    time.sleep(seconds)
    return os.getpid(), started


@pytest.mark.skipif(not budget.isolation_available(), reason="needs worker processes (POSIX)")
def test_meanwhile_runs_here_while_the_worker_runs_and_a_late_answer_is_kept():
    import os

    seen = []

    def meanwhile():  # longer than the budget plus its grace: the answer waits in the pipe
        time.sleep(0.6)
        seen.append((os.getpid(), time.monotonic()))

    got = budget.run_isolated(_pid_after, (0.3,), 0.2 + 0.3, grace=0.05, meanwhile=meanwhile)
    (here, meanwhile_ended), = seen
    worker, worker_started = got.value
    assert got.finished and here == os.getpid() and worker != here
    assert worker_started < meanwhile_ended  # the work began before meanwhile was done


@pytest.mark.skipif(not budget.isolation_available(), reason="needs worker processes (POSIX)")
def test_an_error_in_meanwhile_propagates_and_the_next_call_still_works():
    def meanwhile():
        raise KeyError("meanwhile failed")

    with pytest.raises(KeyError, match="meanwhile failed"):
        budget.run_isolated(_pid_after, (0.0,), 5.0, meanwhile=meanwhile)
    assert budget.run_isolated(_pid_after, (0.0,), 5.0).finished
