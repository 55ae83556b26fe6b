"""The fuzz campaign: generated and hostile expressions through every surface of symgd.

Run: ``python benchmarks/fuzz.py --minutes 30 --out fuzz.jsonl`` (add ``--seed S`` to start
elsewhere, ``--timeout T`` for the budget given to budgeted calls). Each input goes through
``parse``, ``gradient``/``hessian``, ``critical_points(timeout=T)`` (with a multistart root
search against ``complete``), ``analyze(timeout=T)``, ``minimize``, ``check`` with the true and
a perturbed gradient, and one in twenty through the ``symgd`` command line. Each call is one
JSON line in the report (input, surface, status, seconds, broken properties); the summary
printed at the end is what the README's reliability table shows.

The properties are those of ``tests/fuzz/properties.py`` (the CI suite runs a small,
derandomized sample of the same generator).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

from properties import (  # noqa: E402
    SLACK,
    Finding,
    Outcome,
    _timed,
    check_analyze,
    check_critical,
    check_gradient_grading,
    check_minimize,
    describe,
    expression,
)


def _cli(text: str, timeout: float) -> Outcome:
    """``symgd analyze TEXT --timeout T --json`` as a user runs it: exit 0, 1 or 2, one line
    on stderr for bad input, never exit 3 (internal error) and never past the budget."""
    start = time.perf_counter()
    try:
        # as a user's install runs it: with bytecode caches (a shell that sets
        # PYTHONDONTWRITEBYTECODE recompiles symgd's 200 modules at every start)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        done = subprocess.run([sys.executable, "-m", "symgd", "analyze", text, "--timeout",
                               str(timeout), "--json"], capture_output=True, text=True,
                              timeout=timeout + 30, env=env)
        code, err = done.returncode, done.stderr
    except subprocess.TimeoutExpired:
        code, err = -1, "killed after timeout + 30 s"
    out = Outcome("cli", text, f"exit {code}", time.perf_counter() - start)
    if code not in (0, 1, 2):
        out.findings.append(Finding("cli", "exit 0/1/2 only", text, err.strip()[-300:]))
    elif code == 2 and len(err.strip().splitlines()) != 1:
        out.findings.append(Finding("cli", "bad input is one line", text, err.strip()[:300]))
    # --timeout is the whole command's budget, Python's start-up and imports included
    if out.seconds > timeout + SLACK:
        out.findings.append(Finding("cli", "budget holds", text, f"{out.seconds:.1f} s"))
    return out


def one_input(seed: int, timeout: float) -> list[Outcome]:
    """Every surface on the input made from ``seed``."""
    import symgd

    text = expression(seed)
    outs = [_timed("parse", text, lambda: symgd.parse(text))[0]]
    grad, _ = _timed("gradient", text, lambda: symgd.hessian(text))
    outs.append(grad)
    if outs[0].status != "ok":
        return outs  # bad input: the later surfaces would only repeat the same error
    outs.append(check_critical(text, timeout=timeout))
    outs.append(check_analyze(text, timeout=timeout, descend=seed % 2 == 0))
    outs.append(check_minimize(text, seed=seed))
    outs.append(check_gradient_grading(text, timeout=timeout))
    if seed % 20 == 0:
        outs.append(_cli(text, timeout))
    return outs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=0, help="the first seed")
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--out", type=Path, default=Path("fuzz.jsonl"))
    args = parser.parse_args()
    end = time.monotonic() + 60 * args.minutes
    outcomes: list[Outcome] = []
    seed = args.seed
    with args.out.open("w", encoding="utf-8") as report:
        while time.monotonic() < end:
            try:
                outs = one_input(seed, args.timeout)
            except Exception as err:  # noqa: BLE001 - the checker's own bug: kept, not fatal
                outs = [Outcome("checker", f"seed {seed}", "checker_error", 0.0,
                                [Finding("checker", "the checker runs", f"seed {seed}",
                                         f"{type(err).__name__}: {err}")])]
            for out in outs:
                outcomes.append(out)
                report.write(json.dumps({"seed": seed, **out.to_dict()}, ensure_ascii=False)
                             + "\n")
                for f in out.findings:
                    print(f"seed {seed} {f.surface}: {f.prop}: {f.text[:60]!r}: "
                          f"{f.detail[:120]}", flush=True)
            report.flush()
            seed += 1
    summary = describe(outcomes)
    summary.update(seeds=f"{args.seed}..{seed - 1}", minutes=args.minutes,
                   timeout=args.timeout)
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
