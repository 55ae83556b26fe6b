"""Settings for the whole test suite (tests/ and the doctests in symgd/).

The suite checks answers, not the speed of the machine it runs on: a call that solves gets a
generous default budget here (60 s instead of the 2 s a user gets), so a loaded CI machine
cannot turn an exact answer into a numeric one. The budgets themselves are tested with
explicit, small timeouts (tests/test_budget.py, tests/fuzz/).
"""

import os

os.environ.setdefault("SYMGD_TIMEOUT", "60")
