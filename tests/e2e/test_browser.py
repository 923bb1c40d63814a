"""The app the way a user meets it: a real Streamlit server, Debian's Chromium, a few visitors.

Each test is one visitor (a fresh browser context, so a fresh Streamlit
session on the shared server). The tests never sleep: after an action they
wait for what that action shows (a page title, a sidebar line, a widget's
value), then for the app to be idle (the script has finished, the status
widget is gone, and every element the run sent is drawn: Streamlit loads an
element's code lazily and shows a skeleton meanwhile, and a widget may get its
value a moment after it appears, so values are read with Playwright's
retrying ``expect``). They fail on any exception box, and record every request
the browser makes: the app must work offline, so every one goes to the local
server. Screenshots go to ``screenshots/e2e/`` (git-ignored; the path is printed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

VIEWPORT = {"width": 1400, "height": 900}
expect.set_options(timeout=30_000)  # a retrying assertion waits as long as a locator does (loaded CI machines)
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testConnectionState === 'CONNECTED'
    && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
# every element the last run sent is on the page: none still loading its code (a skeleton), none stale
DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')"""
# charts in a tab not shown are not drawn until the tab is opened: only visible ones count
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
  .filter(chart => chart.checkVisibility())
  .every(chart => chart.querySelector('canvas, svg'))"""
# the charts' sizes have held for five animation frames (they re-lay out after a resize, when the
# main area's scroll bar goes): polled once a frame, with window.__chartSizes reset before
CHARTS_STILL = """() => {
  const sizes = JSON.stringify([...document.querySelectorAll('[data-testid="stVegaLiteChart"] canvas, '
    + '[data-testid="stVegaLiteChart"] svg')].map(c => [c.clientWidth, c.clientHeight]));
  window.__chartFrames = window.__chartSizes === sizes ? (window.__chartFrames || 0) + 1 : 0;
  window.__chartSizes = sizes;
  return window.__chartFrames >= 5;
}"""
MAIN_TITLE = """() => document.querySelector('[data-testid="stMain"] h1')?.innerText ?? null"""
NEW_TITLE = """before => { const h1 = document.querySelector('[data-testid="stMain"] h1');
  return !!h1 && h1.innerText !== before; }"""
# Predict: the exact box shows the first slider's value (the rerun a slider move starts has run)
EXACT_FOLLOWS_SLIDER = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const slider = main?.querySelector('input[type="range"][aria-label="Feature 1"]');
  const exact = main?.querySelector('input[aria-label="Feature 1 (exact)"]');
  return !!slider && !!exact && parseFloat(exact.value) === parseFloat(slider.value);
}"""
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

    def __init__(self, page, server, shots: Path) -> None:
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
        """Wait until the app has finished running and drawn what the run sent.

        Idle proves nothing about an action the app has not yet reacted to: the
        caller first waits for a sign of the rerun it started (see ``go``, ``press``).
        """
        self.page.wait_for_function(IDLE, timeout=timeout)
        self.page.wait_for_function(DRAWN, timeout=30_000)
        self.page.wait_for_function(CHARTS_DRAWN, timeout=30_000)

    def open(self, path: str = "/") -> None:
        self.page.goto(self.server.url + path)
        # the navigation is drawn by the first run itself: once it shows, that run has started
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
        already_there = urlsplit(self.page.url).path == path
        title_before = self.page.evaluate(MAIN_TITLE)
        link.click()
        if not already_there:
            # the switch starts a moment after the click: wait for the new address and a new page
            # title (every page's title differs), so the old page's idle state is never taken for
            # the new one's
            self.page.wait_for_url(lambda url: urlsplit(url).path == path)
            self.page.wait_for_function(NEW_TITLE, arg=title_before, timeout=60_000)
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

    def press(self, label: str, until_sidebar: str) -> None:
        """Click a button, wait for ``until_sidebar`` to appear in the sidebar, then for idle.

        On a loaded machine the rerun can start well after the click, so "idle"
        right after it proves nothing: the sidebar line the rerun writes does.
        """
        self.page.get_by_test_id("stMain").get_by_role("button", name=label, exact=True).click()
        expect(self.page.get_by_test_id("stSidebarUserContent")).to_contain_text(until_sidebar, timeout=90_000)
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
        # charts re-lay out to the new size: wait until their sizes hold from one frame to the next
        self.page.evaluate("() => { window.__chartSizes = null; window.__chartFrames = 0; }")
        self.page.wait_for_function(CHARTS_STILL, polling="raf", timeout=30_000)
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        self.page.set_viewport_size(VIEWPORT)
        return path


@pytest.fixture
def visitor(chromium, streamlit_server, screenshot_dir: Path) -> Iterator[Visitor]:
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
    assert titles[:4] == ["Explore data", "Playground", "Train", "Predict (what if?)"], titles
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
    thumb = visitor.main().get_by_role("slider").first  # Feature 1
    exact = visitor.main().get_by_role("spinbutton", name="Feature 1 (exact)")
    start = float(thumb.input_value())
    for _ in range(3):
        # one press per rerun: presses faster than the app reruns can be lost (see the report)
        thumb.focus()
        moved_from = thumb.input_value()
        visitor.page.keyboard.press("ArrowRight")
        expect(thumb).not_to_have_value(moved_from)
        visitor.page.wait_for_function(EXACT_FOLLOWS_SLIDER, timeout=90_000)
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
    sidebar = visitor.page.get_by_test_id("stSidebarUserContent")
    expect(sidebar).to_contain_text("circles (n=300")
    expect(sidebar).to_contain_text("300 rows")
    # the app writes the link back after its run: wait for the address, never read it once
    expect(visitor.page).to_have_url(re.compile(r"generator=circles.*&n=300&.*hidden=4.*lr=0\.1"))
    query = parse_qs(urlsplit(visitor.page.url).query)
    assert query["generator"] == ["circles"] and query["n"] == ["300"], query
    assert query["hidden"] == ["4"] and query["lr"] == ["0.1"], query
    main = visitor.main()
    expect(main.get_by_role("radio", name="Generated 2-D data")).to_be_checked()

    visitor.go("Train")
    expect(main.get_by_role("textbox", name="Hidden layers", exact=True)).to_have_value("4")
    expect(main.get_by_role("slider", name="Learning rate")).to_have_attribute("aria-valuetext", "0.1")
    visitor.press("Train", until_sidebar="2-4-1")
    visitor.assert_healthy("Train from a shared link")
    assert "2-4-1" in visitor.sidebar_text()
    expect(visitor.page).to_have_url(re.compile(r"generator=circles.*hidden=4"))
    query = parse_qs(urlsplit(visitor.page.url).query)
    assert query["generator"] == ["circles"] and query["hidden"] == ["4"], query
    visitor.screenshot("shared-link-train")


def test_shared_link_straight_to_a_page(visitor: Visitor) -> None:
    """A link may point at a page: ``/train?...`` opens Train with the link's settings.

    Someone has opened the app's root since the server started (the first visitor of a fresh
    server: ``test_deep_link_on_a_fresh_server``). The text box is drawn a moment after the
    run ends, and holds "" for a moment before "4": so ``expect``, which waits for the value.
    """
    visitor.open("/")
    visitor.open("/train" + SHARED_LINK)
    visitor.assert_healthy("deep link")
    expect(visitor.main().get_by_role("heading", name="Train a network")).to_be_visible()
    expect(visitor.main().get_by_role("textbox", name="Hidden layers", exact=True)).to_have_value("4")
    expect(visitor.page.get_by_test_id("stSidebarUserContent")).to_contain_text("circles (n=300")


def test_messy_files_in_the_browser(visitor: Visitor) -> None:
    """A binary file is refused with a message; hostile column names show as text and run nothing."""
    visitor.open("/")
    main = visitor.main()
    main.get_by_text("Upload a CSV", exact=True).click()
    upload = main.locator('[data-testid="stFileUploader"] input[type="file"]')
    upload.wait_for(state="attached")  # the rerun the choice starts draws the uploader
    visitor.settle()

    upload.set_input_files(files=[{"name": "photo.csv", "mimeType": "text/csv",
                                   "buffer": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4}])
    expect(main.get_by_test_id("stAlertContentError").first).to_be_visible(timeout=90_000)
    visitor.settle()
    visitor.assert_healthy("binary upload")
    assert "Diabetes" in visitor.sidebar_text()  # the previous data set stays

    upload.set_input_files(files=[{"name": "hostile.csv", "mimeType": "text/csv", "buffer": HOSTILE_CSV}])
    expect(visitor.page.get_by_test_id("stSidebarUserContent")).to_contain_text("hostile.csv", timeout=90_000)
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


def test_deep_link_on_a_fresh_server(chromium, fresh_server, screenshot_dir: Path) -> None:
    """The first visitor after a restart arrives by a shared link to a page, not the root."""
    context = chromium.new_context(viewport=VIEWPORT)
    try:
        person = Visitor(context.new_page(), fresh_server, screenshot_dir)
        person.page.goto(fresh_server.url + "/train" + SHARED_LINK)
        person.page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        person.settle()
        person.screenshot("fresh-server-deep-link")
        person.assert_healthy("deep link on a fresh server")
        expect(person.main().get_by_role("textbox", name="Hidden layers", exact=True)).to_have_value("4")
    finally:
        context.close()
