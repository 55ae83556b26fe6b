"""`symgd fit` on CSV globs, Parquet and Zarr, read out-of-core; weights named after columns.

The fitted weights are compared with numpy.linalg.lstsq on the same numbers, read back with
the csv module / pandas / zarr directly.
"""

from __future__ import annotations

import sys

import dask.array as da
import numpy as np
import pandas as pd
import pytest
import zarr

from symgd.cli import main
from symgd.errors import DataError, OptionError
from symgd.learning.tables import load_table


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(1)
    hours = rng.uniform(0, 10, 45)
    sleep = rng.uniform(5, 9, 45)
    return pd.DataFrame({"hours": hours, "sleep": sleep,
                         "score": 40 + 6 * hours + 2 * sleep + rng.normal(0, 1, 45)})


@pytest.fixture(scope="module")
def stores(frame, tmp_path_factory):
    root = tmp_path_factory.mktemp("tables")
    (root / "parts").mkdir()
    for k in range(3):  # three files of 15 rows
        frame.iloc[15 * k:15 * (k + 1)].to_csv(root / "parts" / f"part-{k}.csv", index=False)
    (root / "data.parquet").mkdir()
    for k in range(3):  # a Parquet data set of three files
        frame.iloc[15 * k:15 * (k + 1)].to_parquet(root / "data.parquet" / f"part.{k}.parquet")
    columns = zarr.open_group(str(root / "columns.zarr"), mode="w")
    columns.attrs["columns"] = list(frame)  # the order of the columns
    for name in frame:
        array = columns.create_array(name, shape=(45,), chunks=(16,), dtype="f8")
        array[:] = frame[name].to_numpy()
    matrix = zarr.open_group(str(root / "matrix.zarr"), mode="w")
    X = matrix.create_array("X", shape=(45, 2), chunks=(16, 2), dtype="f8")
    X[:] = frame[["hours", "sleep"]].to_numpy()
    X.attrs["columns"] = ["hours", "sleep"]
    y = matrix.create_array("score", shape=(45,), chunks=(16,), dtype="f8")
    y[:] = frame["score"].to_numpy()
    return root


KINDS = ["parts/part-*.csv", "data.parquet", "columns.zarr", "matrix.zarr"]


@pytest.mark.parametrize("kind", KINDS)
def test_readers_give_lazy_arrays_with_the_columns_names(stores, frame, kind):
    X, y, names = load_table(str(stores / kind), "score")
    assert isinstance(X, da.Array) and isinstance(y, da.Array)
    assert X.numblocks[0] > 1 and names == ["hours", "sleep"]
    np.testing.assert_array_equal(X.compute(), frame[["hours", "sleep"]].to_numpy())
    np.testing.assert_array_equal(y.compute(), frame["score"].to_numpy())


@pytest.mark.parametrize("kind", KINDS)
def test_fit_from_the_command_line_names_weights_after_columns(stores, frame, kind, capsys):
    code = main(["fit", str(stores / kind), "--target", "score", "--method", "newton",
                 "--epochs", "3", "--json"])
    assert code == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert out["param_names"] == ["hours", "sleep", "intercept"]
    design = np.column_stack([frame["hours"], frame["sleep"], np.ones(45)])
    expected, *_ = np.linalg.lstsq(design, frame["score"].to_numpy(), rcond=None)
    np.testing.assert_allclose(out["w"], expected, rtol=1e-9)


def test_features_pick_and_order_the_columns(stores, frame):
    X, _, names = load_table(str(stores / "columns.zarr"), "score", ["sleep"])
    assert names == ["sleep"]
    np.testing.assert_array_equal(X.compute()[:, 0], frame["sleep"].to_numpy())


def test_streamed_sgd_from_a_csv_glob(stores, capsys):
    code = main(["fit", str(stores / "parts/part-*.csv"), "--target", "score", "--batch-size",
                 "4", "--epochs", "2", "--seed", "0", "--no-progress"])
    out = capsys.readouterr().out
    assert "mini-batch 4" in out and "hours=" in out and "intercept=" in out
    assert code in (0, 1) and "diverged" not in out


def write_parts(folder, texts):
    folder.mkdir()
    for k, text in enumerate(texts):
        (folder / f"part-{k}.csv").write_text(text)
    return str(folder / "part-*.csv")


def test_a_missing_cell_in_a_late_file_names_chunk_and_row(tmp_path, capsys):
    pattern = write_parts(tmp_path / "d", ["x,y\n1,2\n2,4\n", "x,y\n3,6\n4,\n5,10\n"])
    assert main(["fit", pattern, "--target", "y"]) == 2
    err = capsys.readouterr().err
    assert "y holds nan in chunk 1 (rows 2-4), row 3" in err


def test_text_in_a_late_file_is_a_one_line_error(tmp_path, capsys):
    pattern = write_parts(tmp_path / "d", ["x,y\n1,2\n2,4\n", "x,y\n3,6\nfour,8\n"])
    assert main(["fit", pattern, "--target", "y"]) == 2
    err = capsys.readouterr().err
    assert "a cell holds text where numbers are expected" in err and "'four'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("path", "target", "message"), [
    ("nothing/part-*.csv", "y", "no file matches"),
    ("missing.parquet", "y", "no such file"),
    ("parts/part-*.csv", "grade", "no column 'grade'; the columns are: hours, sleep, score"),
    ("columns.zarr", "grade", "no 1-D array 'grade'"),
])
def test_bad_paths_and_columns(stores, path, target, message):
    with pytest.raises(DataError, match=message):
        load_table(str(stores / path), target)


def test_without_dask_a_glob_says_how_to_install_it(stores, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.array", None)
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(OptionError, match=r"pip install 'symgd\[dask\]'"):
        load_table(str(stores / "parts/part-*.csv"), "score")
