"""The pictures teach without a glitch (issue #13, item 1 and item 10): diverged runs keep the
axes readable and their first bounces drawn; convergence() picks its x axis, keeps its tick
labels apart and does not squash a short run into a vertical line; the Rosenbrock example's
title, legend and y axis; descent_1d's verdict agrees with the run; ``--plot`` is checked
before any work.

Expected values are hand derivations (gd on x² multiplies x by 1 - 2 lr; Himmelblau's
critical points lie in [-4, 4]², Himmelblau 1972), never the code's own output.
"""

from __future__ import annotations

import importlib.util
import itertools
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from symgd.analysis import analyze  # noqa: E402
from symgd.descent.engine import minimize  # noqa: E402
from symgd.errors import OptionError  # noqa: E402
from symgd.learning.datasets import make_linear  # noqa: E402
from symgd.learning.fit import fit  # noqa: E402
from symgd.learning.risk import EmpiricalRisk  # noqa: E402
from symgd.plot import convergence, descent_1d  # noqa: E402
from symgd.plot.base import KIND_STYLES, PATH_COLORS  # noqa: E402

HIMMELBLAU = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("expr", [HIMMELBLAU, "x**3 - 3*x + y**2"])
def test_analysis_plot_of_diverged_runs_keeps_the_axes_near_the_points(expr):
    analysis = analyze(expr)
    diverged = [r for r in analysis.descent.runs if r.status == "diverged"]
    assert diverged, "the test needs a diverged run (they end at |x| ~ 1e27 .. 1e74)"
    assert max(float(np.max(np.abs(r.end))) for r in diverged) > 1e6
    ax = analysis.plot().axes[0]
    starts = np.array([r.start for r in analysis.descent.runs], dtype=float)
    # Every start and every critical point is in view, and nothing is 1e45 wide: the critical
    # points of both functions lie in [-4, 4]² (Himmelblau 1972; (±1, 0) for the cubic).
    for k, (lo, hi) in enumerate((ax.get_xlim(), ax.get_ylim())):
        assert lo <= starts[:, k].min() and hi >= starts[:, k].max()
        assert lo <= -0.9 and hi >= 0.9
        assert hi - lo < 30.0


def test_a_diverged_result_draws_its_first_bounces_in_one_and_two_variables():
    run = minimize("x**2", [5.0], method="gd", lr=2.0, max_iter=50)
    assert run.status == "diverged"
    ax = run.plot("x**2").axes[0]
    (path,) = [line for line in ax.lines if line.get_gid() == "path"]
    # x <- (1 - 2 lr) x = -3 x from 5: 5, -15, 45, -135.
    assert list(path.get_xdata()) == [5.0, -15.0, 45.0, -135.0]
    lo, hi = ax.get_xlim()
    assert lo <= -135.0 and hi >= 45.0

    run = minimize("x**2 + y**2", [1.0, 2.0], method="gd", lr=1.5, max_iter=50)
    ax = run.plot("x**2 + y**2").axes[0]
    (path,) = [line for line in ax.lines if line.get_gid() == "path"]
    # (x, y) <- -2 (x, y): (1, 2), (-2, -4), (4, 8), (-8, -16).
    assert np.allclose(np.column_stack([path.get_xdata(), path.get_ydata()]),
                       [[1, 2], [-2, -4], [4, 8], [-8, -16]])


def _fits():
    X, y = make_linear(20_000, 3, noise=0.1, seed=0)
    risk = EmpiricalRisk("squared", X, y)
    return [fit(risk, batch_size=b, epochs=8, random_state=0) for b in (None, 32, 1)]


def test_convergence_of_full_mini_and_sgd_fits_defaults_to_epochs():
    runs = _fits()
    ax = convergence(runs).axes[0]
    assert ax.get_xlabel() == "epoch"
    assert [line.get_xdata()[-1] for line in ax.lines] == [8.0, 8.0, 8.0]
    engine = minimize("x^2", [5.0], method="gd", lr=0.1, max_iter=5)
    with pytest.raises(OptionError, match="x='epoch'"):  # mixed: the error names the fix
        convergence([engine, runs[0]])


def _overlaps(labels) -> list[tuple[str, str]]:
    boxes = [(t.get_text(), t.get_window_extent()) for t in labels if t.get_text()]
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if ba.overlaps(bb)]


def test_convergence_against_samples_has_tick_labels_that_do_not_overlap():
    fig = convergence(_fits(), x="samples")
    fig.canvas.draw()
    ax = fig.axes[0]
    labels = [t for t in ax.get_xticklabels() if ax.get_xlim()[0] <= t.get_position()[0]
              <= ax.get_xlim()[1]]
    assert len(labels) >= 3
    assert _overlaps(labels) == []
    # 8 epochs over 20 000 rows: the last sample count is 160 000, written short.
    assert max(len(t.get_text()) for t in labels) <= 5


def test_a_short_newton_run_is_not_a_vertical_line_beside_long_ones():
    f = "(1 - x)**2 + 100*(y - x**2)**2"
    runs = {m: minimize(f, (-1.2, 1.0), method=m, max_iter=3000, tol=1e-8)
            for m in ("gd", "newton")}
    assert runs["newton"].nit < 100 < runs["gd"].nit
    fig = convergence(runs, optimum=0.0)
    fig.canvas.draw()
    ax = fig.axes[0]
    newton = [line for line in ax.lines if line.get_label() == "newton"][0]
    xs = newton.get_xdata()
    left, right = (ax.transData.transform([[x, 1.0]])[0, 0] for x in (xs[0], xs[-1]))
    width = ax.bbox.width
    assert (right - left) > 0.3 * width  # linear: 25 of 3000 iterations is under 1 %
    # The y axis stops at rounding level (1e-16 of the largest value), not at Newton's 1e-31.
    assert runs["newton"].fun < 1e-25
    assert ax.get_ylim()[0] >= 0.99e-16 * _largest(ax)


def _largest(ax) -> float:
    return max(float(np.nanmax(line.get_ydata())) for line in ax.lines)


def test_rosenbrock_example_title_legend_and_y_axis(tmp_path):
    spec = importlib.util.spec_from_file_location("rosen", ROOT / "examples" /
                                                  "optimizers_rosenbrock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fig = module.figure(module._runs(400))
    fig.canvas.draw()
    left, right = fig.axes[:2]
    assert "(y − x²)²" in left.get_title() and "-x²" not in left.get_title()
    for panel in (left, right):  # each legend lies below its panel: it covers no path
        legend = panel.get_legend().get_window_extent()
        assert legend.y1 <= panel.bbox.y0
    assert right.get_ylim()[0] >= 0.99e-16 * _largest(right)
    # Path colours differ from every critical-point kind's colour.
    kind_colors = {matplotlib.colors.to_hex(s["color"]) for s in KIND_STYLES.values()}
    assert not {matplotlib.colors.to_hex(c) for c in PATH_COLORS} & kind_colors


def test_descent_1d_on_x4_does_not_warn_about_a_run_that_converged():
    fig = descent_1d("x^4", 2.0, [0.05, 0.1], steps=20)
    for ax, lr in zip(fig.axes, (0.05, 0.1)):
        x = 2.0
        for _ in range(20):  # the recurrence by hand: x <- x - lr 4 x³
            x -= lr * 4 * x**3
        assert abs(x) < 0.3  # it approaches the minimum at 0
        title = ax.get_title()
        assert "above the bound" not in title and "diverges" not in title
        assert "did not diverge" in title and f"x = {x:.4g}" in title


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symgd", *args], capture_output=True,
                          text=True, timeout=120)


def test_plot_to_an_unwritable_target_is_refused_before_the_analysis(tmp_path):
    done = _cli("analyze", HIMMELBLAU, "--plot", str(tmp_path / "out.txt"))
    assert done.returncode == 2
    assert "'.txt'" in done.stderr and ".png" in done.stderr
    assert done.stdout == ""  # refused before the report was printed
    done = _cli("descend", "x^2", "--x0", "5", "--plot", str(tmp_path / "missing" / "a.png"))
    assert done.returncode == 2 and "does not exist" in done.stderr and done.stdout == ""
    done = _cli("descend", "x^2", "--x0", "5", "--lr", "2", "--plot", str(tmp_path / "d.png"))
    assert done.returncode == 1 and (tmp_path / "d.png").stat().st_size > 10_000
