"""Reading a user's text file (CSV data, batches of homework submissions) without surprises.

A path a user names may be a directory, a device that never ends (``/dev/zero``), a file of
gigabytes, or text in another encoding. Each of those is refused here with a
:class:`~symgd.errors.DataError` that names the file and the fix, before anything is parsed:
a regular file, at most ``MAX_TEXT_BYTES``, in UTF-8 (a byte-order mark is allowed).
"""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

from symgd.errors import DataError

__all__ = ["read_text_file", "csv_rows", "MAX_TEXT_BYTES"]

#: Bytes a text file read whole may have (bigger data sets go through dask, out of core).
MAX_TEXT_BYTES = 256 * 2**20


def read_text_file(path: str | os.PathLike, what: str = "file") -> str:
    """The text of a regular UTF-8 file of at most MAX_TEXT_BYTES, or a clear DataError.

    Args:
        path: the file.
        what: what the file is, for messages (``"CSV file"``, ``"batch file"``).

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "a.csv"
        >>> _ = p.write_bytes(b"x,y\\n1,\\xff\\n")
        >>> read_text_file(p, "CSV file")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        symgd.errors.DataError: the CSV file 'a.csv' is not UTF-8 text (byte 0xff at line 2, ...
    """
    name = Path(path).name or os.fspath(path)
    try:
        info = os.stat(path)
    except OSError as err:
        raise DataError(f"cannot read the {what} {os.fspath(path)!r}: {err.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{os.fspath(path)!r} is not a regular file (a directory, device or "
                        f"pipe): give the path of a {what}")
    if info.st_size > MAX_TEXT_BYTES:
        raise DataError(f"the {what} {name!r} has {info.st_size / 2**20:.0f} MB; symgd reads "
                        f"at most {MAX_TEXT_BYTES // 2**20} MB this way (for larger data, "
                        "use a Parquet or Zarr file or a CSV glob, read out of core with dask)")
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise DataError(f"cannot read the {what} {name!r}: {err.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise DataError(f"the {what} {name!r} is not UTF-8 text (byte 0x{data[err.start]:02x} "
                        f"at line {line}, column {column}): save it as UTF-8") from None


def csv_rows(text: str, what: str = "CSV file") -> list[list[str]]:
    """The rows of CSV text; a field past the csv module's limit (128 KB) is a DataError.

    Example:
        >>> csv_rows("x,y\\n1,2\\n")
        [['x', 'y'], ['1', '2']]
    """
    reader = csv.reader(text.splitlines())
    try:
        return list(reader)
    except csv.Error as err:
        raise DataError(f"the {what} cannot be read as CSV at line {reader.line_num}: {err}"
                        ) from None
