"""Gradient descent by hand (``Result.explain()``): the arithmetic is the run's own, the
pattern is the closed form derived by hand, and the 2/L words match what the run did."""

from __future__ import annotations

import numpy as np
import pytest

import symgd
from symgd.descent.result import Result


def test_the_issue_example_by_hand():
    r = symgd.minimize("x^2", x0=[5], lr=0.1, max_iter=3)
    w = r.explain()
    assert w.verified
    first = [ln.text for ln in w.step("2").lines]
    # by hand: f′(x) = 2x; 5 − 0.1·10 = 4, 4 − 0.1·8 = 3.2, 3.2 − 0.1·6.4 = 2.56
    assert first == ["x₁ = x₀ − 0.1·f′(x₀) = 5 − 0.1·10 = 4",
                     "x₂ = x₁ − 0.1·f′(x₁) = 4 − 0.1·8 = 3.2",
                     "x₃ = x₂ − 0.1·f′(x₂) = 3.2 − 0.1·6.4 = 2.56"]
    assert w.step("3").result.text == "so xₖ = 5·0.8^k"
    assert "0 < lr < 1/L" in w.step("4").text and "converges" in w.step("4").text


def test_the_pattern_is_the_closed_form_of_every_iterate():
    r = symgd.minimize("x^2", x0=[5], lr=0.1, max_iter=40, tol=0)
    assert "5·0.8^k" in r.explain().step("3").text
    k = np.arange(41)
    assert np.allclose(r.history.x[:, 0], 5 * 0.8**k, rtol=1e-12)  # the hand formula


@pytest.mark.parametrize("lr, words, status", [
    (0.1, "approach the minimizer from one side", {"converged", "max_iter"}),
    (0.75, "jump from side to side", {"converged", "max_iter"}),   # 1/L = 0.5 < lr < 2/L = 1
    (1.0, "jump between two points forever", {"max_iter"}),        # lr = 2/L
    (1.2, "diverges", {"diverged"}),                               # lr > 2/L
])
def test_the_two_over_l_words_match_the_run(lr, words, status):
    r = symgd.minimize("x^2", x0=[5], lr=lr, max_iter=200)
    w = r.explain()
    assert words in w.step("4").text and r.status in status
    assert "2/L = 1 and 1/L = 0.5" in w.step("4").text


def test_ascent_and_two_variables():
    w = symgd.maximize("-(x - 1)^2 + 3", 0.0, lr=0.25).explain()
    assert "xₖ₊₁ = xₖ + 0.25·f′(xₖ)" in w.step("1").text
    assert w.step("3").result.text == "so xₖ = 1 − 0.5^k"  # by hand: x − 1 halves each step
    w2 = symgd.minimize("x^2 + 3y^2", x0=[1, 1], lr=0.3, max_iter=5).explain()
    assert "p₁ = p₀ − 0.3·∇f(p₀) = (1, 1) − 0.3·(2, 6) = (0.4, −0.8)" in w2.step("2").text
    assert "xₖ = 0.4^k, yₖ = (−0.8)^k" in w2.step("3").text


def test_other_methods_and_line_searches_are_not_redone_by_hand():
    adam = symgd.minimize("x^2 + y^2", x0=[1, 1], method="adam", lr=0.1).explain()
    assert adam.step("2").by == "the run's history"
    armijo = symgd.minimize("x^2 + y^2", x0=[1, 1]).explain()
    assert "chosen by backtracking" in armijo.step("2").text
    curved = symgd.minimize("x^4 + y^2", x0=[1, 1], lr=0.05, max_iter=10).explain()
    assert "at p₀ (the curvature changes along the path)" in curved.step("3").text


def test_many_starts_and_results_built_by_hand():
    r = symgd.minimize("x^2", x0=[[5], [3]], lr=0.1, max_iter=3)
    assert "3·0.8^k" in r.explain(1).step("3").text
    with pytest.raises(symgd.OptionError, match="start must be in 0..1"):
        r.explain(2)
    bare = Result(np.array([0.0]), 0.0, np.array([0.0]), 3, True, "converged", "ok", None,
                  None, "gd(lr=0.1)")
    with pytest.raises(symgd.OptionError, match="built by hand"):
        bare.explain()
