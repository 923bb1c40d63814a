"""The first steps of each optimizer and each schedule's values, computed by hand.

Two levels: the optimizer objects on one parameter with given gradients, and
the whole ``fit`` on a net small enough to follow on paper:

    net [1, 1] linear, w = 1, b = 0, X = [[1], [1]], y = [0, 0]
    z = w + b for both rows, L = (w + b)^2, dL/dw = dL/db = 2 (w + b).
"""

import math

import numpy as np
import pytest

import nn_core
from nn_core import optimizers, schedules

G1, G2 = 0.5, -0.25  # the two gradients fed to the one-parameter optimizers
LR = 0.1


def two_steps(opt) -> tuple[float, float]:
    p = np.array([1.0])
    opt.step([p], [np.array([G1])], LR)
    p1 = float(p[0])
    opt.step([p], [np.array([G2])], LR)
    return p1, float(p[0])


def test_sgd_first_two_steps_by_hand():
    p1, p2 = two_steps(optimizers.make_optimizer("sgd", [np.zeros(1)]))
    assert p1 == pytest.approx(1.0 - 0.1 * 0.5, rel=1e-15)  # 0.95
    assert p2 == pytest.approx(0.95 - 0.1 * -0.25, rel=1e-15)  # 0.975


def test_momentum_first_two_steps_by_hand():
    p1, p2 = two_steps(optimizers.make_optimizer("momentum", [np.zeros(1)], momentum=0.9))
    # v1 = 0.5, p1 = 1 - 0.1*0.5 = 0.95
    # v2 = 0.9*0.5 - 0.25 = 0.2, p2 = 0.95 - 0.1*0.2 = 0.93
    assert p1 == pytest.approx(0.95, rel=1e-15)
    assert p2 == pytest.approx(0.93, rel=1e-15)


def test_momentum_zero_is_plain_sgd():
    p1, p2 = two_steps(optimizers.make_optimizer("momentum", [np.zeros(1)], momentum=0.0))
    assert (p1, p2) == pytest.approx((0.95, 0.975), rel=1e-15)


def test_adam_first_two_steps_by_hand():
    p1, p2 = two_steps(optimizers.make_optimizer("adam", [np.zeros(1)]))
    # step 1: m = 0.1*0.5 = 0.05, v = 0.001*0.25 = 0.00025
    #         m_hat = 0.05/0.1 = 0.5, v_hat = 0.00025/0.001 = 0.25, sqrt = 0.5
    expected1 = 1.0 - 0.1 * 0.5 / (0.5 + 1e-8)  # 0.900000002
    assert p1 == pytest.approx(expected1, rel=1e-15)
    assert p1 == pytest.approx(0.900000002, rel=1e-15)
    # step 2: m = 0.9*0.05 + 0.1*(-0.25) = 0.02
    #         v = 0.999*0.00025 + 0.001*0.0625 = 0.00031225
    m_hat = 0.02 / (1 - 0.9**2)  # 0.10526315789473684
    v_hat = 0.00031225 / (1 - 0.999**2)  # 0.15620310155077538
    expected2 = expected1 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)
    assert expected2 == pytest.approx(0.900000002 - 0.1 * 0.10526315789 / 0.39522538, rel=1e-9)  # 0.8733662987
    assert p2 == pytest.approx(expected2, rel=1e-14)


def test_adam_first_step_is_lr_times_sign_for_any_gradient_scale():
    for g in (1e-3, 1.0, 1e3):
        opt = optimizers.make_optimizer("adam", [np.zeros(2)])
        p = np.array([0.0, 0.0])
        opt.step([p], [np.array([g, -g])], 0.01)
        np.testing.assert_allclose(p, [-0.01, 0.01], rtol=1e-5)


def test_zero_gradient_leaves_parameters_unchanged():
    for name in optimizers.OPTIMIZERS:
        opt = optimizers.make_optimizer(name, [np.zeros(3)])
        p = np.array([1.0, -2.0, 3.0])
        opt.step([p], [np.zeros(3)], 0.5)
        np.testing.assert_array_equal(p, [1.0, -2.0, 3.0])


# ------------------------------------------------------- through fit
X_ONE = np.array([[1.0], [1.0]])
Y_ZERO = np.array([0.0, 0.0])


def paper_net() -> nn_core.MLP:
    net = nn_core.MLP([1, 1], output="linear", seed=0)
    net.weights[0][0, 0] = 1.0
    net.biases[0][0] = 0.0
    return net


def test_fit_sgd_two_epochs_by_hand():
    net = paper_net()
    h = net.fit(X_ONE, Y_ZERO, epochs=2, learning_rate=0.1, optimizer="sgd")
    # epoch 1: L = 1, g = 2 -> w = 0.8, b = -0.2
    # epoch 2: L = 0.6^2 = 0.36, g = 1.2 -> w = 0.68, b = -0.32
    assert h.loss == pytest.approx([1.0, 0.36], rel=1e-15)
    assert net.weights[0][0, 0] == pytest.approx(0.68, rel=1e-15)
    assert net.biases[0][0] == pytest.approx(-0.32, rel=1e-15)


def test_fit_momentum_two_epochs_by_hand():
    net = paper_net()
    h = net.fit(X_ONE, Y_ZERO, epochs=2, learning_rate=0.1, optimizer="momentum", momentum=0.9)
    # epoch 1: g = 2, v = 2 -> w = 0.8, b = -0.2
    # epoch 2: L = 0.36, g = 1.2, v = 0.9*2 + 1.2 = 3.0 -> w = 0.5, b = -0.5
    assert h.loss == pytest.approx([1.0, 0.36], rel=1e-15)
    assert net.weights[0][0, 0] == pytest.approx(0.5, rel=1e-15)
    assert net.biases[0][0] == pytest.approx(-0.5, rel=1e-15)


def test_fit_adam_two_epochs_by_hand():
    net = paper_net()
    h = net.fit(X_ONE, Y_ZERO, epochs=2, learning_rate=0.1, optimizer="adam")
    # epoch 1: g = 2, m = 0.2, v = 0.004, m_hat = 2, v_hat = 4 -> step = 0.1*2/(2 + 1e-8)
    s1 = 0.1 * 2 / (2 + 1e-8)
    w1, b1 = 1.0 - s1, 0.0 - s1
    # epoch 2: g = 2 (w1 + b1)
    g = 2 * (w1 + b1)
    m = 0.9 * 0.2 + 0.1 * g
    v = 0.999 * 0.004 + 0.001 * g * g
    s2 = 0.1 * (m / (1 - 0.9**2)) / (math.sqrt(v / (1 - 0.999**2)) + 1e-8)
    assert h.loss == pytest.approx([1.0, (w1 + b1) ** 2], rel=1e-14)
    assert net.weights[0][0, 0] == pytest.approx(w1 - s2, rel=1e-14)
    assert net.biases[0][0] == pytest.approx(b1 - s2, rel=1e-14)


def test_fit_l2_and_l1_act_on_the_weight_only():
    net = paper_net()
    h = net.fit(X_ONE, Y_ZERO, epochs=1, learning_rate=0.1, optimizer="sgd", l2=0.5, l1=0.1)
    # L = 1 + 0.5*0.5*1 + 0.1*1 = 1.35
    # dL/dw = 2 + 0.5*1 + 0.1*sign(1) = 2.6 -> w = 0.74; dL/db = 2 -> b = -0.2
    assert h.loss == pytest.approx([1.35], rel=1e-15)
    assert net.weights[0][0, 0] == pytest.approx(0.74, rel=1e-15)
    assert net.biases[0][0] == pytest.approx(-0.2, rel=1e-15)


def test_fit_clip_norm_rescales_the_global_gradient():
    net = paper_net()
    net.fit(X_ONE, Y_ZERO, epochs=1, learning_rate=0.1, optimizer="sgd", clip_norm=1.0)
    # gradient (2, 2) has norm 2*sqrt(2) > 1: scaled to norm 1 (up to torch's 1e-6 guard)
    scale = 1.0 / (2 * math.sqrt(2) + 1e-6)
    assert net.weights[0][0, 0] == pytest.approx(1.0 - 0.1 * 2 * scale, rel=1e-12)
    assert net.biases[0][0] == pytest.approx(-0.1 * 2 * scale, rel=1e-12)


def test_fit_clip_norm_above_the_norm_changes_nothing():
    net = paper_net()
    net.fit(X_ONE, Y_ZERO, epochs=1, learning_rate=0.1, optimizer="sgd", clip_norm=10.0)
    assert net.weights[0][0, 0] == pytest.approx(0.8, rel=1e-15)


def test_fit_schedule_scales_the_step():
    net = paper_net()
    h = net.fit(X_ONE, Y_ZERO, epochs=2, learning_rate=0.1, schedule=nn_core.StepDecay(step_size=1, gamma=0.5))
    # epoch 1: lr 0.1, g = 2 -> w = 0.8, b = -0.2; epoch 2: lr 0.05, g = 1.2 -> w = 0.74, b = -0.26
    assert h.learning_rate == pytest.approx([0.1, 0.05], rel=1e-15)
    assert net.weights[0][0, 0] == pytest.approx(0.74, rel=1e-15)
    assert net.biases[0][0] == pytest.approx(-0.26, rel=1e-15)


# ------------------------------------------------------------ schedules
def test_step_decay_values():
    s = nn_core.StepDecay(step_size=3, gamma=0.5)
    got = [s(0.1, e) for e in range(8)]
    assert got == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025], rel=1e-15)


def test_exponential_decay_values():
    s = nn_core.ExponentialDecay(gamma=0.9)
    assert [s(1.0, e) for e in range(4)] == pytest.approx([1.0, 0.9, 0.81, 0.729], rel=1e-15)


def test_cosine_decay_values():
    s = nn_core.CosineDecay(period=10, min_lr=0.0)
    assert s(1.0, 0) == pytest.approx(1.0, rel=1e-15)
    assert s(1.0, 5) == pytest.approx(0.5, rel=1e-15)
    assert s(1.0, 10) == pytest.approx(0.0, abs=1e-16)
    assert s(1.0, 25) == pytest.approx(0.0, abs=1e-16)  # stays at min_lr after the period
    # (1 + cos(pi/5))/2 = 0.9045084971874737
    assert s(1.0, 2) == pytest.approx(0.9045084971874737, rel=1e-15)
    s2 = nn_core.CosineDecay(period=10, min_lr=0.1)
    assert s2(1.0, 5) == pytest.approx(0.1 + 0.9 * 0.5, rel=1e-15)
    assert s2(1.0, 10) == pytest.approx(0.1, rel=1e-15)


def test_schedule_names_in_fit_record_learning_rates():
    X = np.array([[0.0], [1.0], [2.0]])
    y = np.array([0.0, 1.0, 2.0])
    cases = {
        None: [0.1] * 4,
        "constant": [0.1] * 4,
        "exponential": [0.1 * 0.99**e for e in range(4)],  # default gamma 0.99
        "step": [0.1] * 4,  # default halves every 100 epochs
        "cosine": [0.1 * 0.5 * (1 + math.cos(math.pi * e / 100)) for e in range(4)],  # period 100
    }
    for schedule, expected in cases.items():
        net = nn_core.MLP([1, 1], output="linear", seed=0)
        h = net.fit(X, y, epochs=4, learning_rate=0.1, schedule=schedule)
        assert h.learning_rate == pytest.approx(expected, rel=1e-14, abs=1e-18), schedule


def test_step_schedule_default_halves_after_100_epochs():
    s = schedules.make_schedule("step")
    assert s(1.0, 99) == 1.0 and s(1.0, 100) == 0.5 and s(1.0, 250) == 0.25


def test_named_cosine_restarts_every_100_epochs():
    s = schedules.make_schedule("cosine")
    assert s(1.0, 0) == 1.0 and s(1.0, 50) == pytest.approx(0.5, rel=1e-15) and s(1.0, 100) == 1.0
    assert s(1.0, 99) == pytest.approx(0.5 * (1 + math.cos(math.pi * 99 / 100)), rel=1e-15)
