"""The engine's import promise: its math imports NumPy only, and `import nn_core` pulls in no table library."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import nn_core

ROOT = Path(__file__).resolve().parents[2]
# the network, its training and the maths around it; the data side reads tables (with pandas)
DATA_SIDE = {"datasets", "tabular", "article", "cli"}
MATH_MODULES = [
    "activations", "losses", "initializers", "optimizers", "schedules", "network", "training", "validation",
    "metrics", "preprocessing", "gradcheck", "explain", "export", "model_io", "features", "workspace", "stopping",
]


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """``(top-level packages, sibling nn_core modules)`` a file imports, anywhere in it."""
    packages, siblings = set(), set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            packages.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom):  # from .x import y / from . import x
            siblings |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
    return packages, siblings


@pytest.mark.parametrize("module", MATH_MODULES)
def test_math_modules_import_numpy_and_the_standard_library_only(module):
    packages, siblings = _imports(ROOT / "nn_core" / f"{module}.py")
    third_party = packages - set(sys.stdlib_module_names)
    assert third_party <= {"numpy"}, f"nn_core/{module}.py imports {sorted(third_party - {'numpy'})}"
    assert not siblings & DATA_SIDE, f"nn_core/{module}.py imports the data side: {sorted(siblings & DATA_SIDE)}"
    assert siblings <= set(MATH_MODULES), f"nn_core/{module}.py imports {sorted(siblings - set(MATH_MODULES))}"


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
    for name, module in nn_core._DATA_SIDE.items():
        assert getattr(nn_core, name) is getattr(importlib.import_module(f"nn_core.{module}"), name)
    assert set(nn_core.__all__) <= set(dir(nn_core))
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        nn_core.nonexistent  # noqa: B018
