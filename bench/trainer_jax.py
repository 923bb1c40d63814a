"""The JAX trainer: the whole training loop compiled (``jax.jit`` over ``lax.scan``).

An optional reference, like PyTorch: ``bench.run`` runs it only where ``jax``
is installed (CPU build, ``pip install jax jaxlib``) and says so otherwise.
64-bit floats are enabled and, in the one-thread table, the parent sets
``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1``
besides the BLAS thread variables.

Same work as nn_core: its initial weights (zero biases); tanh hidden layers,
one logit ``z`` and the binary cross-entropy
``mean(max(z, 0) - y z + log(1 + exp(-|z|)))``; plain SGD ``p -= lr g`` or
Adam as nn_core writes it (``p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)``,
``b1 = 0.9``, ``b2 = 0.999``, ``eps = 1e-8``); for mini-batches, nn_core's
shuffling stream (``default_rng(SEED).permutation(n)`` once per epoch), the
full batches by ``lax.scan`` and the short last one as one more step. The
per-epoch loss (the mean over the epoch's rows, as nn_core records it) is the
scan's output.

One repetition: every JAX cache cleared, the first call timed (trace, compile
and run: ``first_seconds``) and then a second call with the same shapes
(``seconds``: the steady time). The permutations are drawn inside the timed
region, as nn_core draws them inside ``fit``.
"""

from __future__ import annotations

import time

import numpy as np

from .tasks import SEED, Task, make_data
from .trainers import initial_weights

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def jax_trainer(task: Task, dtype: str = "float64"):
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from jax import lax

    X, y = make_data(task)
    Xj = jnp.asarray(X.astype(dtype))
    Yj = jnp.asarray(y.astype(dtype)).reshape(-1, 1)
    start_weights = [W.astype(dtype) for W in initial_weights(task)]
    lr = task.learning_rate
    batch = task.batch_size or task.n
    full, rest = divmod(task.n, batch)

    def loss_of(params, xb, yb):
        a = xb
        for W, b in params[:-1]:
            a = jnp.tanh(a @ W + b)
        W, b = params[-1]
        z = a @ W + b
        return jnp.mean(jnp.maximum(z, 0) - z * yb + jnp.log1p(jnp.exp(-jnp.abs(z))))

    loss_and_grad = jax.value_and_grad(loss_of)

    def step(params, opt, xb, yb):
        loss, g = loss_and_grad(params, xb, yb)
        if task.optimizer == "sgd":
            return jax.tree.map(lambda p, g: p - lr * g, params, g), opt, loss
        t, m, v = opt
        t = t + 1
        m = jax.tree.map(lambda m, g: BETA1 * m + (1 - BETA1) * g, m, g)
        v = jax.tree.map(lambda v, g: BETA2 * v + (1 - BETA2) * g * g, v, g)
        size, root = lr / (1 - BETA1**t), jnp.sqrt(1 - BETA2**t)
        params = jax.tree.map(lambda p, m, v: p - size * m / (jnp.sqrt(v) / root + EPS), params, m, v)
        return params, (t, m, v), loss

    def minibatch_epoch(carry, order):
        def one(carry, rows):
            params, opt, loss = step(*carry, jnp.take(Xj, rows, axis=0), jnp.take(Yj, rows, axis=0))
            return (params, opt), loss * rows.shape[0]

        carry, losses = lax.scan(one, carry, order[: full * batch].reshape(full, batch))
        total = jnp.sum(losses)
        if rest:
            rows = order[full * batch:]
            params, opt, loss = step(*carry, jnp.take(Xj, rows, axis=0), jnp.take(Yj, rows, axis=0))
            carry, total = (params, opt), total + loss * rest
        return carry, total / task.n

    def full_batch_epoch(carry, _):
        params, opt, loss = step(*carry, Xj, Yj)
        return (params, opt), loss

    def fit(params, opt, orders):
        """Every epoch in one compiled loop; returns the final parameters and the epoch losses."""
        if orders is None:
            carry, losses = lax.scan(full_batch_epoch, (params, opt), None, length=task.epochs)
        else:
            carry, losses = lax.scan(minibatch_epoch, (params, opt), orders)
        return carry[0], losses

    compiled = jax.jit(fit)

    def call() -> float:
        params = [(jnp.asarray(W), jnp.zeros(W.shape[1], dtype)) for W in start_weights]
        zeros = jax.tree.map(jnp.zeros_like, params)
        opt = (jnp.zeros((), dtype), zeros, zeros)
        orders = None
        if task.shuffle:
            rng = np.random.default_rng(SEED)  # nn_core's shuffling stream: the same batches
            orders = jnp.asarray(np.stack([rng.permutation(task.n) for _ in range(task.epochs)]))
        _, losses = compiled(params, opt, orders)
        return float(np.asarray(losses)[-1])  # waits for the result

    def train() -> tuple[float, float, dict]:
        jax.clear_caches()  # every repetition compiles anew, as every new net in the dashboard would
        w, c = time.perf_counter(), time.process_time()
        call()
        first, first_cpu = time.perf_counter() - w, time.process_time() - c
        w, c = time.perf_counter(), time.process_time()
        loss = call()
        seconds, cpu = time.perf_counter() - w, time.process_time() - c
        return seconds, loss, {"cpu_seconds": cpu, "first_seconds": first, "first_cpu_seconds": first_cpu}

    return train
