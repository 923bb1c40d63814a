"""Charts of the "look inside" views: the network diagram, neuron maps, per-layer statistics.

Pure builders: tables from ``ui.inside`` in, ``alt.Chart`` out, no Streamlit.
Every scale has an explicit domain, so stepping the net one epoch at a time
changes the marks and not the frame.
"""

from __future__ import annotations

import base64
import struct
import zlib

import altair as alt
import numpy as np
import pandas as pd

from ..inside import Diagram, NeuronMaps, color_domain
from . import CLASS_COLORS, PROBA_RANGE, class_colors
from .boundary import BELOW, LEGEND_ROW

#: Edge colours by the weight's sign, node fill by the bias: positive blue, negative vermillion.
SIGN_DOMAIN = ["positive", "negative"]
SIGN_RANGE = [CLASS_COLORS[0], CLASS_COLORS[5]]
NEUTRAL = "#f7f7f7"
INPUT_FILL = "#bbbbbb"
#: Neuron outputs (not classes, not weights): purple negative, white 0, green positive.
MAP_RANGE = ["#762a83", NEUTRAL, "#1b7837"]
#: Width of the heaviest edge, in pixels (the lightest is ``EDGE_MIN_WIDTH``).
EDGE_MAX_WIDTH = 6.0
EDGE_MIN_WIDTH = 0.3
SMALL_MAP = 64  # pixels per side of a small neuron map
MAP_COLUMNS = 8  # small maps per row before wrapping


def _sym(values) -> float:
    """Largest |value| (a positive number, 1 if there is nothing to measure)."""
    v = np.abs(np.asarray(values, dtype=np.float64))
    v = v[np.isfinite(v)]
    top = float(v.max()) if v.size else 0.0
    return top if top > 1e-12 else 1.0


def network_diagram(nodes: pd.DataFrame, edges: pd.DataFrame, labels: pd.DataFrame, *,
                    max_shown: int, height: int | None = None) -> alt.LayerChart:
    """Units as circles at ``(x, y)``, weights as rules coloured by sign, width by |w|.

    Layers, bottom to top: edges, input units (grey), neurons (filled by their
    bias: blue positive, vermillion negative), input and output names, layer titles.
    Hover on an edge or a unit shows its value.
    """
    n_layers = int(nodes["layer"].max())
    top = (max_shown - 1) / 2
    x_dom = [-0.9, n_layers + 0.9]
    y_dom = [-top - 1.3, top + 1.3]
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=x_dom, nice=False, zero=False))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=y_dom, nice=False, zero=False))
    w_max = _sym(edges["weight"])
    edge_layer = alt.Chart(edges).mark_rule(opacity=0.75).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        color=alt.Color("sign:N", title="Weight", scale=alt.Scale(domain=SIGN_DOMAIN, range=SIGN_RANGE)),
        strokeWidth=alt.StrokeWidth("magnitude:Q", title="|weight|", legend=None,
                                    scale=alt.Scale(domain=[0, w_max], range=[EDGE_MIN_WIDTH, EDGE_MAX_WIDTH])),
        tooltip=[alt.Tooltip("src_name:N", title="from"), alt.Tooltip("dst_name:N", title="to"),
                 alt.Tooltip("weight:Q", format=".4f")],
    )
    inputs = nodes[nodes["kind"] == "input"]
    neurons = nodes[nodes["kind"] != "input"]
    b_max = _sym(neurons["bias"])
    input_layer = alt.Chart(inputs).mark_circle(size=260, color=INPUT_FILL, opacity=1, stroke="#555555").encode(
        x=x, y=y, tooltip=[alt.Tooltip("name:N", title="input"), alt.Tooltip("layer_title:N", title="layer")],
    )
    neuron_layer = alt.Chart(neurons).mark_circle(size=260, opacity=1, stroke="#555555").encode(
        x=x, y=y,
        fill=alt.Fill("bias:Q", title="Bias", scale=alt.Scale(domain=[-b_max, 0, b_max],
                                                               range=[SIGN_RANGE[1], NEUTRAL, SIGN_RANGE[0]])),
        tooltip=[alt.Tooltip("name:N", title="unit"), alt.Tooltip("layer_title:N", title="layer"),
                 alt.Tooltip("activation:N"), alt.Tooltip("bias:Q", format=".4f")],
    )
    name_left = alt.Chart(inputs).mark_text(align="right", dx=-14, fontSize=11).encode(x=x, y=y, text="name:N")
    outputs = nodes[nodes["kind"] == "output"]
    name_right = alt.Chart(outputs).mark_text(align="left", dx=14, fontSize=11).encode(x=x, y=y, text="name:N")
    text_layer = alt.Chart(labels).mark_text(fontSize=12, fontWeight="bold").encode(
        x=x, y=y, text="text:N",
        opacity=alt.Opacity("role:N", legend=None, scale=alt.Scale(domain=["title", "more"], range=[1.0, 0.6])),
    )
    h = height or int(min(640, max(260, 34 * (max_shown + 3))))
    return alt.layer(edge_layer, input_layer, neuron_layer, name_left, name_right, text_layer).properties(
        height=h, title=alt.TitleParams("The network", subtitle=["Hover on a line or a circle for its value."])
    ).resolve_scale(color="independent")


def map_colors(domain: list[float], activation: str, output: bool = False) -> tuple[list[float], list[str]]:
    """Colour stops of a neuron map: ``(values, colours)``, white at the middle of ``domain``.

    An output unit's probability uses the class colours of the boundary chart;
    any other unit purple-white-green, so it is not mistaken for a class
    (ReLU: white at 0, "off", to green).
    """
    if output and activation in ("sigmoid", "softmax"):
        return list(domain), list(PROBA_RANGE)
    if activation == "relu":
        return [domain[0], domain[2]], [NEUTRAL, MAP_RANGE[2]]
    return list(domain), list(MAP_RANGE)


def _map_color(domain: list[float], activation: str, output: bool = False) -> alt.Scale:
    """The ``map_colors`` stops as a Vega scale (RGB interpolation, as ``colorize`` paints)."""
    stops, colors = map_colors(domain, activation, output)
    return alt.Scale(domain=stops, range=colors, interpolate="rgb")


def colorize(values: np.ndarray, stops: list[float], colors: list[str]) -> np.ndarray:
    """``(h, w)`` values -> ``(h, w, 3)`` uint8 RGB, linear between the colour stops (clipped; NaN grey)."""
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in colors], dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    clipped = np.clip(np.nan_to_num(v, nan=stops[0]), stops[0], stops[-1])
    out = np.stack([np.interp(clipped, stops, rgb[:, ch]) for ch in range(3)], axis=-1)
    out[np.isnan(v)] = 128.0
    return np.round(out).astype(np.uint8)


def png_data_url(rgb: np.ndarray) -> str:
    """An ``(h, w, 3)`` uint8 image as a ``data:image/png;base64,...`` URL (written by hand: no imaging library)."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[r].tobytes() for r in range(h))  # filter type 0 on every row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def map_tiles(values: np.ndarray, names: list[str], domain: list[float], *, activation: str,
              output: bool = False, columns: int = MAP_COLUMNS) -> pd.DataFrame:
    """One row per unit: its image (``url``), grid place (``col``, ``row``) and value range.

    ``values`` is ``(ny, nx, units)`` with ``ys`` increasing upwards, so each
    image is flipped to put high y at the top.
    """
    stops, colors = map_colors(domain, activation, output)
    rows = []
    for k, name in enumerate(names):
        v = values[..., k]
        rows.append({"neuron": name, "order": k, "col": k % columns, "row": k // columns,
                     "url": png_data_url(colorize(v[::-1], stops, colors)),
                     "low": float(np.nanmin(v)), "high": float(np.nanmax(v))})
    return pd.DataFrame(rows)


def layer_maps(tiles: pd.DataFrame, domain: list[float], *, activation: str, title: str,
               output: bool = False, size: int = SMALL_MAP, columns: int = MAP_COLUMNS) -> alt.LayerChart:
    """A layer's units as small images in a grid (``tiles`` from ``map_tiles``), names above, legend beside.

    Images, not one rect per grid cell: a 40 x 40 map is one mark, so the whole
    grid redraws every epoch while a net trains.
    """
    n_cols = min(columns, max(len(tiles), 1))
    n_rows = int(tiles["row"].max()) + 1 if len(tiles) else 1
    cell_w, cell_h = size + 12, size + 22
    x = alt.X("col:Q", axis=None, scale=alt.Scale(domain=[-0.5, n_cols - 0.5], nice=False, zero=False))
    y = alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[-0.5, n_rows - 0.5], nice=False, zero=False,
                                                  reverse=True))
    images = alt.Chart(tiles).mark_image(width=size, height=size, aspect=False, smooth=True).encode(
        x=x, y=y, url="url:N",
        tooltip=[alt.Tooltip("neuron:N", title="unit"), alt.Tooltip("low:Q", title="lowest", format=".3f"),
                 alt.Tooltip("high:Q", title="highest", format=".3f")],
    )
    names = alt.Chart(tiles).mark_text(fontSize=10, dy=-size / 2 - 8, color="#555555").encode(
        x=x, y=y, text="neuron:N")
    legend = alt.Chart(pd.DataFrame({"value": [domain[0], domain[-1]]})).mark_point(opacity=0, size=0).encode(
        x=alt.value(0), y=alt.value(0),
        color=alt.Color("value:Q", title="standardized value" if activation == "input" else f"{activation} output",
                        scale=_map_color(domain, activation, output),
                        legend=alt.Legend(gradientLength=max(size, 40), orient="right")),
    )
    return alt.layer(images, names, legend).properties(
        width=n_cols * cell_w, height=n_rows * cell_h,
        title=alt.TitleParams(title, anchor="start", fontSize=13),
    )


def neuron_grid(layers: list[alt.LayerChart], *, x_title: str, y_title: str) -> alt.VConcatChart:
    """The layers' small multiples stacked, inputs at the top, each with its own colour scale."""
    return alt.vconcat(*layers, spacing=14).resolve_scale(color="independent").properties(
        title=alt.TitleParams("Every neuron over the input plane",
                              subtitle=[f"x: {x_title} (left to right)   y: {y_title} (bottom to top)"],
                              anchor="start")
    )


def neuron_map(cells: pd.DataFrame, domain: list[float], *, activation: str, title: str,
               x_title: str, y_title: str, output: bool = False, points: pd.DataFrame | None = None,
               class_names: list[str] | None = None, height: int = 380) -> alt.LayerChart:
    """One neuron large: its output over the plane, and the training rows on top (classes coloured)."""
    x_dom = [float(cells["x"].min()), float(cells["x2"].max())]
    y_dom = [float(cells["y"].min()), float(cells["y2"].max())]
    xs = alt.Scale(domain=x_dom, nice=False, zero=False)
    ys = alt.Scale(domain=y_dom, nice=False, zero=False)
    scale = _map_color(domain, activation, output)
    # a 1 px stroke in the cell's own colour hides the seams anti-aliasing leaves between cells (0.5 px did not)
    heat = alt.Chart(cells).mark_rect(strokeWidth=1).encode(
        x=alt.X("x:Q", title=x_title, scale=xs), x2="x2:Q", y=alt.Y("y:Q", title=y_title, scale=ys), y2="y2:Q",
        color=alt.Color("value:Q", title=f"{activation} output", scale=scale),
        stroke=alt.Stroke("value:Q", scale=scale, legend=None),
        tooltip=[alt.Tooltip("x:Q", title=x_title, format=".3g"), alt.Tooltip("y:Q", title=y_title, format=".3g"),
                 alt.Tooltip("value:Q", title="output", format=".4f")],
    )
    layers: list[alt.Chart] = [heat]
    if points is not None and len(points):
        if class_names:  # outlined dark, as on the boundary chart: visible on a region of the same hue
            color = alt.Color("label:N", title="Class", legend=BELOW,
                              scale=alt.Scale(domain=list(class_names), range=class_colors(len(class_names))))
            outline = "#333333"
        else:
            color, outline = alt.value("#333333"), "white"
        layers.append(alt.Chart(points).mark_point(filled=True, size=26, stroke=outline, strokeWidth=0.6).encode(
            x=alt.X("px:Q", scale=xs), y=alt.Y("py:Q", scale=ys), color=color,
            tooltip=[alt.Tooltip("label", title="actual")],
        ))
    below = LEGEND_ROW if points is not None and len(points) and class_names else 0  # the plot keeps its size
    return alt.layer(*layers).properties(height=height + below, title=title).resolve_scale(color="independent")


def layer_statistics(stats: pd.DataFrame, layer_order: list[str], *, statistic: str, log: bool,
                     title: str, note: str = "", height: int = 260) -> alt.Chart:
    """Mean |gradient| or |activation| per layer and epoch, one line per layer (log scale for gradients)."""
    data = stats[stats["statistic"] == statistic]
    if log:
        data = data[data["value"] > 0]
    values = data["value"].to_numpy(dtype=np.float64)
    values = values[np.isfinite(values)]
    if log:
        lo, hi = (float(values.min()), float(values.max())) if values.size else (1e-8, 1.0)
        y_dom = [lo / 1.5, hi * 1.5] if hi > lo else [lo / 10, lo * 10]
        y_scale = alt.Scale(type="log", domain=y_dom)
    else:
        hi = float(values.max()) if values.size else 1.0
        y_scale = alt.Scale(domain=[0, hi * 1.05 if hi > 0 else 1.0])
    n_epochs = int(stats["epoch"].max()) if len(stats) else 1
    colors = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(len(layer_order))]
    return alt.Chart(data).mark_line(point=len(data) <= 60).encode(
        x=alt.X("epoch:Q", title="epoch", scale=alt.Scale(domain=[1, max(n_epochs, 2)], nice=False)),
        y=alt.Y("value:Q", title=title, scale=y_scale),
        color=alt.Color("layer:N", title="Layer", scale=alt.Scale(domain=list(layer_order), range=colors),
                        sort=list(layer_order)),
        tooltip=["epoch:Q", "layer:N", alt.Tooltip("value:Q", format=".3g")],
    ).properties(height=height, title=alt.TitleParams(title, subtitle=[note] if note else []))


# ------------------------------------------------------------ from ui.inside's tables
def diagram_chart(d: Diagram) -> alt.LayerChart:
    """``network_diagram`` of a ``ui.inside.Diagram``."""
    return network_diagram(d.nodes, d.edges, d.labels, max_shown=d.max_shown)


def neuron_maps_chart(maps: NeuronMaps, *, x_title: str, y_title: str) -> alt.VConcatChart:
    """The small multiples of a ``ui.inside.NeuronMaps``: one row block per layer."""
    rows = []
    for lm in maps.layers:
        if not lm.units:
            continue
        shown = f"first {len(lm.units)} of {lm.total}" if lm.total > len(lm.units) else f"{len(lm.units)}"
        title = f"{lm.title}: {shown} unit(s)" + (f", {lm.activation}" if lm.activation != "input" else "")
        domain = color_domain(lm.activation, lm.values)
        output = lm.kind == "output"
        tiles = map_tiles(lm.values, lm.names, domain, activation=lm.activation, output=output)
        rows.append(layer_maps(tiles, domain, activation=lm.activation, title=title, output=output))
    return neuron_grid(rows, x_title=x_title, y_title=y_title)
