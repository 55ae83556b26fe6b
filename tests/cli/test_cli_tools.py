"""End-to-end tests of `symgd fit`, `symgd check` and `--plot`, against independent answers
(numpy.linalg.lstsq for the fit, hand-derived gradients and kinds for the checks)."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from symgd.cli import main


@pytest.fixture
def line_csv(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, 200)
    y = 1.5 - 0.75 * x + rng.normal(scale=0.1, size=200)
    path = tmp_path / "line.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["x", "y"])
        w.writerows(zip(x, y))
    return path, x, y


def test_fit_squared_loss_matches_lstsq(line_csv, capsys):
    path, x, y = line_csv
    code = main(["fit", str(path), "--target", "y", "--lr", "0.3", "--epochs", "300",
                 "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    A = np.column_stack([x, np.ones_like(x)])
    exact = np.linalg.lstsq(A, y, rcond=None)[0]
    np.testing.assert_allclose(data["w"], exact, atol=1e-4)


def test_fit_custom_loss_from_the_command_line(line_csv, capsys):
    path, x, y = line_csv
    code = main(["fit", str(path), "--target", "y", "--loss", "(y - (w0 + w1*x))**2",
                 "--params", "w0,w1", "--lr", "0.1", "--epochs", "300", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    exact = np.linalg.lstsq(np.column_stack([np.ones_like(x), x]), y, rcond=None)[0]
    np.testing.assert_allclose(data["w"], exact, atol=1e-4)


def test_fit_bad_data_is_a_one_line_error(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("x,y\n1,2\n2,nan\n")
    assert main(["fit", str(path), "--target", "y"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symgd: error:") and "Traceback" not in err


def test_check_gradient_from_the_command_line(capsys):
    f = "x^3+3x^2y-yz^3+z^2"
    assert main(["check", f, "--gradient", "3x^2+6xy, 3x^2-z^3, 2z-3yz^2"]) == 0
    assert main(["check", f, "--gradient", "3x^2+6xy, z^3-3x^2, 2z-3yz^2"]) == 1
    out = capsys.readouterr().out
    assert "sign" in out


def test_check_critical_points_json(capsys):
    code = main(["check", "x**3+y**3-3*x*y", "--critical-points",
                 '{"(0,0)": "saddle", "(1,1)": "min"}', "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["correct"] is True


def test_check_batch_with_a_broken_row(tmp_path, capsys):
    subs = [
        {"student": "ana", "function": "x^2 y", "gradient": ["2xy", "x^2"]},
        {"student": "ben", "function": "x^2 y", "gradiant": ["2xy", "x^2"]},
        {"student": "cy", "function": "x^2 y", "gradient": ["2x", "x^2"]},
    ]
    src = tmp_path / "subs.json"
    src.write_text(json.dumps(subs))
    report = tmp_path / "grades.csv"
    assert main(["check", "--batch", str(src), "--report", str(report)]) == 0
    rows = {r["student"]: r for r in csv.DictReader(open(report))}
    assert float(rows["ana"]["score"]) == 1.0
    assert "gradient" in rows["ben"]["error"]  # "did you mean 'gradient'?"
    assert float(rows["cy"]["score"]) < 1.0


@pytest.mark.parametrize("args", [
    ["analyze", "x^2 - y^2", "--no-descent"],
    ["descend", "x^2 + 3y^2", "--x0", "1,1", "--lr", "0.1"],
])
def test_plot_option_writes_a_png(args, tmp_path, capsys):
    out = tmp_path / "pic.png"
    assert main([*args, "--plot", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 5000


def test_fit_plot_option_writes_a_png(line_csv, tmp_path, capsys):
    path, _, _ = line_csv
    out = tmp_path / "fit.png"
    assert main(["fit", str(path), "--target", "y", "--epochs", "5", "--plot", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 5000
