"""Tests of symgd's pictures: what was drawn (line data, markers, labels), never pixels.

Expected data come from hand derivations: gradient descent on x² with step lr multiplies x
by (1 - 2 lr); on x² + 3y² it multiplies (x, y) by (1 - 2 lr, 1 - 6 lr); Himmelblau's
critical points are found here with scipy.optimize.fsolve on the hand-written gradient and
classified by numpy.linalg.eigvalsh of the hand-written Hessian.
"""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy.optimize import fsolve  # noqa: E402

from symgd.analysis import analyze  # noqa: E402
from symgd.critical import critical_points  # noqa: E402
from symgd.descent.engine import maximize, minimize  # noqa: E402
from symgd.errors import DomainError, OptionError, VariableError  # noqa: E402
from symgd.plot import (  # noqa: E402
    contour,
    convergence,
    curve,
    descent_1d,
    plot_analysis,
    plot_fit,
    plot_result,
    slices,
    surface,
)
from symgd.plot.base import pyplot  # noqa: E402
from symgd.plot.curve import stability_verdict  # noqa: E402

HIMMELBLAU = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"
MISSION = "x**3 + 3*x**2*y - y*z**3 + z**2"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def lines_with(ax, gid: str) -> list:
    return [line for line in ax.lines if line.get_gid() == gid]


def legend_labels(ax) -> list[str]:
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def marker_points(ax, kind: str) -> np.ndarray:
    rows = [np.column_stack([line.get_xdata(), line.get_ydata()])
            for line in lines_with(ax, kind)]
    return np.vstack(rows) if rows else np.empty((0, 2))


# --- import hygiene and the missing-matplotlib error ----------------------------------------


def test_import_symgd_does_not_import_matplotlib():
    code = ("import symgd, sys; assert 'matplotlib' not in sys.modules, 'by symgd'; "
            "import symgd.plot; assert 'matplotlib' not in sys.modules, 'by symgd.plot'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def test_missing_matplotlib_raises_a_clear_option_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(OptionError, match=r"pip install 'symgd\[plot\]'") as caught:
        pyplot()
    assert isinstance(caught.value, ValueError)
    with pytest.raises(OptionError, match="pictures need matplotlib"):
        contour("x^2 + y^2", critical_points=False)


# --- descent_1d ------------------------------------------------------------------------------


def test_descent_1d_draws_gd_iterates_on_the_curve():
    fig = descent_1d("x^2", 5.0, [0.01, 0.1], steps=10)
    small, good = fig.axes
    k = np.arange(11)
    for ax, factor in ((small, 0.98), (good, 0.8)):  # x_{k+1} = (1 - 2 lr) x_k
        (steps,) = lines_with(ax, "steps")
        np.testing.assert_allclose(steps.get_xdata(), 5.0 * factor ** k, rtol=1e-12)
        np.testing.assert_allclose(steps.get_ydata(), (5.0 * factor ** k) ** 2, rtol=1e-12)
        (graph,) = lines_with(ax, "f")
        np.testing.assert_allclose(graph.get_ydata(), np.asarray(graph.get_xdata()) ** 2)
        (start,) = lines_with(ax, "start")
        assert (start.get_xdata()[0], start.get_ydata()[0]) == (5.0, 25.0)
        np.testing.assert_allclose(marker_points(ax, "local minimum"), [[0.0, 0.0]])
    assert "lr = 0.1 < 2/L = 1: converges" in good.get_title()
    assert "lr = 0.01 < 2/L = 1: too small, slow" in small.get_title()
    assert fig is small.figure


def test_descent_1d_clips_a_diverging_run_and_says_it_left_the_plot():
    fig = descent_1d("x^2", 5.0, [0.1, 1.1, 2.0], steps=10)
    _, large, lecture = fig.axes
    assert large.get_title().startswith("lr = 1.1 > 2/L = 1: diverges")
    assert "left the plot" in large.get_title()
    assert lecture.get_title().startswith("lr = 2 > 2/L = 1: diverges")
    everything = 5.0 * (-1.2) ** np.arange(11)  # x_{k+1} = (1 - 2.2) x_k
    (steps,) = lines_with(large, "steps")
    shown = np.asarray(steps.get_xdata())
    assert 2 <= len(shown) < 11
    np.testing.assert_allclose(shown, everything[: len(shown)], rtol=1e-12)
    lo, hi = large.get_xlim()
    assert np.all((shown >= lo) & (shown <= hi))
    assert not lo <= everything[len(shown)] <= hi  # the first iterate not drawn is outside
    assert f"at step {len(shown)} of 10" in large.get_title()


def test_descent_1d_bound_uses_the_curvature():
    # f = 3x² + x: f'' = 6, so 2/L = 1/3; lr = 0.3 is in (1/L, 2/L): overshoots, converges.
    fig = descent_1d("3*x^2 + x", 1.0, [0.3, 0.4], steps=5, critical_points=False)
    over, beyond = fig.axes
    assert over.get_title().startswith("lr = 0.3 < 2/L = 0.333: overshoots, converges")
    assert beyond.get_title().startswith("lr = 0.4 > 2/L = 0.333: diverges")
    (steps,) = lines_with(over, "steps")
    x = [1.0]
    for _ in range(5):
        x.append(x[-1] - 0.3 * (6 * x[-1] + 1))
    np.testing.assert_allclose(steps.get_xdata(), x, rtol=1e-12)


def test_descent_1d_overlays_runs_in_a_given_axes():
    fig, ax = plt.subplots()
    out = descent_1d("x^2", 2.0, [0.1, 0.25], steps=3, critical_points=False, ax=ax)
    assert out is fig
    runs = lines_with(ax, "steps")
    assert len(runs) == 2
    np.testing.assert_allclose(runs[1].get_xdata(), [2.0, 1.0, 0.5, 0.25])  # factor 1/2
    assert any(label.startswith("lr = 0.25 < 2/L = 1") for label in legend_labels(ax))


def test_descent_1d_rejects_bad_input():
    with pytest.raises(VariableError, match="1 variable"):
        descent_1d("x*y", 1.0, [0.1])
    with pytest.raises(OptionError, match="positive"):
        descent_1d("x^2", 1.0, [-0.1])
    with pytest.raises(OptionError, match="steps"):
        descent_1d("x^2", 1.0, [0.1], steps=0)
    with pytest.raises(OptionError, match="x0 must be one number"):
        descent_1d("x^2", [1.0, 2.0], [0.1], critical_points=False)
    with pytest.raises(OptionError, match="x0 must be finite"):
        descent_1d("x^2", float("nan"), [0.1], critical_points=False)
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(OptionError, match="2 axes for 3 learning rates"):
        descent_1d("x^2", 1.0, [0.1, 0.2, 0.3], ax=axes, critical_points=False)


@pytest.mark.parametrize(("lr", "words"), [
    (1.1, "lr = 1.1 > 2/L = 1: diverges"),
    (1.0, "lr = 1 = 2/L: oscillates, never converges"),
    (0.75, "lr = 0.75 < 2/L = 1: overshoots, converges"),
    (0.25, "lr = 0.25 < 2/L = 1: converges"),
    (0.01, "lr = 0.01 < 2/L = 1: too small, slow"),
])
def test_stability_verdict_follows_the_contraction_factor(lr, words):
    assert stability_verdict(lr, 1.0) == words


def test_curve_marks_critical_points_and_draws_paths_on_the_curve():
    run = minimize("x^3 - 3*x", 2.0, method="gd", lr=0.05, max_iter=5, tol=0.0)
    fig = curve("x^3 - 3*x", paths=run)
    ax = fig.axes[0]
    np.testing.assert_allclose(marker_points(ax, "local maximum"), [[-1.0, 2.0]])
    np.testing.assert_allclose(marker_points(ax, "local minimum"), [[1.0, -2.0]])
    (path,) = lines_with(ax, "path")
    x = [2.0]
    for _ in range(5):
        x.append(x[-1] - 0.05 * (3 * x[-1] ** 2 - 3))
    np.testing.assert_allclose(path.get_xdata(), x, rtol=1e-12)
    np.testing.assert_allclose(path.get_ydata(), np.array(x) ** 3 - 3 * np.array(x))


# --- contour, surface ----------------------------------------------------------------------


def himmelblau_points() -> dict[str, np.ndarray]:
    """Himmelblau's nine critical points by fsolve from rough seeds, grouped by kind."""
    def grad(p):
        x, y = p
        return [4 * x * (x**2 + y - 11) + 2 * (x + y**2 - 7),
                2 * (x**2 + y - 11) + 4 * y * (x + y**2 - 7)]

    def hess(p):
        x, y = p
        return np.array([[12 * x**2 + 4 * y - 42, 4 * x + 4 * y],
                         [4 * x + 4 * y, 4 * x + 12 * y**2 - 26]])

    seeds = [(3, 2), (-2.8, 3.1), (-3.8, -3.3), (3.6, -1.8), (-0.3, -0.9), (0.1, 2.9),
             (-3.1, -0.1), (3.4, 0.1), (-0.1, -2.0)]
    groups: dict[str, list] = {}
    for seed in seeds:
        p = fsolve(grad, seed, xtol=1e-13)
        eig = np.linalg.eigvalsh(hess(p))
        kind = ("local minimum" if eig.min() > 0 else "local maximum" if eig.max() < 0
                else "saddle point")
        groups.setdefault(kind, []).append(p)
    return {k: np.array(v) for k, v in groups.items()}


def same_points(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape:
        return False
    return all(np.min(np.linalg.norm(b - row, axis=1)) < 1e-6 for row in a)


def test_contour_marks_himmelblau_points_by_kind_with_distinct_markers():
    expected = himmelblau_points()
    assert sorted(len(v) for v in expected.values()) == [1, 4, 4]
    fig = contour(HIMMELBLAU)
    ax = fig.axes[0]
    markers = set()
    for kind, points in expected.items():
        assert same_points(marker_points(ax, kind), points), kind
        markers |= {line.get_marker() for line in lines_with(ax, kind)}
        assert kind in legend_labels(ax)
    assert len(markers) == 3
    assert np.min(np.linalg.norm(marker_points(ax, "local minimum") - [3, 2], axis=1)) < 1e-12
    (xlo, xhi), (ylo, yhi) = ax.get_xlim(), ax.get_ylim()
    everything = np.vstack(list(expected.values()))
    assert np.all((everything[:, 0] > xlo) & (everything[:, 0] < xhi))
    assert np.all((everything[:, 1] > ylo) & (everything[:, 1] < yhi))


def test_contour_saddle_of_x2_minus_y2_into_given_axes():
    fig, ax = plt.subplots()
    out = contour("x^2 - y^2", ax=ax)
    assert out is fig and len(fig.axes) == 1
    np.testing.assert_allclose(marker_points(ax, "saddle point"), [[0.0, 0.0]], atol=1e-15)
    assert lines_with(ax, "saddle point")[0].get_marker() == "X"
    assert not lines_with(ax, "local minimum") and not lines_with(ax, "local maximum")
    assert "saddle point" in legend_labels(ax)


def test_contour_draws_a_family_as_a_line():
    fig = contour("(x - y)^2")  # grad = 0 exactly on the line y = x
    ax = fig.axes[0]
    (family,) = lines_with(ax, "family")
    xs, ys = np.asarray(family.get_xdata()), np.asarray(family.get_ydata())
    finite = np.isfinite(xs)
    assert finite.sum() > 10
    np.testing.assert_allclose(xs[finite], ys[finite])
    lo, hi = ax.get_xlim()
    assert xs[finite].min() <= lo + 0.05 * (hi - lo) and xs[finite].max() >= hi - 0.05 * (hi - lo)
    assert any(label.startswith("critical line") for label in legend_labels(ax))


def test_contour_draws_multistart_paths_with_starts_and_ends():
    starts = np.array([[2.0, 1.0], [-1.0, 2.0], [0.5, -1.5]])
    run = minimize("x^2 + 3*y^2", starts, method="gd", lr=0.1, max_iter=8, tol=0.0)
    fig = contour("x^2 + 3*y^2", paths=run, critical_points=False)
    ax = fig.axes[0]
    paths = lines_with(ax, "path")
    assert len(paths) == 3
    k = np.arange(9)
    for path, (x0, y0) in zip(paths, starts, strict=True):  # (x, y) <- (0.8 x, 0.4 y)
        np.testing.assert_allclose(path.get_xdata(), x0 * 0.8 ** k, rtol=1e-12)
        np.testing.assert_allclose(path.get_ydata(), y0 * 0.4 ** k, rtol=1e-12, atol=1e-15)
    drawn_starts = [(s.get_xdata()[0], s.get_ydata()[0]) for s in lines_with(ax, "start")]
    np.testing.assert_allclose(drawn_starts, starts)
    ends = [(e.get_xdata()[0], e.get_ydata()[0]) for e in lines_with(ax, "end")]
    np.testing.assert_allclose(ends, starts * [0.8 ** 8, 0.4 ** 8], rtol=1e-12)


def test_contour_labels_each_run_of_a_dict_and_honours_the_domain():
    runs = {"gd": minimize("x^2 + y^2", [1.0, 1.0], lr=0.1, max_iter=5),
            "adam": minimize("x^2 + y^2", [1.0, 1.0], method="adam", lr=0.1, max_iter=5)}
    fig = contour("x^2 + y^2", paths=runs, domain={"x": (-2, 3), "y": (-1, 2)})
    ax = fig.axes[0]
    assert {"gd", "adam"} <= set(legend_labels(ax))
    assert ax.get_xlim() == (-2.0, 3.0) and ax.get_ylim() == (-1.0, 2.0)


def test_contour_rejects_bad_input():
    with pytest.raises(DomainError, match="not below"):
        contour("x^2 + y^2", domain={"x": (2, 1)}, critical_points=False)
    with pytest.raises(DomainError, match="unknown"):
        contour("x^2 + y^2", domain={"z": (0, 1)}, critical_points=False)
    with pytest.raises(VariableError, match="2 variable"):
        contour("x^2 + y^2 + z^2")
    with pytest.raises(OptionError, match="Axes"):
        contour("x^2 + y^2", ax="not axes", critical_points=False)
    with pytest.raises(OptionError, match="levels"):
        contour("x^2 + y^2", levels=1, critical_points=False)
    with pytest.raises(OptionError, match=r"\(n, 2\) array"):
        contour("x^2 + y^2", paths=np.zeros((4, 3)), critical_points=False)
    with pytest.raises(OptionError, match="convergence"):
        convergence(["not a run"])


def test_surface_lifts_paths_onto_the_surface():
    run = minimize("x^2 + 3*y^2", [1.0, 1.0], lr=0.1, max_iter=4, tol=0.0)
    fig = surface("x^2 + 3*y^2", paths=run)
    ax = fig.axes[0]
    assert ax.name == "3d"
    (path,) = lines_with(ax, "path")
    xs, ys, zs = (np.asarray(v) for v in path.get_data_3d())
    np.testing.assert_allclose(zs, xs**2 + 3 * ys**2)
    np.testing.assert_allclose(xs, 0.8 ** np.arange(5))
    fig2, flat = plt.subplots()
    with pytest.raises(OptionError, match="3-D axes"):
        surface("x^2 + y^2", ax=flat)


# --- slices (3 variables) ------------------------------------------------------------------


def test_slices_through_the_mission_saddle_mark_the_family_crossing():
    y = (2 / 81) ** 0.2  # by hand: x = -2y, z = 2/(3y), y^5 = 2/81
    point = np.array([-2 * y, y, 2 / (3 * y)])
    cps = critical_points(MISSION)
    fig = slices(MISSION, point, critical_points=cps)
    xy, xz, yz = fig.axes
    for ax, (a, b) in ((xy, (0, 1)), (xz, (0, 2)), (yz, (1, 2))):
        drawn = np.vstack([marker_points(ax, k) for k in
                           ("saddle point", "local minimum", "local maximum")])
        np.testing.assert_allclose(drawn, [point[[a, b]]], rtol=1e-9)
    assert xz.get_title() == f"x, z at y = {y:.4g}"
    (crossing,) = lines_with(xz, "family crossing")  # the line (0, t, 0) meets y = y*
    np.testing.assert_allclose([crossing.get_xdata()[0], crossing.get_ydata()[0]], [0, 0],
                               atol=1e-9)
    assert f"at t = {y:.4g}" in crossing.get_label()
    assert not lines_with(xy, "family crossing") and not lines_with(yz, "family crossing")


def test_slices_need_three_axes_and_a_point():
    with pytest.raises(OptionError, match="3 axes"):
        slices("x^2 + y^2 + z^2", (0, 0, 0), critical_points=False, ax=plt.subplots(1, 2)[1])
    with pytest.raises(OptionError, match="3 finite numbers"):
        slices("x^2 + y^2 + z^2", (0, 0), critical_points=False)


# --- convergence ------------------------------------------------------------------------------


def test_convergence_of_results_on_a_log_scale():
    runs = [minimize("x^2", 5.0, lr=lr, max_iter=30, tol=0.0) for lr in (0.01, 0.1)]
    fig = convergence(runs, labels=["slow", "fast"])
    ax = fig.axes[0]
    curves = lines_with(ax, "curve")
    k = np.arange(31)
    np.testing.assert_allclose(curves[0].get_ydata(), 25 * 0.98 ** (2 * k), rtol=1e-12)
    np.testing.assert_allclose(curves[1].get_ydata(), 25 * 0.8 ** (2 * k), rtol=1e-12)
    np.testing.assert_allclose(curves[1].get_xdata(), k)
    assert ax.get_yscale() == "log" and legend_labels(ax) == ["slow", "fast"]


def test_convergence_gap_to_a_known_optimum_and_for_maximize():
    down = minimize("(x - 1)^2 + 2", 3.0, lr=0.25, max_iter=6, tol=0.0)  # x-1 halves
    up = maximize("-(x - 1)^2 + 2", 3.0, lr=0.25, max_iter=6, tol=0.0)
    fig = convergence({"down": down, "up": up}, optimum=2.0)
    first, second = lines_with(fig.axes[0], "curve")
    expected = 4.0 * 0.25 ** np.arange(7)  # (x - 1)^2 with x - 1 = 2 / 2^k
    np.testing.assert_allclose(first.get_ydata(), expected, rtol=1e-12)
    np.testing.assert_allclose(second.get_ydata(), expected, rtol=1e-12)
    assert fig.axes[0].get_ylabel() == "f - f*"


def test_convergence_picks_the_best_start_and_checks_the_axis():
    run = minimize("x^2", np.array([4.0, 1.0]), lr=0.1, max_iter=5, tol=0.0)
    fig, ax = plt.subplots()
    assert convergence(run, ax=ax) is fig
    (curve_line,) = lines_with(ax, "curve")
    np.testing.assert_allclose(curve_line.get_ydata(), 0.64 ** np.arange(6))  # the start 1
    with pytest.raises(OptionError, match="x='iteration'"):
        convergence(run, x="time")
    with pytest.raises(OptionError, match="labels"):
        convergence([run, run], labels=["one"])


def test_convergence_of_fits_draws_the_gap_to_least_squares():
    from symgd.learning import EmpiricalRisk
    from symgd.learning.fit import fit

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = X @ [1.0, -2.0] + 0.5 + 0.1 * rng.normal(size=60)
    risk = EmpiricalRisk("squared", X, y)
    fits = [fit(risk, batch_size=b, epochs=8, lr=0.1, random_state=1) for b in (None, 10)]
    design = np.column_stack([X, np.ones(60)])
    w, *_ = np.linalg.lstsq(design, y, rcond=None)
    best = 0.5 * np.mean((design @ w - y) ** 2)  # the half mean squared error at lstsq
    fig = plot_fit(fits[0])
    (only,) = lines_with(fig.axes[0], "curve")
    np.testing.assert_allclose(only.get_ydata(), fits[0].history.loss - best, rtol=1e-6)
    fig = convergence(fits, x="samples")
    ax = fig.axes[0]
    full, mini = lines_with(ax, "curve")
    np.testing.assert_allclose(full.get_xdata(), 60 * np.arange(9))
    assert legend_labels(ax)[1].startswith("mini-batch 10")
    assert ax.get_ylabel() == "gap: loss - optimal loss"


# --- shortcuts ----------------------------------------------------------------------------------


def test_plot_analysis_for_one_two_and_three_variables():
    one = plot_analysis(analyze("x^3 - 3*x", descend=False))
    np.testing.assert_allclose(marker_points(one.axes[0], "local minimum"), [[1.0, -2.0]])
    two = plot_analysis(analyze("x^2 + y^2", descend=True, starts=[[1.0, 2.0], [-2.0, 1.0]]))
    runs = lines_with(two.axes[0], "run")
    assert len(runs) == 2
    np.testing.assert_allclose([r.get_xdata()[0] for r in runs], [1.0, -2.0])
    np.testing.assert_allclose([r.get_xdata()[1] for r in runs], [0.0, 0.0], atol=1e-6)
    three = plot_analysis(analyze(MISSION, descend=False))
    assert len(three.axes) == 3  # one isolated point: one row of three slices
    with pytest.raises(VariableError, match="1 or 2 or 3"):
        plot_analysis(analyze("w^2 + x^2 + y^2 + z^2", descend=False))


def test_plot_result_with_and_without_the_function():
    run = minimize("x^2 + 3*y^2", [1.0, 1.0], lr=0.1, max_iter=4, tol=0.0)
    with_f = plot_result(run, "x^2 + 3*y^2")
    (path,) = lines_with(with_f.axes[0], "path")
    np.testing.assert_allclose(path.get_ydata(), 0.4 ** np.arange(5), rtol=1e-12)
    alone = plot_result(run)
    (line,) = lines_with(alone.axes[0], "curve")
    np.testing.assert_allclose(line.get_ydata(), 0.64 ** np.arange(5) + 3 * 0.16 ** np.arange(5))


def test_curve_marks_a_periodic_family_of_sin():
    fig = curve("sin(x)")
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    minima = marker_points(ax, "local minimum")
    maxima = marker_points(ax, "local maximum")
    assert len(minima) >= 2 and len(maxima) >= 2  # at least a period either side of 0
    np.testing.assert_allclose(np.sin(minima[:, 0]), -1.0, atol=1e-12)  # sin x = -1 there
    np.testing.assert_allclose(minima[:, 1], -1.0, atol=1e-12)
    np.testing.assert_allclose(np.sin(maxima[:, 0]), 1.0, atol=1e-12)
    assert lo < -np.pi / 2 and 3 * np.pi / 2 < hi
    assert np.all((minima[:, 0] >= lo) & (minima[:, 0] <= hi))


def test_plot_analysis_marks_where_diverged_runs_began():
    # x³ - 3x: from 2 descent reaches the minimum at 1; from -2 it runs off to -infinity.
    fig = plot_analysis(analyze("x^3 - 3*x", starts=[[2.0], [-2.0]], lr=0.05))
    ax = fig.axes[0]
    (run,) = lines_with(ax, "run")
    np.testing.assert_allclose(run.get_xdata(), [2.0, 1.0], atol=1e-6)
    (lost,) = lines_with(ax, "diverged start")
    np.testing.assert_allclose([lost.get_xdata()[0], lost.get_ydata()[0]], [-2.0, -2.0])
    assert "start of a diverged run" in legend_labels(ax)
