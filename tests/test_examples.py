"""Every script in examples/ runs on small sizes and writes real PNG pictures.

Each script is run as a user would run it, ``python examples/NAME.py OUTDIR --small``, in a
subprocess. All scripts are started at once (they mostly wait on imports) and each test waits
for its own.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TIMEOUT = 300  # seconds; generous because the machine is shared


@pytest.fixture(scope="module")
def launched(tmp_path_factory) -> dict[str, tuple[subprocess.Popen, Path]]:
    runs = {}
    for script in SCRIPTS:
        outdir = tmp_path_factory.mktemp(script.stem)
        process = subprocess.Popen([sys.executable, str(script), str(outdir), "--small"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        runs[script.name] = (process, outdir)
    yield runs
    for process, _ in runs.values():
        if process.poll() is None:
            process.kill()
            process.wait()


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header (the IHDR chunk must come first)."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG file"
    assert head[12:16] == b"IHDR", f"{path.name} has no IHDR chunk first"
    return struct.unpack(">II", head[16:24])


def test_there_are_examples():
    names = {s.name for s in SCRIPTS}
    assert {"descent_1d.py", "mission_analysis.py", "himmelblau_basins.py",
            "optimizers_rosenbrock.py"} <= names


@pytest.mark.parametrize("name", [s.name for s in SCRIPTS])
def test_example_runs_and_writes_pngs(name, launched):
    process, outdir = launched[name]
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, f"{name} failed:\n{stderr}"
    assert stdout.strip(), f"{name} printed nothing"
    pictures = sorted(outdir.glob("*.png"))
    assert pictures, f"{name} wrote no PNG into {outdir}"
    for picture in pictures:
        width, height = png_size(picture)
        assert width >= 200 and height >= 150, (picture.name, width, height)
        assert picture.stat().st_size > 10_000, f"{picture.name} is suspiciously small"


@pytest.mark.parametrize("name", [s.name for s in SCRIPTS])
def test_example_explains_how_to_install_matplotlib(name, tmp_path):
    # Simulate a missing matplotlib: a None entry in sys.modules makes its import fail.
    # A script may stop there (exit status 1) or carry on without its figures (status 0).
    script = str(EXAMPLES / name)
    argv = [script, str(tmp_path), "--small"]
    code = ("import runpy, sys; sys.modules['matplotlib'] = None; "
            f"sys.argv = {argv!r}; runpy.run_path({script!r}, run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert done.returncode in (0, 1), done.stderr
    assert "pip install 'symgd[plot]'" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert not list(tmp_path.glob("*.png"))
