"""Benchmarks of nn_core against scikit-learn, PyTorch and JAX (if installed); results in ``bench/RESULTS.md``.

    python -m bench                  # everything: training (4 trainers x 3 tasks) and micro
    python -m bench training         # the training comparison and the distance to the floor
    python -m bench micro            # one update, one fit call, the decision-boundary grid

Modules: ``tasks`` (data and the three training set-ups), ``trainers`` (the
same training in nn_core, scikit-learn and PyTorch; JAX in ``trainer_jax``), ``child`` (one trainer in
a fresh process), ``floor`` (GEMM FLOPs, matmul rate, NumPy call counts),
``micro``, ``run`` (orchestration), ``training_report`` (its markdown and targets), ``results``
(``write_section``: each benchmark rewrites only its own section of
RESULTS.md). Timings are never asserted in tests and CI does not run this.
"""
