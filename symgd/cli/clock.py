"""The command's own clock: ``--timeout S`` is the whole command's budget (issue #17).

A user who types ``symgd analyze ... --timeout 2`` waits for the command, not for the
analysis inside it: Python's start-up and symgd's imports (about a second on an idle machine,
several on a loaded one) count too. So the analysis gets what is left of S once the process
has started, less a little for printing the report and for the interpreter's exit.
"""

from __future__ import annotations

import os
import time

__all__ = ["seconds_since_start", "left_of"]

#: Seconds kept back for writing the output and for the interpreter's exit (measured at
#: 0.1-0.4 s with SymPy loaded).
EXIT_RESERVE = 0.3
#: The least share of the budget the work gets, however long the start-up took: a command
#: that gave its analysis no time at all would answer nothing; a larger share broke the
#: command's own deadline on a busy machine (3.1-3.5 s for --timeout 2 at load 3.7, with a
#: quarter), and the deadline is the promise.
FLOOR_SHARE = 0.1

_IMPORTED = time.monotonic()  # the fallback clock where /proc is not available


def seconds_since_start() -> float:
    """Wall-clock seconds since this process started (Linux: from ``/proc``, so the
    interpreter's start-up and every import count; elsewhere: since this module loaded).

    Example:
        >>> 0 <= seconds_since_start() < 3600 * 24 * 365
        True
    """
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            text = stat.read()
        # the fields after the command name (which may hold spaces); starttime is field 22
        started = int(text[text.rindex(")") + 2:].split()[19]) / os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", encoding="ascii") as uptime:
            now = float(uptime.read().split()[0])
        return max(0.0, now - started)
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED


def left_of(timeout: float) -> float:
    """What is left of the command's ``timeout`` for its work: ``timeout`` less the time since
    the process started and :data:`EXIT_RESERVE`, but never under :data:`FLOOR_SHARE` of it.

    Example:
        >>> 0.1 * 10 <= left_of(10.0) <= 10.0
        True
    """
    return max(timeout - seconds_since_start() - EXIT_RESERVE, FLOOR_SHARE * timeout)
