"""Batch grading: many students' submissions in, one report per student and a summary out.

A submission is a mapping with ``student``, ``function``, optional ``variables`` and any
keyword of :func:`symgd.check.homework.check` (``gradient``, ``critical_points``, ``x0``, ...). A
file of submissions is a JSON list of such objects, JSON lines (one object per line), or a CSV
with one column per key, where a list- or dict-valued cell holds JSON text
(``["2x", "2y"]``, ``{"(0,0)": "min"}``); a cell that is not JSON is passed on as text,
which the checker reads itself (``2x, 2y``, ``[[2, 0], [0, 2]]``, iterates ``5; 4; 3.2``).

One malformed submission never stops the batch: its row carries an error that names the row
and the student ("row 3 (student 'ana'): unknown keyword 'gradiant'; did you mean
'gradient'?") and scores 0, and every other row is graded.

For the CLI: ``book = grade_file(path)``; ``print(book)`` (table and summary);
``write_report(book, "grades.csv" or "grades.json")``; ``book.to_dict()`` for ``--json``.
"""

from __future__ import annotations

import csv
import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from symgd.errors import DataError, OptionError, SymgdError
from symgd.expr.parse import as_expression
from symgd.files import read_text_file

from .homework import CHECK_KEYWORDS, CheckReport, check

__all__ = ["StudentResult", "GradeBook", "read_submissions", "grade_submissions", "grade_file",
           "write_report", "SUBMISSION_KEYS"]

_OPTION_KEYS = ("x0", "lr", "tol", "rtol", "digits", "reveal", "domain", "timeout")
#: Every key a submission may have.
SUBMISSION_KEYS = ("student", "function", "variables") + CHECK_KEYWORDS + _OPTION_KEYS
_NUMBER_KEYS = ("lr", "tol", "rtol", "digits", "timeout")


@dataclass(frozen=True)
class _Unreadable:
    """A row of the file that could not be read at all."""

    message: str
    student: str = ""


@dataclass(frozen=True)
class StudentResult:
    """One student's grade: a report, or an error saying why the row could not be graded.

    Attributes:
        row: the 1-based position of the submission in the file (data rows, not lines).
        student: the student's name or id (``"row 3"`` when the submission has none).
        report: the :class:`~symgd.check.homework.CheckReport`, or None when the row has an error.
        error: why the row could not be graded, or None.
    """

    row: int
    student: str
    report: CheckReport | None = None
    error: str | None = None

    @property
    def score(self) -> float:
        """The report's score; 0 for a row that could not be graded."""
        return self.report.score if self.report is not None else 0.0

    @property
    def correct(self) -> bool:
        return self.report is not None and self.report.correct

    def to_dict(self) -> dict:
        """Plain-JSON view with every part."""
        return {"row": self.row, "student": self.student, "score": self.score,
                "correct": self.correct, "error": self.error,
                "report": self.report.to_dict() if self.report is not None else None}


@dataclass(frozen=True)
class GradeBook:
    """Every student's result and a summary.

    Example:
        >>> book = GradeBook(tuple(grade_submissions(
        ...     [{"student": "ana", "function": "x^2", "derivative": "2x"}])))
        >>> book.summary["mean_score"]
        1.0
    """

    results: tuple[StudentResult, ...]
    source: str = ""

    @property
    def part_names(self) -> list[str]:
        """Every part name that occurs, in first-seen order."""
        names: dict[str, None] = {}
        for r in self.results:
            for p in r.report.parts if r.report else ():
                names.setdefault(p.name, None)
        return list(names)

    @property
    def summary(self) -> dict:
        """count, graded, errors, all_correct, mean_score (of graded rows), part_success."""
        graded = [r for r in self.results if r.report is not None]
        success = {}
        for name in self.part_names:
            verdicts = [p.correct for r in graded for p in r.report.parts if p.name == name]
            success[name] = round(sum(verdicts) / len(verdicts), 4)
        mean = sum(r.score for r in graded) / len(graded) if graded else 0.0
        return {"count": len(self.results), "graded": len(graded),
                "errors": len(self.results) - len(graded),
                "all_correct": sum(r.correct for r in graded),
                "mean_score": round(mean, 4), "part_success": success}

    def __str__(self) -> str:
        width = max([len(r.student) for r in self.results] + [7])
        lines = [f"{'student':<{width}}  score  result"]
        for r in self.results:
            verdict = r.error if r.error else ("all right" if r.correct else _wrong_and_late(
                r.report.parts))
            lines.append(f"{r.student:<{width}}  {r.score:5.2f}  {verdict}")
        s = self.summary
        lines.append(f"{s['count']} submission(s), {s['graded']} graded, {s['errors']} "
                     f"error(s), {s['all_correct']} all right, mean score {s['mean_score']:.2f}")
        lines += [f"  {name}: {rate:.0%} right" for name, rate in s["part_success"].items()]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """Plain JSON: the summary and every student's full report."""
        return {"source": self.source, "summary": self.summary,
                "students": [r.to_dict() for r in self.results]}


def _label(row: int, student) -> str:
    return f"row {row}" + (f" (student {str(student)!r})" if student not in (None, "") else "")


def _unknown_keys(submission: Mapping) -> str | None:
    for key in submission:
        if key not in SUBMISSION_KEYS:
            close = difflib.get_close_matches(str(key), SUBMISSION_KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else (
                "; known keywords: " + ", ".join(SUBMISSION_KEYS))
            return f"unknown keyword {str(key)!r}{hint}"
    return None


def _grade_one(row: int, submission, defaults: Mapping) -> StudentResult:
    if isinstance(submission, _Unreadable):
        return StudentResult(row, submission.student or f"row {row}",
                             error=f"{_label(row, submission.student)}: {submission.message}")
    if not isinstance(submission, Mapping):
        return StudentResult(row, f"row {row}", error=f"row {row}: a submission must be an "
                             f"object with keys, got {type(submission).__name__}")
    student = submission.get("student")
    name = str(student) if student not in (None, "") else f"row {row}"
    problem = _unknown_keys(submission)
    merged = {**defaults, **{k: v for k, v in submission.items() if v is not None}}
    if problem is None and "function" not in merged:
        problem = "no 'function' to check against"
    if problem is not None:
        return StudentResult(row, name, error=f"{_label(row, student)}: {problem}")
    options = {k: v for k, v in merged.items() if k not in ("student", "function", "variables")}
    try:
        as_expression(merged["function"], merged.get("variables"))
    except SymgdError as err:
        return StudentResult(row, name, error=f"{_label(row, student)}: could not read the "
                             f"function {str(merged['function'])!r}: {err}")
    try:
        report = check(merged["function"], merged.get("variables"), **options)
    except SymgdError as err:
        return StudentResult(row, name, error=f"{_label(row, student)}: {err}")
    except Exception as err:  # noqa: BLE001 - one bad row must not stop a class's grading
        return StudentResult(row, name, error=f"{_label(row, student)}: internal error while "
                             f"grading ({type(err).__name__}: {err}); please report it")
    return StudentResult(row, name, report=report)


def grade_submissions(submissions: Iterable, *, defaults: Mapping | None = None
                      ) -> list[StudentResult]:
    """Grade each submission; a malformed one gets an error instead of stopping the batch.

    Args:
        submissions: mappings with ``student``, ``function`` and keywords of ``check``.
        defaults: keys shared by every submission (e.g. the ``function`` of the question,
            ``tol``, ``reveal``); a submission's own keys win.

    Example:
        >>> rows = grade_submissions([
        ...     {"student": "ana", "function": "x^2 + y^2", "gradient": ["2x", "2y"]},
        ...     {"student": "bo", "function": "x^2 + y^2", "gradiant": ["2x", "2y"]}])
        >>> rows[0].correct, rows[1].error
        (True, "row 2 (student 'bo'): unknown keyword 'gradiant'; did you mean 'gradient'?")
    """
    defaults = dict(defaults or {})
    problem = _unknown_keys(defaults)
    if problem:
        raise OptionError(f"defaults: {problem}")
    return [_grade_one(k, s, defaults) for k, s in enumerate(submissions, start=1)]


def _json_rows(text: str) -> list:
    try:
        data = json.loads(text)
    except RecursionError:  # [[[[...]]]] deeper than Python's parser goes
        raise DataError("the JSON is nested too deeply: a submission file is a list of "
                        "objects, each a few levels deep") from None
    except json.JSONDecodeError as whole:
        lines = [line for line in text.splitlines() if line.strip()]
        rows = []
        for line in lines:  # JSON lines: one object per line, each on its own
            try:
                rows.append(json.loads(line))
            except RecursionError:
                rows.append(_Unreadable("JSON nested too deeply"))
            except json.JSONDecodeError as err:
                rows.append(_Unreadable(f"not valid JSON ({err.msg} at column {err.colno})"))
        if all(isinstance(r, _Unreadable) for r in rows):
            raise DataError(f"not valid JSON: {whole.msg} at line {whole.lineno}, "
                            f"column {whole.colno}") from None
        return rows
    if isinstance(data, Mapping) and isinstance(data.get("submissions"), list):
        data = data["submissions"]
    if not isinstance(data, list):
        raise DataError("a JSON file of submissions must hold a list of objects")
    return data


def _cell(key: str, text: str):
    text = text.strip()
    if key in _NUMBER_KEYS:
        try:
            return float(text)
        except ValueError:
            raise DataError(f"column {key!r}: {text!r} is not a number") from None
    if key == "reveal":
        words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if text.lower() not in words:
            raise DataError(f"column 'reveal': {text!r} is not true or false")
        return words[text.lower()]
    if text[:1] in "[{" or key in ("converges", "x0"):
        try:
            return json.loads(text)
        except RecursionError:
            raise DataError(f"column {key!r}: JSON nested too deeply") from None
        except json.JSONDecodeError as err:
            if text[:1] == "{":
                raise DataError(f"column {key!r}: not valid JSON ({err.msg} at position "
                                f"{err.pos})") from None
    if key == "iterates" and ";" in text:
        return [t.strip() for t in text.split(";") if t.strip()]
    return text


def _csv_rows(text: str) -> list:
    rows = []
    try:
        records = list(csv.DictReader(text.splitlines()))
    except csv.Error as err:  # a cell past the csv module's 128 KB limit, a stray NUL
        raise DataError(f"the batch file cannot be read as CSV: {err}") from None
    for record in records:
        student = (record.get("student") or "").strip()
        row = {}
        try:
            for key, value in record.items():
                if key is None:
                    raise DataError("the row has more cells than the header has columns")
                if value is not None and value.strip():
                    row[key.strip()] = _cell(key.strip(), value)
        except DataError as err:
            rows.append(_Unreadable(str(err), student))
            continue
        rows.append(row)
    return rows


def read_submissions(path: str | Path) -> list:
    """Read the submissions of a ``.json`` / ``.jsonl`` or ``.csv`` file.

    Rows that cannot be read are kept (as placeholders that grade to an error), so that row
    numbers in the report match the file.

    Raises:
        DataError: the file is missing, or unreadable as a whole.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "s.csv")
        >>> _ = open(path, "w").write('student,function,gradient\\nana,x^2,2x\\n')
        >>> read_submissions(path)
        [{'student': 'ana', 'function': 'x^2', 'gradient': '2x'}]
    """
    path = Path(path)
    text = read_text_file(path, "batch file")
    if path.suffix.lower() == ".csv":
        return _csv_rows(text)
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson"):
        return _json_rows(text)
    raise DataError(f"{path.name}: submissions must be a .json, .jsonl or .csv file")


def grade_file(path: str | Path, *, defaults: Mapping | None = None) -> GradeBook:
    """Read and grade a file of submissions (see :func:`read_submissions`).

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "s.json")
        >>> _ = open(path, "w").write('[{"student": "ana", "function": "x^2", "derivative": "2x"}]')
        >>> grade_file(path).summary["all_correct"]
        1
    """
    return GradeBook(tuple(grade_submissions(read_submissions(path), defaults=defaults)),
                     str(path))


def _wrong_and_late(parts) -> str:
    """"gradient wrong", and the parts not checked in time, named as such."""
    wrong = "; ".join(p.name for p in parts if p.checked and not p.correct)
    late = "; ".join(p.name for p in parts if not p.checked)
    return "; ".join(filter(None, [wrong and wrong + " wrong",
                                   late and late + " not checked (out of time)"]))


def _verdict(credit: float) -> str:
    return "right" if credit == 1 else ("wrong" if credit == 0 else f"partly ({credit:.2f})")


def write_report(gradebook: GradeBook, path: str | Path) -> Path:
    """Write the grades: CSV (one row per student) or JSON (full reports), by extension.

    The CSV has columns student, row, score, correct, error, one verdict column per part
    ("right", "wrong" or "partly (0.50)") and a feedback column. The JSON holds the summary
    and every part of every report.

    Raises:
        OptionError: another extension.
        DataError: the file cannot be written (a missing folder, no permission).

    Example:
        >>> import tempfile, os
        >>> book = GradeBook(tuple(grade_submissions(
        ...     [{"student": "ana", "function": "x^2", "derivative": "2x"}])))
        >>> write_report(book, os.path.join(tempfile.mkdtemp(), "g.csv")).suffix
        '.csv'
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise OptionError(f"{path.name}: the report must be a .csv or .json file")
    try:
        if suffix == ".json":
            path.write_text(json.dumps(gradebook.to_dict(), indent=2, ensure_ascii=False)
                            + "\n", encoding="utf-8")
        else:
            _write_csv(gradebook, path)
    except OSError as err:
        raise DataError(f"cannot write {path}: {err.strerror}") from None
    return path


def _write_csv(gradebook: GradeBook, path: Path) -> None:
    names = gradebook.part_names
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["student", "row", "score", "correct", "error", *names, "feedback"])
        for r in gradebook.results:
            parts = {p.name: p for p in r.report.parts} if r.report else {}
            verdicts = [("not checked" if not parts[n].checked else _verdict(parts[n].credit))
                        if n in parts else "" for n in names]
            feedback = " | ".join(f"{p.name}: {p.feedback}" for p in parts.values()
                                  if not p.correct)
            writer.writerow([r.student, r.row, f"{r.score:.4f}", r.correct, r.error or "",
                             *verdicts, feedback])
