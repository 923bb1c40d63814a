"""Run the training benchmark and the micro-benchmarks; write their sections of RESULTS.md.

Every measurement runs in a fresh child process (``bench.child``,
``bench.floor``, ``bench.micro``) so that no library's imports, caches or
thread pools leak into another's numbers.

Threads: the machine has 2 cores and is shared. The main table pins every
library to one thread, the same for all three (``OMP_NUM_THREADS``,
``OPENBLAS_NUM_THREADS`` and ``MKL_NUM_THREADS`` set to 1 in the child, plus
``torch.set_num_threads(1)``). A second table leaves each library its own
default (OpenBLAS and PyTorch take both cores), to show what that changes.
``OPENBLAS_CORETYPE``/``OPENBLAS_L2_SIZE`` are passed through untouched.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .results import write_section
from .tasks import TASKS, Task
from .training_report import DEFAULTS_BUDGET, training_markdown

ROOT = Path(__file__).resolve().parent.parent
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "XLA_FLAGS")
# XLA's CPU client: no Eigen thread pool, one thread inside an operation
XLA_ONE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
CHILD_TIMEOUT = 300  # seconds per answer of a child


def trainers() -> tuple[str, ...]:
    """The trainers to run: JAX only where it is installed (an optional reference, like PyTorch)."""
    return ("nn_core", "sklearn", "torch") + (("jax",) if jax_installed() else ())


def jax_installed() -> bool:
    return importlib.util.find_spec("jax") is not None


# ------------------------------------------------------------------ children
def child_env(threads: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    if threads == "1":
        env.update(dict.fromkeys(THREAD_VARIABLES[:3], "1"), XLA_FLAGS=XLA_ONE_THREAD)
    return env


def run_child(args: list[str], threads: str = "1") -> dict:
    """``python -m <args>`` in a fresh process; its last stdout line parsed as JSON."""
    try:
        proc = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=child_env(threads),
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {CHILD_TIMEOUT} s"}
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


class Child:
    """A ``bench.child`` process: one trainer on one task, asked for one repetition at a time."""

    def __init__(self, trainer: str, task: str, dtype: str, threads: str):
        self.key = (task, trainer, dtype)
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.child", trainer, task, "--dtype", dtype, "--threads", threads],
            cwd=ROOT, env=child_env(threads), text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
        )
        self.reps: list[dict] = []
        self.error: str | None = None

    def ask(self, command: str | None) -> dict | str | None:
        """Send ``command`` (or nothing: wait for ``ready``); its one-line answer, or None on failure."""
        if self.error:
            return None
        watchdog = threading.Timer(CHILD_TIMEOUT, self.proc.kill)  # a stuck library is reported, not waited for
        watchdog.start()
        try:
            if command:
                self.proc.stdin.write(command + "\n")
                self.proc.stdin.flush()
            line = self.proc.stdout.readline().strip()
        except (BrokenPipeError, OSError):
            line = ""
        finally:
            watchdog.cancel()
        if not line:
            self.proc.kill()
            self.proc.wait()
            self.stderr.seek(0)
            lines = self.stderr.read().strip().splitlines()
            self.error = lines[-1] if lines else f"no answer (exit {self.proc.returncode}; {CHILD_TIMEOUT} s limit)"
            return None
        return line if line == "ready" else json.loads(line)

    def finish(self) -> dict:
        summary = self.ask("end")
        self.proc.wait()
        if self.error or not self.reps:
            return {"error": self.error or "no repetition"}
        # JAX also answers first_seconds / first_cpu_seconds: its first call, compile included
        timed = [k for k in ("seconds", "cpu_seconds", "first_seconds", "first_cpu_seconds") if k in self.reps[0]]
        return {
            **{k: [r[k] for r in self.reps] for k in timed},
            "final_loss": self.reps[-1]["loss"],
            "losses_agree": len({r["loss"] for r in self.reps}) == 1,
            **summary,
        }


def train_runs(tasks: list[Task], reps: int, threads: str, log, budget: float | None = None) -> dict:
    """``{(task, trainer, dtype): result}`` for every trainer on every task.

    A task's trainers run in their own processes side by side, one repetition
    each in turn (the order reversed every round), so a burst of load from
    other processes lands on all of them alike. With ``budget`` (seconds), the
    rounds stop once it is spent, after at least one.
    """
    results = {}
    for task in tasks:
        configs = [(t, "float64") for t in trainers()]
        if task.name == "large":
            configs += [(t, "float32") for t in ("nn_core", "jax") if t in trainers()]
        children = [Child(trainer, task.name, dtype, threads) for trainer, dtype in configs]
        for child in children:
            child.ask(None)  # ready: imports and data done
        started = time.perf_counter()
        for r in range(reps):
            for child in (children if r % 2 == 0 else children[::-1]):
                answer = child.ask("rep")
                if answer is not None:
                    child.reps.append(answer)
            if budget is not None and time.perf_counter() - started > budget:
                break
        for child in children:
            results[child.key] = result = child.finish()
            label = f"{task.name:9s} {child.key[1]:8s} {child.key[2]} threads={threads}"
            if "error" in result:
                log(f"  {label}: error: {result['error']}")
            else:
                log(f"  {label}: best {min(result['seconds']):.3f} s of {len(result['seconds'])}, "
                    f"loss {result['final_loss']:.10f}")
    return results


# ------------------------------------------------------------------ the machine
def machine() -> dict:
    import numpy as np

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    features = np._core._multiarray_umath.__cpu_features__
    simd = [f for f in ("AVX512F", "AVX2", "FMA3") if features.get(f)]
    return {
        "cpu": cpu, "logical_cpus": os.cpu_count(), "simd": simd,
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "openblas_env": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ},
    }


# ------------------------------------------------------------------ entry points
def run_training(reps: int = 5, task_names: list[str] | None = None, with_defaults: bool = True, log=print) -> list[str]:
    tasks = [TASKS[name] for name in (task_names or list(TASKS))]
    started, load0 = time.time(), os.getloadavg()[0]
    log("training, one thread each:")
    pinned = train_runs(tasks, reps, "1", log)
    log("floor (NumPy calls counted, matmul rate measured):")
    floors = {}
    for task in tasks:
        for dtype in (("float64", "float32") if task.name == "large" else ("float64",)):
            floors[(task.name, dtype)] = run_child(["bench.floor", task.name, "--dtype", dtype], "1")
    defaults = {}
    if with_defaults:
        log("training, library defaults:")
        defaults = train_runs(tasks, reps, "default", log, budget=DEFAULTS_BUDGET)
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)), "reps": reps,
        "minutes": (time.time() - started) / 60, "load": (load0, os.getloadavg()[0]), "machine": machine(),
    }
    markdown, missed = training_markdown(pinned, defaults, floors, tasks, meta)
    write_section("training", markdown)
    Path(ROOT / "bench" / "_out").mkdir(exist_ok=True)
    raw = {"pinned": {"|".join(k): v for k, v in pinned.items()}, "defaults": {"|".join(k): v for k, v in defaults.items()},
           "floors": {"|".join(k): v for k, v in floors.items()}, "meta": meta}
    (ROOT / "bench" / "_out" / "training.json").write_text(json.dumps(raw, indent=1))
    return missed


def run_micro(log=print) -> None:
    from . import micro

    log("micro-benchmarks (one thread):")
    result = run_child(["bench.micro"], "1")
    if "error" in result:
        raise RuntimeError(result["error"])
    body = [
        "## Micro-benchmarks",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python -m bench micro`, one thread, "
        "in a fresh process; float64, History on.",
        "",
        micro.markdown(result),
    ]
    write_section("micro", "\n".join(body))
    log(f"  grid {result['grid_ms']:.2f} ms")
