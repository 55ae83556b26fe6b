"""The playground subject to constraints, in a real headless Chromium: the lecture's presets
draw their curve or region, list the exact candidates and the absolute extrema, and step the
iterative method live beside them; rows are edited, refused and removed; a link restores them.

Expected values are published or by hand: Stewart §14.8 example 2 (x² + 2y² on the unit
circle: minimum 1 at (±1, 0), maximum 2 at (0, ±1)), §14.7 example 7 (x² − 2xy + 2y on
[0, 3] × [0, 2]: maximum 9 at (3, 0), minimum 0 at (0, 0) and (2, 2)); x² + 2y² = 4 + y² on
the circle of radius 2 (minimum 4 at (±2, 0), maximum 8 at (0, ±2)); x + y inside the unit
disk above y = x² − 1 (maximum √2 at (√2/2, √2/2), minimum −5/4 at (−1/2, −3/4)).
What is drawn is read back from the canvas's pixels at places chosen from those formulas.
"""

from __future__ import annotations

import math
from urllib.parse import quote

import numpy as np
import pytest
from test_playground_e2e import _chromium, _click, _js, _open, _shot, _text, _viewport, _wait

NAVY = (29, 63, 143)  # region.js's colour of an equation's curve


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from test_playground_e2e import _require_browser

    _require_browser()
    driver = _chromium(tmp_path_factory.mktemp("chromium-profile"))
    _viewport(driver, 1280, 800)
    yield driver
    driver.quit()


@pytest.fixture()
def page(server, browser):
    _viewport(browser, 1280, 800)
    _open(browser, server)
    return browser


def _preset(driver, words: str) -> None:
    """Choose the preset whose name holds ``words`` and wait for its analysis and map."""
    names = _js(driver, "SymgdLessons.PRESETS.map((p) => p.name)")
    (index,) = [k for k, name in enumerate(names) if words in name]
    driver.execute_script("const s = document.getElementById('preset');"
                          f"s.value = '{index}'; s.dispatchEvent(new Event('change'))")
    _settled(driver)


def _settled(driver) -> None:
    _wait(driver, lambda d: "ready" in _text(d, "status") and _js(
        d, "Boolean(SymgdApp.S.analysis) && !SymgdApp.S.analyzing && SymgdApp.gridCovers()"))


def _run_to_the_end(driver) -> str:
    _click(driver, "run")
    _wait(driver, lambda d: _js(d, "SymgdApp.S.runs.every((r) => r.status !== 'running')"),
          timeout=90)
    return _text(driver, "status")


def _pixels(driver, x: float, y: float, radius: int = 2) -> np.ndarray:
    """The map's RGB pixels around the data point (x, y), (2r+1)² of them."""
    data = _js(driver, f"""(() => {{
        const c = document.getElementById('plot'), fr = SymgdApp.S.frame, k = c.dpr || 1;
        const X = Math.round(fr.px({x}) * k), Y = Math.round(fr.py({y}) * k), r = {radius};
        return Array.from(c.getContext('2d').getImageData(X - r, Y - r, 2 * r + 1, 2 * r + 1).data);
    }})()""")
    return np.array(data, dtype=float).reshape(-1, 4)[:, :3]


def _navy_near(driver, x: float, y: float) -> bool:
    """Some pixel near (x, y) is the curve's navy (within 40 per channel)."""
    return bool((np.abs(_pixels(driver, x, y) - NAVY).max(axis=1) < 40).any())


def _candidates(driver) -> list[str]:
    return _js(driver, "[...document.querySelectorAll('#points li')].map((li) => li.innerText)")


# -- the presets ------------------------------------------------------------------------------
def test_the_circle_preset_draws_the_curve_lists_stewarts_answer_and_converges(page, tmp_path):
    _preset(page, "on the circle (Lagrange)")
    lines = _candidates(page)
    assert lines[0] == "absolute maximum 2 at (0, -1), (0, 1)"
    assert lines[1] == "absolute minimum 1 at (-1, 0), (1, 0)"
    assert sum("local" in line for line in lines) == 4
    assert "on (1), λ1 = 2, f = 2" in " ".join(lines)  # ∇f = 2∇g at (0, ±1), by hand
    # the unit circle is drawn (at 100° and 250°, away from the markers), not radius 0.9
    for degrees in (100, 250):
        t = math.radians(degrees)
        assert _navy_near(page, math.cos(t), math.sin(t))
        assert not _navy_near(page, 0.9 * math.cos(t), 0.9 * math.sin(t))
    assert "navy: the constraint curve" in _text(page, "region-legend")
    assert "augmented Lagrangian" in _text(page, "method-note")
    status = _run_to_the_end(page)
    x, y = _js(page, "SymgdApp.S.runs[0].x")
    assert "converged" in status and abs(x * x + y * y - 1) < 1e-6 and abs(abs(x) - 1) < 1e-5
    assert "the absolute minimum, f = 1" in status
    assert "λ1 = 1" in _text(page, "readouts")
    _shot(page, "constrained-circle", tmp_path)
    # the surface shows f only, and the legend says so instead of naming what is not drawn
    _click(page, "view-3d")
    assert "drawn on the map" in _text(page, "region-legend")
    _click(page, "view-3d")
    assert "navy: the constraint curve" in _text(page, "region-legend")


def test_the_rectangle_preset_lists_the_corners_and_clips_every_step(page, tmp_path):
    _preset(page, "Stewart 14.7 example 7")
    lines = _candidates(page)
    assert lines[0] == "absolute maximum 9 at (3, 0)"
    assert lines[1] == "absolute minimum 0 at (2, 2), (0, 0)"
    assert sum("corner of" in line for line in lines) == 4
    assert any(line.startswith("saddle point at (1, 1)") for line in lines)
    assert "onto the rectangle [0, 3] × [0, 2]" in _text(page, "method-note")
    # the method is plain gd: the others are disabled, with the reason
    assert _js(page, "[...document.getElementById('method').options]"
                     ".filter((o) => !o.disabled).map((o) => o.value)") == ["gd"]
    status = _run_to_the_end(page)
    trail = np.array(_js(page, "SymgdApp.S.runs[0].trail.map((p) => p.x)"))
    assert ((trail >= [0, 0]) & (trail <= [3, 2])).all()  # never outside
    assert np.allclose(trail[-1], [2, 2], atol=1e-5) and "the absolute minimum, f = 0" in status
    _shot(page, "constrained-rectangle", tmp_path)


def test_the_kkt_preset_washes_what_is_not_feasible_and_ascent_reaches_root_2(page, tmp_path):
    _preset(page, "(KKT)")
    lines = _candidates(page)
    assert lines[0] == "absolute maximum √2 at (√2/2, √2/2)"
    assert lines[1] == "absolute minimum -5/4 at (-1/2, -3/4)"
    assert any("singular point of (1), (2)" in line for line in lines)  # (0, -1): they touch
    # Same f = x + y = 0 at both places, so the same colour on the heat map; outside the
    # feasible set it is washed out (lighter), inside it is not.
    outside = _pixels(page, -1.1, 1.1, radius=4).mean()
    inside = _pixels(page, -0.25, 0.25, radius=4).mean()
    assert outside > inside + 40
    assert "hatched: not feasible" in _text(page, "region-legend")
    _click(page, "ascent")
    _settled(page)
    status = _run_to_the_end(page)
    x, y = _js(page, "SymgdApp.S.runs[0].x")
    assert "converged" in status and np.allclose([x, y], [math.sqrt(0.5)] * 2, atol=1e-5)
    assert "the absolute maximum, f = √2" in status
    multipliers = _js(page, "SymgdApp.S.runs[0].multipliers")
    assert multipliers["λ1"] == pytest.approx(-math.sqrt(0.5), abs=1e-5)  # ∇f = λ1 ∇(1 − x² − y²)
    assert multipliers["λ2"] == 0  # the parabola is not active at the maximum
    _shot(page, "constrained-kkt", tmp_path)


def test_the_interval_preset_is_the_closed_interval_method(page, tmp_path):
    # by hand: f' = 3x² − 3 = 0 at ±1; f(−2) = −2, f(−1) = 2, f(1) = −2, f(3) = 18
    _preset(page, "[\u22122, 3]")
    lines = _candidates(page)
    assert lines[0] == "absolute maximum 18 at x = 3"
    assert lines[1] in ("absolute minimum -2 at x = 1 and x = -2",
                        "absolute minimum -2 at x = -2 and x = 1")
    assert sum(line.startswith("local") for line in lines) == 4
    assert "hatched: not feasible" in _text(page, "region-legend")
    status = _run_to_the_end(page)  # from -1.2 it runs into the end -2 and stops there
    assert _js(page, "SymgdApp.S.runs[0].x") == [-2]
    assert "end point" in status and "the absolute minimum, f = -2" in status
    _shot(page, "constrained-interval", tmp_path)


# -- editing the rows ----------------------------------------------------------------------------
def test_editing_a_constraint_redraws_it_and_removing_it_brings_back_critical_points(page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _preset(page, "on the circle (Lagrange)")
    row = page.find_element(By.CSS_SELECTOR, "#constraints input.constraint")
    row.clear()
    row.send_keys("x^2 + y^2 = 4", Keys.ENTER)
    _wait(page, lambda d: _js(d, "SymgdApp.S.analysis && SymgdApp.S.analysis.rows[0]")
          == "x^2 + y^2 = 4")
    _settled(page)
    lines = _candidates(page)
    assert lines[0] == "absolute maximum 8 at (0, -2), (0, 2)"
    assert lines[1] == "absolute minimum 4 at (-2, 0), (2, 0)"
    drawn = np.concatenate([np.array(line) for c in _js(page, "SymgdApp.S.sketch.curves")
                            for line in c["lines"]])
    assert np.abs(np.hypot(drawn[:, 0], drawn[:, 1]) - 2).max() < 0.02  # not the old circle
    t = math.radians(100)
    assert _navy_near(page, 2 * math.cos(t), 2 * math.sin(t))
    assert not _navy_near(page, math.cos(t), math.sin(t))
    page.find_element(By.CSS_SELECTOR, "#constraints button.remove").click()
    _wait(page, lambda d: _js(d, "SymgdApp.S.analysis && !SymgdApp.S.analysis.constraints"))
    assert _text(page, "points-title") == "critical points (exact)"
    assert _candidates(page) == ["local minimum at (0, 0)"]
    assert _js(page, "SymgdApp.S.sketch") is None and _text(page, "region-legend") == ""
    assert _text(page, "method-note") == ""


def test_a_bad_constraint_is_shown_under_its_row_until_it_is_fixed(page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _preset(page, "on the circle (Lagrange)")
    _click(page, "add-constraint")
    rows = page.find_elements(By.CSS_SELECTOR, "#constraints input.constraint")
    rows[1].send_keys("x^2 + y^2", Keys.ENTER)
    _wait(page, lambda d: "fix the constraint" in _text(d, "status"))
    errors = page.find_elements(By.CSS_SELECTOR, "#constraints .constraint-error")
    assert errors[0].text == "" and "is not a relation" in errors[1].text
    assert "invalid" in rows[1].get_attribute("class")
    assert _text(page, "expr-error") == ""  # the function itself is fine
    rows[1].send_keys(" >= 1/4", Keys.ENTER)  # x² + y² = 1 and x² + y² ≥ 1/4: the circle
    _wait(page, lambda d: _js(d, "SymgdApp.S.analysis && SymgdApp.S.analysis.rows.length") == 2)
    assert errors[1].text == "" and "invalid" not in rows[1].get_attribute("class")
    assert _candidates(page)[1] == "absolute minimum 1 at (-1, 0), (1, 0)"


def test_a_link_with_constraints_restores_them_and_copy_link_keeps_them(server, browser):
    from selenium.webdriver.common.by import By

    _viewport(browser, 1280, 800)
    _open(browser, server, "?mode=function&f=" + quote("x + y") + "&subject_to="
          + quote("x^2 + y^2 <= 1") + "&subject_to=" + quote("y >= x^2 - 1") + "&x0=0.2,0.3")
    _settled(browser)
    rows = [e.get_attribute("value")
            for e in browser.find_elements(By.CSS_SELECTOR, "#constraints input.constraint")]
    assert rows == ["x^2 + y^2 <= 1", "y >= x^2 - 1"]
    assert _candidates(browser)[1] == "absolute minimum -5/4 at (-1/2, -3/4)"
    _click(browser, "copy-link")
    link = browser.find_element(By.ID, "share-link").get_attribute("value")
    assert link.count("subject_to=") == 2
    _open(browser, server)
    browser.get(link)
    _settled(browser)
    assert _js(browser, "SymgdApp.S.analysis.rows") == ["x^2 + y^2 <= 1", "y >= x^2 - 1"]


# -- the phone -----------------------------------------------------------------------------------
def test_the_kkt_preset_fits_a_phone(server, browser, tmp_path):
    _viewport(browser, 390, 844, dpr=1)
    try:
        _open(browser, server)
        _preset(browser, "(KKT)")
        assert _js(browser, "document.documentElement.scrollWidth") <= 390
        # the candidates list is read whole, not in a scroll box of its own
        assert _js(browser, "(() => { const e = document.getElementById('points');"
                            " return e.scrollHeight <= e.clientHeight + 1; })()")
        assert len(_candidates(browser)) == 7  # two extrema, five candidates
        rows = _js(browser, "[...document.querySelectorAll('#constraints input.constraint')]"
                            ".map((e) => e.getBoundingClientRect().right)")
        assert max(rows) <= 390
        status = _run_to_the_end(browser)
        assert "the absolute minimum, f = -5/4" in status
        _shot(browser, "constrained-phone", tmp_path)
    finally:
        _viewport(browser, 1280, 800)


# -- a busy exact side -----------------------------------------------------------------------------
def test_a_busy_exact_side_is_asked_again_and_then_named_not_blamed_on_the_input(page, monkeypatch):
    from symgd.playground import api
    from symgd.playground.exact import Busy

    real, calls = api.exact_constrained, []

    def busy_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise Busy("the exact side is busy with other functions; try again in a moment")
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "exact_constrained", busy_once)
    _preset(page, "on the circle (Lagrange)")  # answered after the server's Retry-After
    assert len(calls) == 2 and _candidates(page)[1] == "absolute minimum 1 at (-1, 0), (1, 0)"

    def always_busy(*args, **kwargs):
        calls.append(args)
        raise Busy("the exact side is busy with other functions; try again in a moment")

    monkeypatch.setattr(api, "exact_constrained", always_busy)
    calls.clear()
    names = _js(page, "SymgdLessons.PRESETS.map((p) => p.name)")
    (index,) = [k for k, name in enumerate(names) if "(KKT)" in name]
    page.execute_script("const s = document.getElementById('preset');"
                        f"s.value = '{index}'; s.dispatchEvent(new Event('change'))")
    _wait(page, lambda d: "press Reset to ask again" in _text(d, "status"))
    assert len(calls) == 4  # asked four times in all
    assert _text(page, "expr-error") == "" and "fix" not in _text(page, "status")
    monkeypatch.setattr(api, "exact_constrained", real)
    _click(page, "reset")
    _settled(page)
    assert _candidates(page)[1] == "absolute minimum -5/4 at (-1/2, -3/4)"
