"""The playground in a real headless Chromium (Selenium): type, press Step and Run, and read
what the page shows. Chromium and chromedriver are required; they are not skipped."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
INSTALL = ("install them with: apt-get update && apt-get install -y chromium chromium-driver "
           "&& pip install selenium")
WAIT = 20  # seconds: generous for a shared 2-core machine; nothing here is timed


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.exists(p) or shutil.which(p))]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: the playground's browser tests need them; "
                    + INSTALL, pytrace=False)
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail("selenium is not installed; " + INSTALL, pytrace=False)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,860"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    # The driver path is explicit, so selenium-manager never tries to download anything.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture()
def page(server, browser):
    browser.get(server.url)
    _wait(browser, lambda d: "ready" in _text(d, "status"))
    return browser


def _text(driver, element_id: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id).text


def _wait(driver, condition, timeout: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition)


def _set(driver, element_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.ID, element_id)
    box.clear()
    box.send_keys(value)
    box.send_keys(Keys.ENTER if element_id == "expr" else Keys.TAB)


def _click(driver, element_id: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, element_id).click()


def _shot(driver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000
    if os.environ.get("SYMGD_SCREENSHOTS") == "1" and name == "converged":
        target = Path(__file__).resolve().parents[2] / "docs" / "img" / "playground.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return path


def _load(driver, expr: str, x0: str, lr: str) -> None:
    driver.execute_script("document.getElementById('speed').value = 200")  # fastest
    _set(driver, "lr", lr)
    _set(driver, "x0", x0)
    _set(driver, "expr", expr)
    _wait(driver, lambda d: "ready" in _text(d, "status") and _text(d, "iteration") == "0")


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
    steps = int(_text(page, "iteration"))
    assert steps == 73  # 10 * 0.8^k <= 1e-6 first at k = 73, by hand
    assert "local minimum" in _text(page, "status")
    _shot(page, tmp_path, "converged")


def test_lecture_divergence_is_explained_with_the_bound(page, tmp_path):
    _load(page, "x**2", "5", "2")
    assert "2/L = 1" in _text(page, "lr-bound")
    _click(page, "run")
    _wait(page, lambda d: "diverged" in _text(d, "status"))
    status = _text(page, "status")
    assert "lr=2 exceeds the stability bound 2/L = 1" in status
    assert int(_text(page, "iteration")) == 13
    _shot(page, tmp_path, "diverged")


@pytest.mark.parametrize("bad, position", [("x^^2", 2), ("x +* 2", 3)])
def test_malformed_function_shows_an_inline_error(page, tmp_path, bad, position):
    _set(page, "expr", bad)
    _wait(page, lambda d: _text(d, "expr-error") != "")
    error = _text(page, "expr-error")
    assert "unexpected" in error
    caret_line = error.splitlines()[-1]
    assert caret_line.index("^") == position  # the caret sits under the bad character
    assert "fix the function" in _text(page, "status")
    _shot(page, tmp_path, "parse-error")


def test_two_variable_race_draws_every_method(page, tmp_path):
    from selenium.webdriver.common.by import By

    _load(page, "x**2 + 3*y**2", "2, 1", "0.1")
    _click(page, "race")
    _wait(page, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#legend > span")) == 3)
    _click(page, "run")
    _wait(page, lambda d: "gd: converged" in _text(d, "status")
          and "momentum: converged" in _text(d, "status"), timeout=60)
    legend = _text(page, "legend")
    assert "gd" in legend and "adam" in legend and "momentum" in legend
    _click(page, "race")
    _shot(page, tmp_path, "race")


def test_data_mode_fits_a_line_beside_the_exact_one(page, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(page.find_element(By.ID, "mode")).select_by_value("data")
    plot = page.find_element(By.ID, "plot")
    for dx, dy in ((-150, 100), (0, 0), (150, -100)):  # clicks place points on a rising line
        ActionChains(page).move_to_element_with_offset(plot, dx, dy).click().perform()
    _wait(page, lambda d: "ready" in _text(d, "status"))
    _set(page, "lr", "0.01")
    page.execute_script("document.getElementById('speed').value = 200")
    _click(page, "step")
    _wait(page, lambda d: _text(d, "iteration") == "1")
    _click(page, "run")
    _wait(page, lambda d: int(_text(d, "iteration")) >= 30)
    _click(page, "run")  # pause
    status = _text(page, "status")
    assert "exact least-squares line: y = " in status
    slope = float(status.split("y = ")[1].split(" x")[0])
    assert slope > 0  # three clicks up and to the right: a rising least-squares line
    _shot(page, tmp_path, "data")
    Select(page.find_element(By.ID, "mode")).select_by_value("function")
