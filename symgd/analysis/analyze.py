"""``analyze()``: the whole exact story of one function, with descent set beside it.

An :class:`Analysis` holds the expression, its gradient and Hessian, every critical point
(classified), whether that list is proven complete, and, when asked, descent runs whose
end points are matched to the exact critical points.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sympy as sp

from symgd.budget import run_isolated
from symgd.critical.domain import parse_domain
from symgd.critical.kinks import without_distributions
from symgd.critical.points import DEFAULT_TIMEOUT, critical_points, cut_short, within
from symgd.critical.records import CriticalPoint, CriticalSet
from symgd.errors import FloatRangeError, OptionError
from symgd.expr.assumptions import parse_assumptions
from symgd.expr.calculus import hessian_matrix
from symgd.expr.parse import Expressionish, Variablesish, read, warn_readings

from .memo import analysis_key, recall, remember

if TYPE_CHECKING:  # the constrained layer loads with the first constrained call (0.2 s)
    from symgd.constrained.records import ConstrainedExtrema

__all__ = ["Analysis", "analyze"]

#: Of analyze's budget, the share the descent comparison may count on (it gets whatever
#: the exact part leaves, and at least MIN_DESCENT seconds).
DESCENT_SHARE = 0.25
MIN_DESCENT = 0.2
MIN_EXACT = 0.05


@dataclass(frozen=True, repr=False)
class Analysis:
    """The exact calculus of one function, and optionally descent compared with it.

    Attributes:
        expr: the function, a SymPy expression.
        variables: its variables, in order.
        gradient: the gradient, an n x 1 SymPy matrix.
        hessian: the Hessian, an n x n SymPy matrix.
        critical_points: every critical point found, classified (a ``CriticalSet``).
        domain: the open box searched, ``{name: (lo, hi)}`` with SymPy bounds, or None.
        descent: the descent comparison (a ``DescentComparison``) or None; with
            constraints, the constrained descent (projected or augmented Lagrangian).
        source: the text the user typed, if any.
        read_as: how ambiguous pieces of that text were read (``"1/xy read as 1/(x·y)"``).
        constrained: with constraints, the constrained extrema (a
            :class:`~symgd.constrained.records.ConstrainedExtrema`: every candidate with
            its multipliers and kind, the absolute maximum and minimum), else None.

    Example:
        >>> a = analyze("x^2 + y^2", descend=False)
        >>> a.critical_points[0].kind, a.complete
        ('local minimum', True)
    """

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    gradient: sp.Matrix
    hessian: sp.Matrix
    critical_points: CriticalSet
    domain: dict | None = None
    descent: object | None = None
    source: str | None = field(default=None)
    read_as: tuple[str, ...] = ()
    constrained: ConstrainedExtrema | None = None
    #: What the analysis itself could not do (descent skipped, and why).
    own_notes: tuple[str, ...] = ()

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The symbolic constants of f (k in x^2 + k x y + y^2); empty for most functions."""
        return self.critical_points.constants

    @property
    def complete(self) -> bool:
        """True when the list is proven to hold every real critical point."""
        return self.critical_points.complete

    @property
    def notes(self) -> tuple[str, ...]:
        """How the points were found and what could not be done, in sentences."""
        return self.critical_points.notes + self.own_notes

    @property
    def points(self) -> tuple[CriticalPoint, ...]:
        """The critical points as a plain tuple."""
        return self.critical_points.points

    # the report's modules load when a report is asked for, not with the first analysis
    def __str__(self) -> str:
        from .report import analysis_text

        return analysis_text(self)

    def __repr__(self) -> str:
        from .report import analysis_text

        return analysis_text(self)

    def _repr_latex_(self) -> str:
        from .report import analysis_latex

        return analysis_latex(self)

    def plot(self, **kwargs):
        """Draw the function with its critical points (needs ``symgd[plot]``); with
        constraints in two variables, the region or curve with the Lagrange points.

        Example:
            >>> fig = analyze("x^2 - y^2", descend=False).plot()
            >>> type(fig).__name__
            'Figure'
        """
        if self.constrained is not None:
            from symgd.plot.constrained import constrained_picture

            if self.descent is not None and self.descent.runs and "paths" not in kwargs:
                kwargs["paths"] = self._descent_paths()
            return constrained_picture(self.constrained, **kwargs)
        from symgd.plot import plot_analysis

        return plot_analysis(self, **kwargs)

    def _descent_paths(self) -> dict:
        """The constrained descent runs again with their paths kept, for the picture."""
        from symgd.descent.engine import maximize, minimize

        runs = self.descent.runs
        options = {"constraints": self._constraint_texts, "variables": self.variables}
        down = [r.start for r in runs if not r.ascent]
        up = [r.start for r in runs if r.ascent]
        out = {}
        if down:
            out["descent"] = minimize(self.expr, down, **options)
        if up:
            out["ascent"] = maximize(self.expr, up, **options)
        return out

    @property
    def _constraint_texts(self) -> list:
        relation = {"=": sp.Eq, ">=": sp.Ge}
        return [sp.Gt(c.function, 0) if c.strict else relation[c.kind](c.function, 0)
                for c in self.constrained.constraints]

    def explain(self):
        """The worked solution, step by step, every step checked (a
        :class:`~symgd.working.records.Working`; print it, or show it in Jupyter).

        Built from this analysis' own derivatives and critical points (with constraints,
        from its constrained extrema), so the steps never disagree with it.

        Example:
            >>> w = analyze("x^3 + y^3 - 3xy", descend=False).explain()
            >>> w.step("3b").result.text, w.verified
            ('local minimum', True)
        """
        from symgd.working.explain import explain_critical

        if self.constrained is not None:  # the Lagrangian, its cases, the candidates
            from symgd.working.kkt import explain_constrained

            return explain_constrained(self.constrained)
        return explain_critical(self.expr, self.variables, self.critical_points,
                                box=self.domain)

    def to_dict(self) -> dict:
        """Plain JSON: strings for exact values, floats for approximations.

        Example:
            >>> d = analyze("x^2", descend=False).to_dict()
            >>> d["critical_points"][0]["point"], d["critical_points"][0]["kind"]
            (['0'], 'local minimum')
        """
        out = {
            "expression": str(self.expr),
            "variables": [s.name for s in self.variables],
            "gradient": [str(g) for g in self.gradient],
            "hessian": [[str(self.hessian[i, j]) for j in range(self.hessian.cols)]
                        for i in range(self.hessian.rows)],
            "complete": self.complete,
            "domain": (None if self.domain is None else
                       {s.name: [str(lo), str(hi)] for s, (lo, hi) in self.domain.items()}),
            # the record's keys, then the course's view (kind in course words, f″ or D and
            # f_xx, notes on roots of polynomials): added keys, so old readers still work
            "critical_points": [{**p.to_dict(), **_course_fields(p, self.hessian,
                                                                  self.variables)}
                                for p in self.points],
            "notes": list(self.notes),
            "method": self.critical_points.method,
        }
        if self.source is not None:
            out["source"] = self.source
        if self.read_as:
            out["read_as"] = list(self.read_as)
        if self.parameters:
            out["parameters"] = [s.name for s in self.parameters]
            out["assumptions"] = [str(a) for a in self.critical_points.assumptions]
        if self.descent is not None:
            out["descent"] = self.descent.to_dict()
        if self.constrained is not None:
            out["constrained"] = self.constrained.to_dict()
        return out


def analyze(
    f: Expressionish,
    variables: Variablesish = None,
    *,
    constraints: Sequence | None = None,
    parameters: str | Sequence[str] | None = None,
    domain: Mapping[str, Sequence] | None = None,
    descend: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    method: str = "gd",
    lr: float | None = None,
    starts: Sequence[Sequence[float]] | None = None,
    max_iter: int = 2000,
    seed: int = 0,
) -> Analysis:
    """Analyze a function: gradient, Hessian, every critical point classified, descent.

    Args:
        f: text (Python or student syntax, e.g. ``"x^3 + 3x^2 y"``) or a SymPy expression.
        variables: the variables in order; inferred and sorted by name when omitted. When
            given (or named by a ``f(x, y) =`` prefix), every other name is a parameter:
            ``analyze("x^2 + k x y + y^2", "x, y")`` gives the points and kinds piecewise in k.
        constraints: relations, e.g. ``["x^2 + y^2 = 1"]``, ``["0 <= x <= 3", "y >= 0"]``:
            then ``Analysis.constrained`` holds every Lagrange / KKT candidate, classified,
            and the absolute extrema (:func:`symgd.constrained.constrained_extrema`), and
            the descent comparison runs constrained descent.
        parameters: what is assumed about the parameters (``"k > 0"``), or a value to put in
            (``"k = 2"``).
        domain: an open box ``{"x": (lo, hi), ...}`` to search; others unbounded.
        descend: also run gradient descent (and ascent toward maxima) from several starts
            and match each end point to the nearest exact critical point.
        timeout: seconds for the whole analysis (default 2; None: no limit). The exact part
            gets most of it (past its share the search goes numeric, saying so), descent
            the rest; the call returns by then with what was proven (issue #17).
        method: the descent method for the comparison (an optimizer name or object).
        lr: the descent learning rate; None picks a safe step (Armijo backtracking).
        starts: the descent starts, shape (S, d); default: seeded random starts around the
            critical points.
        max_iter: the iteration limit of each descent run.
        seed: the seed of the random starts.

    Returns:
        An :class:`Analysis`; print it for a report, or use ``to_dict()`` for JSON.

    Example:
        >>> a = analyze("x**2 + x*y + y**2 - 3*x", descend=False)
        >>> a.critical_points[0].point, a.critical_points[0].kind
        ((2, -1), 'local minimum')
        >>> [c.condition for c in analyze("x^2 + k x y + y^2", "x, y").points[0].cases]
        ['k < -2', 'Eq(k, -2)', '(k > -2) & (k < 2)', 'Eq(k, 2)', 'k > 2']
        >>> a = analyze("x^2 + 2y^2", constraints=["x^2 + y^2 = 1"], descend=False)
        >>> a.constrained.absolute_max.value, a.constrained.absolute_max.points
        (2, ((0, -1), (0, 1)))
    """
    start = time.monotonic()
    if constraints is not None:
        return _constrained(f, variables, constraints, parameters, domain, descend, timeout,
                            method, lr, starts, max_iter, seed)
    names, _ = parse_assumptions(parameters)
    parsed = read(f, variables, parameters=names, other_names="parameters")
    warn_readings(parsed)
    expr, symbols = parsed.expr, parsed.variables
    box = parse_domain(domain, symbols)
    key = analysis_key(expr, symbols, parameters=parameters, domain=box, descend=descend,
                       timeout=timeout, method=method, lr=lr, starts=starts,
                       max_iter=max_iter, seed=seed)
    source = f if isinstance(f, str) else None
    kept = recall(key, source=source, read_as=parsed.read_as)
    if kept is not None:
        return kept
    valued = _with_values(expr, parameters)
    derivatives: dict[str, sp.Matrix] = {}

    def differentiate() -> None:
        # taken while the worker solves, inside the exact part's deadline: the report's
        # derivatives (0.4 s for trigonometric ones on a loaded machine's first call) then
        # cost no wall time beside the search, and never come on top of the budget
        derivatives["hessian"] = without_distributions(hessian_matrix(valued, symbols))
        derivatives["gradient"] = sp.Matrix([sp.diff(valued, s) for s in symbols])

    exact_budget = None if timeout is None else (1 - DESCENT_SHARE * descend) * timeout
    if exact_budget is not None:  # reading f came out of it too (SymPy's first sum: 0.15 s)
        exact_budget = max(MIN_EXACT, round(exact_budget - (time.monotonic() - start), 2))
    cps = critical_points(expr, symbols, parameters=parameters, domain=domain,
                          timeout=exact_budget, meanwhile=differentiate)
    hessian, gradient = derivatives["hessian"], derivatives["gradient"]
    expr = valued
    comparison, own_notes, finished = None, (), not cut_short(cps)
    left = None if timeout is None else timeout - (time.monotonic() - start)
    if descend and not cps.constants and left is not None and left < MIN_DESCENT:
        # the answer is due by the deadline (issue #18): descent waits for a larger timeout
        own_notes = (f"descent skipped: the exact part used the {timeout:g} s budget; pass "
                     "a larger timeout for the comparison",)
        finished = False
    elif descend and not cps.constants:  # descent needs numbers for every constant
        options = {"method": method, "lr": lr, "starts": starts, "max_iter": max_iter,
                   "seed": seed, "domain": box}
        work_time, grace = within(left)
        try:
            got = run_isolated(_descent, (expr, symbols, cps, options), work_time,
                               "the descent comparison", grace=grace)
            comparison = got.value
            if not got.finished:
                own_notes = (f"descent skipped: {got.reason}",)
                finished = False
        except FloatRangeError as err:  # the exact part stands; descent runs in floats
            own_notes = (f"descent skipped: {err}",)
    analysis = Analysis(expr=expr, variables=symbols, gradient=gradient, hessian=hessian,
                        critical_points=cps, domain=box, descent=comparison, source=source,
                        read_as=parsed.read_as, own_notes=own_notes)
    if finished:
        remember(key, analysis)
    return analysis


def _course_fields(point, hessian, symbols) -> dict:
    from symgd.working.words import course_fields

    return course_fields(point, hessian, symbols)


def _descent(expr, symbols, cps, options: dict):
    """The descent comparison, as work for :func:`symgd.budget.run_isolated`."""
    from .compare import compare_descent

    return compare_descent(expr, symbols, cps, **options)


def _with_values(expr: sp.Expr, parameters) -> sp.Expr:
    """f with the values given for parameters (``k = 2``) put in, as the solver used it."""
    _, assumptions = parse_assumptions(parameters)
    values = {a.lhs: a.rhs for a in assumptions if isinstance(a, sp.Eq) and a.lhs.is_Symbol}
    return expr.xreplace(values) if values else expr


def _constrained(f, variables, constraints, parameters, domain, descend, timeout, method, lr,
                 starts, max_iter, seed) -> Analysis:
    """analyze() with constraints: the constrained extrema, and constrained descent."""
    from symgd.constrained.constraints import read_problem

    if domain is not None:
        raise OptionError("domain and constraints do not go together: write the box as "
                          "constraints, e.g. constraints=['0 <= x <= 3', ...]")
    if parameters is not None:
        raise OptionError("parameters and constraints do not go together yet: give the "
                          "parameters values in f and the constraints")
    problem = read_problem(f, constraints, variables)
    expr, symbols = problem.expr, problem.variables
    own_notes: tuple[str, ...] = ()
    start = time.monotonic()
    share = None if timeout is None else (1 - DESCENT_SHARE) * timeout if descend else timeout
    if problem.equations or not expr.free_symbols:
        # on an equation's set f's own critical points are not candidates: not computed
        cps = CriticalSet((), False, notes=("not computed: with an equation among the "
                                            "constraints, f's own critical points are not "
                                            "candidates",), variables=symbols)
        work_args = (expr, constraints, symbols, share, None)
    else:
        cps = critical_points(expr, symbols, timeout=None if share is None else share / 2)
        work_args = (expr, constraints, symbols, share, cps)
    left = None if share is None else max(MIN_DESCENT, share - (time.monotonic() - start))
    got = run_isolated(_constrained_work, work_args, left, "the constrained analysis")
    result = got.value
    if not got.finished:
        own_notes = (f"constrained extrema not given: {got.reason}",)
    comparison = None
    if descend and result is not None:
        from .constrained import compare_constrained

        comparison = compare_constrained(result, constraints, method=method, lr=lr,
                                         starts=starts, max_iter=max_iter, seed=seed)
    gradient = sp.Matrix([sp.diff(expr, s) for s in symbols])
    return Analysis(expr=expr, variables=symbols, gradient=gradient,
                    hessian=hessian_matrix(expr, symbols), critical_points=cps,
                    descent=comparison, source=f if isinstance(f, str) else None,
                    constrained=result, own_notes=own_notes)


def _constrained_work(expr, constraints, symbols, timeout, critical):
    """The constrained extrema, as work for :func:`symgd.budget.run_isolated`."""
    from symgd.constrained.extrema import constrained_extrema

    if critical is None:
        return constrained_extrema(expr, constraints, symbols, timeout=timeout)
    return constrained_extrema(expr, constraints, symbols, timeout=timeout, critical=critical)
