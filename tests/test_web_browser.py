"""The web app in a real browser: the test starts ``corpsearch serve`` on 127.0.0.1 and drives
Debian's headless Chromium through chromedriver with Selenium (no browser is downloaded).

Screenshots of every page visited are saved under build/browser-screenshots/. Without
Chromium installed the test is skipped, except in CI (which installs it): there it fails.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT
from .webutil import build_index, cli_json, cli_output

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = ROOT / "build" / "browser-screenshots"
# Without these, Chromium keeps trying to reach Google's servers, which this network refuses.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1100",
)

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    if os.environ.get("CI"):
        pytest.fail("CI must install chromium and chromium-driver (.ci/run does)", pytrace=False)
    pytest.skip(
        "browser tests need Debian's chromium and chromium-driver: "
        "apt-get install chromium chromium-driver",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402 - only once Chromium is known to be there
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def index_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("browser") / "index", "whoosh")


@pytest.fixture(scope="module")
def server(index_folder: Path) -> Iterator[str]:
    """``corpsearch serve`` as a user starts it, on a free loopback port."""
    port = _free_port()
    command = [sys.executable, "-m", "corpsearch", "serve", "--index", str(index_folder),
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as answer:
                    assert answer.status == 200
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read() if process.stdout else b""
                    pytest.fail(f"corpsearch serve did not start: {output.decode()[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebDriver, Path]]:
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('profile')}")
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver, downloads
    finally:
        driver.quit()


def _shot(driver: WebDriver, name: str) -> None:
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def _wait(driver: WebDriver, selector: str) -> None:
    WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, selector)))


def _no_script_ran(driver: WebDriver) -> None:
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - reading it is the check
    # No script element reached the page either: the CSP would have logged refusing it.
    refused = [e for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
    assert not refused, refused


def test_search_facet_thread_chart_download_in_chromium(
    server: str, browser: tuple[WebDriver, Path], index_folder: Path
) -> None:
    driver, downloads = browser
    # Type a query and see the hits.
    driver.get(server + "/")
    _wait(driver, "#q")
    _shot(driver, "start")
    box = driver.find_element(By.ID, "q")
    box.send_keys("assad OR civil")
    driver.find_element(By.ID, "go").click()
    _wait(driver, "#hits")
    _shot(driver, "search")
    expected = cli_json(index_folder, "assad OR civil")
    shown = [e.get_attribute("id") for e in driver.find_elements(By.CSS_SELECTOR, "#hits > li")]
    assert shown == [f"hit-{hit['id']}" for hit in expected["hits"]]
    assert driver.find_element(By.ID, "total").get_attribute("data-total") == str(expected["total"])
    marks = driver.find_elements(By.CSS_SELECTOR, "#hits mark")
    assert marks and all(m.text.lower() in ("assad", "civil") for m in marks)

    # Click a facet: the query is narrowed and every hit is by that author.
    driver.find_element(By.CSS_SELECTOR, "#facet-author a[href*='_mowaten_']").click()
    _wait(driver, "#hits")
    _shot(driver, "facet")
    assert driver.find_element(By.ID, "q").get_attribute("value") == (
        '(assad OR civil) author:"_mowaten_"'
    )
    authors = {e.text for e in driver.find_elements(By.CSS_SELECTOR, "#hits .author")}
    assert authors == {"_mowaten_"}

    # Open the thread from a comment hit: the article and all its comments, the hit's in view.
    driver.find_element(By.CSS_SELECTOR, "#hits li.comment a.headline").click()
    _wait(driver, "#thread")
    _shot(driver, "thread")
    assert "Coordination with Assad" in driver.find_element(By.CSS_SELECTOR, "#article h1").text
    assert len(driver.find_elements(By.CSS_SELECTOR, "#thread li.comment")) == 5
    assert driver.find_elements(By.CSS_SELECTOR, "#thread blockquote.quoted")
    target = driver.execute_script("return location.hash")
    assert target.startswith("#c-")
    assert driver.find_element(By.CSS_SELECTOR, target).is_displayed()

    # Replies sit indented under the comment they answer.
    nested = cli_json(index_folder, "site:timothysykes.com", "--kind", "article")["hits"][0]
    driver.get(f"{server}/article/{nested['id']}")
    _wait(driver, "#thread")
    _shot(driver, "thread-replies")
    entries = driver.find_elements(By.CSS_SELECTOR, "#thread li.comment")
    left = {int(e.get_attribute("data-depth") or 0): e.rect["x"] for e in entries}
    assert len(left) > 1 and left[1] > left[0]
    driver.back()
    _wait(driver, "#thread")

    # The author page from the thread.
    driver.find_element(By.CSS_SELECTOR, "#thread a.author[href*='imagine_1979']").click()
    _wait(driver, "#author")
    _shot(driver, "author")
    assert driver.find_element(By.CSS_SELECTOR, "#author h1").text == "imagine_1979"

    # The chart: its bars against the CLI's histogram, and drawn in proportion.
    driver.get(server + "/?q=kind%3Acomment&unit=year")
    _wait(driver, "#chart")
    _shot(driver, "chart")
    histogram = cli_json(index_folder, "kind:comment", "--histogram", "year", "--limit", "0")
    buckets = histogram["histogram"]["buckets"]
    bars = driver.find_elements(By.CSS_SELECTOR, "#chart rect.bar")
    assert [
        (b.get_attribute("data-key"), int(b.get_attribute("data-count") or -1)) for b in bars
    ] == [(bucket["key"], bucket["count"]) for bucket in buckets]
    heights = [float(b.rect["height"]) for b in bars]
    tallest = max(heights)
    largest = max(bucket["count"] for bucket in buckets)
    for height, bucket in zip(heights, buckets, strict=True):
        assert abs(height / tallest - bucket["count"] / largest) < 0.02

    # Download every hit as CSV: the file is the CLI's export.
    driver.get(server + "/?q=assad+OR+war&sort=date")
    _wait(driver, "#download-csv")
    driver.find_element(By.ID, "download-csv").click()
    saved = downloads / "corpsearch-hits.csv"
    deadline = time.monotonic() + 20
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert saved.exists(), list(downloads.iterdir())
    expected_csv = cli_output(
        index_folder, "assad OR war", "--all", "--sort", "date", "--format", "csv"
    )
    assert saved.read_bytes().decode("utf-8") == expected_csv
    assert len(list(csv.DictReader(io.StringIO(expected_csv)))) > 10
    _no_script_ran(driver)


def test_hostile_page_runs_no_script(
    server: str, browser: tuple[WebDriver, Path], index_folder: Path
) -> None:
    """Scripts, event handlers and javascript: links in a page's headline, body and comments
    are shown as text; none runs, whether looked at, hovered or clicked."""
    driver, _ = browser
    driver.get_log("browser")  # start from an empty console
    hits = cli_json(index_folder, "zanzibar")["hits"]
    driver.get(server + "/?q=zanzibar")
    _wait(driver, "#hits")
    _shot(driver, "hostile-search")
    assert '<img src=x onerror="window.__pwned=' in driver.find_element(By.ID, "hits").text
    _no_script_ran(driver)
    driver.get(f"{server}/article/{hits[0]['article_id']}")
    _wait(driver, "#thread")
    _shot(driver, "hostile-thread")
    _no_script_ran(driver)
    headline = driver.find_element(By.CSS_SELECTOR, "#article h1").text
    assert '<script>window.__pwned="headline"</script>' in headline
    body = driver.find_element(By.CSS_SELECTOR, "#article .body").text
    assert '<a href="javascript:window.__pwned=1">click</a>' in body
    for element in driver.find_elements(By.CSS_SELECTOR, "#article p, #thread p, #thread a"):
        webdriver.ActionChains(driver).move_to_element(element).perform()
    for link in driver.find_elements(By.CSS_SELECTOR, "#thread a.author"):
        assert link.get_attribute("href").startswith(server + "/author?name=")
    _no_script_ran(driver)
    driver.find_element(By.CSS_SELECTOR, "#thread a.author[href*='onmouseover']").click()
    _wait(driver, "#author")
    _shot(driver, "hostile-author")
    assert driver.find_element(By.CSS_SELECTOR, "#author h1").text.startswith(
        "imagine<b onmouseover="
    )
    _no_script_ran(driver)
