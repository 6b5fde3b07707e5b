"""The workspace in a real browser (Debian's chromium, headless, through chromium-driver),
as an analyst uses it in a morning: search a word, review, correct a tone, mark a
mention "not about us", move an article to the storyline it belongs to, export CSV;
the next digest reflects the corrections.
Screenshots at 1366 × 768 go to output/screenshots/."""

from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from clipper import store
from clipper.demo import default_config_path, run_demo

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="no chromium/chromium-driver: `make test` installs them")
SHOTS = Path(__file__).parent.parent / "output" / "screenshots"
ADVERTISERS = "Рекламодатели приостанавливают контракты с незарегистрированными СМИ"
LAWYERS = "Юристы: новые правила учета СМИ противоречат закону о масс-медиа"
STATE_ORDER = "МКИ РК подвело итоги госинформзаказа на 2027 год: средства получат 214 СМИ"
PRINT = "Районные газеты получат поддержку государства"  # the same results, in print


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The demo's database and digests, with a configuration of its own beside them."""
    home = tmp_path_factory.mktemp("office")
    shutil.copy(default_config_path(), home / "sources.yaml")
    run_demo(home / "output", home / "clipper.db")
    return home


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def workspace(office):
    port = _free_port()
    log = (office / "browse.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "clipper", "browse", "--config", str(office / "sources.yaml"),
         "--port", str(port)], cwd=office, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    while not _answers(url + "/"):  # until it serves (or has stopped)
        assert process.poll() is None, (office / "browse.log").read_text()
    yield url
    process.terminate()
    process.wait()
    log.close()
    print((office / "browse.log").read_text())


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--lang=ru-RU",
                "--disable-dev-shm-usage", "--window-size=1366,768"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def wait(driver, condition):
    """Until the page shows what the condition looks for (the limit only stops a hang)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 600, poll_frequency=0.1).until(condition)


def shot(driver, name: str) -> None:
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def mention_id(office: Path, title: str) -> int:
    db = store.open_db(office / "clipper.db")
    return db.execute("select m.id from mentions m join articles a on a.id = m.article_id "
                      "where a.title = ? and m.entity = 'mki' order by m.tone = 'negative' desc, "
                      "m.id limit 1", [title]).fetchone()[0]


def storyline(office: Path, title: str) -> int:
    db = store.open_db(office / "clipper.db")
    return db.execute("select storyline_id from articles where title = ?", [title]).fetchone()[0]


def test_an_analysts_morning_in_the_workspace(office, workspace, browser):
    from selenium.webdriver.common.by import By

    browser.get(workspace + "/")
    shot(browser, "1-home")
    box = browser.find_element(By.NAME, "_search")
    box.send_keys("аккредитации")
    box.submit()
    wait(browser, lambda d: "_search=" in d.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(rows) >= 3  # the word is in each one's headline or text
    assert 'search matches "аккредитации"' in browser.find_element(By.TAG_NAME, "h3").text
    shot(browser, "2-search")

    browser.get(workspace + "/clipper/review")
    assert browser.find_elements(By.CSS_SELECTOR, "mark")
    shot(browser, "3-review")
    lawyers, advertisers = mention_id(office, LAWYERS), mention_id(office, ADVERTISERS)
    browser.find_element(By.NAME, f"tone_{lawyers}").send_keys("нейтрально")
    browser.find_element(By.NAME, f"note_{lawyers}").send_keys("мнение юристов, не упрёк")
    browser.find_element(By.NAME, f"tone_{advertisers}").send_keys("не о нас")
    printed, state_order = mention_id(office, PRINT), storyline(office, STATE_ORDER)
    browser.find_element(By.NAME, f"storyline_{printed}").send_keys(str(state_order))
    browser.find_element(By.CSS_SELECTOR, "button.cl-save").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".message-info"))
    assert "Сохранено исправлений: 3" in browser.find_element(By.CSS_SELECTOR, ".message-info").text
    assert f"сюжет №{state_order}" in browser.find_element(By.ID, f"m{printed}").text
    done = browser.find_element(By.ID, f"m{advertisers}")
    assert "не о нас" in done.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", done)
    shot(browser, "4-corrected")

    link = browser.find_element(By.ID, f"m{printed}").find_element(By.PARTIAL_LINK_TEXT, "МКИ РК")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()  # the storyline it is in now, which a digest's storyline links to
    wait(browser, lambda d: "/clipper/storyline" in d.current_url)
    assert f"Сюжет №{state_order}" in browser.page_source and PRINT in browser.page_source
    shot(browser, "4b-storyline")

    browser.get(workspace + "/clipper/suggestions")  # the sides came near each other
    assert browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert PRINT not in browser.page_source  # merged above: no longer offered
    shot(browser, "4c-suggestions")

    browser.get(workspace + "/clipper/clippings")
    shot(browser, "5-clippings")
    link = browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
    with urllib.request.urlopen(link) as response:
        table = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
    assert {"date", "outlet", "headline", "link", "tone", "reach"} <= set(table[0])
    headlines = {row["headline"]: row["tone"] for row in table}
    assert ADVERTISERS not in headlines and headlines[LAWYERS] == "neutral"

    browser.get(workspace + "/-/clipper/digests")
    shot(browser, "6-digests")
    assert "digest-2026-11-23.pdf" in browser.page_source

    result = subprocess.run(
        [sys.executable, "-m", "clipper", "digest", "--date", "2026-11-23",
         "--config", str(office / "sources.yaml")], cwd=office, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pdf = next(Path(p) for p in result.stdout.split() if p.endswith(".pdf"))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert ADVERTISERS not in text
    assert "исправлено аналитиком: мнение юристов, не упрёк" in text
    followed = text.split(STATE_ORDER)[1].split("день 1")[0]
    assert "The Astana Times +7 ч и ещё 1" in followed  # the newspaper joined the storyline
