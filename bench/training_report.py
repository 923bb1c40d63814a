"""The markdown of the training section: the results tables, the targets, the floor.

Pure functions of the results ``bench.run`` collects (``{(task, trainer, dtype): result}``).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .tasks import TASKS, Task

NAMES = {"nn_core": "nn_core", "sklearn": "scikit-learn", "torch": "PyTorch", "jax": "JAX"}
DEFAULTS_BUDGET = 30  # seconds of rounds per task for the library-defaults table


@dataclass(frozen=True)
class Target:
    """nn_core (``dtype``) at least ``speedup`` times faster than ``versus``'s ``measure`` (its best)."""

    task: str
    versus: str  # "sklearn", "torch" or "jax"
    speedup: float
    dtype: str = "float64"
    measure: str = "seconds"  # JAX: "seconds" is the steady call, "first_seconds" compile + run
    wording: str = ""  # how the table names it, when not "nn_core >= Nx faster than ..."

    @property
    def name(self) -> str:
        who = f"nn_core{' float32' if self.dtype == 'float32' else ''}"
        return f"{self.task}: {who} " + (self.wording or f">= {self.speedup}x faster than {NAMES[self.versus]}")


JAX_STEADY, JAX_FIRST = "as fast as JAX's steady call (>= 1.00x)", "faster than JAX's compile + run (>= 1.00x)"
TARGETS = [
    Target("small", "sklearn", 1.8), Target("small", "torch", 1.6),
    Target("dashboard", "sklearn", 1.8), Target("dashboard", "torch", 1.6),
    Target("large", "sklearn", 1.3), Target("large", "torch", 1.3),
    Target("large", "sklearn", 2.5, "float32"), Target("large", "torch", 2.5, "float32"),
    Target("small", "jax", 1.0, wording=JAX_STEADY), Target("dashboard", "jax", 1.0, wording=JAX_STEADY),
    Target("large", "jax", 1 / 1.2, wording="within 1.2x of JAX's steady call (>= 0.83x)"),
    *[Target(task, "jax", 1.0, measure="first_seconds", wording=JAX_FIRST) for task in ("small", "dashboard", "large")],
]
JAX_LOSS_TOLERANCE = 1e-9  # relative: the same updates in another order of floating-point sums


# ------------------------------------------------------------------ markdown
def _best(r: dict) -> float:
    return min(r["seconds"])


def _fmt_s(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds >= 0.1 else f"{seconds * 1e3:.1f} ms"


def _label(trainer: str, dtype: str) -> str:
    return NAMES[trainer] + (" (float32)" if dtype == "float32" else "")


def results_table(results: dict, tasks: list[Task]) -> list[str]:
    lines = [
        "| Task | Trainer | Best (s) | Median (s) | Reps | This / nn_core float64 | Best CPU (s) | CPU ratio | "
        "Final training loss | Peak RSS (MB) | Added by training (MB) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for task in tasks:
        ours = results.get((task.name, "nn_core", "float64"), {})
        for (name, trainer, dtype), r in results.items():
            if name != task.name:
                continue
            label = _label(trainer, dtype)
            if "error" in r:
                lines.append(f"| {task.name} | {label} | {r['error']} | | | | | | | | |")
                continue
            added = "" if r["train_rss_mb"] is None else f"{r['train_rss_mb']:.1f}"
            rows = [(label + (", steady call" if "first_seconds" in r else ""), "seconds", "cpu_seconds")]
            if "first_seconds" in r:
                rows.append((label + ", compile + run", "first_seconds", "first_cpu_seconds"))
            for row_label, wall, cpu in rows:
                ratio = cpu_ratio = ""
                if "seconds" in ours and not (trainer == "nn_core" and dtype == "float64"):
                    ratio = f"{min(r[wall]) / _best(ours):.2f}x"
                    cpu_ratio = f"{min(r[cpu]) / min(ours['cpu_seconds']):.2f}x"
                lines.append(
                    f"| {task.name} | {row_label} | {min(r[wall]):.4f} | {statistics.median(r[wall]):.4f} | "
                    f"{len(r[wall])} | {ratio} | {min(r[cpu]):.4f} | {cpu_ratio} | {r['final_loss']:.10f} | "
                    f"{r['peak_rss_mb']:.0f} | {added} |"
                )
    return lines


def targets_table(results: dict) -> tuple[list[str], list[str]]:
    lines = ["| Target | Measured (best wall time; CPU time in brackets) | Met |", "|---|---:|---|"]
    missed = []
    for t in TARGETS:
        ours, ref = results.get((t.task, "nn_core", t.dtype)), results.get((t.task, t.versus, "float64"))
        name = t.name
        if t.versus == "jax" and not any(key[1] == "jax" for key in results):
            lines.append(f"| {name} | JAX is not installed: skipped | n/a |")
            continue
        if not ours or not ref or "error" in ours or "error" in ref:
            lines.append(f"| {name} | n/a | no result |")
            continue
        ratio = min(ref[t.measure]) / _best(ours)
        cpu = min(ref["first_cpu_seconds" if t.measure == "first_seconds" else "cpu_seconds"]) / min(ours["cpu_seconds"])
        met = ratio >= t.speedup
        lines.append(f"| {name} | {ratio:.2f}x ({cpu:.2f}x) | {'yes' if met else '**no**'} |")
        if not met:
            missed.append(name)
    for task in TASKS:
        ours, jx = results.get((task, "nn_core", "float64")), results.get((task, "jax", "float64"))
        if ours and jx and "error" not in ours and "error" not in jx:
            gap = abs(jx["final_loss"] - ours["final_loss"]) / abs(ours["final_loss"])
            met = gap <= JAX_LOSS_TOLERANCE
            lines.append(f"| {task}: JAX final loss within {JAX_LOSS_TOLERANCE:.0e} (relative) of nn_core's | "
                         f"{gap:.1e} | {'yes' if met else '**no**'} |")
            if not met:
                missed.append(f"{task}: JAX final loss")
    # float32 accuracy and memory
    r32, r64 = results.get(("large", "nn_core", "float32")), results.get(("large", "nn_core", "float64"))
    if r32 and r64 and "error" not in r32 and "error" not in r64:
        gap = abs(r32["final_loss"] - r64["final_loss"])
        lines.append(f"| large: float32 final loss within 1e-3 of float64 | {gap:.2e} | {'yes' if gap <= 1e-3 else '**no**'} |")
        if gap > 1e-3:
            missed.append("float32 loss gap")
    for task in sorted({k[0] for k in results}, key=list(TASKS).index):
        sk = results.get((task, "sklearn", "float64"))
        for dtype in ("float64", "float32"):
            ours = results.get((task, "nn_core", dtype))
            if not ours or not sk or "error" in ours or "error" in sk:
                continue
            met = ours["peak_rss_mb"] <= sk["peak_rss_mb"]
            name = f"{task}: nn_core{' float32' if dtype == 'float32' else ''} peak RSS <= scikit-learn's"
            added = ""
            if ours["train_rss_mb"] is not None and sk["train_rss_mb"] is not None:
                added = f" (added by training: {ours['train_rss_mb']:.1f} vs {sk['train_rss_mb']:.1f} MB)"
            lines.append(f"| {name} | {ours['peak_rss_mb']:.0f} vs {sk['peak_rss_mb']:.0f} MB{added} | {'yes' if met else '**no**'} |")
            if not met:
                missed.append(name)
    return lines, missed


SMALL_VS_SKLEARN = (
    "Why `small` missed 1.8x against scikit-learn in this run: both libraries call the same `np.tanh`, which on "
    "this CPU runs numpy's AVX-512 loop at about 1.1 ns per element, some 36 us of every update for the two "
    "(1000, 16) hidden layers, about a quarter of nn_core's update. The faster-tanh lever (np.tanh at 13.6 ns per "
    "element without SIMD) does not exist here: the accurate expm1 form is 2x slower than np.tanh and the one-exp "
    "form is both slower and wrong near 0 (Levers, micro section). What remains of an nn_core update is the matrix "
    "products (about 30%), three elementwise passes per hidden layer for tanh' and the product, the output's "
    "sigmoid and loss, the History statistics (about 11%) and Python. Separate fresh processes of the same "
    "trainer differ by up to 5% on this shared machine (seen: 137 to 145 ms for nn_core), enough to move `small` across "
    "1.8x from one run to the next; see \"Where one small update's time goes\" in the micro section."
)


JAX_GAP = (
    "What JAX's steady call saves over nn_core, from the profile of one `small` update in the micro section "
    "(137.8 us on a quiet machine): XLA compiles the whole loop into one program, so (1) no Python and no NumPy "
    "dispatch per operation: nn_core makes 44 to 55 NumPy calls per update, 16 ms of `small`'s 135 ms and 6 ms of "
    "`dashboard`'s 25 ms at their measured per-call cost (the floor table); (2) the elementwise passes are fused: "
    "nn_core's tanh (26% of the update), tanh' and its product with the delta (18%), the output's sigmoid and "
    "loss (8%) and, on `dashboard`, Adam's ten in-place passes over the parameter vector each read and write "
    "memory once per NumPy call, where XLA reads it once per fused loop; (3) nn_core keeps the per-epoch History "
    "statistics the dashboard draws (mean |dL/dW| and mean |a| per layer: 11% of a `small` update), which the JAX "
    "loop does not compute. A switch to turn History off would buy at most that 11% (not added: the engine's fit "
    "loop is being reworked elsewhere); the rest is the price of an eager NumPy engine against a compiler. On "
    "`large` the matrix products dominate (the floor table: 0.17 s of GEMM at the measured rate) and the gap is "
    "smallest in CPU time. What a dashboard user waits for is the first call: every net the dashboard trains is a "
    "new shape for JAX, and there nn_core wins every task (the compile + run rows)."
)


def miss_notes(missed: list[str], results: dict | None = None) -> list[str]:
    """Explanations for the missed targets whose cause has been measured."""
    notes = []
    if any(name.startswith("small:") and "scikit-learn" in name and "RSS" not in name for name in missed):
        notes += [SMALL_VS_SKLEARN, ""]
    if any("JAX's steady" in name for name in missed):
        notes += [JAX_GAP, ""]
    loaded = []
    for t in TARGETS:
        ours, ref = (results or {}).get((t.task, "nn_core", t.dtype)), (results or {}).get((t.task, t.versus, "float64"))
        if t.name in missed and ours and ref and "error" not in ours and "error" not in ref and t.measure == "seconds":
            if min(ref["cpu_seconds"]) / min(ours["cpu_seconds"]) >= t.speedup:
                loaded.append(t.name)
    if loaded:
        notes += ["Missed on wall time but met on CPU time, so the load of other processes decided them in this run: "
                  + "; ".join(loaded) + ".", ""]
    return notes


def memory_note(results: dict) -> str:
    """A sentence on where nn_core's training adds more memory than scikit-learn's, if anywhere."""
    more = []
    for (task, trainer, dtype), r in results.items():
        sk = results.get((task, "sklearn", "float64"), {})
        if trainer != "nn_core" or "error" in r or r.get("train_rss_mb") is None or sk.get("train_rss_mb") is None:
            continue
        if r["train_rss_mb"] > sk["train_rss_mb"]:
            more.append(f"{task} {dtype} ({r['train_rss_mb']:.1f} vs {sk['train_rss_mb']:.1f} MB)")
    if not more:
        return "nn_core's training adds no more than scikit-learn's on any task."
    return (
        "nn_core's training adds more than scikit-learn's on " + ", ".join(more) + ". On the 1,000-row tasks that is "
        "the first use of the code paths plus the Workspace buffers and the History (the per-epoch statistics "
        "scikit-learn does not keep); float32 on `large` adds the float32 copy `fit` makes of the float64 X (8 MB)."
    )


def floor_table(floors: dict, results: dict) -> list[str]:
    lines = [
        "| Task | GEMM work | GEMM time at the measured rate | NumPy calls per update (matmul / elementwise / reduce / other) | "
        "Call overhead | Floor | nn_core | x floor | scikit-learn x floor | PyTorch x floor | JAX steady x floor |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (task, dtype), f in floors.items():
        if "error" in f:
            lines.append(f"| {task} ({dtype}) | {f['error']} | | | | | | | | |")
            continue
        c = f["calls_per_update"]
        other = c["function"] + c["index"]
        ours = results.get((task, "nn_core", dtype), {})
        cells = []
        for trainer in ("nn_core", "sklearn", "torch", "jax"):
            r = results.get((task, trainer, "float64" if trainer != "nn_core" else dtype), {})
            cells.append(f"{_best(r) / f['floor_seconds']:.1f}x" if "seconds" in r else "n/a")
        lines.append(
            f"| {task} ({dtype}) | {f['gemm_flops'] / 1e9:.2f} GFLOP at {f['matmul_rate'] / 1e9:.0f} GFLOP/s | "
            f"{_fmt_s(f['gemm_seconds'])} | {c['matmul']:.1f} / {c['elementwise']:.1f} / {c['reduce']:.1f} / {other:.1f} "
            f"(total {sum(c.values()):.1f}) | {_fmt_s(f['calls_seconds'])} | {_fmt_s(f['floor_seconds'])} | "
            f"{_fmt_s(_best(ours)) if 'seconds' in ours else 'n/a'} | {' | '.join(cells)} |"
        )
    return lines


def libraries_lines(results: dict) -> list[str]:
    seen = {}
    for (_, trainer, _), r in results.items():
        if "libraries" in r and trainer not in seen:
            seen[trainer] = r["libraries"]
    lines = []
    for trainer, libs in seen.items():
        versions = ", ".join(f"{k} {libs[k]}" for k in ("numpy", "sklearn", "torch", "jax") if k in libs)
        pools = "; ".join(
            f"{p['internal_api']} {p['version'] or ''} ({p['prefix']}, {p['architecture'] or 'n/a'} kernels, "
            f"{p['num_threads']} thread(s))" for p in libs["threadpools"]
        )
        extra = f"; PyTorch BLAS: {libs['torch_blas']}, {libs['torch_threads']} intra-op thread(s)" if trainer == "torch" else ""
        if trainer == "jax":
            extra = f"; XLA_FLAGS `{libs['xla_flags'] or 'not set'}`, 64-bit enabled"
        lines.append(f"- {NAMES[trainer]} process: Python {libs['python']}, {versions}; loaded: {pools}{extra}.")
    return lines


def training_markdown(pinned: dict, defaults: dict, floors: dict, tasks: list[Task], meta: dict) -> tuple[str, list[str]]:
    m = meta["machine"]
    targets, missed = targets_table(pinned)
    out = [
        "## Training: nn_core against scikit-learn, PyTorch and JAX",
        "",
        f"Run {meta['when']} with `python -m bench` in {meta['minutes']:.1f} min: every trainer in its own fresh "
        f"process, best of {meta['reps']} repetitions (median beside it); a task's trainers run side by side, one "
        "repetition each in turn, so load from other processes falls on all of them alike. Same data, net, initial "
        "weights (the others start from nn_core's) and number of updates. "
        f"Load average (1 min) before / after: {meta['load'][0]:.2f} / {meta['load'][1]:.2f}; the machine is "
        "shared, so the best repetition is the least disturbed one, and CPU seconds are shown beside the wall "
        "seconds (for one-thread runs they do not count time spent waiting for the CPU).",
        "",
        f"Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs, SIMD {', '.join(m['simd'])}; {m['os']}; "
        f"Python {m['python']}. OPENBLAS_CORETYPE/L2_SIZE: {m['openblas_env'] or 'not set'}.",
        "",
        *libraries_lines(pinned),
        *([] if any(k[1] == "jax" for k in pinned) else
          ["- JAX: not installed, so skipped (an optional reference: `pip install jax jaxlib`, CPU build)."]),
        "",
        "Tasks (data `X = default_rng(0).standard_normal((n, d))`, `y = X0*X1 + 0.3*X[-1] > 0`; tanh hidden, "
        "one sigmoid output, binary cross-entropy):",
        "",
        *[f"- {t.name}: {t.describe()} ({t.updates:,} updates)" for t in tasks],
        "",
        "### One thread each (the comparison)",
        "",
        "Every library pinned to one thread: `OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1` in each "
        "child, `torch.set_num_threads(1)` and, for JAX, `XLA_FLAGS=--xla_cpu_multi_thread_eigen=false "
        "intra_op_parallelism_threads=1`. On this shared 2-core machine a second BLAS or OpenMP thread "
        "mostly waits for the CPU the other processes hold (see the defaults table), and pinning all three "
        "the same way keeps the comparison about the code, not the scheduler. nn_core itself sets no threads.",
        "",
        *results_table(pinned, tasks),
        "",
        "\"This / nn_core float64\" is this trainer's best time divided by nn_core float64's (the CPU ratio likewise "
        "with CPU seconds): above 1 means nn_core is that many times faster. Final losses: PyTorch runs nn_core's initial weights and, on `large`, nn_core's "
        "shuffling stream, so its loss matches nn_core's to rounding; scikit-learn starts from the same weights but "
        "shuffles with its own stream on `large` and adds `eps` to Adam's denominator its own way, so it differs "
        "slightly. JAX runs the whole loop as one compiled program (`jax.jit` over `lax.scan`, `bench/trainer_jax.py`), "
        "with nn_core's weights, updates and shuffling stream; every repetition clears JAX's caches, times the first "
        "call (trace, compile and run: what a new net costs, as every net the dashboard trains is new) and then a "
        "second call with the same shapes (the steady time). Its ratio column compares each of the two with nn_core's "
        "best. Peak RSS includes each library's imports; \"added by training\" is the peak during the timed "
        "repetitions minus the resident size just before them.",
        "",
        "### Targets",
        "",
        *targets,
        "",
        *miss_notes(missed, pinned),
        "Memory is judged, as set, on each child's maximum RSS, which the libraries' imports dominate (numpy alone "
        "against scikit-learn's SciPy stack). What training itself adds is shown beside it: "
        + memory_note(pinned),
        "",
        "### Distance to the physical floor",
        "",
        "Floor = GEMM FLOPs / this machine's measured matmul rate (one thread, a 1024 x 1024 product, CPU seconds) "
        "+ NumPy calls x their measured per-call cost (each kind timed on one-element arrays). The three products of "
        "backpropagation are counted (`2 n h_i h_(i+1)` each: forward, weight gradient, and the delta for every "
        "layer but the first). NumPy calls are counted in a real `net.fit` by `bench/floor.py`: every array nn_core "
        "allocates becomes an ndarray subclass that tallies each top-level ufunc call, array function, indexing and "
        "copy made on it. Elementwise work itself (tanh, the derivative, the loss) is left out, so this is a bound "
        "below, not an estimate.",
        "",
        *floor_table(floors, pinned),
        "",
        "### Library defaults (each library's own thread count)",
        "",
        "The same runs with the thread variables removed: OpenBLAS (numpy, so nn_core and scikit-learn), PyTorch's "
        "OpenMP pool and XLA's Eigen pool each take both cores. Shown for honesty about the choice above, not used for the targets; "
        f"rounds stop after {DEFAULTS_BUDGET} s per task (Reps), because a second thread that waits for a busy "
        "core can make a run many times slower. CPU seconds here add up both threads.",
        "",
        *results_table(defaults, tasks),
    ]
    return "\n".join(out), missed
