"""The app the way a user meets it: a real Streamlit server, Debian's Chromium, a few visitors.

Each test is one visitor (a fresh browser context, so a fresh Streamlit
session on the shared server). The tests wait for the app to be idle (the
script has finished and the status widget is gone) instead of sleeping, fail
on any exception box, and record every request the browser makes: the app
must work offline, so every one goes to the local server. Screenshots go to
``screenshots/e2e/`` (git-ignored; the path is printed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import Server, start_server, stop_server

VIEWPORT = {"width": 1400, "height": 900}
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testConnectionState === 'CONNECTED'
    && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
# charts in a tab not shown are not drawn until the tab is opened: only visible ones count
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
  .filter(chart => chart.checkVisibility())
  .every(chart => chart.querySelector('canvas, svg'))"""
RUNNING = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'running'"""
CHART = '[data-testid="stVegaLiteChart"]'
DRAWN_CHART = f"{CHART} canvas, {CHART} svg"
#: pages that draw at least one chart once a model is trained (others are tables and text)
CHART_PAGES = ("Explore data", "Train", "Predict (what if?)", "Inside the network", "The article, replayed")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SHARED_LINK = "?source=generated&generator=circles&n=300&hidden=4&lr=0.1"
HOSTILE_CSV = (
    "<script>alert(1)</script>,[x](javascript:alert(1)),label\n"
    + "".join(f"{i % 7},{(i * 3) % 11},{'yes' if (i % 7) + ((i * 3) % 11) > 8 else 'no'}\n" for i in range(80))
).encode()


class Visitor:
    """One browser tab = one Streamlit session, with what it asked the network for."""

    def __init__(self, page, server: Server, shots: Path) -> None:
        self.page = page
        self.server = server
        self.shots = shots
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    # ----------------------------------------------------------- waiting
    def settle(self, timeout: float = 90_000) -> None:
        """Wait until the app has finished running (a click takes a moment to start a rerun)."""
        self.page.wait_for_timeout(150)
        self.page.wait_for_function(IDLE, timeout=timeout)
        self.page.wait_for_function(CHARTS_DRAWN, timeout=30_000)

    def open(self, path: str = "/") -> None:
        self.page.goto(self.server.url + path)
        self.page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=60_000)
        self.settle()

    def nav_titles(self) -> list[str]:
        links = self.page.locator('[data-testid="stSidebarNav"] a[data-testid="stSidebarNavLink"]')
        # a link's text is its icon (an emoji, or a Material icon's ligature name) and its title: the last line
        return [t.strip().splitlines()[-1].strip() for t in links.all_inner_texts()]

    def go(self, title: str) -> None:
        """Switch page the way a user does (the sidebar link keeps the session)."""
        nav = self.page.get_by_test_id("stSidebarNav")
        link = nav.get_by_role("link", name=re.compile(rf"{re.escape(title)}$"))
        path = urlsplit(link.get_attribute("href")).path
        link.click()
        # the switch starts a moment after the click: wait for the new address and the new page's title
        self.page.wait_for_url(lambda url: urlsplit(url).path == path)
        self.page.locator('[data-testid="stMain"] h1').first.wait_for()
        self.settle()
        self.assert_healthy(title)

    def visit_tabs(self, where: str, shot: str = "") -> int:
        """Open every tab of the page in turn (their charts draw only when shown); the tab count."""
        tabs = self.main().get_by_role("tab")
        for i in range(tabs.count()):
            tab = tabs.nth(i)
            name = tab.inner_text().strip()
            tab.click()
            self.settle()
            self.assert_healthy(f"{where}, tab {name!r}")
            if shot and i:
                self.screenshot(f"{shot}-tab-{slug(name)}")
        if tabs.count():
            tabs.first.click()
        return tabs.count()

    def press(self, label: str, until_sidebar: str = "") -> None:
        """Click a button and wait for the rerun it starts to finish.

        On a loaded machine the rerun can start well after the click, so "idle"
        right after it proves nothing: wait to see the script running (or, when
        given, for ``until_sidebar`` to appear in the sidebar), then for idle.
        """
        self.page.get_by_test_id("stMain").get_by_role("button", name=label, exact=True).click()
        if until_sidebar:
            self.page.wait_for_function(
                """text => document.querySelector('[data-testid="stSidebarUserContent"]')?.innerText.includes(text)""",
                arg=until_sidebar, timeout=90_000)
        else:
            try:
                self.page.wait_for_function(RUNNING, timeout=5_000)
            except PlaywrightTimeout:
                pass  # the rerun was quicker than the polling: it is over already
        self.settle()

    # ----------------------------------------------------------- reading
    def main(self):
        return self.page.get_by_test_id("stMain")

    def sidebar_text(self) -> str:
        return self.page.get_by_test_id("stSidebarUserContent").inner_text()

    def main_metrics(self) -> dict[str, str]:
        labels = self.main().locator('[data-testid="stMetricLabel"]').all_inner_texts()
        values = self.main().locator('[data-testid="stMetricValue"]').all_inner_texts()
        return {label.strip(): value.strip() for label, value in zip(labels, values)}

    def assert_healthy(self, where: str) -> None:
        """No exception box and no uncaught frontend error; on failure, the server log says why."""
        boxes = self.page.locator('[data-testid="stException"]')
        if boxes.count():
            raise AssertionError(f"{where}: exception box in the page: {boxes.first.inner_text()[:500]}\n"
                                 f"--- server log ---\n{self.server.log_tail()}")
        assert not self.page_errors, f"{where}: uncaught errors in the page: {self.page_errors}"
        assert not self.dialogs, f"{where}: a dialog opened (script ran?): {self.dialogs}"

    def assert_offline(self) -> None:
        """Every request went to this server (data: and blob: URLs never leave the browser)."""
        foreign = sorted({url for url in self.requests
                          if urlsplit(url).scheme not in ("data", "blob")
                          and urlsplit(url).hostname not in LOCAL_HOSTS})
        assert self.requests and not foreign, f"requests that left the machine: {foreign}"

    def screenshot(self, name: str) -> Path:
        """The whole page (the main area scrolls inside the window, so grow the window to fit)."""
        height = self.page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        self.page.mouse.move(1, 1)  # no tooltip left over from the last click
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": min(max(height, 900), 7000)})
        self.page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
        self.page.wait_for_timeout(300)  # charts re-lay out to the new size
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        self.page.set_viewport_size(VIEWPORT)
        return path


@pytest.fixture
def visitor(chromium, streamlit_server: Server, screenshot_dir: Path) -> Iterator[Visitor]:
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    person = Visitor(page, streamlit_server, screenshot_dir)
    try:
        yield person
        person.assert_offline()
    finally:
        context.close()


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def train_defaults(person: Visitor) -> dict[str, str]:
    """Open Train, press Train with the default settings and wait for the held-out metrics."""
    person.go("Train")
    person.press("Train", until_sidebar="epochs trained")
    person.page.locator('[data-testid="stMetricLabel"]:has-text("Accuracy"), [data-testid="stException"]'
                        ).first.wait_for()
    person.assert_healthy("Train after pressing Train")
    return person.main_metrics()


def test_every_page_before_and_after_training(visitor: Visitor) -> None:
    """Open every page as a newcomer, train with the defaults, then open every page again."""
    visitor.open("/")
    titles = visitor.nav_titles()
    assert titles[:3] == ["Explore data", "Train", "Predict (what if?)"], titles
    for title in titles:
        visitor.go(title)
        visitor.visit_tabs(title)
        visitor.screenshot(f"before-{slug(title)}")

    metrics = train_defaults(visitor)
    assert float(metrics["Accuracy"]) >= 0.75, metrics
    # loss curve, decision boundary, confusion matrix, ROC: drawn by Vega, not just specified
    assert visitor.page.locator(CHART).count() >= 4
    assert visitor.page.locator(DRAWN_CHART).count() >= 4
    assert "300 epochs trained" in visitor.sidebar_text()
    visitor.screenshot("train-after-training")

    for title in titles:
        visitor.go(title)
        visitor.screenshot(f"after-{slug(title)}")
        visitor.visit_tabs(title, shot=f"after-{slug(title)}")
        if title in CHART_PAGES:
            assert visitor.page.locator(DRAWN_CHART).count() >= 1, f"{title}: no chart drawn"
    visitor.assert_healthy("every page")


def test_whatif_slider_moves_the_probability(visitor: Visitor) -> None:
    """Predict: move a what-if slider with the keyboard; the exact box and the probability follow."""
    visitor.open("/")
    train_defaults(visitor)
    visitor.go("Predict (what if?)")
    # the first metric on the page is the answer ("Probability of the ... class")
    label, before = next(iter(visitor.main_metrics().items()))
    assert label.startswith("Probability"), label
    thumb = visitor.main().get_by_role("slider").first
    exact = visitor.main().get_by_role("spinbutton", name="Feature 1 (exact)")
    start = float(thumb.input_value())
    for _ in range(3):
        # one press per rerun: presses faster than the app reruns can be lost (see the report)
        thumb.focus()
        visitor.page.keyboard.press("ArrowRight")
        visitor.settle()
    visitor.assert_healthy("Predict after moving a slider")
    assert float(thumb.input_value()) > start
    assert float(exact.input_value()) == float(thumb.input_value())
    after = visitor.main_metrics()[label]
    assert after != before, f"the probability stayed at {before} when the slider moved"
    visitor.screenshot("predict-after-slider")


def test_shared_link_restores_the_settings(visitor: Visitor) -> None:
    """A link with settings in its query opens the app with those settings, on every page."""
    visitor.open("/" + SHARED_LINK)
    visitor.assert_healthy("shared link")
    sidebar = visitor.sidebar_text()
    assert "circles (n=300" in sidebar and "300 rows" in sidebar, sidebar
    query = parse_qs(urlsplit(visitor.page.url).query)
    assert query["generator"] == ["circles"] and query["n"] == ["300"], query
    assert query["hidden"] == ["4"] and query["lr"] == ["0.1"], query
    main = visitor.main()
    assert main.get_by_role("radio", name="Generated 2-D data").is_checked()

    visitor.go("Train")
    assert main.get_by_role("textbox", name="Hidden layers", exact=True).input_value() == "4"
    assert main.get_by_role("slider", name="Learning rate").get_attribute("aria-valuetext") == "0.1"
    visitor.press("Train", until_sidebar="2-4-1")
    visitor.assert_healthy("Train from a shared link")
    assert "2-4-1" in visitor.sidebar_text()
    query = parse_qs(urlsplit(visitor.page.url).query)
    assert query["generator"] == ["circles"] and query["hidden"] == ["4"], query
    visitor.screenshot("shared-link-train")


def test_shared_link_straight_to_a_page(visitor: Visitor) -> None:
    """A link may point at a page: ``/train?...`` opens Train with the link's settings.

    Someone has opened the app's root since the server started (on a fresh server a deep link
    fails: see ``test_deep_link_on_a_fresh_server``).
    """
    visitor.open("/")
    visitor.open("/train" + SHARED_LINK)
    visitor.assert_healthy("deep link")
    assert visitor.main().get_by_role("heading", name="Train a network").is_visible()
    assert visitor.main().get_by_role("textbox", name="Hidden layers", exact=True).input_value() == "4"
    assert "circles (n=300" in visitor.sidebar_text()


def test_messy_files_in_the_browser(visitor: Visitor) -> None:
    """A binary file is refused with a message; hostile column names show as text and run nothing."""
    visitor.open("/")
    main = visitor.main()
    main.get_by_text("Upload a CSV", exact=True).click()
    visitor.settle()
    upload = main.locator('[data-testid="stFileUploader"] input[type="file"]')

    upload.set_input_files(files=[{"name": "photo.csv", "mimeType": "text/csv",
                                   "buffer": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4}])
    visitor.settle()
    visitor.assert_healthy("binary upload")
    assert main.get_by_test_id("stAlertContentError").first.is_visible()
    assert "Diabetes" in visitor.sidebar_text()  # the previous data set stays

    upload.set_input_files(files=[{"name": "hostile.csv", "mimeType": "text/csv", "buffer": HOSTILE_CSV}])
    visitor.settle()
    visitor.assert_healthy("hostile column names")
    page_text = visitor.page.locator("body").inner_text()
    assert "<script>alert(1)</script>" in page_text  # shown literally, as text
    assert visitor.page.locator('a[href^="javascript"]').count() == 0
    scripts = visitor.page.locator("script").evaluate_all("els => els.map(e => e.textContent)")
    assert not any("alert(1)" in text for text in scripts)
    assert "hostile.csv" in visitor.sidebar_text()

    visitor.go("Train")
    visitor.press("Train", until_sidebar="epochs trained")
    visitor.assert_healthy("training on hostile column names")
    assert visitor.page.locator(DRAWN_CHART).count() >= 2
    visitor.screenshot("hostile-columns-train")
    assert not visitor.dialogs


@pytest.fixture
def fresh_server(screenshot_dir: Path) -> Iterator[Server]:
    """A server nobody has opened yet (as after a restart or a hosted app waking up)."""
    server = start_server(screenshot_dir / "server-fresh.log")
    try:
        yield server
    finally:
        stop_server(server)


def test_deep_link_on_a_fresh_server(chromium, fresh_server: Server, screenshot_dir: Path) -> None:
    """The first visitor after a restart arrives by a shared link to a page, not the root."""
    context = chromium.new_context(viewport=VIEWPORT)
    try:
        person = Visitor(context.new_page(), fresh_server, screenshot_dir)
        person.page.goto(fresh_server.url + "/train" + SHARED_LINK)
        person.page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        person.settle()
        person.screenshot("fresh-server-deep-link")
        person.assert_healthy("deep link on a fresh server")
        assert person.main().get_by_role("textbox", name="Hidden layers", exact=True).input_value() == "4"
    finally:
        context.close()
