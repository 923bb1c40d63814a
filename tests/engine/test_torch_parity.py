"""Training runs against the same runs in PyTorch (float64), from copied initial weights.

Each torch run is a plain loop: per batch, zero the gradients, compute the
data loss plus ``0.5*l2*sum(W^2) + l1*sum(|W|)`` over the weights, backward,
optionally clip, step. The epoch loss is the sample-weighted mean of the batch
losses. Losses and final parameters must agree within a relative 1e-8.
"""

import numpy as np
import pytest

import nn_core

torch = pytest.importorskip("torch")

STEPS = 20
RTOL = 1e-8


def problem(output: str, n: int = 12, d: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    if output == "sigmoid":
        return X, (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64), 1
    if output == "softmax":
        return X, np.argmax(X @ rng.normal(size=(d, 3)), axis=1), 3
    return X, np.column_stack([X[:, 0] - X[:, 1], np.sin(X[:, 2])]), 2


TORCH_ACT = {
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
    "linear": lambda z: z,
}


def torch_loss(logits, y, output):
    if output == "sigmoid":
        return torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], y.to(torch.float64))
    if output == "softmax":
        return torch.nn.functional.cross_entropy(logits, y)
    return torch.nn.functional.mse_loss(logits, y)


def torch_optimizer(name, params, lr, momentum=0.9):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=momentum)
    return torch.optim.Adam(params, lr=lr)


def torch_run(net, X, y, *, optimizer, lr, l2=0.0, l1=0.0, momentum=0.9, batch_size=None,
              clip_norm=None, step_lr=None, epochs=STEPS, changes=None):
    """The plain torch loop; ``changes[e]`` (a dict) changes settings before epoch ``e`` (0-based).

    ``lr``, ``l2``, ``l1``, ``batch_size`` and ``clip_norm`` change as a param
    group's rate does (the optimizer's state stays); ``optimizer`` builds a new one.
    """
    Ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in net.weights]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net.biases]
    params = [p for pair in zip(Ws, bs) for p in pair]
    Xt = torch.tensor(X, dtype=torch.float64)
    yt = torch.tensor(y, dtype=torch.int64 if net.output != "linear" else torch.float64)
    opt = torch_optimizer(optimizer, params, lr, momentum)
    sched = torch.optim.lr_scheduler.StepLR(opt, **step_lr) if step_lr else None
    n = X.shape[0]
    bsz = n if batch_size is None else batch_size
    losses, lrs = [], []
    for epoch in range(epochs):
        change = (changes or {}).get(epoch, {})
        if "optimizer" in change:
            opt = torch_optimizer(change["optimizer"], params, opt.param_groups[0]["lr"], momentum)
        if "lr" in change:
            opt.param_groups[0]["lr"] = change["lr"]
        l2, l1 = change.get("l2", l2), change.get("l1", l1)
        bsz, clip_norm = change.get("batch_size", bsz), change.get("clip_norm", clip_norm)
        lrs.append(opt.param_groups[0]["lr"])
        total = 0.0
        for start in range(0, n, bsz):
            xb, yb = Xt[start : start + bsz], yt[start : start + bsz]
            opt.zero_grad()
            a = xb
            for i, (W, b) in enumerate(zip(Ws, bs)):
                z = a @ W + b
                a = TORCH_ACT[net.activations[i]](z) if i < len(Ws) - 1 else z
            loss = torch_loss(z, yb, net.output)
            for W in Ws:
                loss = loss + 0.5 * l2 * (W**2).sum() + l1 * W.abs().sum()
            loss.backward()
            if clip_norm is not None:
                torch.nn.utils.clip_grad_norm_(params, clip_norm)
            opt.step()
            total += loss.item() * xb.shape[0]
        losses.append(total / n)
        if sched is not None:
            sched.step()
    return losses, [p.detach().numpy() for p in params], lrs


def assert_same_run(net, history, t_losses, t_params):
    assert history.status == "completed"
    np.testing.assert_allclose(history.loss, t_losses, rtol=RTOL, atol=0)
    for i, (p, q) in enumerate(zip(net.parameters, t_params)):
        np.testing.assert_allclose(p, q, rtol=RTOL, atol=1e-14, err_msg=f"parameter {i}")


HIDDEN_FOR = {"sigmoid": "tanh", "softmax": "relu", "linear": "sigmoid"}
OPT_CASES = [
    ("sgd", 0.1, 0.01, 0.003),
    ("momentum", 0.05, 0.01, 0.0),
    ("adam", 0.01, 0.01, 0.0),
]


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
@pytest.mark.parametrize(("optimizer", "lr", "l2", "l1"), OPT_CASES, ids=[c[0] for c in OPT_CASES])
def test_full_batch_matches_torch(output, optimizer, lr, l2, l1):
    X, y, k = problem(output)
    net = nn_core.MLP([X.shape[1], 6, 5, k], activation=HIDDEN_FOR[output], output=output, seed=1)
    t_losses, t_params, _ = torch_run(net, X, y, optimizer=optimizer, lr=lr, l2=l2, l1=l1)
    h = net.fit(X, y, epochs=STEPS, learning_rate=lr, optimizer=optimizer, l2=l2, l1=l1)
    assert_same_run(net, h, t_losses, t_params)


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_leaky_relu_and_linear_hidden_match_torch(output):
    X, y, k = problem(output, seed=3)
    net = nn_core.MLP([X.shape[1], 5, 4, k], activation=["leaky_relu", "linear"], output=output, seed=2)
    t_losses, t_params, _ = torch_run(net, X, y, optimizer="momentum", lr=0.05, momentum=0.8, l2=0.02)
    h = net.fit(X, y, epochs=STEPS, learning_rate=0.05, optimizer="momentum", momentum=0.8, l2=0.02)
    assert_same_run(net, h, t_losses, t_params)


@pytest.mark.parametrize(
    ("output", "optimizer"), [("softmax", "adam"), ("sigmoid", "momentum"), ("linear", "sgd")]
)
def test_mini_batch_without_shuffle_matches_torch(output, optimizer):
    X, y, k = problem(output, n=13, seed=4)  # batches of 5, 5, 3
    net = nn_core.MLP([X.shape[1], 6, k], activation="tanh", output=output, seed=5)
    t_losses, t_params, _ = torch_run(net, X, y, optimizer=optimizer, lr=0.03, l2=0.01, batch_size=5)
    h = net.fit(X, y, epochs=STEPS, learning_rate=0.03, optimizer=optimizer, l2=0.01,
                batch_size=5, shuffle=False)
    assert_same_run(net, h, t_losses, t_params)


def test_clip_norm_matches_torch_clip_grad_norm():
    X, y, k = problem("linear", seed=6)
    y = 10 * y  # large gradients so that clipping is active
    net = nn_core.MLP([X.shape[1], 6, k], activation="tanh", output="linear", seed=6)
    assert np.sqrt(sum(np.sum(g**2) for g in net.loss_and_gradients(X, y)[1])) > 1.0
    t_losses, t_params, _ = torch_run(net, X, y, optimizer="momentum", lr=0.02, clip_norm=0.5, l2=0.01)
    h = net.fit(X, y, epochs=STEPS, learning_rate=0.02, optimizer="momentum", clip_norm=0.5, l2=0.01)
    assert_same_run(net, h, t_losses, t_params)
    # and clipping made a difference
    unclipped = nn_core.MLP([X.shape[1], 6, k], activation="tanh", output="linear", seed=6)
    unclipped.fit(X, y, epochs=STEPS, learning_rate=0.02, optimizer="momentum", l2=0.01)
    assert not np.allclose(unclipped.weights[0], net.weights[0], rtol=1e-3)


def test_clip_norm_with_adam_mini_batches_matches_torch():
    X, y, k = problem("softmax", n=10, seed=7)
    net = nn_core.MLP([X.shape[1], 5, k], activation="tanh", output="softmax", seed=7)
    t_losses, t_params, _ = torch_run(net, X, y, optimizer="adam", lr=0.05, clip_norm=0.1, batch_size=4)
    h = net.fit(X, y, epochs=STEPS, learning_rate=0.05, optimizer="adam", clip_norm=0.1,
                batch_size=4, shuffle=False)
    assert_same_run(net, h, t_losses, t_params)


def test_step_decay_matches_torch_step_lr():
    X, y, k = problem("sigmoid", seed=8)
    net = nn_core.MLP([X.shape[1], 6, k], activation="tanh", output="sigmoid", seed=8)
    t_losses, t_params, t_lrs = torch_run(
        net, X, y, optimizer="momentum", lr=0.2, step_lr={"step_size": 6, "gamma": 0.3}
    )
    h = net.fit(X, y, epochs=STEPS, learning_rate=0.2, optimizer="momentum",
                schedule=nn_core.StepDecay(step_size=6, gamma=0.3))
    np.testing.assert_allclose(h.learning_rate, t_lrs, rtol=1e-14)
    assert_same_run(net, h, t_losses, t_params)


def test_continued_adam_run_matches_one_torch_run():
    X, y, k = problem("linear", seed=9)
    net = nn_core.MLP([X.shape[1], 6, k], activation="tanh", output="linear", seed=9)
    t_losses, t_params, _ = torch_run(net, X, y, optimizer="adam", lr=0.01)
    net.fit(X, y, epochs=STEPS // 2, learning_rate=0.01, optimizer="adam")
    h = net.fit(X, y, epochs=STEPS // 2, learning_rate=0.01, optimizer="adam")
    assert_same_run(net, h, t_losses, t_params)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_settings_changed_between_fits_match_torch_changing_them_mid_run(optimizer):
    # learning rate, penalties, batch size and clipping steered after 10 epochs: the optimizer
    # state carries on, as when a torch param group's settings change mid-run
    X, y, k = problem("softmax", n=13, seed=10)
    net = nn_core.MLP([X.shape[1], 6, k], activation="tanh", output="softmax", seed=10)
    first = dict(lr=0.01, l2=0.0, l1=0.0, batch_size=5, clip_norm=None)
    second = dict(lr=0.05, l2=0.02, l1=0.003, batch_size=4, clip_norm=0.3)
    t_losses, t_params, t_lrs = torch_run(net, X, y, optimizer=optimizer, lr=first["lr"], batch_size=5,
                                          changes={STEPS // 2: second})
    for settings in (first, second):
        h = net.fit(X, y, epochs=STEPS // 2, learning_rate=settings["lr"], optimizer=optimizer,
                    l2=settings["l2"], l1=settings["l1"], batch_size=settings["batch_size"],
                    clip_norm=settings["clip_norm"], shuffle=False)
    assert h.learning_rate == t_lrs
    assert_same_run(net, h, t_losses, t_params)


def test_another_optimizer_keeps_the_weights_and_starts_a_fresh_state_as_in_torch():
    X, y, k = problem("sigmoid", seed=11)
    net = nn_core.MLP([X.shape[1], 6, k], activation="tanh", output="sigmoid", seed=11)
    t_losses, t_params, _ = torch_run(net, X, y, optimizer="momentum", lr=0.05,
                                      changes={STEPS // 2: {"optimizer": "adam", "lr": 0.01}})
    net.fit(X, y, epochs=STEPS // 2, learning_rate=0.05, optimizer="momentum")
    h = net.fit(X, y, epochs=STEPS // 2, learning_rate=0.01, optimizer="adam")
    assert_same_run(net, h, t_losses, t_params)
