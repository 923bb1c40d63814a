"""The playground in real Chromium: Play trains and redraws live, steering does not reset, Pause stops.

Every wait is for a condition (an epoch reached, a button's label, a drawn
frame); the one window of time is the check that nothing advances after
Pause, which can only be seen over time. Screenshots at epoch 0, mid-way
and the end go to ``screenshots/e2e/``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

LINK = "/playground?source=generated&generator=circles"
VIEWPORT = {"width": 1400, "height": 1200}
EPOCH = "() => (window.__nnViewStats || {}).epoch"
FRAMES = "() => (window.__nnViewStats || {}).frames || 0"
DIAGRAM = "el => el.toDataURL()"


@pytest.fixture
def page(chromium, streamlit_server):
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def epoch_at_least(page, epoch: int) -> None:
    page.wait_for_function(f"() => ((window.__nnViewStats || {{}}).epoch || 0) >= {epoch}", timeout=60_000)


def sidebar_epochs(page) -> int:
    text = page.get_by_test_id("stSidebarUserContent").inner_text()
    line = next(line for line in text.splitlines() if "epochs trained" in line)
    return int(line.split()[0].replace(",", ""))


def test_play_steer_and_pause(page, streamlit_server, screenshot_dir: Path) -> None:
    page.goto(streamlit_server.url + LINK)
    play = page.get_by_role("button", name="▶ Play")
    play.wait_for()
    page.wait_for_function(f"() => ({FRAMES[6:]}) > 0")
    diagram = page.locator("canvas.nnv-net")
    assert page.evaluate(EPOCH) == 0
    untrained = diagram.evaluate(DIAGRAM)
    page.screenshot(path=str(screenshot_dir / "playground-epoch-0.png"), full_page=True)

    play.click()
    page.get_by_role("button", name="⏸ Pause").wait_for()
    epoch_at_least(page, 30)
    first = page.evaluate(EPOCH)
    assert diagram.evaluate(DIAGRAM) != untrained  # every neuron's map and the weights moved
    epoch_at_least(page, first + 30)  # it keeps playing, frame after frame
    assert "epochs/s" in page.locator(".nnv-stats").inner_text()

    # steer while it plays: one notch up the learning-rate ladder (0.03 -> 0.1); no reset
    before = page.evaluate(EPOCH)
    thumb = page.get_by_test_id("stSlider").filter(has_text="Learning rate").get_by_role("slider")
    thumb.focus()
    thumb.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').innerText"
                           ".includes('learning rate 0.03 → 0.1')")
    epoch_at_least(page, before + 20)
    assert page.get_by_role("button", name="⏸ Pause").is_visible()  # still playing
    page.screenshot(path=str(screenshot_dir / "playground-playing.png"), full_page=True)

    page.get_by_role("button", name="⏸ Pause").click()
    play.wait_for()
    page.wait_for_function(f"() => ({FRAMES[6:]}) > 0")
    paused = page.evaluate(EPOCH)
    frames = page.evaluate(FRAMES)
    deadline = time.monotonic() + 1.5  # nothing advances once paused: watched over a window
    while time.monotonic() < deadline:
        assert page.evaluate(EPOCH) == paused
        page.wait_for_timeout(100)
    assert page.evaluate(FRAMES) == frames
    assert sidebar_epochs(page) == paused  # the sidebar names the epoch the picture shows
    assert "learning rate 0.03 → 0.1" in page.get_by_test_id("stMain").inner_text()  # the timeline
    page.screenshot(path=str(screenshot_dir / "playground-paused.png"), full_page=True)
    assert not page.locator('[data-testid="stException"]').count()
    assert page.errors == []
