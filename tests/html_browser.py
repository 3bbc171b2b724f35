"""Headless Chromium for the HTML report's tests and benchmark, driven by Selenium.

Uses Debian's `chromium` and `chromium-driver` by path (Selenium Manager never downloads a
browser or driver here). Without them this raises BrowserMissing, which tests report as a
failure naming the packages, never as a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1440,1000", "--hide-scrollbars")
INSTALL = "apt-get install -y chromium chromium-driver (and `pip install selenium`)"


class BrowserMissing(RuntimeError):
    pass


def _tools() -> tuple[str, str]:
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not browser or not driver:
        missing = ", ".join(name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path)
        raise BrowserMissing(f"headless Chromium is needed for the HTML report tests; missing: {missing}. "
                             f"Install it with: {INSTALL}")
    return browser, driver


@contextmanager
def chromium() -> Iterator:
    browser, driver_path = _tools()
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        raise BrowserMissing(f"selenium is not installed ({exc}); {INSTALL}") from None
    os.environ["SE_OFFLINE"] = "true"
    with tempfile.TemporaryDirectory(prefix="rustscout-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
        try:
            yield driver
        finally:
            driver.quit()


def open_report(driver, page: Path, timeout: float = 30.0) -> None:
    """Load the page and wait until its graph has been laid out (window.rustscout.ready)."""
    from selenium.webdriver.support.ui import WebDriverWait
    driver.get(Path(page).resolve().as_uri())
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(
        "return !!(window.rustscout && window.rustscout.ready) || !!document.querySelector('#case-body .partial')"))


def console(driver) -> list[dict]:
    """The browser's console since the last call: [{level, message}]."""
    return [{"level": e["level"], "message": e["message"]} for e in driver.get_log("browser")]


def requests(driver) -> list[tuple[str, str]]:
    """Every request the browser made since the last call: (the document that asked, URL).
    The browser's own start page (chrome://) asks for things too; callers filter by document."""
    sent = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            params = message["params"]
            sent.append((params.get("documentURL", ""), params["request"]["url"]))
    return sent
