"""Bad files and bad numbers on the command line (issue #17): one line on stderr and exit 2,
never exit 3 ("internal error, please report it") or a traceback."""

from __future__ import annotations

import json

import pytest

from symgd.cli import main


def _one_line_exit_2(args: list[str], capsys) -> str:
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err and "Traceback" not in err and "internal error" not in err
    assert len(err.splitlines()) == 1, err
    return err


@pytest.fixture
def latin1_csv(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("x,y\n1,caf\xe9\n2,3\n".encode("latin-1"))
    return path


def test_a_csv_that_is_not_utf8_names_the_line(latin1_csv, capsys):
    err = _one_line_exit_2(["fit", str(latin1_csv), "--target", "y", "--no-progress"], capsys)
    assert "UTF-8" in err and "line 2" in err


def test_a_batch_file_that_is_not_utf8(tmp_path, capsys):
    path = tmp_path / "answers.csv"
    path.write_bytes("student,gradient\nRen\xe9,2x\n".encode("latin-1"))
    err = _one_line_exit_2(["check", "x^2", "--batch", str(path)], capsys)
    assert "UTF-8" in err


def test_a_csv_field_past_the_csv_modules_limit(tmp_path, capsys):
    path = tmp_path / "wide.csv"
    path.write_text("x,y\n" + "1" * 200_000 + ",2\n", encoding="utf-8")
    _one_line_exit_2(["fit", str(path), "--target", "y", "--no-progress"], capsys)


def test_batch_json_nested_too_deeply(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _one_line_exit_2(["check", "x^2", "--batch", str(path)], capsys)


@pytest.mark.parametrize("name", ["/dev/zero", "/"])
def test_a_path_that_is_not_a_regular_file(name, capsys):
    err = _one_line_exit_2(["fit", name, "--target", "y", "--no-progress"], capsys)
    assert name in err


@pytest.mark.parametrize("option,value", [
    ("--seed", "-1"), ("--epochs", "0"), ("--epochs", "1.5"), ("--batch-size", "-4")])
def test_counts_must_be_whole_and_in_range(tmp_path, option, value, capsys):
    path = tmp_path / "d.csv"
    path.write_text("x,y\n1,2\n2,4\n3,6\n", encoding="utf-8")
    err = _one_line_exit_2(["fit", str(path), "--target", "y", "--no-progress",
                            option, value], capsys)
    assert option.lstrip("-").replace("-", "_") in err.replace("-", "_")


@pytest.mark.parametrize("value", ["nan", "-1", "0", "inf"])
def test_a_timeout_must_be_a_positive_finite_number(value, capsys):
    err = _one_line_exit_2(["analyze", "x^2", "--no-descent", "--timeout", value], capsys)
    assert "--timeout" in err


@pytest.mark.parametrize("target", ["/no/such/dir/p.png", "p.txt"])
def test_a_plot_path_that_cannot_be_written_is_refused_before_work(target, tmp_path,
                                                                   monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    err = _one_line_exit_2(["descend", "x^2", "--x0", "1", "--plot", target], capsys)
    assert target in err or "png" in err.lower()


def test_argparse_errors_are_one_line(capsys):
    err = _one_line_exit_2(["analyze", "x^2", "--no-such-option"], capsys)
    assert "--no-such-option" in err


def test_the_good_file_still_fits(tmp_path, capsys):
    # the same reader on a good file: y = 2x is fitted (least squares gives w = 2, b = 0)
    path = tmp_path / "d.csv"
    path.write_text("x,y\n" + "".join(f"{x},{2 * x}\n" for x in range(1, 9)),
                    encoding="utf-8")
    assert main(["fit", str(path), "--target", "y", "--no-progress", "--method", "newton",
                 "--epochs", "20", "--json"]) == 0
    weights = json.loads(capsys.readouterr().out)["w"]
    assert weights[0] == pytest.approx(2.0, abs=1e-6)
