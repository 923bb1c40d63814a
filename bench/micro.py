"""Micro-benchmarks: one training update, one ``fit`` call, one decision-boundary grid.

- One update: a long ``net.fit`` divided by its number of updates (History
  on), for each task's net and batch size; this is the number the training
  benchmark multiplies.
- One ``fit(epochs=1)`` call: what the dashboard's "step" button costs,
  validation of the inputs included.
- Grid: ``net.predict_proba`` on a 100 x 100 grid (10,000 x 2) for a 2-8-8-1
  net, the dashboard's decision-boundary picture; target under 20 ms.
- Where one update's time goes: each piece of a ``small`` update re-timed in
  isolation through the engine's own objects, against the measured update.
- Levers: the alternatives that were measured before choosing (CPU seconds).

    python -m bench micro                                  (writes its section)
    python -m bench.micro                                  (prints one JSON line)
"""

from __future__ import annotations

import json
import statistics
import time
import timeit

import numpy as np

from .tasks import SEED, TASKS, make_data

GRID_TARGET_MS = 20.0


def _cpu(fn, number: int = 2000) -> float:
    """Best CPU seconds of one ``fn()`` call (CPU time: steady on a busy machine)."""
    return min(timeit.repeat(fn, number=number, repeat=7, timer=time.process_time)) / number


def _best(fn, reps: int) -> tuple[float, float]:
    """``(best, median)`` wall seconds of ``fn()`` over ``reps`` calls."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def measure(reps: int = 7) -> dict:
    import nn_core

    rows = []
    for task in TASKS.values():
        X, y = make_data(task)
        epochs = 1 if task.batch_size else 200
        updates = epochs * len(task.batch_sizes)

        def long_fit(task=task, X=X, y=y, epochs=epochs):
            net = nn_core.MLP(task.layer_sizes, seed=SEED)
            net.fit(X, y, epochs=epochs, learning_rate=task.learning_rate, optimizer=task.optimizer,
                    batch_size=task.batch_size, shuffle=task.shuffle)

        best, median = _best(long_fit, reps)
        net = nn_core.MLP(task.layer_sizes, seed=SEED)

        def one_fit(task=task, X=X, y=y, net=net):
            net.fit(X, y, epochs=1, learning_rate=task.learning_rate, optimizer=task.optimizer,
                    batch_size=task.batch_size, shuffle=task.shuffle)

        fit_best, fit_median = _best(one_fit, reps if task.batch_size else 50)
        rows.append({
            "task": task.name, "net": "-".join(map(str, task.layer_sizes)),
            "batch": task.batch_size or task.n, "optimizer": task.optimizer,
            "update_us": best / updates * 1e6, "update_median_us": median / updates * 1e6,
            "fit1_ms": fit_best * 1e3, "fit1_median_ms": fit_median * 1e3, "fit1_updates": len(task.batch_sizes),
        })

    net = nn_core.MLP([2, 8, 8, 1], seed=SEED)
    X, y = make_data(TASKS["dashboard"])
    net.fit(X, y, epochs=300, learning_rate=0.03, optimizer="adam")
    axis = np.linspace(-3.0, 3.0, 100)
    gx, gy = np.meshgrid(axis, axis)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    grid_best, grid_median = _best(lambda: net.predict_proba(grid), 30)
    return {"steps": rows, "grid_ms": grid_best * 1e3, "grid_median_ms": grid_median * 1e3,
            "profile": update_profile(), "levers": levers()}


def update_profile(task_name: str = "small") -> dict:
    """Microseconds of each piece of one update of ``task_name``, each re-timed alone."""
    import nn_core
    from nn_core.network import Workspace
    from nn_core.training import History, _record

    task = TASKS[task_name]
    X, y = make_data(task)
    net = nn_core.MLP(task.layer_sizes, seed=SEED)
    Y = net.loss.encode(y, 1, net.dtype)
    ws = Workspace(net, task.n)
    ws.load(X)
    net._loss_and_gradients(ws, Y, 0.0, 0.0)
    L = len(net.weights)
    # a full batch is loaded into the workspace once per fit, so copying it is not part of an update
    rows = []
    trace = net.trace(X)
    for i in range(L):
        act = net.layer_activation(i)
        z, out = trace[i].z, np.empty_like(trace[i].z, order="K")
        # into separate arrays: repeating the pass in place would change the values it works on
        rows.append((f"forward {i}: [a, 1] @ [W; b]", _cpu(lambda i=i, out=out: np.matmul(ws.inputs[i], net._blocks[i], out=out))))
        if i < L - 1:  # the output's activation is timed with its loss below
            rows.append((f"forward {i}: {act.name}", _cpu(lambda act=act, z=z, out=out: act.forward(z, out=out))))
    rows.append(("output activation and loss value", _cpu(lambda: net.loss.activate_and_value(ws.logits, Y, out=ws.a[-1]))))
    rows.append(("loss gradient dL/dz", _cpu(lambda: net.loss.gradient(ws.a[-1], Y, out=ws.delta[-1]))))
    for i in range(L - 1, -1, -1):
        rows.append((f"backward {i}: [a, 1].T @ delta", _cpu(lambda i=i: np.dot(ws.inputs[i].T, ws.delta[i], out=ws.grad_blocks[i]))))
        if i > 0:
            prev = np.empty_like(ws.delta[i - 1])
            act = net.layer_activation(i - 1)
            if ws.delta[i].shape[1] == 1:
                product = ("np.dot, an outer product", lambda i=i, prev=prev: np.dot(net.weights[i], ws.delta[i].T, out=prev.T))
            else:
                product = ("np.matmul", lambda i=i, prev=prev: np.matmul(ws.delta[i], net.weights[i].T, out=prev))
            rows.append((f"backward {i}: delta @ W.T ({product[0]})", _cpu(product[1])))
            # into a separate array: repeating the product in place would sink it into subnormals
            rows.append((f"backward {i}: {act.name}' and the product", _cpu(lambda i=i, act=act, prev=prev: np.multiply(
                ws.delta[i - 1], act.derivative(ws.a[i - 1], out=ws.deriv[i - 1]), out=prev))))
    theta = net._theta
    snapshot, step = theta.copy(), theta.copy()
    rows.append(("snapshot of the parameters", _cpu(lambda: np.copyto(snapshot, theta))))
    rows.append(("SGD update (one vector)", _cpu(lambda: np.subtract(step, task.learning_rate * ws.grad, out=step))))
    rows.append(("History record (loss, mean |grad|, mean |a|)", _cpu(lambda: _record(History(), net, ws, 0.1, 0.1, 0.0), 500)))
    fit_net = nn_core.MLP(task.layer_sizes, seed=SEED)
    epochs = 200
    fit_s = _cpu(lambda: fit_net.fit(X, y, epochs=epochs, learning_rate=task.learning_rate, optimizer=task.optimizer), 1)
    return {"task": task_name, "rows": [(k, v * 1e6) for k, v in rows], "update_us": fit_s / epochs * 1e6}


def _tanh_expm1(x, out):
    """tanh(x) = t / (t + 2) with t = expm1(2x), x clipped to +-20 (where tanh is 1 to 1e-17)."""
    np.clip(x, -20.0, 20.0, out=out)
    out *= 2.0
    np.expm1(out, out=out)
    return np.divide(out, out + 2.0, out=out)


def _tanh_exp(x, out):
    """tanh(x) = 1 - 2 / (exp(2x) + 1): one exp, but it cancels near 0."""
    np.multiply(x, 2.0, out=out)
    np.clip(out, -40.0, 40.0, out=out)
    np.exp(out, out=out)
    out += 1.0
    np.divide(2.0, out, out=out)
    return np.subtract(1.0, out, out=out)


def levers() -> list[tuple[str, str, float, str]]:
    """``(lever, variant, microseconds, note)`` for the alternatives weighed in the engine."""
    rng = np.random.default_rng(0)
    rows = []
    z = np.asfortranarray(rng.standard_normal((1000, 16)))
    out = np.empty_like(z)
    x = np.concatenate([np.linspace(-30, 30, 200_001), np.geomspace(1e-300, 1, 2000), -np.geomspace(1e-300, 1, 2000)])
    ref, buf = np.tanh(x), np.empty_like(x)
    for name, fn in (("np.tanh (kept)", lambda v, o: np.tanh(v, out=o)), ("via expm1", _tanh_expm1), ("via one exp", _tanh_exp)):
        err = float(np.max(np.abs(fn(x, buf) - ref) / np.maximum(np.abs(ref), 1e-300)))
        rows.append(("tanh of a (1000, 16) layer", name, _cpu(lambda fn=fn: fn(z, out)) * 1e6, f"max rel. error {err:.1e}"))
    for n, h in ((1000, 16), (256, 64)):
        d = rng.standard_normal((n, 1))
        w = rng.standard_normal((h, 1))
        prevF = np.empty((n, h), order="F")
        prevC = np.empty((n, h))
        what = f"({n}, 1) delta @ W.T of a one-unit output, h={h}"
        rows.append((what, "np.matmul", _cpu(lambda d=d, w=w, p=prevC: np.matmul(d, w.T, out=p)) * 1e6, "no BLAS for an inner dimension of 1"))
        rows.append((what, "broadcast multiply", _cpu(lambda d=d, w=w, p=prevC: np.multiply(d, w.T, out=p)) * 1e6, ""))
        rows.append((what, "np.dot into the column-major buffer (kept)", _cpu(lambda d=d, w=w, p=prevF: np.dot(w, d.T, out=p.T)) * 1e6, "BLAS"))
    delta = rng.standard_normal((1000, 16))
    deltaF = np.asfortranarray(delta)
    a_ones = np.ones((1000, 17), order="F")
    a_ones[:, :16] = np.tanh(rng.standard_normal((1000, 16)))
    a = np.ascontiguousarray(a_ones[:, :16])
    gW, gb, gWb = np.empty((16, 16)), np.empty(16), np.empty((17, 16))
    rows.append(("dL/dW and dL/db of a (1000, 16) layer", "a.T @ delta + np.sum(delta, axis=0)",
                 _cpu(lambda: (np.matmul(a.T, delta, out=gW), np.sum(delta, axis=0, out=gb))) * 1e6, "row-major"))
    rows.append(("dL/dW and dL/db of a (1000, 16) layer", "[a, 1].T @ delta (kept)",
                 _cpu(lambda: np.matmul(a_ones.T, deltaF, out=gWb)) * 1e6, "column-major, the bias trick"))
    b = rng.standard_normal(16)
    zC = np.empty((1000, 16))
    W, Wb = rng.standard_normal((16, 16)), rng.standard_normal((17, 16))
    zF = np.empty((1000, 16), order="F")
    rows.append(("z of a (1000, 16) layer", "a @ W, then z += b", _cpu(lambda: np.add(np.matmul(a, W, out=zC), b, out=zC)) * 1e6, "row-major"))
    rows.append(("z of a (1000, 16) layer", "[a, 1] @ [W; b] (kept)", _cpu(lambda: np.matmul(a_ones, Wb, out=zF)) * 1e6, "column-major, the bias trick"))
    # the multiply's speed depends on where the arrays land in memory: the median over fresh ones
    fresh = [(np.asfortranarray(np.tanh(rng.standard_normal((1000, 16)))), np.empty((1000, 16), order="F")) for _ in range(5)]
    mul = statistics.median(_cpu(lambda a=a, o=o: np.multiply(a, a, out=o)) for a, o in fresh)
    sq = statistics.median(_cpu(lambda a=a, o=o: np.square(a, out=o)) for a, o in fresh)
    rows.append(("a**2 for tanh' (1000, 16)", "np.multiply(a, a)", mul * 1e6, "same bits; median of 5 arrays"))
    rows.append(("a**2 for tanh' (1000, 16)", "np.square(a) (kept)", sq * 1e6, "same bits; median of 5 arrays"))
    rows += _levers_2(rng)
    return rows


def _levers_2(rng) -> list[tuple[str, str, float, str]]:
    """The levers of the second pass over the small update (in-place layers, shared exp, one-pass statistics)."""
    import nn_core
    from nn_core.activations import exp_neg_abs, sigmoid_from_exp
    from nn_core.training import _weight_grad_mean_abs

    rows = []
    a_in = np.ones((1000, 17), order="F")  # [a_i, 1]
    a_in[:, :16] = np.tanh(rng.standard_normal((1000, 16)))
    a_out = np.ones((1000, 17), order="F")[:, :16]  # a_(i+1), the next layer's input
    zbuf = np.empty((1000, 16), order="F")
    Wb = rng.standard_normal((17, 16)) / 4
    what = "hidden layer forward, (1000, 16)"
    rows.append((what, "z into its own buffer, then tanh(z) into a", _cpu(lambda: np.tanh(np.matmul(a_in, Wb, out=zbuf), out=a_out)) * 1e6, "keeps z"))
    rows.append((what, "z into a's buffer, tanh in place (kept)", _cpu(lambda: np.tanh(np.matmul(a_in, Wb, out=a_out), out=a_out)) * 1e6,
                 "alone about the same; one (1000, 16) buffer less per layer gave 3-4% on a whole small fit"))
    zo = rng.standard_normal((1000, 1)) * 3
    Y = (rng.random((1000, 1)) < 0.5).astype(float)
    bce = nn_core.losses.BinaryCrossEntropy()
    a = np.empty_like(zo)
    what = "sigmoid output and its loss, 1000 rows"
    rows.append((what, "sigmoid, then the loss (two exp(-|z|))", _cpu(lambda: (nn_core.activations.sigmoid(zo, out=a), bce.value(zo, a, Y))) * 1e6, ""))
    rows.append((what, "one exp(-|z|) for both (kept)", _cpu(lambda: bce.activate_and_value(zo, Y, out=a)) * 1e6, "same values"))
    assert np.array_equal(sigmoid_from_exp(zo, exp_neg_abs(zo)), nn_core.activations.sigmoid(zo))
    net = nn_core.MLP([2, 16, 16, 1], seed=SEED)
    ws = nn_core.network.Workspace(net, 1000)
    ws.grad[...] = rng.standard_normal(ws.grad.size)
    what = "History mean |dL/dW| of 3 layers"
    rows.append((what, "abs and sum per layer", _cpu(lambda: [float(np.add.reduce(np.abs(g), axis=None)) / g.size for g in ws.grad_W]) * 1e6, ""))
    rows.append((what, "one abs over the gradient vector, np.add.reduceat (kept)", _cpu(lambda: _weight_grad_mean_abs(ws)) * 1e6, ""))
    d = np.asfortranarray(rng.standard_normal((1000, 16)))
    W = rng.standard_normal((16, 16))
    prev = np.empty((1000, 16), order="F")
    what = "(1000, 16) delta @ W.T into the column-major buffer"
    rows.append((what, "np.dot(W, delta.T, out=prev.T)", _cpu(lambda: np.dot(W, d.T, out=prev.T)) * 1e6, "np.dot zeroes its output first"))
    rows.append((what, "np.matmul(delta, W.T, out=prev) (kept)", _cpu(lambda: np.matmul(d, W.T, out=prev)) * 1e6, "np.dot stays for a one-unit layer"))
    return rows


def markdown(result: dict) -> str:
    lines = [
        "| Net (task) | Batch | Optimizer | One update, inside `fit` (us) | One `fit(epochs=1)` call (ms) |",
        "|---|---:|---|---:|---:|",
    ]
    for r in result["steps"]:
        lines.append(
            f"| {r['net']} ({r['task']}) | {r['batch']:,} | {r['optimizer']} | "
            f"{r['update_us']:.1f} (median {r['update_median_us']:.1f}) | "
            f"{r['fit1_ms']:.2f} (median {r['fit1_median_ms']:.2f}; {r['fit1_updates']} update(s)) |"
        )
    met = "met" if result["grid_ms"] < GRID_TARGET_MS else "MISSED"
    lines += [
        "",
        f"Decision-boundary grid, `net.predict_proba` on 10,000 x 2 (100 x 100) for a trained 2-8-8-1 net: "
        f"**{result['grid_ms']:.2f} ms** best of 30 (median {result['grid_median_ms']:.2f} ms); "
        f"target under {GRID_TARGET_MS:.0f} ms: **{met}**.",
    ]
    prof = result["profile"]
    total = sum(us for _, us in prof["rows"])
    lines += [
        "",
        f"### Where one `{prof['task']}` update's time goes",
        "",
        "Each piece re-timed alone (CPU time, best of 7 x 2000 calls) through the engine's own objects. The pieces "
        "sum to less than the update measured inside `fit`; the difference is Python (calls, attribute look-ups, "
        "the loop) and cache effects.",
        "",
        "| Piece | us | share |",
        "|---|---:|---:|",
        *[f"| {name} | {us:.1f} | {us / prof['update_us']:.0%} |" for name, us in prof["rows"]],
        f"| **sum of the pieces** | {total:.1f} | {total / prof['update_us']:.0%} |",
        f"| **one update inside `fit` (200 epochs / 200)** | {prof['update_us']:.1f} | 100% |",
        "",
        "### Levers weighed (CPU time per call)",
        "",
        "| What | Variant | us | Note |",
        "|---|---|---:|---|",
        *[f"| {what} | {variant} | {us:.1f} | {note} |" for what, variant, us, note in result["levers"]],
    ]
    return "\n".join(lines)


def main() -> None:
    print(json.dumps(measure()))


if __name__ == "__main__":
    main()
