"""The network view in real Chromium: it draws, it reports clicks to Python, it redraws live.

The demo page (``network_view_app.py``) writes the last click it got to the
page, so a click counts only once Python has it. Every wait is for a
condition, never for a fixed time. Screenshots go to ``screenshots/e2e/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, start_server, stop_server

VIEWPORT = {"width": 1300, "height": 850}
STATS = "() => window.__nnViewStats || null"
# canvas pixels that are not transparent (a blank canvas has none)
INKED = """el => {
  const ctx = el.getContext('2d');
  const px = ctx.getImageData(0, 0, el.width, el.height).data;
  let inked = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] > 0) inked++;
  return inked / (el.width * el.height);
}"""


@pytest.fixture(scope="module")
def view_server(screenshot_dir: Path) -> Iterator[Server]:
    server = start_server(screenshot_dir / "network_view_server.log", script="tests/e2e/network_view_app.py")
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def page(chromium, view_server):
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def last_click(page) -> dict | None:
    return json.loads(page.locator('[data-testid="stCode"]').inner_text())


def click_and_wait(page, canvas, x: float, y: float, count: int) -> dict:
    """Click the canvas at (x, y) CSS pixels and wait until Python has written click number ``count``."""
    canvas.click(position={"x": x, "y": y})
    page.wait_for_function(f"() => document.body.innerText.includes('clicks: {count}')", timeout=30_000)
    return last_click(page)


def test_view_draws_and_reports_clicks(page, view_server, screenshot_dir):
    page.goto(view_server.url)
    page.wait_for_function("() => window.__nnViewStats && window.__nnViewStats.frames > 0", timeout=60_000)
    net, main, loss = page.locator("canvas.nnv-net"), page.locator("canvas.nnv-main"), page.locator("canvas.nnv-loss")
    assert net.evaluate(INKED) > 0.05 and main.evaluate(INKED) > 0.5 and loss.evaluate(INKED) > 0.01
    page.screenshot(path=str(screenshot_dir / "network_view_start.png"))

    layout = net.evaluate("el => el.__layout")
    hidden = layout["nodes"][1][2]
    event = click_and_wait(page, net, hidden["x"] + hidden["size"] / 2, hidden["y"] + hidden["size"] / 2, 1)
    assert {k: event[k] for k in ("kind", "layer", "unit")} == {"kind": "neuron", "layer": 1, "unit": 2}
    # the clicked neuron stays shown large
    assert "Layer 1, neuron 3" in page.locator(".nnv-title").inner_text()
    page.screenshot(path=str(screenshot_dir / "network_view_neuron.png"))

    edge = next(e for e in layout["edges"] if (e["l"], e["from"], e["to"]) == (1, 0, 0))
    x, y = edge["samples"][8]
    event = click_and_wait(page, net, x, y, 2)
    assert {k: event[k] for k in ("kind", "layer", "from", "to")} == {"kind": "edge", "layer": 1, "from": 0, "to": 0}

    bias = layout["nodes"][2][1]["bias"]
    event = click_and_wait(page, net, bias["x"] + bias["size"] / 2, bias["y"] + bias["size"] / 2, 3)
    assert {k: event[k] for k in ("kind", "layer", "unit")} == {"kind": "bias", "layer": 2, "unit": 1}

    # a corner of the plane holds no data point: the click comes back in data units
    plot = main.evaluate("el => el.__plot")
    px, py = plot["margin"]["left"] + 4, plot["margin"]["top"] + 4
    event = click_and_wait(page, main, px, py, 4)
    assert event["kind"] == "plane"
    x_range, y_range = plot["x_range"], plot["y_range"]
    # Chromium rounds mouse positions to whole pixels: within half a pixel, in data units
    x_unit, y_unit = (x_range[1] - x_range[0]) / plot["w"], (y_range[1] - y_range[0]) / plot["h"]
    assert event["x"] == pytest.approx(x_range[0] + 4 * x_unit, abs=0.5 * x_unit)
    assert event["y"] == pytest.approx(y_range[1] - 4 * y_unit, abs=0.5 * y_unit)

    # a new payload (20 more epochs) redraws the same instance: the pinned neuron stays pinned
    frames = page.evaluate(STATS)["frames"]
    page.get_by_role("button", name="Train 20 epochs").click()
    page.wait_for_function(f"() => window.__nnViewStats.frames > {frames} && window.__nnViewStats.epoch === 20",
                           timeout=30_000)
    assert "Epoch 20" in page.locator(".nnv-stats").inner_text()
    assert "Layer 1, neuron 3" in page.locator(".nnv-title").inner_text()
    page.screenshot(path=str(screenshot_dir / "network_view_trained.png"))
    assert page.errors == []


def test_live_redraws_at_ten_frames_a_second(page, view_server, screenshot_dir):
    page.goto(view_server.url + "/?play=1")
    page.wait_for_function("() => window.__nnViewStats && window.__nnViewStats.frames >= 40", timeout=60_000)
    stats = page.evaluate(STATS)
    seconds = (stats["last_at"] - stats["first_at"]) / 1000
    fps = (stats["frames"] - 1) / seconds
    print(f"\nnetwork view live: {fps:.1f} frames/s received, JS decode+draw mean {stats['mean_ms']:.2f} ms, "
          f"max {stats['max_ms']:.2f} ms over {stats['frames']} frames")
    page.screenshot(path=str(screenshot_dir / "network_view_playing.png"))
    assert stats["epoch"] >= 40  # every frame brought a new epoch
    assert page.errors == []
