"""Input as students type it (issue #12, section 5): the reading a course means, said out loud.

Expected expressions are built by hand with SymPy constructors from the textbook reading
(Stewart, *Calculus*: sin 2x = sin(2x), sin⁻¹x = arcsin x, ln|x|; 1/xy = 1/(xy) as in the
APS/AIP style manuals); nothing is compared with the parser's own output pasted in.
"""

from __future__ import annotations

import builtins
import sys
import warnings

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgd.errors import ParseError, ReadAsWarning, SymgdError, SymgdWarning, VariableError
from symgd.expr.parse import as_expression, parse, parse_number, parse_point, read
from symgd.expr.real_root import RealRoot

x, y, z, r, k = (sp.Symbol(n, real=True) for n in "xyzrk")
theta = sp.Symbol("theta", real=True)


def _quiet_parse(text, variables=None, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReadAsWarning)
        return parse(text, variables, **options)


# (text, expected, reading or None): the reading is said exactly when the text is ambiguous.
STUDENT = [
    # the three silent misreadings of the issue
    ("1/xy", 1 / (x * y), "1/xy read as 1/(x·y)"),
    ("x/2y", x / (2 * y), "x/2y read as x/(2·y)"),
    ("e^2x", sp.exp(2 * x), "e^2x read as e^(2·x)"),
    # the same conventions around them
    ("e^-2xy", sp.exp(-2 * x * y), "e^-2xy read as e^(-2·x·y)"),
    ("3x/2y", 3 * x / (2 * y), "3x/2y read as 3·x/(2·y)"),
    ("x^2/2y", x**2 / (2 * y), "x^2/2y read as x^2/(2·y)"),
    ("1/2x", x / 2, "1/2x read as (1/2)·x"),  # a number over a number is a coefficient
    ("1/x^2y", 1 / (x**2 * y), "1/x^2y read as 1/(x^2·y)"),
    ("2^3x", 8 * x, "2^3x read as 2^3·x"),
    ("sin 2x", sp.sin(2 * x), "sin 2x read as sin(2·x)"),
    ("sin xy", sp.sin(x * y), "sin xy read as sin(x·y)"),
    ("sin x y", sp.sin(x) * y, "sin x y read as sin(x)·y"),
    ("sin x^2", sp.sin(x**2), "sin x^2 read as sin(x^2)"),
    # unambiguous student syntax: accepted silently
    ("sinx", sp.sin(x), None), ("sin x", sp.sin(x), None), ("lnx", sp.log(x), None),
    ("sin^2 x", sp.sin(x) ** 2, None), ("sin^2(x)", sp.sin(x) ** 2, None),
    ("sin²x + cos²x", sp.sin(x) ** 2 + sp.cos(x) ** 2, None),
    ("tan^-1(x)", sp.atan(x), None), ("tan^-1 x", sp.atan(x), None),
    ("sin^(-1)(x)", sp.asin(x), None), ("sin⁻¹x", sp.asin(x), None),
    ("cosh^-1(x)", sp.acosh(x), None),
    ("√x", sp.sqrt(x), None), ("√(x + 1)", sp.sqrt(x + 1), None),
    ("2√x", 2 * sp.sqrt(x), None), ("∛x", RealRoot(x, 3), None),
    ("θ", theta, None), ("r^2 cos θ", r**2 * sp.cos(theta), None),
    ("sin θ", sp.sin(theta), None), ("2θ", 2 * theta, None),
    ("ln|x|", sp.log(sp.Abs(x)), None), ("ln|x - |y|| + 1", sp.log(sp.Abs(x - sp.Abs(y))) + 1,
                                         None),
    ("x²", x**2, None), ("x³y²", x**3 * y**2, None), ("x⁻¹", 1 / x, None),
    ("x²³", x**23, None),
    ("sin x cos y", sp.sin(x) * sp.cos(y), None), ("x sin x", x * sp.sin(x), None),
    ("sinxcosy", sp.sin(x) * sp.cos(y), None), ("xsin(y)", x * sp.sin(y), None),
    ("ln x + ln y", sp.log(x) + sp.log(y), None), ("exp x", sp.exp(x), None),
    ("e^x sin y", sp.exp(x) * sp.sin(y), None), ("e^-x", sp.exp(-x), None),
    ("e^x^2", sp.exp(x**2), None), ("x e^y - e^x", x * sp.exp(y) - sp.exp(x), None),
    ("sin(x)/x", sp.sin(x) / x, None), ("1/x y", y / x, None), ("x/2 y", x * y / 2, None),
]


@pytest.mark.parametrize(("text", "expected", "reading"), STUDENT)
def test_student_syntax_reads_as_a_course_means_it(text, expected, reading):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        expr, _ = parse(text)
    assert sp.simplify(expr - expected) == 0, (text, expr, expected)
    said = [str(w.message) for w in caught if issubclass(w.category, ReadAsWarning)]
    assert said == ([reading] if reading else []), (text, said)


def test_the_read_as_warning_is_a_symgd_warning_and_never_a_runtime_warning():
    with pytest.warns(ReadAsWarning, match=r"1/xy read as 1/\(x·y\)") as caught:
        parse("1/xy + 1")
    assert issubclass(caught[0].category, SymgdWarning)
    assert issubclass(caught[0].category, UserWarning)
    assert not issubclass(caught[0].category, RuntimeWarning)


def test_read_returns_the_readings_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        parsed = read("e^2x + 1/xy")
    assert parsed.read_as == ("e^2x read as e^(2·x)", "1/xy read as 1/(x·y)")
    assert parsed.expr == sp.exp(2 * x) + 1 / (x * y)


def test_numbers_and_points_say_what_was_read_too():
    with pytest.warns(ReadAsWarning, match=r"1/2pi read as \(1/2\)·pi"):
        assert parse_number("1/2pi") == sp.pi / 2
    with pytest.warns(ReadAsWarning):
        assert parse_point("(1/2pi, 0)") == (sp.pi / 2, 0)


@pytest.mark.parametrize(("text", "variables", "expected", "names"), [
    ("f(x,y) = x^2 + y^2", None, x**2 + y**2, ("x", "y")),
    ("f(x, y, z) = x", None, x, ("x", "y", "z")),  # the prefix names variables f ignores
    ("  g(y, x)=x - y", None, x - y, ("y", "x")),    # ... in its own order
    ("f(r, θ) = r^2 cos θ", None, r**2 * sp.cos(theta), ("r", "theta")),
    ("f(x, y) = x y", "x y", x * y, ("x", "y")),
])
def test_a_function_prefix_names_the_variables(text, variables, expected, names):
    expr, symbols = parse(text, variables)
    assert expr == expected and tuple(s.name for s in symbols) == names


@pytest.mark.parametrize(("text", "variables", "error", "phrase"), [
    ("f(x, y) = x y", "x z", VariableError, "defines a function of x, y"),
    ("f(x, y) = ", None, ParseError, "empty expression"),
    ("sin(x) = 1/2", None, ParseError, "equation"),  # a function name is not a prefix
    ("f(x) = x = 1", None, ParseError, "equation"),
    ("f(x, 2) = x", None, ParseError, "equation"),
])
def test_a_prefix_that_does_not_fit_is_refused(text, variables, error, phrase):
    with pytest.raises(error, match=phrase):
        parse(text, variables)


def test_other_names_become_parameters_only_when_asked():
    parsed = read("x^2 + k x y + y^2", "x, y", other_names="parameters")
    assert parsed.expr == x**2 + k * x * y + y**2
    assert parsed.variables == (x, y) and parsed.parameters == (k,)
    assert read("kxy", "x, y", other_names="parameters").expr == k * x * y
    alpha = sp.Symbol("alpha", real=True)
    assert read("alpha x^2", "x", other_names="parameters").parameters == (alpha,)
    with pytest.raises(ParseError, match="unknown name 'k'"):
        parse("x^2 + k x y", "x, y")  # the default is still an error naming the name
    expr, variables = as_expression(sp.Symbol("x") ** 2 + sp.Symbol("k"), "x",
                                    other_names="parameters")
    assert expr == x**2 + k and variables == (x,)


INJECTIONS = [
    "sin __import__('os')", "f(x) = __import__('os').system('ls')", "sin^2 open(x)",
    "√'a'", "θ.__class__", "f(x, y) = eval(x)", "sinexec(x)", "ln|__import__|",
    "e^2x.real", "1/x y.__class__", "tan^-1 (lambda: 1)", "sin^(__import__)(x)",
    "f(x) = [x for x in y]", "x² ; import os", "f(os) = os.system('ls')",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_student_syntax_never_runs_code(text, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must not be called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    with pytest.raises(ParseError):
        _quiet_parse(text)


def test_student_syntax_never_reaches_sympify(monkeypatch):
    import sympy.parsing.sympy_parser  # noqa: F401  (so that it can be patched)

    sympify_module = sys.modules["sympy.core.sympify"]
    real_sympify = sympify_module.sympify

    def sympify_without_text(a, *args, **kwargs):
        assert not isinstance(a, str), f"sympify was given text {a!r}"
        return real_sympify(a, *args, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError("parse_expr must not be called")

    monkeypatch.setattr(sp, "sympify", sympify_without_text)
    monkeypatch.setattr(sympify_module, "sympify", sympify_without_text)
    monkeypatch.setattr(sys.modules["sympy.parsing.sympy_parser"], "parse_expr", forbidden)
    parsed = [_quiet_parse(text)[0] for text, _, _ in STUDENT]
    monkeypatch.undo()  # simplify below may import SymPy modules that sympify text
    for (text, expected, _), got in zip(STUDENT, parsed, strict=True):
        assert sp.simplify(got - expected) == 0, text


@pytest.mark.parametrize(("text", "phrase"), [
    ("sin", "needs its argument in parentheses"),
    ("sin^x(y)", "write a power of a function as (sin(x))^n"),
    ("sin^-2 x", "power of a function"),
    ("ln^-1(x)", "power of a function"),
    ("log2^-1(x)", "power of a function"),
    ("ln|x", "never closed"),
    ("x^2 + k", "unknown name 'k'"),
])
def test_student_syntax_errors_name_the_fix(text, phrase):
    with pytest.raises(ParseError, match=phrase.replace("(", r"\(").replace(")", r"\)")
                       .replace("^", r"\^")):
        parse(text, "x" if "k" in text else None)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="xyk12 /^()|√θ²⁻¹sincotaelnq=,f", max_size=24))
def test_any_student_text_either_parses_or_raises_a_symgd_error(text):
    try:
        _quiet_parse(text)
    except SymgdError:
        pass
