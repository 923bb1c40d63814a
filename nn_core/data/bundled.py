"""The bundled tables: a registry of the CSV files shipped with nn_core, and their loader.

The files live in the repository's top-level ``data/`` folder (with their
provenance in ``data/README.md``), and an installed package carries a copy as
``nn_core/data/files/`` (``pyproject.toml`` maps that package directory onto
``data/``). :data:`DATA_DIR` is whichever of the two exists: the installed
copy, else the source checkout's ``data/`` (``streamlit run`` or an editable
install, where ``nn_core/data/files/`` does not exist on disk).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .dataset import Dataset, make_dataset


def _data_dir() -> Path:
    """``nn_core/data/files`` of an installed package, else ``data/`` of the source checkout."""
    installed = Path(__file__).resolve().parent / "files"
    return installed if installed.is_dir() else Path(__file__).resolve().parents[2] / "data"


DATA_DIR = _data_dir()
"""The folder holding the bundled CSV files."""


@dataclass(frozen=True)
class BundledInfo:
    """A bundled CSV file: what it is, where it came from and how to read it."""

    name: str
    label: str
    file_name: str
    target: str
    description: str
    source: str
    features: tuple[str, ...] | None = None
    """Feature columns to use; None means every numeric column but the target."""


BUNDLED: dict[str, BundledInfo] = {
    "diabetes": BundledInfo(
        name="diabetes",
        label="Diabetes (synthetic)",
        file_name="diabetes.csv",
        target="Diabetes",
        description=(
            "The seed article's data: glucose and blood pressure against a diabetes label. "
            "It is a synthetic stand-in made for this project, not patient records."
        ),
        source="Synthetic, generated for this project; see data/README.md.",
    ),
    "penguins": BundledInfo(
        name="penguins",
        label="Palmer penguins",
        file_name="penguins.csv",
        target="species",
        description=(
            "Bill, flipper and body-mass measurements of 344 Adelie, Chinstrap and Gentoo "
            "penguins from the Palmer Archipelago, Antarctica: tell the three species apart."
        ),
        source=(
            "Gorman, Williams & Fraser (2014), Palmer Station LTER, via the palmerpenguins "
            "package; licence CC0."
        ),
        features=("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"),
    ),
    "breast_cancer": BundledInfo(
        name="breast_cancer",
        label="Breast cancer (Wisconsin diagnostic)",
        file_name="breast_cancer.csv",
        target="diagnosis",
        description=(
            "30 numeric measurements of cell nuclei from 569 breast-mass biopsies: "
            "is the tumour malignant or benign?"
        ),
        source=(
            "Wolberg, Street & Mangasarian (1995), UCI Machine Learning Repository, as shipped "
            "with scikit-learn; licence CC BY 4.0."
        ),
    ),
}


def load_bundled(name: str) -> Dataset:
    """Read one of the bundled CSV files (from :data:`DATA_DIR`).

    Parameters
    ----------
    name : str
        A key of :data:`BUNDLED`.

    Returns
    -------
    Dataset
        Rows with missing features are dropped (and counted in ``notes``).
    """
    if name not in BUNDLED:
        raise ValueError(f"Unknown bundled data set {name!r}; choose one of: {', '.join(BUNDLED)}.")
    info = BUNDLED[name]
    path = DATA_DIR / info.file_name
    if not path.is_file():
        raise FileNotFoundError(
            f"The bundled file {path} is missing; data/README.md says how to recreate it."
        )
    frame = pd.read_csv(path)
    features = list(info.features) if info.features is not None else None
    return make_dataset(frame, info.target, features, missing="drop", name=name)
