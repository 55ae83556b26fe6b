"""Names in symgd's expression language: variables, parameters, functions and constants.

Every variable is the canonical ``Symbol(name, real=True)``. Functions users may call are an
allow-list (:data:`FUNCTIONS`); ``pi``, ``E`` and ``e`` are Euler's and Archimedes' constants
(``e`` only while no variable is named ``e``); ``I``, ``oo`` and ``nan`` are refused because
symgd works with finite real numbers.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.errors import ParseError, VariableError

from .real_root import RealRoot, real_abs

__all__ = ["FUNCTIONS", "GREEK", "INVERSES", "FunctionSpec", "Scope", "parameter_names",
           "parse_variables", "reserved_name_problem", "resolve_name", "sort_variables", "symbol",
           "Variablesish"]

Variablesish = None | str | Sequence[str | sp.Symbol]

MAX_EXP_ARGUMENT = 10_000  # |c| in exp(c), cosh(c), ... for a constant c
MAX_ROOT_DEGREE = 1000  # n in root(x, n) and x^(p/n): derivatives hold x**(n - 1)


def symbol(name: str) -> sp.Symbol:
    """The canonical symbol of a variable: ``Symbol(name, real=True)``.

    Example:
        >>> symbol("x").is_real
        True
    """
    return sp.Symbol(name, real=True)


@dataclass(frozen=True)
class FunctionSpec:
    """A function users may call: how to build it and how many arguments it takes."""

    build: Callable[..., sp.Expr]
    min_args: int = 1
    max_args: int | None = 1
    # Bound on |argument| when the argument is a constant: exp-like functions of huge numbers
    # make SymPy/mpmath work with numbers of astronomically many digits (coth(exp(10^9))).
    max_constant: float | None = None


def _real_cbrt(x: sp.Expr) -> sp.Expr:
    # The real cube root, odd in x; SymPy's cbrt is the principal (complex) root for x < 0.
    return RealRoot(x, 3)


def _root(x: sp.Expr, n: sp.Expr) -> sp.Expr:
    # root(x, n), the form symgd prints for odd n >= 5: real for odd n, like x^(1/n).
    if not (n.is_Integer and 2 <= n <= MAX_ROOT_DEGREE):
        raise ValueError(f"the degree n of root(x, n) must be an integer from 2 to "
                         f"{MAX_ROOT_DEGREE}, not {n}")
    return RealRoot(x, n) if n % 2 else x ** sp.Rational(1, n)


def _sigmoid(x: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-x))


def _log(x: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    return sp.log(x) if base is None else sp.log(x, base)


_UNARY: dict[str, Callable[..., sp.Expr]] = {
    "exp": sp.exp, "ln": sp.log, "sqrt": sp.sqrt, "cbrt": _real_cbrt,
    "abs": real_abs, "Abs": real_abs, "sign": sp.sign, "sgn": sp.sign, "erf": sp.erf,
    "sigmoid": _sigmoid, "log10": lambda x: sp.log(x, 10), "log2": lambda x: sp.log(x, 2),
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "coth": sp.coth, "sech": sp.sech,
    "csch": sp.csch,
}
INVERSES = {"sin": sp.asin, "cos": sp.acos, "tan": sp.atan, "cot": sp.acot, "sec": sp.asec,
             "csc": sp.acsc, "sinh": sp.asinh, "cosh": sp.acosh, "tanh": sp.atanh,
             "coth": sp.acoth, "sech": sp.asech, "csch": sp.acsch}
for _name, _inverse in INVERSES.items():
    # asin, arcsin; asinh, arcsinh and the ISO 80000-2 spelling arsinh.
    for _prefix in ("a", "arc") + (("ar",) if _name.endswith("h") else ()):
        _UNARY[_prefix + _name] = _inverse

_EXPONENTIAL = {"exp", "sinh", "cosh", "tanh", "coth", "sech", "csch", "sigmoid"}
FUNCTIONS: dict[str, FunctionSpec] = {
    name: FunctionSpec(f, max_constant=MAX_EXP_ARGUMENT if name in _EXPONENTIAL else None)
    for name, f in _UNARY.items()}
FUNCTIONS.update({
    "log": FunctionSpec(_log, 1, 2), "root": FunctionSpec(_root, 2, 2),
    "atan2": FunctionSpec(sp.atan2, 2, 2), "arctan2": FunctionSpec(sp.atan2, 2, 2),
    "max": FunctionSpec(sp.Max, 2, None), "Max": FunctionSpec(sp.Max, 2, None),
    "min": FunctionSpec(sp.Min, 2, None), "Min": FunctionSpec(sp.Min, 2, None),
})

GREEK = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron rho "
    "sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Upsilon "
    "Phi Psi Omega".split())

# Names that look like constants SymPy knows but that symgd refuses (real, finite maths only).
REFUSED_NAMES = {
    "I": "complex numbers are not supported ('I' is the imaginary unit)",
    "oo": "infinity is not a number here", "inf": "infinity is not a number here",
    "infinity": "infinity is not a number here", "Infinity": "infinity is not a number here",
    "zoo": "infinity is not a number here", "nan": "'nan' is not a number here",
    "NaN": "'nan' is not a number here", "Pi": "write 'pi' for π", "PI": "write 'pi' for π",
    "None": "'None' is not a number", "True": "booleans are not numbers",
    "False": "booleans are not numbers",
}
KEYWORD_HINTS = {
    "and": "boolean operators are not supported", "or": "boolean operators are not supported",
    "not": "boolean operators are not supported",
    "if": "conditional expressions are not supported",
    "else": "conditional expressions are not supported",
    "for": "comprehensions are not supported", "in": "comprehensions are not supported",
}


def reserved_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a variable, or None when it can ("e" may: it then hides Euler's e).

    Example:
        >>> reserved_name_problem("sin")
        "'sin' is a function name"
        >>> reserved_name_problem("x1") is None
        True
    """
    if not (name.isascii() and name.isidentifier()):
        return f"'{name}' is not a valid name (use letters, digits and '_', starting with a letter)"
    if name.startswith("_"):
        return f"'{name}': names starting with '_' are reserved"
    if keyword.iskeyword(name) and name != "lambda":
        return f"'{name}' is a Python keyword"
    if name in FUNCTIONS:
        return f"'{name}' is a function name"
    if name in ("pi", "E") or name in REFUSED_NAMES:
        return f"'{name}' is a constant name"
    return None


@dataclass(frozen=True)
class Scope:
    """Which names a text may use.

    ``variables`` None means "infer the variables"; a tuple (maybe empty) fixes them.
    """

    variables: tuple[str, ...] | None
    parameters: tuple[str, ...] = ()
    what: str = "expression"  # "expression", "number" or "point": wording of errors
    # With variables given: every other name is a parameter (a symbolic constant such as k
    # in x^2 + k x y + y^2) instead of an error.
    open: bool = False

    @property
    def declared(self) -> frozenset[str]:
        return frozenset(self.variables or ()) | frozenset(self.parameters)

    def constant(self, name: str) -> sp.Expr | None:
        if name == "pi":
            return sp.pi
        if name == "E" or (name == "e" and "e" not in self.declared):
            return sp.E
        return None

    def describe(self) -> str:
        if self.variables is None:
            return ""
        if self.what == "number":
            return "a number is expected (the only names allowed are pi and e)"
        parts = []
        if self.variables:
            parts.append("variables are " + ", ".join(self.variables))
        if self.parameters:
            parts.append("parameters are " + ", ".join(self.parameters))
        return "; ".join(parts) or "no names are allowed here except pi and e"



def _natural_key(name: str) -> tuple[tuple[object, ...], str]:
    parts = re.split(r"(\d+)", name)
    return tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts)), name


def sort_variables(symbols: Iterable[sp.Symbol | str]) -> tuple[sp.Symbol, ...]:
    """Symbols in natural order of their names (``x2`` before ``x10``).

    Args:
        symbols: Symbols (or names) in any order.

    Example:
        >>> sort_variables([symbol("x10"), symbol("x2"), symbol("x1")])
        (x1, x2, x10)
    """
    as_symbols = [symbol(s) if isinstance(s, str) else s for s in symbols]
    return tuple(sorted(as_symbols, key=lambda s: _natural_key(s.name)))


def _variable_names(variables: Variablesish) -> list[str]:
    if variables is None:
        raise VariableError("no variables given")
    if isinstance(variables, sp.Symbol):
        return [variables.name]
    if isinstance(variables, str):
        if not variables.strip():
            raise VariableError("no variables given")
        names = []
        for part in variables.split(","):
            if not part.split():
                raise VariableError(f"empty variable name in {variables!r}")
            names += part.split()
        return names
    names = []
    for item in variables:
        if not isinstance(item, str | sp.Symbol):
            raise VariableError(f"a variable must be a name or a Symbol, not {item!r}")
        names.append(item if isinstance(item, str) else item.name)
    return names


def parse_variables(variables: Variablesish) -> tuple[sp.Symbol, ...]:
    """Canonical real symbols for variables given as "x,y", "x y" or a list, in that order.

    Args:
        variables: names separated by commas and/or spaces, or a sequence of names/Symbols.

    Raises:
        VariableError: empty, repeated, or invalid names ("2x", "sin", "pi").

    Example:
        >>> parse_variables("x, y z")
        (x, y, z)
    """
    names = _variable_names(variables)
    if not names:
        raise VariableError("no variables given")
    seen: set[str] = set()
    for name in names:
        problem = reserved_name_problem(name)
        if problem:
            raise VariableError(f"invalid variable name: {problem}")
        if name in seen:
            raise VariableError(f"variable '{name}' is listed twice")
        seen.add(name)
    return tuple(symbol(name) for name in names)


def parameter_names(parameters: Sequence[str],
                    given: tuple[sp.Symbol, ...] | None) -> tuple[str, ...]:
    """Validated names of parameters: valid, distinct, and not also variables.

    Example:
        >>> parameter_names(["t"], (symbol("x"),))
        ('t',)
    """
    names = tuple(_variable_names(parameters)) if parameters else ()
    variables = {s.name for s in given or ()}
    for name in names:
        problem = reserved_name_problem(name)
        if problem:
            raise VariableError(f"invalid parameter name: {problem}")
        if name in variables:
            raise VariableError(f"'{name}' is both a variable and a parameter")
    if len(set(names)) != len(names):
        raise VariableError(f"a parameter is listed twice in {list(names)}")
    return names


def resolve_name(name: str, scope: Scope, calls: bool, start: int,
                 letters: frozenset[str] = frozenset()) -> list[tuple[int, int, sp.Expr]]:
    """The atoms a name stands for, each with its offset and length inside the name.

    Args:
        name: the name as typed ("xy", "theta", "k").
        scope: which names the text may use.
        calls: whether the name is followed by "(" (a call, or a product with a bracket).
        start: the name's position in the text (for errors).
        letters: single-letter names standing alone elsewhere in the text.

    Raises:
        ParseError: a refused, reserved or unknown name.

    Example:
        >>> [atom for _, _, atom in resolve_name("xy", Scope(None), False, 0)]
        [x, y]
        >>> [atom for _, _, atom in resolve_name("kx", Scope(("x",), open=True), False, 0)]
        [k, x]
    """
    if name in REFUSED_NAMES:
        raise ParseError(REFUSED_NAMES[name], start)
    if keyword.iskeyword(name) and name != "lambda":
        hint = KEYWORD_HINTS.get(name, "Python keywords are not allowed")
        raise ParseError(f"'{name}': {hint}", start)
    if name in scope.declared:
        return [(0, len(name), symbol(name))]
    constant = scope.constant(name)
    if constant is not None:
        return [(0, len(name), constant)]
    inferring = scope.variables is None or scope.open
    if calls and name in _GREEK_FUNCTIONS and name not in scope.declared:
        raise ParseError(f"'{name}(...)': {name} is read as a variable (a Greek letter), and "
                         f"the {_GREEK_FUNCTIONS[name]} function is not supported; write "
                         f"{name}*(...) for a product", start)
    if inferring and (len(name) == 1 or not name.isalpha() or name in GREEK):
        return [(0, len(name), symbol(name))]
    known_letters = inferring and set(name) <= letters and not _function_hint(name)
    if calls and name.isalpha() and not known_letters and (inferring or not _split(name, scope)):
        raise ParseError(f"unknown function '{name}'", start)
    # "xy" is x*y; but "exec" or "sum" are not a product of letters anyone means to type.
    parts = None if inferring and hasattr(builtins, name) else _split(name, scope)
    if parts is not None:
        return parts
    where = scope.describe()
    raise ParseError(f"unknown name '{name}'{_function_hint(name)}{'; ' if where else ''}{where}",
                     start)


# Greek letters that are also the names of special functions: "gamma(x)" almost surely means
# the Gamma function, which a product gamma*x would silently replace.
_GREEK_FUNCTIONS = {"gamma": "Gamma", "Gamma": "Gamma", "beta": "Beta", "zeta": "zeta",
                    "psi": "digamma", "digamma": "digamma"}


def _split(name: str, scope: Scope) -> list[tuple[int, int, sp.Expr]] | None:
    """Split a name into a product: letters when inferring (or when other names are
    parameters), declared names when given."""
    vocabulary = scope.declared | {n for n in ("pi", "e", "E") if scope.constant(n)}
    if scope.variables is None or scope.open:
        if _function_hint(name):
            return None
        vocabulary |= GREEK | {"pi"} | {c for c in name if c.isalpha()}
    words = _segment(name, vocabulary)
    if words is None or any(word in REFUSED_NAMES for word in words):
        return None
    result, offset = [], 0
    for word in words:
        value = scope.constant(word)
        result.append((offset, len(word), value if value is not None else symbol(word)))
        offset += len(word)
    return result


def _segment(name: str, vocabulary: frozenset[str] | set[str]) -> list[str] | None:
    """Cut ``name`` into words of ``vocabulary``, preferring the longest word at each step.

    Dynamic programming from the end (no recursion, linear in the length of the name).
    """
    lengths = sorted({len(w) for w in vocabulary}, reverse=True)
    choice: list[int | None] = [None] * len(name) + [0]  # word length chosen at each index
    for i in range(len(name) - 1, -1, -1):
        for n in lengths:
            if (i + n <= len(name) and name[i:i + n] in vocabulary
                    and choice[i + n] is not None):
                choice[i] = n
                break
    if choice[0] is None:
        return None
    words, i = [], 0
    while i < len(name):
        words.append(name[i:i + choice[i]])
        i += choice[i]
    return words


def _function_hint(name: str) -> str:
    prefixes = [f for f in FUNCTIONS if name.startswith(f) and len(name) > len(f)]
    if not prefixes:
        return ""
    function = max(prefixes, key=len)
    return f" (did you mean {function}({name[len(function):]})?)"
