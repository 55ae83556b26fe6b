"""Batch grading: files with good and broken rows, reports written and read back."""

from __future__ import annotations

import csv
import json

import pytest

from symgd.check.grading import (
    GradeBook,
    grade_file,
    grade_submissions,
    read_submissions,
    write_report,
)
from symgd.errors import DataError, OptionError

F = "x^3 + y^3 - 3x y"  # ∇f = (3x² - 3y, 3y² - 3x); critical points (0,0) saddle, (1,1) min

GOOD = {"student": "ana", "function": F, "gradient": ["3x^2 - 3y", "3y^2 - 3x"],
        "critical_points": {"(0,0)": "saddle", "(1,1)": "min"}}
HALF = {"student": "bo", "function": F, "gradient": "3x^2 - 3y, 3y^2 - 3x",
        "critical_points": {"(0,0)": "saddle", "(1,1)": "max"}}  # (1,1) wrong kind: 3/4


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_list_with_broken_rows(tmp_path):
    rows = [GOOD,
            {"student": "cy", "function": F, "gradiant": ["3x^2 - 3y", "3y^2 - 3x"]},
            {"student": "dee", "function": "x^^3", "gradient": "3x^2"},
            "not an object",
            HALF]
    book = grade_file(_write(tmp_path, "subs.json", json.dumps(rows)))
    ana, cy, dee, bad, bo = book.results
    assert ana.correct and ana.score == 1.0 and ana.error is None
    assert cy.error == ("row 2 (student 'cy'): unknown keyword 'gradiant'; "
                        "did you mean 'gradient'?")
    assert dee.error.startswith("row 3 (student 'dee'): could not read the function 'x^^3'")
    assert "position" in dee.error
    assert bad.error.startswith("row 4:") and cy.score == dee.score == 0
    assert not bo.correct and bo.score == pytest.approx((1 + 0.75) / 2)
    summary = book.summary
    assert summary["count"] == 5 and summary["graded"] == 2 and summary["errors"] == 3
    assert summary["mean_score"] == pytest.approx((1 + 0.875) / 2)
    assert summary["part_success"] == {"gradient": 1.0, "critical points": 0.5}


def test_json_lines_with_a_malformed_line(tmp_path):
    lines = [json.dumps(GOOD), '{"student": "eve", "function": "x^2", "derivative": ',
             json.dumps({"student": "fay", "function": "x^2", "derivative": "3x"})]
    book = grade_file(_write(tmp_path, "subs.jsonl", "\n".join(lines)))
    assert [r.student for r in book.results] == ["ana", "row 2", "fay"]
    assert book.results[0].correct and "not valid JSON" in book.results[1].error
    assert "factor of 3/2" in book.results[2].report.parts[0].feedback


def test_csv_cells_json_text_and_iterates(tmp_path):
    text = (
        "student,function,gradient,critical_points,iterates,x0,lr\n"
        'ana,x^2 + y^2,"[""2x"", ""2y""]","{""(0,0)"": ""min""}",,,\n'
        'bo,x^2 + y^2,"2x, 2y","{""(0,0)"": ",,,\n'         # malformed JSON cell
        "cy,x^2,,,5; 4; 3.2,5,0.1\n"
        "dee,x^2,,,5; 4; 3.3,5,0.1\n"
        "eve,x^2,,,5; 4,5,fast\n")                             # lr not a number
    path = _write(tmp_path, "subs.csv", text)
    assert read_submissions(path)[0]["gradient"] == ["2x", "2y"]
    book = grade_file(path)
    ana, bo, cy, dee, eve = book.results
    assert ana.correct and cy.correct and not dee.correct
    assert bo.error.startswith("row 2 (student 'bo'): column 'critical_points': not valid JSON")
    assert "column 'lr'" in eve.error
    assert "step 2" in dee.report.parts[0].feedback.lower()


def test_reports_written_and_read_back(tmp_path):
    book = GradeBook(tuple(grade_submissions([GOOD, HALF, {"student": "cy"}])))
    csv_path = write_report(book, tmp_path / "grades.csv")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["student"] for r in rows] == ["ana", "bo", "cy"]
    assert rows[0]["gradient"] == "right" and rows[0]["critical points"] == "right"
    assert rows[1]["critical points"] == "partly (0.75)" and "wrong kind" in rows[1]["feedback"]
    assert float(rows[1]["score"]) == pytest.approx(0.875)
    assert "no 'function'" in rows[2]["error"] and rows[2]["correct"] == "False"
    json_path = write_report(book, tmp_path / "grades.json")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["summary"]["graded"] == 2
    assert data["students"][1]["report"]["parts"][1]["credit"] == pytest.approx(0.75)
    text = str(book)
    assert "ana" in text and "mean score 0.94" in text and "critical points: 50% right" in text


def test_defaults_shared_by_every_row():
    rows = grade_submissions([{"student": "ana", "derivative": "2x"},
                              {"student": "bo", "derivative": "2"}],
                             defaults={"function": "x^2", "reveal": False})
    assert rows[0].correct and not rows[1].correct
    assert rows[1].report.parts[0].expected == "(hidden)"
    with pytest.raises(OptionError):
        grade_submissions([], defaults={"functon": "x"})


def test_unusable_files(tmp_path):
    with pytest.raises(DataError):
        grade_file(tmp_path / "missing.json")
    with pytest.raises(DataError):
        grade_file(_write(tmp_path, "subs.txt", "[]"))
    with pytest.raises(DataError):
        grade_file(_write(tmp_path, "subs.json", "{not json at all"))
    with pytest.raises(OptionError):
        write_report(GradeBook(()), tmp_path / "grades.xlsx")
    with pytest.raises(DataError, match="cannot write"):
        write_report(GradeBook(()), tmp_path / "no such folder" / "grades.csv")
