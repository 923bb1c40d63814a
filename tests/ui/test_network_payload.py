"""The network view's payload as data: every map against an independent forward pass, the encoding by hand."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from nn_core.data import generate
from nn_core.network import MLP
from nn_core.training import fit
from ui.network_view.payload import (
    build_payload,
    decode_f32,
    decode_levels,
    encode_levels,
    equal_aspect_size,
)

ACT = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0),
       "linear": lambda z: z, "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)}


@pytest.fixture(scope="module")
def circles():
    ds = generate("circles", n=400, noise=0.1, seed=0)
    net = MLP([2, 4, 2, 1], activation="tanh", output="sigmoid", seed=0)
    fit(net, ds.X[:300], ds.y[:300], epochs=30, learning_rate=0.3, validation_data=(ds.X[300:], ds.y[300:]))
    return net, ds.X[:300], ds.y[:300], ds.X[300:], ds.y[300:]


def hand_forward(net, rows):
    """Each column's values by plain matrix products (not ``net.trace``): inputs, then f(a W + b)."""
    columns = [rows]
    acts = list(net.activations) + [net.output]
    for W, b, act in zip(net.weights, net.biases, acts):
        columns.append(ACT[act](columns[-1] @ W + b))
    return columns


def grid_rows(x_range, y_range, n, held, features):
    """Cell centres row by row, bottom row first, as the payload documents."""
    xs = x_range[0] + (np.arange(n) + 0.5) * (x_range[1] - x_range[0]) / n
    ys = y_range[0] + (np.arange(n) + 0.5) * (y_range[1] - y_range[0]) / n
    rows = []
    for y in ys:
        for x in xs:
            row = np.array(held, dtype=float)
            row[features[0]], row[features[1]] = x, y
            rows.append(row)
    return np.array(rows)


def assert_maps_match(payload, columns_main, columns_node):
    nm, nn = payload["main_grid"], payload["node_grid"]
    for l, layer in enumerate(payload["layers"]):
        for u in range(layer["units"]):
            node = layer["maps"][u]
            step = (node["hi"] - node["lo"]) / 255
            got = decode_levels(node, (nn, nn))
            np.testing.assert_allclose(got, columns_node[l][:, u].reshape(nn, nn), atol=step / 2 + 1e-9)
            full = layer["full"][u]
            step = (full["hi"] - full["lo"]) / 255
            got = decode_levels(full, (nm, nm))
            np.testing.assert_allclose(got, columns_main[l][:, u].reshape(nm, nm), atol=step / 2 + 1e-9)


def test_every_map_equals_the_neurons_activation_on_the_same_grid(circles):
    net, Xtr, ytr, Xte, yte = circles
    x_range, y_range = (-6.0, 6.0), (-5.0, 5.5)
    payload = build_payload(net, Xtr, ytr, Xte, yte, x_range, y_range, main_grid=30, node_grid=12)
    held = np.median(Xtr, axis=0)
    main = hand_forward(net, grid_rows(x_range, y_range, 30, held, (0, 1)))
    node = hand_forward(net, grid_rows(x_range, y_range, 12, held, (0, 1)))
    assert [layer["units"] for layer in payload["layers"]] == [2, 4, 2, 1]
    assert_maps_match(payload, main, node)
    for l in range(1, 4):
        np.testing.assert_allclose(decode_f32(payload["layers"][l]["bias"]), net.biases[l - 1], rtol=1e-6)
        w = payload["weights"][l - 1]
        np.testing.assert_allclose(decode_f32(w["f32"]).reshape(w["shape"]), net.weights[l - 1], rtol=1e-6)


def test_more_features_hold_the_others_and_transform_reaches_the_net():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 4)) * [1, 2, 3, 4] + [0, 1, 2, 3]
    y = (X[:, 0] > 0).astype(int)
    mean, std = X.mean(axis=0), X.std(axis=0)
    net = MLP([4, 3, 1], activation="relu", output="sigmoid", seed=3)
    held = [0.5, 1.5, 2.5, 3.5]
    payload = build_payload(net, X, y, None, None, (-1.0, 1.0), (-2.0, 6.0), features=(3, 1), held=held,
                            transform=lambda r: (r - mean) / std, main_grid=8, node_grid=5,
                            feature_names=["a", "b", "c", "d"])
    main = hand_forward(net, (grid_rows((-1.0, 1.0), (-2.0, 6.0), 8, held, (3, 1)) - mean) / std)
    node = hand_forward(net, (grid_rows((-1.0, 1.0), (-2.0, 6.0), 5, held, (3, 1)) - mean) / std)
    assert_maps_match(payload, main, node)
    assert payload["plane"]["note"] == "Other features held at a = 0.5, c = 2.5."
    assert payload["plane"]["x_label"] == "d" and not payload["plane"]["equal_aspect"]
    assert payload["points"]["test"] is None


def test_levels_round_trip_by_hand():
    values = np.array([[-1.0, 0.0], [0.5, 1.0]])
    entry = encode_levels(values)
    # k = round(255 (v + 1) / 2): 0, 127.5 -> 128 (round half to even), 191.25 -> 191, 255
    assert base64.b64decode(entry["b64"]) == bytes([0, 128, 191, 255])
    assert (entry["lo"], entry["hi"]) == (-1.0, 1.0)
    np.testing.assert_allclose(decode_levels(entry, (2, 2)), [[-1.0, 1 / 255], [-1 + 382 / 255, 1.0]])
    flat = encode_levels(np.full((2, 3), 0.25))
    assert base64.b64decode(flat["b64"]) == bytes(6) and flat["lo"] == flat["hi"] == 0.25
    np.testing.assert_array_equal(decode_levels(flat, (2, 3)), np.full((2, 3), 0.25))


def test_equal_aspect_by_hand():
    # 12 x 6 units in a 320 x 320 box: 320 / 12 = 26.67 px per unit on both axes -> 320 x 160
    assert equal_aspect_size((-6, 6), (-3, 3), (320, 320)) == [320, 160]
    # 2 x 10 units in 300 x 200: min(150, 20) = 20 px per unit -> 40 x 200
    assert equal_aspect_size((0, 2), (0, 10), (300, 200)) == [40, 200]


def test_two_feature_data_is_drawn_with_equal_scales(circles):
    net, Xtr, ytr, Xte, yte = circles
    payload = build_payload(net, Xtr, ytr, Xte, yte, (-6.0, 6.0), (-3.0, 3.0), main_box=(320, 320))
    assert payload["plane"]["size"] == [320, 160] and payload["plane"]["equal_aspect"]


def test_points_loss_and_marks(circles):
    net, Xtr, ytr, Xte, yte = circles
    payload = build_payload(net, Xtr, ytr, Xte, yte, max_loss_points=7, marker_epoch=12,
                            off=[(1, 2)], edited_edges=[(2, 0, 1)], edited_biases=[(3, 0)])
    np.testing.assert_allclose(decode_f32(payload["points"]["train"]["x"]), Xtr[:, 0], rtol=1e-6)
    np.testing.assert_array_equal(decode_f32(payload["points"]["test"]["label"]), yte)
    # 30 epochs thinned to 7: round(linspace(0, 29, 7)) = 0, 5, 10, 14 (14.5 to even), 19, 24, 29
    np.testing.assert_array_equal(decode_f32(payload["loss"]["epoch"]), [1, 6, 11, 15, 20, 25, 30])
    np.testing.assert_allclose(decode_f32(payload["loss"]["test"]), np.array(net.history.val_loss)[
        [0, 5, 10, 14, 19, 24, 29]], rtol=1e-6)
    assert payload["epoch"] == 30 and payload["loss"]["marker"] == 12
    assert payload["off"] == [[1, 2]] and payload["edited_edges"] == [[2, 0, 1]]
    assert payload["kind"] == "binary" and payload["layers"][1]["full"] is not None
    json.dumps(payload)  # what the component receives must be plain JSON


def test_without_full_maps_only_the_output_is_sent_large(circles):
    net, Xtr, ytr, _, _ = circles
    payload = build_payload(net, Xtr, ytr, full_maps=False)
    assert [layer["full"] is None for layer in payload["layers"]] == [True, True, True, False]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"features": (0, 0)}, "two different features"), ({"main_grid": 1}, "main_grid"),
     ({"x_range": (1.0, 1.0)}, "x_range"), ({"held": [0.0]}, "one value per feature")],
)
def test_bad_arguments_say_what_is_wrong(circles, kwargs, message):
    net, Xtr, ytr, _, _ = circles
    with pytest.raises(ValueError, match=message):
        build_payload(net, Xtr, ytr, **kwargs)


def test_colour_domains_follow_the_activation_and_the_target():
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, (50, 2))
    soft = MLP([2, 3, 3], activation="relu", output="softmax", seed=0)
    payload = build_payload(soft, X, rng.integers(0, 3, 50), None, None, (-1.1, 1.1), (-1.1, 1.1),
                            main_grid=6, node_grid=4)
    assert payload["kind"] == "multiclass" and len(payload["layers"][2]["full"]) == 3
    assert all(m["c"] == [0.0, 1.0] for m in payload["layers"][2]["maps"])
    # relu is unbounded: each map is coloured on [-m, m], m its largest |value| on that neuron's grids
    hidden = hand_forward(soft, grid_rows((-1.1, 1.1), (-1.1, 1.1), 4, [0, 0], (0, 1)))[1]
    for u, m in enumerate(payload["layers"][1]["maps"]):
        assert m["c"][1] == -m["c"][0] >= np.abs(hidden[:, u]).max() - 1e-12 or m["c"] == [-1.0, 1.0]
    reg = MLP([2, 2, 1], activation="tanh", output="linear", seed=0)
    y = np.linspace(-3.0, 5.0, 50)
    payload = build_payload(reg, X, y, main_grid=6, node_grid=4)
    assert payload["kind"] == "regression" and payload["label_range"] == [-3.0, 5.0]
    assert payload["layers"][2]["maps"][0]["c"] == [-3.0, 5.0] and payload["layers"][1]["maps"][0]["c"] == [-1.0, 1.0]


def test_the_view_never_parses_names_as_html():
    """Column and class names reach the view's JS as data: it must draw them as text, never parse them as HTML."""
    from ui.network_view.component import ASSETS

    for path in ASSETS.glob("*.js"):
        source = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in source, f"{path.name} uses {sink}"
