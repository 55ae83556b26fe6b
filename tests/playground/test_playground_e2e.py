"""The playground in a real headless Chromium (Selenium): type, press Step and Run, drag, open
links, and read what the page shows. Chromium and chromedriver are required; they are not
skipped. Expected numbers are hand derivations: gd on x² multiplies x by 1 - 2 lr; Newton's
step on a quadratic lands on its minimum; a 2-cycle at lr = 2/L sends x to -x.

Nothing here is timed except where the issue sets a limit a learner would notice ("the
oscillation is named within 10 s"); speed is measured in benchmarks, not asserted.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
INSTALL = ("install them with: apt-get update && apt-get install -y chromium chromium-driver "
           "&& pip install selenium")
WAIT = 30  # seconds: generous for a shared 2-core machine
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.exists(p) or shutil.which(p))]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: the playground's browser tests need them; "
                    + INSTALL, pytrace=False)
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail("selenium is not installed; " + INSTALL, pytrace=False)


def _chromium(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,900"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    # The driver path is explicit, so selenium-manager never tries to download anything.
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def _viewport(driver, width: int, height: int, dpr: float = 1.0) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": dpr, "mobile": width < 600})


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _require_browser()
    driver = _chromium(tmp_path_factory.mktemp("chromium-profile"))
    _viewport(driver, 1280, 800)
    yield driver
    driver.quit()


def _open(driver, server, query: str = "") -> None:
    driver.get(server.url + query)
    _wait(driver, lambda d: "ready" in _text(d, "status") or "place at least" in _text(d, "status"))
    driver.execute_script("document.getElementById('speed').value = 200")  # fastest


@pytest.fixture()
def page(server, browser):
    _viewport(browser, 1280, 800)
    _open(browser, server)
    return browser


def _text(driver, element_id: str) -> str:
    """What the element shows (read in one go: the readouts are rebuilt as the run goes)."""
    return driver.execute_script(
        "const e = document.getElementById(arguments[0]); return e ? e.innerText : ''",
        element_id)


def _js(driver, script: str):
    return driver.execute_script("return " + script)


def _wait(driver, condition, timeout: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition)


def _set(driver, element_id: str, value: str, *, commit: bool = True) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.ID, element_id)
    box.clear()
    box.send_keys(value)
    if commit:
        box.send_keys(Keys.ENTER if element_id == "expr" else Keys.TAB)


def _click(driver, element_id: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, element_id).click()


def _shot(driver, name: str, tmp_path: Path) -> Path:
    # The map or curve for a view that just changed arrives a moment later: wait for it.
    _wait(driver, lambda d: _js(d, "SymgdApp.S.mode !== 'function' || !SymgdApp.S.analysis"
                                   " || SymgdApp.gridCovers()"))
    path = tmp_path / f"{name}.png"
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000
    if os.environ.get("SYMGD_SCREENSHOTS") == "1" and name == "himmelblau":  # the README's
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SHOTS / "playground.png")
    if os.environ.get("SYMGD_SHOTS_DIR"):  # every shot, to look at
        shutil.copyfile(path, Path(os.environ["SYMGD_SHOTS_DIR"]) / path.name)
    return path


def _load(driver, expr: str, x0: str, lr: str) -> None:
    _set(driver, "lr", lr)
    _set(driver, "x0", x0)
    _set(driver, "expr", expr)
    _wait(driver, lambda d: "ready" in _text(d, "status") and _text(d, "iteration") == "0"
          and _js(d, "SymgdApp.S.analysis && SymgdApp.S.analysis.text") == expr)


def _trail_x(driver, run: int = 0) -> list:
    return _js(driver, f"SymgdApp.S.runs[{run}].trail.map((p) => p.x)")


# -- the lecture's lessons ----------------------------------------------------------------
def test_step_then_run_converges_for_x_squared(page, tmp_path):
    _load(page, "x^2", "5", "0.1")
    _click(page, "step")
    _wait(page, lambda d: _text(d, "iteration") == "1")
    assert float(_text(page, "readout-x")) == pytest.approx(4.0)  # 5 - 0.1 * 2 * 5
    _click(page, "step")
    _wait(page, lambda d: _text(d, "iteration") == "2")
    assert float(_text(page, "readout-x")) == pytest.approx(3.2)
    _click(page, "run")
    _wait(page, lambda d: "converged" in _text(d, "status"))
    assert int(_text(page, "iteration")) == 73  # 10 * 0.8^k <= 1e-6 first at k = 73, by hand
    assert "local minimum" in _text(page, "status")
    _shot(page, "converged", tmp_path)


def test_the_oscillation_at_lr_equal_2_over_L_is_named_within_10_seconds(page, tmp_path):
    _load(page, "x^2", "5", "1")
    assert "equals it" in _text(page, "lr-bound")  # the note warns at lr = 2/L, not only above
    _click(page, "run")
    _wait(page, lambda d: "2-cycle" in _text(d, "status"), timeout=10)
    status = _text(page, "status")
    assert "x = 5 and x = -5" in status and "use lr < 1" in status
    assert [x[0] for x in _trail_x(page)] == [5.0, -5.0, 5.0]  # x <- (1 - 2 lr) x = -x
    assert _text(page, "run") == "Run"  # the loop has ended
    _shot(page, "cycle", tmp_path)


def test_lecture_divergence_is_explained_and_the_view_keeps_the_bounces(page, tmp_path):
    _load(page, "x**2", "5", "2")
    assert "2/L = 1" in _text(page, "lr-bound")
    _click(page, "run")
    _wait(page, lambda d: "diverged" in _text(d, "status"))
    assert "lr=2 exceeds the stability bound 2/L = 1" in _text(page, "status")
    assert int(_text(page, "iteration")) == 13
    xs = [x[0] for x in _trail_x(page)]
    assert xs[:4] == [5.0, -15.0, 45.0, -135.0]  # x <- -3 x
    lo, hi = _js(page, "SymgdApp.S.view.x")
    home_lo, home_hi = _js(page, "SymgdApp.S.home.x")
    assert hi - lo <= 30 * (home_hi - home_lo)  # not stretched to +-1e7
    assert lo <= -135.0 <= 45.0 <= hi  # ... but the first bounces are in view
    assert "left the view" in _text(page, "view-note")
    _shot(page, "diverged", tmp_path)
    _click(page, "fit-view")  # now every iterate is in view
    lo, hi = _js(page, "SymgdApp.S.view.x")
    assert lo <= min(xs) and hi >= max(xs)


def test_log_leaves_no_null_and_stops_at_the_edge_of_its_domain(page):
    _load(page, "log(x)", "5", "0.1")
    _click(page, "run")
    _wait(page, lambda d: "edge of f's domain" in _text(d, "status"))
    status, table = _text(page, "status"), _text(page, "readouts")
    assert "null" not in status + table and "smaller lr" not in status
    xs = [x[0] for x in _trail_x(page)]
    assert all(x is not None and x > 0 for x in xs)  # never outside log's domain
    assert all(b < a for a, b in zip(xs, xs[1:]))  # no cycling in and out: always toward 0
    _load(page, "sqrt(x)", "5", "0.1")
    _click(page, "run")
    _wait(page, lambda d: _text(d, "run") == "Run" and _text(d, "iteration") != "0")
    status = _text(page, "status")
    assert "edge of f's domain" in status and "smaller lr" not in status


def test_the_path_runs_perpendicular_to_the_contours_on_equal_axes(page, tmp_path):
    _load(page, "x**2 + 10*y**2", "4, 1.5", "0.09")
    fr = _js(page, "(() => { const f = SymgdApp.S.frame;"
                   " return [f.view.x, f.view.y, f.pw, f.ph]; })()")
    (x0, x1), (y0, y1), pw, ph = fr
    assert (x1 - x0) / pw == pytest.approx((y1 - y0) / ph, rel=1e-9)  # one unit, one length
    _click(page, "step")
    _wait(page, lambda d: _text(d, "iteration") == "1")
    (a, b), (c, d) = _trail_x(page)[:2]
    # The step is -lr grad f = -0.09 (2x, 20y): along the normal of the level set at (4, 1.5).
    assert (c - a, d - b) == pytest.approx((-0.09 * 8, -0.09 * 30))
    parts = _js(page, "SymgdApp.S.runs[0].trail[1].parts")
    assert parts["gradient"] == pytest.approx([-0.72, -2.7])


# -- function typing, buttons and the run loop --------------------------------------------
def test_run_pressed_straight_after_typing_runs_the_new_function(page):
    _load(page, "x^2", "5", "0.1")
    _set(page, "x0", "3")
    _set(page, "expr", "(x - 2)**2", commit=False)  # no Enter: the analysis has not started
    _click(page, "run")
    _wait(page, lambda d: "converged" in _text(d, "status"))
    assert _js(page, "SymgdApp.S.analysis.text") == "(x - 2)**2"
    assert float(_text(page, "readout-x")) == pytest.approx(2.0, abs=1e-6)  # not 0
    assert _trail_x(page)[0] == [3.0]  # from the typed start
    # Typing the function and the lr, then Run at once: it runs with both.
    _set(page, "expr", "x**2 + 1", commit=False)
    _set(page, "lr", "0.25", commit=False)
    _click(page, "run")
    _wait(page, lambda d: "converged" in _text(d, "status")
          and _js(d, "SymgdApp.S.analysis.text") == "x**2 + 1")
    xs = [x[0] for x in _trail_x(page)]
    assert xs[:3] == [3.0, 1.5, 0.75]  # x <- (1 - 2 * 0.25) x


def test_switching_to_two_variables_clears_the_old_frame(page):
    _load(page, "x^2", "5", "0.1")
    _set(page, "x0", "1, 1", commit=False)
    _set(page, "expr", "x**2 + y**2")
    assert _js(page, "SymgdApp.S.frame") is None  # while analyzing, clicks map through nothing
    _wait(page, lambda d: _js(d, "SymgdApp.S.dim") == 2 and "ready" in _text(d, "status"))
    assert _js(page, "SymgdApp.S.frame.view.y")[0] < 0  # a 2-D map, not the old curve's f axis
    assert _text(page, "label-x") == "(x, y)"


def test_pause_then_run_quickly_keeps_one_run_loop(page):
    _load(page, "x^2", "5", "0.01")  # 0.98^k: about 800 steps to converge
    page.execute_script("document.getElementById('speed').value = 40")
    for _ in range(5):
        _click(page, "run")  # run, pause, run, pause, run
    _wait(page, lambda d: "converged" in _text(d, "status"), timeout=120)
    xs = [x[0] for x in _trail_x(page)]
    k = int(_text(page, "iteration"))
    assert len(xs) == k + 1  # every step once: no second loop interleaving its own
    assert all(b == pytest.approx(0.98 * a, rel=1e-12) for a, b in zip(xs, xs[1:]))


# -- methods: own hyperparameters, race readouts and colours ------------------------------
def test_a_race_gives_newton_its_own_full_step(page, tmp_path):
    from selenium.webdriver.common.by import By

    _load(page, "x**2 + 3*y**2", "2, 1", "0.0005")  # gd's lr: the Newton-crippling one
    _click(page, "race")
    for box in page.find_elements(By.CSS_SELECTOR, "#race-methods input"):
        if box.is_selected() != (box.get_attribute("value") in ("gd", "newton", "adam")):
            box.click()
    _wait(page, lambda d: _js(d, "SymgdApp.S.runs.map((r) => r.method).join()") == "gd,adam,newton"
          and _js(d, "SymgdApp.S.runs.every((r) => r.trail.length === 1)"))
    _click(page, "step")
    _wait(page, lambda d: _js(d, "SymgdApp.S.runs.every((r) => r.k === 1)"))
    runs = {r["method"]: r for r in _js(page, "SymgdApp.S.runs.map((r) => ({method: r.method,"
                                              " x: r.x, status: r.status}))")}
    assert runs["newton"]["x"] == pytest.approx([0.0, 0.0], abs=1e-12)  # H^-1 grad: one step
    assert runs["gd"]["x"] == pytest.approx([2 - 0.0005 * 4, 1 - 0.0005 * 6])
    # Adam's first step is lr * sign(g) (bias correction): its own default lr 0.1.
    assert runs["adam"]["x"] == pytest.approx([1.9, 0.9], abs=1e-6)
    rows = page.find_elements(By.CSS_SELECTOR, "#readouts tbody tr")
    assert [r.get_attribute("data-method") for r in rows] == ["gd", "adam", "newton"]
    assert all(r.text.split()[0] == r.get_attribute("data-method") for r in rows)
    _click(page, "run")
    _wait(page, lambda d: "newton: converged after 1 step" in _text(d, "status"))
    _shot(page, "race", tmp_path)


# Himmelblau's four minima (Himmelblau 1972): (3, 2) exactly, the others to 6 digits.
HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
                     (3.584428, -1.848126)]


def test_the_himmelblau_race_preset_ends_each_method_at_a_minimum(page, tmp_path):
    from selenium.webdriver.support.ui import Select

    Select(page.find_element("id", "preset")).select_by_visible_text("Himmelblau: a race")
    _wait(page, lambda d: "ready" in _text(d, "status") and len(_js(d, "SymgdApp.S.runs")) == 4)
    assert "Newton" in _text(page, "lesson")
    _click(page, "run")
    _wait(page, lambda d: _text(d, "run") == "Run" and "running" not in _text(d, "status"),
          timeout=120)
    ends = _js(page, "SymgdApp.S.runs.map((r) => [r.method, r.status, r.x])")
    for method, status, x in ends:
        assert status == "converged", method
        assert min(np.hypot(x[0] - a, x[1] - b) for a, b in HIMMELBLAU_MINIMA) < 1e-5
    assert _js(page, "SymgdApp.S.runs.find((r) => r.method === 'newton').k") < 20
    _shot(page, "himmelblau", tmp_path)


def _redmean(a: str, b: str) -> float:
    """Colour distance, the 'redmean' approximation of perceived difference (CompuPhase)."""
    (r1, g1, b1), (r2, g2, b2) = ([int(h[i:i + 2], 16) for i in (1, 3, 5)] for h in (a, b))
    mean = (r1 + r2) / 2
    return (((512 + mean) * (r1 - r2) ** 2) / 256 + 4 * (g1 - g2) ** 2
            + ((767 - mean) * (b1 - b2) ** 2) / 256) ** 0.5


def test_path_colours_are_apart_from_each_other_and_from_the_markers(page):
    paths = _js(page, "SymgdApp.METHOD_COLORS")
    marks = _js(page, "Object.values(SymgdPlot.KIND_STYLE).map((s) => s.color)"
                      ".concat([SymgdPlot.OTHER_KIND.color])")
    assert _redmean(paths["gd"], paths["rmsprop"]) > 150
    assert min(_redmean(a, b) for a, b in itertools.combinations(paths.values(), 2)) > 150
    assert min(_redmean(a, b) for a in paths.values() for b in marks) > 80


def test_each_method_shows_and_sends_its_own_hyperparameters(page):
    from selenium.webdriver.support.ui import Select

    _load(page, "x**2", "5", "0.1")
    Select(page.find_element("id", "method")).select_by_visible_text("adam")
    _wait(page, lambda d: _js(d, "!!document.getElementById('beta1')"))
    assert page.find_element("id", "lr").get_attribute("value") == "0.1"
    assert _js(page, "document.getElementById('beta2').value") == "0.999"
    Select(page.find_element("id", "method")).select_by_visible_text("newton")
    _wait(page, lambda d: d.find_element("id", "lr").get_attribute("value") == "1")
    Select(page.find_element("id", "method")).select_by_visible_text("momentum")
    _wait(page, lambda d: _js(d, "!!document.getElementById('beta')"))
    page.execute_script("const b = document.getElementById('beta'); b.value = '0.5';"
                        "b.dispatchEvent(new Event('input'))")
    _wait(page, lambda d: _js(d, "SymgdApp.S.runs[0].trail.length") > 2
          and _js(d, "SymgdApp.S.params.momentum.beta") == 0.5)
    xs = [x[0] for x in _trail_x(page)]
    # v1 = -0.05 * 10 = -0.5, x1 = 4.5; v2 = 0.5 * (-0.5) - 0.05 * 9 = -0.7, x2 = 3.8.
    assert xs[1:3] == pytest.approx([4.5, 3.8])


# -- live preview, dragging, zoom, pan, 3-D ------------------------------------------------
def _slide(driver, values) -> None:
    for v in values:
        driver.execute_script(
            "const s = document.getElementById('lr-slider'); s.value = arguments[0];"
            "s.dispatchEvent(new Event('input'))", v)


def test_dragging_the_lr_slider_recomputes_the_whole_path_live(page):
    _load(page, "x**2", "5", "0.1")
    _slide(page, [500, 550, 580, 600, 640])  # 1e-4 * 10^(5 v / 1000): 0.032 .. 0.16
    _wait(page, lambda d: _js(d, "SymgdApp.S.params.gd.lr") == 0.16
          and _js(d, "SymgdApp.S.runs[0].trail.length") > 40)
    xs = [x[0] for x in _trail_x(page)]
    assert xs[:3] == pytest.approx([5.0, 5 * 0.68, 5 * 0.68**2])  # 1 - 2 * 0.16 = 0.68
    assert "converged" in _text(page, "status")  # 200 steps of preview reach the tolerance
    times = _js(page, "SymgdApp.S.frameTimes")
    assert times  # measured, not asserted: see benchmarks and the README
    print("live preview, ms per frame:", sorted(times))


def test_dragging_the_start_moves_it_and_recomputes_the_path(page):
    from selenium.webdriver.common.action_chains import ActionChains

    _load(page, "x**2 + y**2", "2, 1", "0.1")
    start = _js(page, "(() => { const f = SymgdApp.S.frame, c = document.getElementById('plot');"
                      "return [f.px(2) - c.clientWidth / 2, f.py(1) - c.clientHeight / 2,"
                      "f.fromPx(f.px(2) + 60, f.py(1) - 40)]; })()")
    dx, dy, target = start
    plot = page.find_element("id", "plot")
    ActionChains(page).move_to_element_with_offset(plot, dx, dy).click_and_hold() \
        .move_by_offset(30, -20).move_by_offset(30, -20).release().perform()
    _wait(page, lambda d: _trail_x(d)[0] != [2.0, 1.0]
          and _js(d, "SymgdApp.S.runs[0].trail.length") > 5)
    first = _trail_x(page)[0]
    assert first == pytest.approx(target, rel=0.05)
    assert _trail_x(page)[1] == pytest.approx([0.8 * first[0], 0.8 * first[1]])


def test_zoom_pan_and_home(page):
    from selenium.webdriver.common.action_chains import ActionChains

    _load(page, "x**2 + y**2", "2, 1", "0.1")
    before = _js(page, "SymgdApp.S.frame.view.x")
    page.execute_script("const c = document.getElementById('plot'), r = c.getBoundingClientRect();"
                        "c.dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: r.left +"
                        " r.width / 2, clientY: r.top + r.height / 2, bubbles: true,"
                        " cancelable: true}))")
    after = _js(page, "SymgdApp.S.frame.view.x")
    assert after[1] - after[0] < 0.8 * (before[1] - before[0])  # zoomed in
    plot = page.find_element("id", "plot")
    ActionChains(page).move_to_element_with_offset(plot, -200, 150).click_and_hold() \
        .move_by_offset(50, 0).move_by_offset(50, 0).release().perform()
    panned = _js(page, "SymgdApp.S.frame.view.x")
    assert panned[0] < after[0] and panned[1] - panned[0] == pytest.approx(after[1] - after[0])
    assert page.find_element("id", "x0").get_attribute("value") == "2, 1"  # panning kept the start
    _click(page, "home-view")
    assert _js(page, "SymgdApp.S.frame.view.x") == pytest.approx(before)


def test_the_surface_turns_in_3d(page, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains

    _load(page, "(x**2 + y - 11)**2 + (x + y**2 - 7)**2", "0, 0", "0.01")
    _click(page, "view-3d")
    before = _js(page, "SymgdApp.S.rot.az")
    image = _js(page, "document.getElementById('plot').toDataURL()")
    ActionChains(page).move_to_element(page.find_element("id", "plot")).click_and_hold() \
        .move_by_offset(40, 0).move_by_offset(40, 10).release().perform()
    assert _js(page, "SymgdApp.S.rot.az") == pytest.approx(before + 0.8)
    assert _js(page, "document.getElementById('plot').toDataURL()") != image
    _shot(page, "surface", tmp_path)
    _click(page, "view-3d")


def test_canvases_keep_a_backing_store_at_device_pixel_ratio_2(server, browser):
    _viewport(browser, 1280, 800, dpr=2)
    try:
        _open(browser, server, "?f=x**2%2By**2&x0=2,1")
        _wait(browser, lambda d: _js(d, "SymgdApp.S.dim") == 2)
        for canvas in ("plot", "loss-plot"):
            width, height, css_w, css_h, dpr = _js(browser, f"""(() => {{
                const c = document.getElementById('{canvas}');
                return [c.width, c.height, c.clientWidth, c.clientHeight,
                        devicePixelRatio]; }})()""")
            assert dpr == 2
            assert width == round(2 * round(css_w)) and height == round(2 * round(css_h))
    finally:
        _viewport(browser, 1280, 800)


# -- shareable links, lessons, the loss chart ----------------------------------------------
def test_a_shared_link_restores_the_state_and_copy_link_round_trips(server, browser):
    from selenium.webdriver.common.by import By

    _open(browser, server, "?mode=function&f=" + quote("x**2 + 3*y**2") +
          "&x0=2,1&method=adam&lr=0.3&beta1=0.8&methods=gd,adam&lr_gd=0.05")
    _wait(browser, lambda d: _js(d, "SymgdApp.S.analysis && SymgdApp.S.analysis.text")
          == "x**2 + 3*y**2")
    assert browser.find_element(By.ID, "x0").get_attribute("value") == "2, 1"
    assert browser.find_element(By.ID, "method").get_attribute("value") == "adam"
    assert browser.find_element(By.ID, "lr").get_attribute("value") == "0.3"
    assert _js(browser, "document.getElementById('beta1').value") == "0.8"
    assert browser.find_element(By.ID, "race").is_selected()
    assert _js(browser, "SymgdApp.S.runs.map((r) => r.method)") == ["gd", "adam"]
    assert _js(browser, "SymgdApp.S.params.gd.lr") == 0.05
    _click(browser, "copy-link")
    link = browser.find_element(By.ID, "share-link").get_attribute("value")
    _open(browser, server)  # somewhere else first
    browser.get(link)
    _wait(browser, lambda d: "ready" in _text(d, "status"))
    assert _js(browser, "SymgdApp.S.runs.map((r) => r.method)") == ["gd", "adam"]
    assert _js(browser, "[SymgdApp.S.params.adam.lr, SymgdApp.S.params.adam.beta1,"
                        " SymgdApp.S.params.gd.lr]") == [0.3, 0.8, 0.05]
    # Data mode: the points, the batch and its size come back.
    _open(browser, server, "?mode=data&lr=0.02&batch=mini&batch_size=2&points=1,2;2,2.9;3,4.2")
    assert _js(browser, "SymgdData.D.points") == [[1, 2], [2, 2.9], [3, 4.2]]
    assert browser.find_element(By.ID, "batch").get_attribute("value") == "minibatch"
    assert browser.find_element(By.ID, "batch-size").get_attribute("value") == "2"
    _open(browser, server, "?mode=function")


def test_presets_show_their_lesson_and_the_loss_chart_is_logarithmic(page):
    from selenium.webdriver.support.ui import Select

    preset = Select(page.find_element("id", "preset"))
    preset.select_by_visible_text("x\u00b2, lr 1 = 2/L: oscillates")
    _wait(page, lambda d: "ready" in _text(d, "status") and _js(d, "SymgdApp.S.params.gd.lr") == 1)
    assert "2-cycle" in _text(page, "lesson")
    _set(page, "lr", "0.5")
    _click(page, "run")
    _wait(page, lambda d: "converged" in _text(d, "status"))  # lr 0.5: x -> 0 in one step
    assert "log axis" in _text(page, "loss-title")
    lessons = _js(page, "SymgdLessons.PRESETS.map((p) => p.lesson.split(/[.!?](\\s|$)/)"
                        ".filter((s) => s.trim().length > 1).length)")
    assert all(2 <= n <= 5 for n in lessons)


# -- data mode -----------------------------------------------------------------------------
POINTS = "1,2;2,2.9;3,4.2;4,4.8"  # least squares: w = Sxy / Sxx = 4.85 / 5 = 0.97, b = 1.05


def test_data_mode_names_divergence_and_full_batch_converges(server, browser, tmp_path):
    # J = mean((w x + b - y)^2) / 2: its Hessian [[7.5, 2.5], [2.5, 1]] has
    # L = (8.5 + sqrt(67.25)) / 2 = 8.3503, so 2/L = 0.23951.
    _open(browser, server, f"?mode=data&lr=0.3&batch=full&points={POINTS}")
    assert "2/L = 0.2395" in _text(browser, "lr-bound")
    _click(browser, "run")
    _wait(browser, lambda d: "diverged" in _text(d, "status"))
    status = _text(browser, "status")
    assert "lr < 2/L = 0.2395" in status and "loss grew" in status
    _open(browser, server, f"?mode=data&lr=0.2&batch=full&points={POINTS}")
    _click(browser, "run")
    _wait(browser, lambda d: "converged" in _text(d, "status"), timeout=90)
    w, b = _js(browser, "SymgdData.D.w")
    assert (w, b) == pytest.approx((0.97, 1.05), abs=1e-5)
    assert int(_text(browser, "iteration")) <= 5000
    _shot(browser, "data", tmp_path)
    _open(browser, server, "?mode=function")


def test_data_mode_stops_exactly_at_the_epoch_cap(server, browser):
    # SGD with a constant lr never meets the full-gradient tolerance: it runs to the cap.
    _open(browser, server, f"?mode=data&lr=0.05&batch=sgd&points={POINTS}")
    browser.execute_script("document.getElementById('speed').value = 200")
    _click(browser, "run")
    _wait(browser, lambda d: _text(d, "run") == "Run" and int(_text(d, "iteration")) > 0,
          timeout=240)
    assert int(_text(browser, "iteration")) == 5000
    assert "cap of 5000 epochs" in _text(browser, "status")
    assert len(_js(browser, "SymgdData.D.losses")) == 5001
    _open(browser, server, "?mode=function")


# -- the phone-sized page ------------------------------------------------------------------
def test_the_page_fits_a_phone(server, browser, tmp_path):
    _viewport(browser, 390, 844, dpr=1)
    try:
        _open(browser, server, "?f=x**2&x0=5&lr=0.1")
        width = _js(browser, "document.documentElement.scrollWidth")
        assert width <= 390  # no sideways scrolling
        plot_w = _js(browser, "document.getElementById('plot').getBoundingClientRect().width")
        assert 300 <= plot_w <= 390
        _click(browser, "run")
        _wait(browser, lambda d: "converged" in _text(d, "status"))
        _shot(browser, "phone", tmp_path)
    finally:
        _viewport(browser, 1280, 800)


def test_the_open_command_builds_a_link_the_page_restores(server, browser):
    import argparse

    from symgd.cli.playground import add_parser, query_for

    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="c"))
    query = query_for(parser.parse_args(["playground", "--open", "x^2", "--lr", "1"]))
    browser.get(server.url + query)
    _wait(browser, lambda d: "ready" in _text(d, "status"))
    assert browser.find_element("id", "expr").get_attribute("value") == "x^2"
    assert _js(browser, "SymgdApp.S.params.gd.lr") == 1
    assert "equals it" in _text(browser, "lr-bound")
    assert json.loads(json.dumps(query)).startswith("?mode=function&f=x%5E2")


def test_the_working_panel_shows_the_worked_solution(page, tmp_path):
    from selenium.webdriver.common.by import By

    _load(page, "x^3 - 3x", "2", "0.1")
    page.find_element(By.CSS_SELECTOR, "#working-panel > summary").click()
    _wait(page, lambda d: "Solve f′(x) = 0" in _text(d, "working"))
    steps = page.find_elements(By.CSS_SELECTOR, "#working details")
    assert len(steps) == 6  # f′, f″, the solving, two points, the summary
    assert "local maximum" in _text(page, "working")  # f″(−1) = −6 < 0, by hand
    _set(page, "expr", "x^2")
    _wait(page, lambda d: "f′(x) = 2x" in _text(d, "working"))
    _shot(page, "working", tmp_path)
