"""Reading training data by path: one CSV file into memory, or CSV globs, Parquet and Zarr
out-of-core as dask arrays (``pip install 'symgd[dask]'``).

:func:`load_table` gives ``(X, y, feature_names)``; the names come from the header (CSV,
Parquet) or from the arrays' names (Zarr), so the fitted weights can carry them.

- ``data.csv``: the NumPy reader of :mod:`symgd.learning.datasets` (no dask needed).
- ``data/part-*.csv`` (any ``*``, ``?`` or ``[``): ``dask.dataframe.read_csv``, one
  partition per file (or per block of a large file).
- ``*.parquet``, ``*.pq`` (a file, a directory or a glob): ``dask.dataframe.read_parquet``.
- ``*.zarr``: a Zarr group holding one 1-D array per column (the target among them; their
  order from the group's ``columns`` attribute, else by name), or a 2-D array ``X`` (column
  names in its ``columns`` attribute, else ``x1 .. xd``) beside the 1-D target array.
"""

from __future__ import annotations

import csv
import glob
import os
from collections.abc import Sequence

from symgd.errors import DataError

from .chunked import require_dask
from .datasets import load_csv

__all__ = ["load_table", "table_kind"]


def table_kind(path: str) -> str:
    """``"csv"``, ``"csv-glob"``, ``"parquet"`` or ``"zarr"``, from the path's shape.

    Example:
        >>> table_kind("data/part-*.csv"), table_kind("big.zarr"), table_kind("d.csv")
        ('csv-glob', 'zarr', 'csv')
    """
    text = os.fspath(path).rstrip("/\\")
    lower = text.lower()
    if lower.endswith(".zarr"):
        return "zarr"
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
    if any(c in text for c in "*?["):
        return "csv-glob"
    return "csv"


def _pick_columns(columns: Sequence[str], target: str,
                  features: Sequence[str] | None) -> list[str]:
    columns = [str(c) for c in columns]
    if target not in columns:
        raise DataError(f"no column {target!r}; the columns are: {', '.join(columns)}")
    chosen = [c for c in columns if c != target] if features is None else list(features)
    missing = [f for f in chosen if f not in columns]
    if missing:
        raise DataError(f"no column(s) {missing}; the columns are: {', '.join(columns)}")
    if not chosen:
        raise DataError("no feature columns: the data have only the target column")
    return chosen


def _from_frame(frame, target: str, features: Sequence[str] | None, where: str):
    names = _pick_columns(list(frame.columns), target, features)
    text = [c for c in [*names, target] if frame[c].dtype.kind not in "biuf"]
    if text:
        raise DataError(f"{where}: column(s) {text} are not numeric (dtype "
                        f"{frame[text[0]].dtype}); give --features without them")
    try:  # counting each partition's rows reads them: bad cells show up here
        # One projection for X and y together: dask may fuse small partitions differently
        # for different column selections, and X's rows must line up with y's.
        both = frame[[*names, target]].to_dask_array(lengths=True)
    except (ValueError, TypeError) as err:
        raise DataError(f"cannot read {where!r}: {_first_reason(err)}") from None
    return both[:, :-1], both[:, -1], names


def _first_reason(err: Exception) -> str:
    """The useful line of a reader's error: the conversion that failed, else its first line."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    failed = [line for line in lines if "could not convert" in line]
    if failed:
        return f"a cell holds text where numbers are expected ({failed[0]})"
    return lines[0] if lines else type(err).__name__


def _csv_header(path: str) -> list[str]:
    first = sorted(glob.glob(path))[0]
    try:
        with open(first, newline="", encoding="utf-8") as handle:
            return [h.strip() for h in next(csv.reader(handle), [])]
    except OSError as err:
        raise DataError(f"cannot read {first!r}: {err.strerror}") from None


def _read_frame(path: str, kind: str, target: str, features: Sequence[str] | None):
    require_dask(f"reading {path!r} out-of-core")
    import dask.dataframe as dd

    if kind == "csv-glob" and not glob.glob(path):
        raise DataError(f"no file matches {path!r}")
    if kind == "parquet" and not glob.glob(path):
        raise DataError(f"cannot read {path!r}: no such file or directory")
    try:
        if kind == "parquet":
            return dd.read_parquet(path)
        # Floats for the columns used, whatever the first file looks like (a column of
        # integers there would make a later file's 2.5 or empty cell a dtype mismatch),
        # and only those columns read.
        used = [*_pick_columns(_csv_header(path), target, features), target]
        return dd.read_csv(path, usecols=used, dtype=dict.fromkeys(used, "float64"))
    except (OSError, ValueError) as err:
        raise DataError(f"cannot read {path!r}: {err}") from None
    except ImportError as err:
        raise DataError(f"reading {path!r} needs a package that is missing ({err}): "
                        "pip install 'symgd[dask]'") from None


def _zarr_columns(path: str, target: str, features: Sequence[str] | None):
    da = require_dask(f"reading {path!r}")
    try:
        import zarr
    except ImportError:
        raise DataError(f"reading {path!r} needs zarr: pip install 'symgd[dask]'") from None
    try:
        group = zarr.open_group(path, mode="r")
    except (OSError, ValueError, FileNotFoundError) as err:
        raise DataError(f"cannot read {path!r} as a Zarr group: {err}") from None
    arrays = dict(group.arrays())
    if target not in arrays or arrays[target].ndim != 1:
        raise DataError(f"no 1-D array {target!r} in {path!r}; it holds: "
                        f"{', '.join(sorted(arrays))}")
    y = da.from_zarr(arrays[target])
    if "X" in arrays and arrays["X"].ndim == 2:  # one 2-D array of features
        stored = arrays["X"]
        d = stored.shape[1]
        names = [str(c) for c in stored.attrs.get("columns", [])] or (
            ["x"] if d == 1 else [f"x{j + 1}" for j in range(d)])
        chosen = _pick_columns([*names, target], target, features)
        X = da.from_zarr(stored)[:, [names.index(c) for c in chosen]]
        return X.rechunk({0: y.chunks[0]}), y, chosen
    columns = [str(c) for c in group.attrs.get("columns", [])] or sorted(
        name for name, a in arrays.items() if a.ndim == 1)  # no order stored: by name
    chosen = _pick_columns(columns, target, features)
    X = da.stack([da.from_zarr(arrays[c]).rechunk(y.chunks) for c in chosen], axis=1)
    return X, y, chosen


def load_table(path: str | os.PathLike, target: str, features: Sequence[str] | None = None
               ) -> tuple[object, object, list[str]]:
    """``(X, y, feature_names)`` from a CSV file (NumPy), a CSV glob, Parquet or Zarr (dask).

    Nothing but the row counts of CSV and Parquet partitions is read here: the dask arrays
    are checked chunk by chunk in the first pass over them.

    Args:
        path: the file, glob, Parquet file or directory, or Zarr group.
        target: the name of the target column.
        features: the feature columns, in order; default all columns except the target.

    Raises:
        DataError: a missing file or column, non-numeric columns.
        OptionError: dask (or zarr) is not installed, for the out-of-core kinds.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> for k in range(2):
        ...     _ = (folder / f"part-{k}.csv").write_text(f"hours,score\\n{k},{k + 1}\\n")
        >>> X, y, names = load_table(str(folder / "part-*.csv"), "score")
        >>> X.compute().tolist(), names
        ([[0.0], [1.0]], ['hours'])
    """
    text = os.fspath(path)
    kind = table_kind(text)
    if kind == "csv":
        return load_csv(text, target, features)
    if kind == "zarr":
        return _zarr_columns(text, target, features)
    frame = _read_frame(text, kind, target, features)
    return _from_frame(frame, target, features, text)
