"""Benchmarks of nn_core against scikit-learn and PyTorch; results in ``bench/RESULTS.md``.

    python -m bench                  # everything: training (3 trainers x 3 tasks) and micro
    python -m bench training         # the training comparison and the distance to the floor
    python -m bench micro            # one update, one fit call, the decision-boundary grid

Modules: ``tasks`` (data and the three training set-ups), ``trainers`` (the
same training in nn_core, scikit-learn and PyTorch), ``child`` (one trainer in
a fresh process), ``floor`` (GEMM FLOPs, matmul rate, NumPy call counts),
``micro``, ``run`` (orchestration and the markdown), ``results``
(``write_section``: each benchmark rewrites only its own section of
RESULTS.md). Timings are never asserted in tests and CI does not run this.
"""
