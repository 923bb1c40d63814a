"""The engine's import promise: its math imports NumPy only, and `import nn_core` pulls in no table library."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import nn_core

ROOT = Path(__file__).resolve().parents[2]
# the data side is the subpackage nn_core.data (it reads tables, with pandas); beside the
# engine sit the article replay and the command line, which use it
DATA_SIDE = {"data", "article", "cli", "cli_commands"}
# the network, its training and the maths around it: every other module of the package
MATH_MODULES = sorted(
    path.stem for path in (ROOT / "nn_core").glob("*.py")
    if path.stem not in DATA_SIDE and not path.stem.startswith("__")
)
GENERATORS_MODULE = ROOT / "nn_core" / "data" / "generators.py"


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
    from nn_core.data import bundled, csv, dataset, generators

    assert nn_core.load_csv is csv.load_csv
    assert nn_core.LoadReport is csv.LoadReport
    assert nn_core.make_dataset is dataset.make_dataset
    assert nn_core.Dataset is dataset.Dataset
    assert nn_core.generate is generators.generate
    assert nn_core.load_bundled is bundled.load_bundled
    for name, module in nn_core.data._EXPORTS.items():
        assert getattr(nn_core, name) is getattr(importlib.import_module(f"nn_core.data.{module}"), name)
    assert set(nn_core.__all__) <= set(dir(nn_core))
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        nn_core.nonexistent  # noqa: B018


def test_the_generators_import_numpy_and_the_standard_library_only():
    packages, siblings = _imports(GENERATORS_MODULE)
    assert packages - set(sys.stdlib_module_names) <= {"numpy"}
    assert siblings == {"dataset"}  # the Dataset type they return
