"""The curated public API: every name in symgd.__all__ resolves, and `import symgd` stays
light (SciPy and matplotlib load only when a feature needs them)."""

from __future__ import annotations

import subprocess
import sys

import symgd


def test_every_public_name_resolves():
    missing = [name for name in symgd.__all__ if getattr(symgd, name, None) is None]
    assert missing == []
    assert sorted(symgd.__all__) == sorted(set(symgd.__all__))


def test_errors_are_value_errors():
    for name in ("ParseError", "VariableError", "DomainError", "DataError", "OptionError",
                 "SolveTimeout"):
        assert issubclass(getattr(symgd, name), symgd.SymgdError)
        assert issubclass(getattr(symgd, name), ValueError)


def test_unknown_attribute_is_an_attribute_error():
    try:
        symgd.no_such_thing  # noqa: B018
    except AttributeError as err:
        assert "no_such_thing" in str(err)
    else:
        raise AssertionError("expected AttributeError")


def test_import_does_not_load_scipy_or_matplotlib():
    code = ("import sys, symgd; heavy = {m.split('.')[0] for m in sys.modules} & "
            "{'scipy', 'matplotlib', 'tqdm'}; print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_the_issue_examples_run_through_the_top_level_api():
    a = symgd.analyze("x^3 + 3x^2 y - y z^3 + z^2", descend=False)
    kinds = {p.kind for p in a.critical_points}
    assert "saddle point" in kinds and a.complete
    r = symgd.minimize("x**2", x0=[5.0], method="gd", lr=2, max_iter=10)
    assert r.status == "diverged" and "2/L = 1" in r.message
    assert symgd.lr_bound("x**2 + 10*y**2") == symgd.parse("1/10", allow_constant=True)[0]


def test_check_fit_and_compile_stay_functions_after_their_submodules_are_imported():
    # Importing a submodule sets it as an attribute of the package: once symgd.check.grading
    # is imported, symgd.check would be the checking layer's package rather than the function
    # (and, before the layered tree, symgd.compile and symgd.fit were modules too). Run in a
    # fresh interpreter, since this test session has imported everything already.
    import subprocess
    import sys

    code = ("import symgd\n"
            "symgd.minimize('x^2', x0=[1.0])\n"
            "import symgd.check.grading, symgd.learning.fit, symgd.numeric.compile\n"
            "from symgd.check import CheckReport\n"
            "print(symgd.compile('x^2').grad([3.0])[0], symgd.check('x^2', gradient='2x').score,"
            " type(symgd.fit).__name__, CheckReport.__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["6.0", "1.0", "function", "CheckReport"]


DOCUMENTED_PATHS = [
    "symgd.optim.adam", "symgd.optim.momentum", "symgd.optim.get", "symgd.schedules.cosine",
    "symgd.schedules.inverse_time", "symgd.plot.contour", "symgd.plot.descent_1d",
    "symgd.plot.convergence", "symgd.plot.plot_analysis", "symgd.plot.pyplot",
    "symgd.datasets.make_logistic", "symgd.datasets.load_csv",
    "symgd.critical.critical_points", "symgd.analysis.analyze", "symgd.analysis.Analysis",
    "symgd.learning.EmpiricalRisk", "symgd.learning.fit", "symgd.check.check",
    "symgd.check.CheckReport", "symgd.cli.main", "symgd.playground.serve",
]


def test_documented_import_paths_still_resolve():
    import importlib

    for path in DOCUMENTED_PATHS:
        module, _, name = path.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name)), path
