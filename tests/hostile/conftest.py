"""Helpers of the hostile-input suite: a trained net to protect, and a bounded subprocess."""

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import nn_core

ROOT = Path(__file__).resolve().parents[2]
X = np.random.default_rng(0).normal(size=(40, 2))
Y = (X[:, 0] * X[:, 1] > 0).astype(int)


@pytest.fixture
def trained():
    """A trained net and a copy of what the user has: its parameters and loss history."""
    net = nn_core.MLP([2, 5, 1], seed=0)
    net.fit(X, Y, epochs=5, learning_rate=0.05, optimizer="adam")
    return net, [p.copy() for p in net.parameters], list(net.history.loss)


def assert_kept(net, params, losses):
    """Nothing the user had was lost: the same weights, the same history."""
    assert all(np.array_equal(a, b) for a, b in zip(net.parameters, params))
    assert net.history.loss == losses


@dataclass
class Bounded:
    stdout: str
    stderr: str
    returncode: int
    seconds: float
    peak_mb: float


def run_bounded(code: str, address_space_mb: int = 2000, timeout: float = 120) -> Bounded:
    """Run ``code`` in a fresh Python with an address-space limit; its time and peak resident memory."""
    def limit():
        cap = address_space_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONPATH": str(ROOT)}
    # VmHWM is this process's own peak: ru_maxrss on Linux keeps the forking parent's (pytest's) peak too
    report = ("\nfor _line in open('/proc/self/status'):\n"
              "    if _line.startswith('VmHWM:'):\n        print('PEAK_KB', _line.split()[1])\n")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code + report], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit, cwd=ROOT, env=env)
    seconds = time.perf_counter() - started
    peaks = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("PEAK_KB ")]
    peak_mb = int(peaks[-1]) / 1024 if peaks else float("inf")
    return Bounded(proc.stdout, proc.stderr, proc.returncode, seconds, peak_mb)
