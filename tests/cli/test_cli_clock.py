"""A command's ``--timeout`` is the whole command's budget (issue #17): the time Python took
to start and import symgd is taken off what the analysis gets."""

import subprocess
import sys
import time

import pytest

from symgd.cli import clock
from symgd.cli.main import main


def test_the_clock_counts_from_the_start_of_the_process():
    # a child that sleeps 0.5 s before asking: its clock says at least that, and no more
    # than the parent saw pass from before it started the child
    code = ("import time; time.sleep(0.5); from symgd.cli.clock import seconds_since_start; "
            "print(seconds_since_start())")
    before = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    seen = time.monotonic() - before
    said = float(out)
    assert 0.5 <= said <= seen + 0.05  # /proc counts in clock ticks (10 ms)


@pytest.mark.parametrize("since_start, expected", [
    (0.5, 2.0 - 0.5 - clock.EXIT_RESERVE),   # the rest of the budget
    (5.0, clock.FLOOR_SHARE * 2.0),          # a start-up past the budget: the floor
])
def test_what_is_left_of_the_budget(monkeypatch, since_start, expected):
    monkeypatch.setattr(clock, "seconds_since_start", lambda: since_start)
    assert clock.left_of(2.0) == pytest.approx(expected)


def _spy(monkeypatch) -> dict:
    """Replace analyze by a spy that records the budget the command hands it."""
    import symgd.analysis.analyze  # noqa: F401 - the module, looked up below by name

    seen = {}

    def fake_analyze(*args, **kwargs):
        seen["timeout"] = kwargs["timeout"]
        raise KeyboardInterrupt  # stop here: only the budget handed over is under test

    monkeypatch.setattr(sys.modules["symgd.analysis.analyze"], "analyze", fake_analyze)
    return seen


def test_a_command_from_the_shell_gives_its_work_what_is_left(monkeypatch):
    seen = _spy(monkeypatch)
    monkeypatch.setattr(clock, "seconds_since_start", lambda: 1.5)
    monkeypatch.setattr(sys, "argv", ["symgd", "analyze", "x^2", "--timeout", "7"])
    assert main() == 130
    assert seen["timeout"] == pytest.approx(7 - 1.5 - clock.EXIT_RESERVE)


def test_main_called_from_python_gives_the_work_all_of_it(monkeypatch):
    seen = _spy(monkeypatch)
    monkeypatch.setattr(clock, "seconds_since_start", lambda: 1.5)
    assert main(["analyze", "x^2", "--timeout", "7"]) == 130
    assert seen["timeout"] == 7
