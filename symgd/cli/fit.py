"""``symgd fit data.csv --target y --loss logistic ...``: train a model from a CSV file, or
out-of-core from a CSV glob, Parquet or Zarr (``pip install 'symgd[dask]'``)."""

from __future__ import annotations

import json
import sys

from .options import count, save_plot

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    """Register the ``fit`` subcommand on an argparse subparsers object.

    Example:
        >>> import argparse
        >>> p = argparse.ArgumentParser(); add_parser(p.add_subparsers(dest="c"))
        >>> p.parse_args(["fit", "d.csv", "--target", "y"]).loss
        'squared'
    """
    p = sub.add_parser("fit", help="empirical risk minimization on a CSV file, CSV glob, "
                       "Parquet or Zarr (full-batch, mini-batch or SGD)")
    p.add_argument("data", help="a CSV file with a header row (read into memory); or, read "
                   "chunk by chunk with dask: a quoted CSV glob (\"data/part-*.csv\"), a "
                   "Parquet file or directory (*.parquet), a Zarr group (*.zarr) of 1-D "
                   "column arrays")
    p.add_argument("--target", required=True, help="the column to predict")
    p.add_argument("--features", default=None, metavar="a,b",
                   help="the feature columns (default: every other column)")
    p.add_argument("--loss", default="squared",
                   help='"squared", "logistic", or a per-sample loss such as '
                        '"(y - (w0 + w1*x))**2" (then give --params)')
    p.add_argument("--params", default=None, metavar="w0,w1",
                   help="the parameters of a custom loss")
    p.add_argument("--batch-size", type=count, default=None,
                   help="omit for full batch; 1 for SGD; k for mini-batches")
    p.add_argument("--lr", type=float, default=None,
                   help="the learning rate (default: automatic and safe for gd: 1/L, with L "
                        "the smoothness constant of the risk, lambda_max(X^T X / n) for the "
                        "squared loss and lambda_max(X^T X) / (4 n) for the logistic loss, "
                        "the intercept as a column of ones; mini-batches and SGD use the "
                        "expected smoothness of their batches; the rate chosen is printed. "
                        "Other methods keep their own default)")
    p.add_argument("--schedule", default=None, metavar="NAME[:k=v,...]",
                   help="learning-rate schedule, e.g. inverse_time:k=1000, starting from "
                        "--lr (default: the automatic rate above)")
    p.add_argument("--epochs", type=count, default=20)
    p.add_argument("--method", default="gd")
    p.add_argument("--seed", type=count, default=None, help="random seed for the shuffling")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plot", metavar="FILE.png")
    p.set_defaults(run=run)


def _progress_wanted(args) -> bool:
    if args.no_progress or args.json or not sys.stderr.isatty():
        return False
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


def _automatic_start(risk, method: str, batch_size: int | None) -> float:
    """The rate a schedule starts from without --lr: what ``fit`` would use as a constant."""
    from symgd.descent.optim import get
    from symgd.learning.rates import default_lr

    own = get(method).lr
    return default_lr(risk, batch_size) if own is None else own


def _weight_names(columns: list[str]) -> list[str] | None:
    """The columns as weight names, when every one is a usable name (else w0.., b)."""
    usable = all(c.isidentifier() and c != "intercept" for c in columns)
    return list(columns) if usable and len(set(columns)) == len(columns) else None


def run(args) -> int:
    """Run ``symgd fit``; returns the exit code: 0 when the run converged, or ran every epoch
    and ended near the known optimum; 1 when it diverged or did not converge."""
    from symgd.learning.fit import fit
    from symgd.learning.risk import EmpiricalRisk
    from symgd.learning.tables import load_table

    from .schedules import schedule_from_text

    features = [f.strip() for f in args.features.split(",")] if args.features else None
    X, y, names = load_table(args.data, args.target, features)
    params = [p.strip() for p in args.params.split(",")] if args.params else None
    if args.loss in ("squared", "logistic"):  # the weights are named after their columns
        risk = EmpiricalRisk(args.loss, X, y, features=_weight_names(names))
    else:
        risk = EmpiricalRisk(args.loss, X, y, params=params, features=list(names))
    lr = args.lr
    if args.schedule:
        start = lr if lr is not None else _automatic_start(risk, args.method, args.batch_size)
        lr = schedule_from_text(args.schedule, start)
    result = fit(risk, batch_size=args.batch_size, lr=lr, epochs=args.epochs,
                 method=args.method, random_state=args.seed, progress=_progress_wanted(args))
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(result)
    if args.plot:
        save_plot(result.plot(), args.plot)
    return 0 if result.status in ("converged", "max_epochs", "completed") else 1
