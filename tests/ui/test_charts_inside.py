"""ui.charts.inside: the look-inside charts, tested as data."""

from __future__ import annotations

import base64
import struct
import zlib

import altair as alt
import numpy as np
import pytest

from nn_core import data as datasets
from ui import inside, runs
from ui.charts import inside as charts


@pytest.fixture(scope="module")
def run():
    ds = datasets.generate("moons", n=120, seed=0)
    r = runs.new_run(1, ds, None, ("x1^2",), runs.TrainConfig(hidden=(6, 3)))
    runs.train(r, 20)
    return r


def as_dict(chart: alt.TopLevelMixin) -> dict:
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def rows(spec: dict, part: dict) -> list[dict]:
    """The data rows a (sub)chart draws: its named data set in the top-level ``datasets``."""
    return spec["datasets"][part["data"]["name"]]


def test_diagram_draws_every_node_and_edge(run):
    d = inside.diagram(run)
    spec = as_dict(charts.diagram_chart(d))
    layers = spec["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rule", "circle", "circle", "text", "text", "text"]
    sizes = run.net.layer_sizes  # [3, 6, 3, 1]
    assert len(rows(spec, layers[0])) == sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    assert len(rows(spec, layers[1])) == 3  # inputs
    assert len(rows(spec, layers[2])) == 6 + 3 + 1  # neurons, each with its bias
    assert [r["name"] for r in rows(spec, layers[3])] == ["x1", "x2", "x1^2"]  # input names, left
    edge = layers[0]["encoding"]
    assert edge["color"]["scale"]["domain"] == ["positive", "negative"]
    w_max = float(abs(d.edges["weight"]).max())
    assert edge["strokeWidth"]["scale"]["domain"] == pytest.approx([0, w_max])
    assert {t["field"] for t in edge["tooltip"]} == {"src_name", "dst_name", "weight"}
    b_max = float(abs(d.nodes["bias"]).max())
    assert layers[2]["encoding"]["fill"]["scale"]["domain"] == pytest.approx([-b_max, 0, b_max])
    assert edge["x"]["scale"]["domain"] == [-0.9, 3.9]


def test_diagram_edges_count_for_a_cut_layer():
    ds = datasets.load_bundled("breast_cancer")
    r = runs.new_run(1, ds, None, (), runs.TrainConfig(hidden=(40, 2)))
    spec = as_dict(charts.diagram_chart(inside.diagram(r)))
    assert len(rows(spec, spec["layer"][0])) == 16 * 16 + 16 * 2 + 2 * 1  # shown fan-in x fan-out
    more = [x["text"] for x in rows(spec, spec["layer"][5]) if x["role"] == "more"]
    assert more == ["+14 more", "+24 more"]


def test_neuron_maps_one_heatmap_per_neuron(run):
    maps = inside.neuron_maps(run, 0, 1, resolution=10)
    spec = as_dict(charts.neuron_maps_chart(maps, x_title="x1", y_title="x2"))
    blocks = spec["vconcat"]
    assert len(blocks) == 4  # inputs, 2 hidden layers, output
    for block, n_units, lm in zip(blocks, [3, 6, 3, 1], maps.layers):
        images, names, legend = block["layer"]
        assert images["mark"]["type"] == "image"
        tiles = rows(spec, images)
        assert len(tiles) == n_units  # one heatmap per unit
        assert [t["neuron"] for t in tiles] == lm.names
        assert all(t["url"].startswith("data:image/png;base64,") for t in tiles)
        assert [t["low"] for t in tiles] == pytest.approx(lm.values.min(axis=(0, 1)).tolist())
        scale = legend["encoding"]["color"]["scale"]
        assert scale["domain"] == pytest.approx(inside.color_domain(lm.activation, lm.values))
    assert blocks[1]["layer"][2]["encoding"]["color"]["scale"]["domain"] == [-1.0, 0.0, 1.0]  # tanh
    assert blocks[3]["layer"][2]["encoding"]["color"]["scale"]["range"] == charts.PROBA_RANGE  # P(class 1)
    assert blocks[1]["layer"][2]["encoding"]["color"]["scale"]["range"] == charts.MAP_RANGE
    assert spec["resolve"]["scale"]["color"] == "independent"


def test_map_tiles_wrap_and_paint_the_values():
    values = np.stack([np.full((4, 5), -1.0), np.full((4, 5), 1.0), np.zeros((4, 5))], axis=-1)
    values[0, 0, 2] = 1.0  # bottom-left cell of the third map (y grows upwards)
    tiles = charts.map_tiles(values, ["a", "b", "c"], [-1.0, 0.0, 1.0], activation="tanh", columns=2)
    assert tiles[["col", "row"]].values.tolist() == [[0, 0], [1, 0], [0, 1]]
    images = [decode(u) for u in tiles["url"]]
    assert images[0].shape == (4, 5, 3)
    assert tuple(images[0][0, 0]) == hex_rgb(charts.MAP_RANGE[0])
    assert tuple(images[1][0, 0]) == hex_rgb(charts.MAP_RANGE[2])
    assert tuple(images[2][1, 1]) == hex_rgb(charts.NEUTRAL)
    assert tuple(images[2][-1, 0]) == hex_rgb(charts.MAP_RANGE[2])  # flipped: the image's last row
    chart = as_dict(charts.layer_maps(tiles, [-1.0, 0.0, 1.0], activation="tanh", title="t", columns=2))
    assert chart["width"] == 2 * (charts.SMALL_MAP + 12) and chart["height"] == 2 * (charts.SMALL_MAP + 22)


def test_colorize_interpolates_between_stops():
    rgb = charts.colorize(np.array([[0.0, 0.5, 1.0, np.nan, 9.0]]), [0.0, 1.0], ["#000000", "#ffffff"])
    assert rgb[0, :, 0].tolist() == [0, 128, 255, 128, 255]


def decode(url: str) -> np.ndarray:
    """A PNG data URL back to ``(h, w, 3)`` pixels (with the standard library only)."""
    data = base64.b64decode(url.split(",", 1)[1])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    idat = data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8]
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(h, 1 + 3 * w)
    assert (raw[:, 0] == 0).all()
    return raw[:, 1:].reshape(h, w, 3)


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def test_relu_map_is_white_at_zero():
    scale = charts._map_color([0.0, 1.0, 2.0], "relu").to_dict()
    assert scale == {"domain": [0.0, 2.0], "range": [charts.NEUTRAL, charts.MAP_RANGE[2]], "interpolate": "rgb"}


def test_large_neuron_map_with_points(run):
    maps = inside.neuron_maps(run, 0, 1, resolution=20)
    lm, values, name = inside.single_map(maps, 1, 2)
    cells = inside.map_cells(maps.xs, maps.ys, values[..., None], [name])
    from ui.boundary import points_for

    points, _ = points_for(run, 0, 1, show_test=False)
    spec = as_dict(charts.neuron_map(cells, [-1.0, 0.0, 1.0], activation="tanh", title=name, x_title="x1",
                                     y_title="x2", points=points, class_names=run.dataset.class_names))
    heat, pts = spec["layer"]
    assert len(rows(spec, heat)) == 400
    assert len(rows(spec, pts)) == len(run.split[0])
    assert pts["encoding"]["color"]["scale"]["domain"] == run.dataset.class_names
    assert heat["encoding"]["x"]["title"] == "x1"
    # 1 px outlines in the cell's own colour (0.5 px left seams); the class legend under the plot
    assert heat["mark"]["strokeWidth"] == 1
    assert heat["encoding"]["stroke"]["scale"] == heat["encoding"]["color"]["scale"]
    assert pts["encoding"]["color"]["legend"]["orient"] == "bottom"


def test_layer_statistics_charts(run):
    stats, note = inside.layer_stats(run)
    order = ["Hidden layer 1", "Hidden layer 2", "Output"]
    grad = as_dict(charts.layer_statistics(stats, order, statistic="gradient", log=True, title="g"))
    assert grad["encoding"]["y"]["scale"]["type"] == "log"
    data = grad["datasets"][grad["data"]["name"]]
    assert len(data) == 20 * 3 and {r["statistic"] for r in data} == {"gradient"}
    lo, hi = grad["encoding"]["y"]["scale"]["domain"]
    assert 0 < lo < min(r["value"] for r in data) and hi > max(r["value"] for r in data)
    assert grad["encoding"]["color"]["scale"]["domain"] == order
    act = as_dict(charts.layer_statistics(stats, order, statistic="activation", log=False, title="a"))
    assert act["encoding"]["y"]["scale"]["domain"][0] == 0
    assert act["encoding"]["x"]["scale"]["domain"] == [1, 20]
