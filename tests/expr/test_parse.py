"""Tests of the safe parser: accepted syntax, refused input, limits, variables and numbers.

Expected expressions are built by hand with SymPy constructors; nothing is compared with the
parser's own output pasted in.
"""

from __future__ import annotations

import builtins
import math
import sys

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgd.errors import ParseError, SymgdError, VariableError
from symgd.expr.parse import (
    as_expression,
    parse,
    parse_number,
    parse_point,
    parse_variables,
    sort_variables,
    symbol,
)

x, y, z, t = (sp.Symbol(n, real=True) for n in "xyzt")
x1, x2, x10 = (sp.Symbol(n, real=True) for n in ("x1", "x2", "x10"))
R = sp.Rational


def same(a: sp.Expr, b: sp.Expr) -> bool:
    return a == b or sp.simplify(a - b) == 0


ACCEPT = [
    # powers, signs, precedence (Python's rules)
    ("x**2", None, x**2), ("x^2", None, x**2), ("2^3^2 + x", None, 512 + x),
    ("-x^2", None, -(x**2)), ("-x**2 + 1", None, 1 - x**2), ("x^-2", None, 1 / x**2),
    ("2^-1 x", None, x / 2), ("e^-x", None, sp.exp(-x)), ("x^(1/2)", None, sp.sqrt(x)),
    ("--x", None, x), ("+x", None, x), ("2^3x", None, 8 * x), ("1/2x", None, x / 2),
    # implicit multiplication
    ("2x", None, 2 * x), ("3x^2 y", None, 3 * x**2 * y), ("x y", None, x * y),
    ("2(x+1)", None, 2 * x + 2), ("(x+1)(x-1)", None, (x + 1) * (x - 1)),
    ("(x+1)2", None, 2 * (x + 1)), ("x(y+1)", "x y", x * (y + 1)),
    ("x(y+1)", None, x * (y + 1)), ("2 sin(x)", None, 2 * sp.sin(x)),
    ("2pi x", None, 2 * sp.pi * x), ("3xy", None, 3 * x * y), ("3xy", "x, y", 3 * x * y),
    ("yz", None, y * z), ("xy", "x,y", x * y), ("x1x2", "x1 x2", x1 * x2),
    ("x1 x2 + x10", None, x1 * x2 + x10), ("2 |x|", None, 2 * sp.Abs(x)),
    # names kept whole
    ("x_2 + w0", None, sp.Symbol("x_2", real=True) + sp.Symbol("w0", real=True)),
    ("alpha beta + theta", None,
     sp.Symbol("alpha", real=True) * sp.Symbol("beta", real=True)
     + sp.Symbol("theta", real=True)),
    ("lambda x + lambda^2", "x lambda",
     sp.Symbol("lambda", real=True) * x + sp.Symbol("lambda", real=True) ** 2),
    # constants and exponentials
    ("e^x", None, sp.exp(x)), ("e**x", None, sp.exp(x)), ("exp(x)", None, sp.exp(x)),
    ("E^x", None, sp.exp(x)), ("ex", None, sp.E * x), ("pi x", None, sp.pi * x),
    ("x e", "x", sp.E * x), ("e x", "e x", sp.Symbol("e", real=True) * x),
    # logarithms and roots
    ("ln(x)", None, sp.log(x)), ("log(x)", None, sp.log(x)),
    ("log(x, 2)", None, sp.log(x) / sp.log(2)), ("log10(x)", None, sp.log(x) / sp.log(10)),
    ("log2(x)", None, sp.log(x) / sp.log(2)), ("sqrt(x)", None, sp.sqrt(x)),
    # absolute values
    ("abs(x)", None, sp.Abs(x)), ("Abs(x)", None, sp.Abs(x)), ("|x|", None, sp.Abs(x)),
    ("|x| + |y|", None, sp.Abs(x) + sp.Abs(y)), ("|x - |y||", None, sp.Abs(x - sp.Abs(y))),
    # trigonometric and hyperbolic functions
    ("sin(x)+cos(x)+tan(x)", None, sp.sin(x) + sp.cos(x) + sp.tan(x)),
    ("cot(x)+sec(x)+csc(x)", None, 1 / sp.tan(x) + 1 / sp.cos(x) + 1 / sp.sin(x)),
    ("asin(x)+acos(x)+atan(x)", None, sp.asin(x) + sp.acos(x) + sp.atan(x)),
    ("arcsin(x)+arccos(x)+arctan(x)", None, sp.asin(x) + sp.acos(x) + sp.atan(x)),
    ("acot(x)+asec(x)+acsc(x)", None, sp.acot(x) + sp.asec(x) + sp.acsc(x)),
    ("atan2(y, x)", None, sp.atan2(y, x)),
    ("sinh(x)+cosh(x)+tanh(x)", None, sp.sinh(x) + sp.cosh(x) + sp.tanh(x)),
    ("coth(x)+sech(x)+csch(x)", None, 1 / sp.tanh(x) + 1 / sp.cosh(x) + 1 / sp.sinh(x)),
    ("asinh(x)+acosh(x)+atanh(x)", None, sp.asinh(x) + sp.acosh(x) + sp.atanh(x)),
    ("arsinh(x)+arcosh(x)+artanh(x)", None, sp.asinh(x) + sp.acosh(x) + sp.atanh(x)),
    ("sign(x) + erf(x)", None, sp.sign(x) + sp.erf(x)),
    ("sigmoid(x)", None, 1 / (1 + sp.exp(-x))),
    ("max(x, 0) + min(x, y)", None, sp.Max(x, 0) + sp.Min(x, y)),
    # decimals are exact
    ("0.1x", None, x / 10), ("1e-3 x", None, x / 1000), ("2.5e2 x", None, 250 * x),
    (".5x", None, x / 2), ("1E3x", None, 1000 * x),
    # typography
    ("x² + 2·x − 3", None, x**2 + 2 * x - 3), ("2×x ÷ 4", None, x / 2),
    ("πx", None, sp.pi * x), ("x +\n y", None, x + y),
]


@pytest.mark.parametrize(("text", "variables", "expected"), ACCEPT)
def test_accepted_text_builds_the_expected_expression(text, variables, expected):
    expr, _ = parse(text, variables)
    assert same(expr, expected), (text, expr, expected)


def test_real_cube_root_is_real_for_negative_numbers():
    expr, _ = parse("cbrt(x)")
    assert parse_number("cbrt(-8)") == -2
    assert parse_number("cbrt(27)") == 3
    assert math.isclose(float(expr.subs(x, R(-1, 8))), -0.5)
    assert math.isclose(float(sp.diff(expr, x).subs(x, 8)), 1 / 12)  # (1/3) 8^(-2/3)


REJECT = [
    ("__import__('os').system('ls')", "names starting with '_'"),
    ("().__class__", "attribute access"), ("x.real", "attribute access"),
    ("x.__class__.__bases__", "attribute access"), ("[x for x in y]", "square brackets"),
    ("x[0]", "square brackets"), ("{x}", "braces"), ("lambda: 1", "lambda"),
    ("lambda x: x", "lambda"), ("'a'", "strings"), ('"a"', "strings"),
    ("f'{x}'", "strings"), ("open('f')", "strings"), ("getattr(x, 'real')", "strings"),
    ("eval('1')", "strings"), ("open(x)", "unknown function 'open'"),
    ("globals()", "unknown function 'globals'"), ("eval(x)", "unknown function 'eval'"),
    ("exec(x)", "unknown function 'exec'"), ("exec", "unknown name 'exec'"),
    ("factorial(10**9)", "unknown function 'factorial'"), ("foo(x)", "unknown function 'foo'"),
    ("import os", "keyword"), ("x if y else z", "conditional"), ("not x", "boolean"),
    ("x and y", "boolean"), ("x or y", "boolean"), ("x == 1", "comparison"),
    ("x < 1", "comparison"), ("x^2 = 4", "move everything to one side"),
    ("log(x, base=2)", "keyword arguments"), ("sin(*x)", "unpacking"),
    ("(x := 1)", "assignment"), ("x % 2", "remainder"), ("x // 2", "floor division"),
    ("x @ y", "matrix"), ("x & y", "bitwise"), ("~x", "bitwise"), ("x!", "factorial"),
    ("2j", "complex"), ("1 + 2j*x", "complex"), ("I*x", "complex"), ("oo*x", "infinity"),
    ("x; y", "single expression"), ("x # comment", "comment"), ("x \\ y", "backslash"),
    ("None", "not a number"), ("True", "booleans"), ("0x1F", "hexadecimal"),
    ("1_000", "'_'"), ("sin", "parentheses"), ("x + cos", "parentheses"),
    ("max x", "parentheses"), ("sin^x(y)", "power of a function"),
    ("ln^-1(x)", "power of a function"), ("x/0", "division by zero"),
    ("log(0) + x", "undefined"), ("sqrt(-1) + x", "not a real number"),
    ("(-8)^(1/4) + x", "not a real number"), ("asin(2) + x", "not a real number"),
    ("(1, 2)", "comma-separated"), ("()", "empty parentheses"), ("sin()", "takes 1 argument"),
    ("atan2(x)", "takes 2 arguments"), ("max(x)", "at least 2"), ("|x", "never closed"),
    ("2 3", "missing operator"), ("", "empty expression"), ("  \n ", "empty expression"),
    ("x +", "ends after '+'"), ("* x", "unexpected '*'"), ("(x", "never closed"),
    ("x)", "unexpected ')'"), ("x € y", "unexpected character"), ("log(x, 1)", "log base 1"),
]


@pytest.mark.parametrize(("text", "phrase"), REJECT)
def test_refused_text_raises_a_parse_error_naming_the_problem(text, phrase):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert phrase in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(("text", "variables", "position", "phrase"), [
    ("sin(x))+1", None, 6, "unexpected ')'"),
    ("x^2 + w", "x", 6, "unknown name 'w'; variables are x"),
    ("2 + (3x", None, 4, "'(' is never closed"),
    ("x * / y", None, 4, "unexpected '/'"),
    ("x + y +", None, 6, "ends after '+'"),
    ("   x + 'a'", None, 7, "strings"),
    ("x^2 = 4", None, 4, "equation"),
    ("2 + x^1001", None, 6, "exponent 1001 is too large (limit 1000)"),
    ("xy + w", "x y", 5, "unknown name 'w'"),
])
def test_errors_point_at_the_offending_place_in_the_original_text(text, variables, position,
                                                                  phrase):
    with pytest.raises(ParseError) as info:
        parse(text, variables)
    assert info.value.position == position
    assert phrase in str(info.value)


def test_no_eval_exec_or_sympify_of_text(monkeypatch):
    import sympy.parsing.sympy_parser  # noqa: F401  (so that it can be patched)

    sympify_module = sys.modules["sympy.core.sympify"]
    real_sympify = sympify_module.sympify

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec/parse_expr must not be called")

    def sympify_without_text(a, *args, **kwargs):
        assert not isinstance(a, str), f"sympify was given text {a!r}"
        return real_sympify(a, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(sp, "sympify", sympify_without_text)
    monkeypatch.setattr(sympify_module, "sympify", sympify_without_text)
    monkeypatch.setattr(sys.modules["sympy.parsing.sympy_parser"], "parse_expr", forbidden)
    for text, variables, expected in ACCEPT:
        assert same(parse(text, variables)[0], expected)
    for text, _ in REJECT:
        with pytest.raises(ParseError):
            parse(text)


@pytest.mark.parametrize(("text", "phrase"), [
    ("x" * 10_001, "too long"),
    ("(" * 10_000 + "x" + ")" * 10_000, "too long"),
    ("(" * 4000 + "x" + ")" * 4000, "nested too deeply"),
    ("-" * 9000 + "x", "signs in a row"),
    ("x" + "^x" * 3000, "nested too deeply"),
    ("+".join(["x"] * 4000), "too long to read"),
    ("|" * 9000, "nested too deeply"),
    ("x**10**10**10", "exponent 10**10**10 is too large (limit 1000)"),
    ("x^(10^2000)", "exponent 10^2000 is too large"),
    ("2^4000 x", "too large"),
    ("9" * 1001 + "x", "too many digits"),
    ("1e-5000 x", "too many digits"),
    ("1e99999999999 x", "too many digits"),
    ("*".join(["7^999"] * 1000) + "x", "too large"),
    ("(x*7^999)^1000", "too large"),
    ("+".join(f"1/(7^999+{i})" for i in range(200)) + "+x", "too large"),
    ("sqrt(9^999+1) x", "more than 100 digits"),
    ("coth(exp(csc(1e-9))) x", "too large"),
])
def test_size_limits_fail_quickly_with_a_clear_error(text, phrase):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert phrase in str(info.value)


@pytest.mark.parametrize("text", ["1e999", "1.0e999", "10.00e997", "0.5e1000", "1e-999",
                                  "1.5e-998"])
def test_the_digit_limit_counts_the_digits_of_the_value_not_of_the_spelling(text):
    # all are numbers of at most 1000 digits (1.0e999 = 10^999, the same as 1e999), and the
    # same number written another way must be read the same
    mantissa, exponent = text.split("e")
    expected = sp.Rational(mantissa) * sp.Rational(10) ** int(exponent)
    assert parse(text + " x")[0] == expected * x
    assert len(str(abs(sp.numer(expected)))) <= 1000 and len(str(sp.denom(expected))) <= 1000


def test_long_flat_sums_are_built_without_deep_recursion():
    expr, _ = parse("+".join(["x"] * 1500))
    assert expr == 1500 * x
    assert parse("*".join(["x"] * 1000))[0] == x**1000


def test_variables_are_inferred_in_natural_order_or_kept_as_given():
    assert parse("x10 + x2 + x1")[1] == (x1, x2, x10)
    names = [s.name for s in parse("z + y + x + b + a")[1]]
    assert names == ["a", "b", "x", "y", "z"]
    assert parse("x + y", "y, x")[1] == (y, x)
    assert parse("x", "x, y") == (x, (x, y))  # a variable need not appear
    assert sort_variables([x10, x2, x1]) == (x1, x2, x10)
    assert sort_variables(["b", "a"]) == (symbol("a"), symbol("b"))


def test_symbols_are_canonical_real_symbols():
    assert symbol("x") == sp.Symbol("x", real=True)
    assert symbol("x").is_real
    assert all(s.is_real for s in parse("x y + z")[0].free_symbols)


@pytest.mark.parametrize(("variables", "names"), [
    ("x,y,z", ["x", "y", "z"]), ("x y z", ["x", "y", "z"]), (" x, y  z ", ["x", "y", "z"]),
    (["x", sp.Symbol("y")], ["x", "y"]), ("e", ["e"]), ("lambda", ["lambda"]),
    (("x1", "x2"), ["x1", "x2"]),
])
def test_parse_variables_accepts_common_spellings(variables, names):
    symbols = parse_variables(variables)
    assert [s.name for s in symbols] == names
    assert all(s.is_real for s in symbols)


@pytest.mark.parametrize(("variables", "phrase"), [
    ("x, x", "twice"), ("", "no variables"), ([], "no variables"), (None, "no variables"),
    ("x,,y", "empty"), ("sin", "function"), ("pi", "constant"), ("E", "constant"),
    ("2x", "not a valid name"), ("_x", "reserved"), ("for", "keyword"), ([3], "not 3"),
])
def test_parse_variables_refuses_bad_names(variables, phrase):
    with pytest.raises(VariableError, match=phrase):
        parse_variables(variables)


def test_decimals_become_exact_rationals():
    assert parse_number("0.1") == R(1, 10)
    assert parse_number("1e-3") == R(1, 1000)
    assert parse_number("-0.954") == R(-954, 1000)
    assert parse_number("2.50") == R(5, 2)
    assert parse_number("1.5e2") == 150
    expr, _ = parse("0.3x^2 + 1.25e-1 y - 2.0")
    assert not expr.atoms(sp.Float)
    assert expr == R(3, 10) * x**2 + R(1, 8) * y - 2


def test_e_is_euler_unless_declared():
    assert parse("e^x")[0] == sp.exp(x)
    assert parse("e", allow_constant=True)[0] == sp.E
    e = sp.Symbol("e", real=True)
    assert parse("e^x", "e, x")[0] == sp.Pow(e, x)
    assert parse("e x", "x", parameters=["e"])[0] == e * x
    assert parse("e x", "x")[0] == sp.E * x


def test_unknown_and_constant_inputs_raise_variable_errors():
    with pytest.raises(VariableError, match="is a constant; it has no variables"):
        parse("3 + 4")
    assert parse("3 + 4", allow_constant=True) == (7, ())
    with pytest.raises(ParseError, match="unknown name 'w'; variables are x, y"):
        parse("x + w", "x, y")
    with pytest.raises(ParseError, match="unknown name 'xz'"):
        parse("xz", "x, y")
    with pytest.raises(VariableError, match="both a variable and a parameter"):
        parse("x", "x", parameters=["x"])


def test_parameters_are_symbols_but_not_variables():
    expr, variables = parse("a t + b", "a, b", parameters=["t"])
    a, b = symbol("a"), symbol("b")
    assert expr == a * t + b and variables == (a, b)
    assert parse("x t", parameters=["t"])[1] == (x,)


def test_parse_number_reads_numeric_answers():
    assert parse_number("6^(1/5)/3") == sp.Pow(6, R(1, 5)) / 3
    assert parse_number("pi/2") == sp.pi / 2
    assert math.isclose(float(parse_number("sqrt(2)/2")), math.sqrt(2) / 2)
    for text, phrase in [("x", "a number is expected"), ("log(-2)", "not a real number"),
                         ("1/0", "division by zero")]:
        with pytest.raises(ParseError, match=phrase):
            parse_number(text)


def test_parse_point_reads_coordinates_and_families():
    assert parse_point("(1, 2)") == (1, 2)
    assert parse_point("1,2") == (1, 2)
    assert parse_point("[0, t, 0]", "x y z", parameters=["t"]) == (0, t, 0)
    assert parse_point(" [1/2, pi] ") == (R(1, 2), sp.pi)
    assert parse_point("3") == (3,)
    for text, variables, phrase in [("(1, 2)", "x y z", "2 coordinates but there are 3"),
                                    ("(x, 1)", None, "unknown name 'x'"), ("()", None, "empty"),
                                    ("[1, [2]]", None, "square brackets")]:
        with pytest.raises(ParseError, match=phrase):
            parse_point(text, variables)


def test_as_expression_rewrites_sympy_symbols_to_real_ones():
    plain, positive = sp.Symbol("x"), sp.Symbol("x", positive=True)
    expr, variables = as_expression(plain**2 + positive)
    assert expr == x**2 + x and variables == (x,)
    assert as_expression(plain * sp.Symbol("y"), "x y z") == (x * y, (x, y, z))
    assert as_expression("x^2") == (x**2, (x,))
    assert as_expression(3, "x") == (3, (x,))
    assert as_expression(0.1, allow_constant=True) == (R(1, 10), ())


@pytest.mark.parametrize(("value", "error", "phrase"), [
    (sp.Symbol("x") + sp.Symbol("w"), VariableError, "unknown name 'w'"),
    (sp.Eq(sp.Symbol("x"), 1), ParseError, "equation"),
    (sp.I * sp.Symbol("x"), ParseError, "not a finite real"),
    (3, VariableError, "constant"), (True, ParseError, "bool"), ([1], ParseError, "list"),
    (float("nan"), ParseError, "not a finite number"),
])
def test_as_expression_refuses_unusable_values(value, error, phrase):
    with pytest.raises(error, match=phrase):
        as_expression(value, "x" if error is VariableError and phrase != "constant" else None)


# -- property: printed expression trees parse back to the same expression ----------------
def _has_variable(tree) -> bool:
    if isinstance(tree, tuple):
        return any(_has_variable(part) for part in tree[1:])
    return isinstance(tree, str)


_UNARY = {"sin": sp.sin, "cos": sp.cos, "exp": sp.exp, "atan": sp.atan, "tanh": sp.tanh}
_leaves = st.sampled_from(["x", "y", "z"]) | st.integers(0, 9)  # negatives come from "neg"
_trees = st.recursive(_leaves, lambda inner: st.one_of(
    st.tuples(st.sampled_from(["+", "-", "*"]), inner, inner),
    st.tuples(st.just("/"), inner, st.integers(1, 9)),
    st.tuples(st.just("^"), inner, st.integers(0, 4)),
    st.tuples(st.just("neg"), inner),
    # A function of a variable: exp(exp(9^4)) would rightly be refused as too large.
    st.tuples(st.sampled_from(sorted(_UNARY)), inner).filter(lambda t: _has_variable(t[1])),
), max_leaves=8)


def _expected(tree) -> sp.Expr:
    if isinstance(tree, int):
        return sp.Integer(tree)
    if isinstance(tree, str):
        return sp.Symbol(tree, real=True)
    op, *args = tree
    values = [_expected(a) for a in args]
    if op in _UNARY:
        return _UNARY[op](values[0])
    builders = {"+": lambda a, b: sp.Add(a, b), "-": lambda a, b: sp.Add(a, -b),
                "*": lambda a, b: sp.Mul(a, b), "/": lambda a, b: sp.Mul(a, sp.Pow(b, -1)),
                "^": lambda a, b: sp.Pow(a, b), "neg": lambda a: -a}
    return builders[op](*values)


def _text(tree, power: str, implicit: bool) -> str:
    if not isinstance(tree, tuple):
        return str(tree)
    op, *args = tree
    parts = [f"({_text(a, power, implicit)})" for a in args]
    if op in _UNARY:
        return f"{op}{parts[0]}"
    if op == "neg":
        return f"-{parts[0]}"
    if op == "*" and implicit:
        return f"{parts[0]} {parts[1]}" if isinstance(args[1], int) else "".join(parts)
    return f"{parts[0]} {power if op == '^' else op} {parts[1]}"


@settings(max_examples=80, deadline=None)
@given(_trees)
def test_printed_trees_parse_back_to_the_same_expression(tree):
    expected = _expected(tree)
    for text in (_text(tree, "**", False), _text(tree, "^", True), str(expected)):
        parsed, _ = parse(text, "x y z")
        assert same(parsed, expected), (text, parsed, expected)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="xyz019.+-*/^()|, eEπ²_'[]=!sincolgqrtbam", max_size=30))
def test_any_text_either_parses_or_raises_a_symgd_error(text):
    try:
        parse(text)
    except SymgdError:
        pass


def test_letters_before_a_parenthesis_split_when_each_letter_is_a_variable():
    # Students write xy(1 - x - y) for x*y*(1 - x - y); "foo(x)" stays an unknown function.
    x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
    expr, symbols = parse("xy(1 - x - y)")
    assert symbols == (x, y) and sp.expand(expr - x * y * (1 - x - y)) == 0
    with pytest.raises(ParseError, match="unknown function 'foo'"):
        parse("foo(x)")


@pytest.mark.parametrize("text", ["gamma(x)", "x + beta(2, x)", "zeta(s)"])
def test_greek_letters_called_like_special_functions_are_refused(text):
    # gamma(x) almost surely means the Gamma function; reading it as the product gamma*x
    # would silently give a different function, so the message says how to write a product.
    with pytest.raises(ParseError, match="write .*\\*\\(\\.\\.\\.\\) for a product"):
        parse(text)


def test_a_declared_greek_variable_times_a_bracket_is_still_a_product():
    expr, variables = parse("gamma(x + 1)", ["gamma", "x"])
    gamma, x = variables
    assert sp.expand(expr - gamma * (x + 1)) == 0
