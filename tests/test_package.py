"""The engine's import promise: its math imports NumPy only, and `import nn_core` pulls in no table library."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import nn_core

ROOT = Path(__file__).resolve().parents[1]
# the network, its training and the maths around it; the data side (datasets, tabular, article, cli) reads tables
MATH_MODULES = [
    "activations", "losses", "initializers", "optimizers", "schedules", "network", "training", "validation",
    "metrics", "preprocessing", "gradcheck", "explain", "export", "model_io", "features",
]


def _imported_top_level(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", MATH_MODULES)
def test_math_modules_import_numpy_and_the_standard_library_only(module):
    third_party = _imported_top_level(ROOT / "nn_core" / f"{module}.py") - set(sys.stdlib_module_names)
    assert third_party <= {"numpy"}, f"nn_core/{module}.py imports {sorted(third_party - {'numpy'})}"


def test_import_nn_core_loads_no_table_or_framework_library():
    code = (
        "import sys, nn_core\n"
        "net = nn_core.MLP([2, 4, 1])\n"
        "print(sorted(m for m in ('pandas', 'torch', 'sklearn', 'tensorflow', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_data_side_is_reachable_from_the_package():
    from nn_core import datasets, tabular

    assert nn_core.load_csv is tabular.load_csv
    assert nn_core.LoadReport is tabular.LoadReport
    assert nn_core.make_dataset is datasets.make_dataset
    assert nn_core.Dataset is datasets.Dataset
    assert set(nn_core.__all__) <= set(dir(nn_core)) | set(nn_core._DATA_SIDE)
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        nn_core.nonexistent  # noqa: B018
