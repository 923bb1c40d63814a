"""The physical floor of a task: what no NumPy implementation can go below.

    floor = GEMM FLOPs / measured matmul rate + sum over kinds of (NumPy calls x per-call cost)

- GEMM FLOPs: the three products of backpropagation, ``2 n h_i h_{i+1}`` each
  (forward ``a @ W``, gradient ``a.T @ delta``, and ``delta @ W.T`` for every
  layer but the first), summed over layers and updates.
- Matmul rate: the best of a few ``(1024, 1024) @ (1024, 1024)`` products on
  this machine, on one BLAS thread (the run pins one thread; CPU seconds).
- NumPy calls: counted during a real ``net.fit`` by ``count_numpy_calls``:
  every array nn_core allocates is made an ``ndarray`` subclass that tallies
  each top-level ufunc call (elementwise, ``matmul``, reductions), array
  function (``np.dot``, ``np.copyto``, ``np.where`` ...), indexing and copy
  applied to it; calls made inside another counted call are not counted twice.
- Per-call cost: each kind timed on one-element arrays, where the call is all
  overhead.

Elementwise work (tanh, the derivative, the loss) is left out on purpose, so
the floor is a bound below, not an estimate.

    python -m bench.floor TASK [--dtype float64]     prints one JSON line
"""

from __future__ import annotations

import argparse
import json
import time
import timeit
import types
from collections import Counter
from contextlib import contextmanager

import numpy as np

from .tasks import SEED, TASKS, Task, make_data

KINDS = ("matmul", "elementwise", "reduce", "function", "index")


# ------------------------------------------------------------------ counting
class _Counted(np.ndarray):
    """An ndarray that tallies the NumPy calls made on it into ``_Tally.calls``."""

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        _Tally.add(_ufunc_kind(ufunc, method), f"{ufunc.__name__}{'' if method == '__call__' else '.' + method}")
        with _Tally.nested():
            inputs = tuple(_plain(x) for x in inputs)
            if out is not None:
                kwargs["out"] = tuple(_plain(o) for o in out)
            result = getattr(ufunc, method)(*inputs, **kwargs)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return _counted(result)

    def __array_function__(self, func, types_, args, kwargs):
        _Tally.add("matmul" if func.__name__ in ("dot", "vdot", "inner") else "function", func.__name__)
        with _Tally.nested():
            return _counted(super().__array_function__(func, types_, args, kwargs))

    def __getitem__(self, key):
        _Tally.add("index", "getitem")
        with _Tally.nested():
            return super().__getitem__(key)

    def __setitem__(self, key, value):
        _Tally.add("index", "setitem")
        with _Tally.nested():
            super().__setitem__(key, value)

    def copy(self, order="C"):
        _Tally.add("function", "copy")
        with _Tally.nested():
            return super().copy(order)

    def fill(self, value):
        _Tally.add("function", "fill")
        super().fill(value)


def _ufunc_kind(ufunc, method: str) -> str:
    if ufunc is np.matmul:
        return "matmul"
    return "elementwise" if method == "__call__" else "reduce"


def _plain(x):
    return x.view(np.ndarray) if isinstance(x, _Counted) else x


def _counted(x):
    if isinstance(x, np.ndarray) and not isinstance(x, _Counted):
        return x.view(_Counted)
    if isinstance(x, tuple):
        return tuple(_counted(v) for v in x)
    return x


class _Tally:
    calls: Counter = Counter()
    names: Counter = Counter()
    depth = 0

    @classmethod
    def add(cls, kind: str, name: str) -> None:
        if cls.depth == 0:
            cls.calls[kind] += 1
            cls.names[name] += 1

    @classmethod
    @contextmanager
    def nested(cls):
        cls.depth += 1
        try:
            yield
        finally:
            cls.depth -= 1


_ALLOCATORS = ("empty", "empty_like", "zeros", "zeros_like", "ones", "ones_like", "array", "asarray", "ascontiguousarray")


def _counting_numpy() -> types.ModuleType:
    """A stand-in for the ``numpy`` module whose allocators return counted arrays."""
    proxy = types.ModuleType("numpy")
    proxy.__dict__.update(np.__dict__)

    def wrap(alloc):
        def allocate(*args, **kwargs):
            with _Tally.nested():
                return _counted(alloc(*args, **kwargs))
        return allocate

    for name in _ALLOCATORS:
        setattr(proxy, name, wrap(getattr(np, name)))
    return proxy


@contextmanager
def counting_numpy_calls():
    """Within this block, arrays made by nn_core count the NumPy calls made on them."""
    import nn_core

    modules = [m for m in vars(nn_core).values() if isinstance(m, types.ModuleType)]
    modules += [getattr(nn_core, name) for name in ("network", "training", "activations", "losses",
                                                   "optimizers", "validation", "initializers", "schedules")]
    patched = {m: m.np for m in set(modules) if getattr(m, "np", None) is np}
    proxy = _counting_numpy()
    _Tally.calls.clear()
    _Tally.names.clear()
    try:
        for m in patched:
            m.np = proxy
        yield _Tally
    finally:
        for m, original in patched.items():
            m.np = original


def count_numpy_calls(task: Task, dtype: str = "float64", epochs: int | None = None) -> tuple[Counter, Counter, int]:
    """``(calls by kind, calls by name, updates)`` of ``net.fit`` on the task (fewer epochs if given)."""
    import nn_core

    X, y = make_data(task)
    epochs = epochs or task.epochs
    with counting_numpy_calls() as tally:
        net = nn_core.MLP(task.layer_sizes, seed=SEED, dtype=dtype)
        net.fit(X, y, epochs=epochs, learning_rate=task.learning_rate, optimizer=task.optimizer,
                batch_size=task.batch_size, shuffle=task.shuffle)
        calls, names = Counter(tally.calls), Counter(tally.names)
    return calls, names, epochs * len(task.batch_sizes)


# ------------------------------------------------------------------ measuring
def matmul_rate(dtype: str = "float64", size: int = 1024) -> float:
    """Best FLOP/s of a square ``size`` matrix product, on one BLAS thread.

    Timed in CPU seconds, so other processes on a busy machine do not lower it.
    """
    rng = np.random.default_rng(0)
    A, B = (rng.standard_normal((size, size)).astype(dtype) for _ in range(2))
    C = np.empty_like(A)
    best = min(timeit.repeat(lambda: np.matmul(A, B, out=C), number=3, repeat=5, timer=time.process_time)) / 3
    return 2 * size**3 / best


def per_call_seconds(dtype: str = "float64") -> dict[str, float]:
    """The cost of one call of each kind on one-element arrays: the overhead alone."""
    a, b, c = (np.ones((1, 1), dtype=dtype) for _ in range(3))
    cases = {
        "matmul": lambda: np.matmul(a, b, out=c),
        "elementwise": lambda: np.multiply(a, b, out=c),
        "reduce": lambda: np.add.reduce(a, axis=None),
        "function": lambda: np.copyto(c, a),
        "index": lambda: a[:, :1],
    }
    return {k: min(timeit.repeat(f, number=20_000, repeat=7, timer=time.process_time)) / 20_000 for k, f in cases.items()}


def gemm_flops(task: Task) -> int:
    """FLOPs of the products of backpropagation for the whole training run."""
    total = 0
    for rows in task.batch_sizes:
        for i, (fan_in, fan_out) in enumerate(zip(task.layer_sizes[:-1], task.layer_sizes[1:])):
            products = 3 if i > 0 else 2  # forward, weight gradient, delta to the layer below
            total += products * 2 * rows * fan_in * fan_out
    return total * task.epochs


def floor(task: Task, dtype: str = "float64") -> dict:
    """Everything needed for the floor of ``task``; seconds are for the whole training run."""
    count_epochs = min(task.epochs, 50 if task.batch_size is None else 1)
    calls, names, updates = count_numpy_calls(task, dtype, count_epochs)
    per_update = {k: calls[k] / updates for k in KINDS}
    cost = per_call_seconds(dtype)
    rate = matmul_rate(dtype)
    flops = gemm_flops(task)
    gemm_s = flops / rate
    calls_s = task.updates * sum(per_update[k] * cost[k] for k in KINDS)
    return {
        "task": task.name, "dtype": dtype, "updates": task.updates,
        "gemm_flops": flops, "matmul_rate": rate, "gemm_seconds": gemm_s,
        "calls_per_update": per_update, "call_seconds": cost, "calls_seconds": calls_s,
        "floor_seconds": gemm_s + calls_s,
        "top_calls": {k: v / updates for k, v in names.most_common(12)},
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.floor")
    p.add_argument("task", choices=sorted(TASKS))
    p.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    args = p.parse_args(argv)
    print(json.dumps(floor(TASKS[args.task], args.dtype)))


if __name__ == "__main__":
    main()
