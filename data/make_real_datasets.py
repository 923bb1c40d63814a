"""Recreate the real data files bundled in this folder: penguins.csv and breast_cancer.csv.

Run once, by hand, from the repository root::

    python data/make_real_datasets.py

The app never downloads anything; it reads the committed files. This script
records where they came from and rebuilds them byte for byte:

- ``penguins.csv``: the Palmer penguins table (Horst, Hill & Gorman; data by
  Gorman, Williams & Fraser 2014, Palmer Station LTER, licence CC0), copied
  unchanged from ``palmerpenguins/data/penguins.csv`` inside the
  ``palmerpenguins==0.1.6`` wheel on PyPI. The script fetches that wheel with
  ``pip download`` into a temporary folder (or takes a local wheel with
  ``--penguins-wheel``) and checks the file's SHA-256.
- ``breast_cancer.csv``: the Wisconsin Diagnostic Breast Cancer table (Wolberg,
  Street & Mangasarian 1995; UCI Machine Learning Repository, licence CC BY
  4.0) from the copy shipped inside scikit-learn
  (``sklearn.datasets.load_breast_cancer``), written with the target as text
  in a first column ``diagnosis`` ("malignant" / "benign").
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
PENGUINS_PACKAGE = "palmerpenguins==0.1.6"
PENGUINS_MEMBER = "palmerpenguins/data/penguins.csv"
PENGUINS_SHA256 = "f204db2c753b0937caac3cb35258562c14f073e4bbc76be24b4c51ce22767a93"


def penguins_csv(wheel: Path | None = None) -> bytes:
    """The bytes of penguins.csv from the palmerpenguins wheel (downloaded if not given)."""
    with tempfile.TemporaryDirectory() as folder:
        if wheel is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", PENGUINS_PACKAGE, "--no-deps",
                 "--only-binary=:all:", "--dest", folder],
                check=True,
            )  # fmt: skip
            wheel = next(Path(folder).glob("palmerpenguins-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            content = archive.read(PENGUINS_MEMBER)
    digest = hashlib.sha256(content).hexdigest()
    if digest != PENGUINS_SHA256:
        raise SystemExit(f"penguins.csv has SHA-256 {digest}, expected {PENGUINS_SHA256}.")
    return content


def breast_cancer_csv() -> bytes:
    """The Wisconsin diagnostic table from scikit-learn, target as text in 'diagnosis'."""
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer(as_frame=True)
    frame = bunch.data.copy()
    names = list(bunch.target_names)  # ["malignant", "benign"]: target 0 is malignant
    frame.insert(0, "diagnosis", [names[t] for t in bunch.target])
    if frame.shape != (569, 31):
        raise SystemExit(f"Expected 569 rows and 31 columns, got {frame.shape}.")
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--penguins-wheel", type=Path, help="a local palmerpenguins wheel")
    args = parser.parse_args()
    outputs = {
        "penguins.csv": penguins_csv(args.penguins_wheel),
        "breast_cancer.csv": breast_cancer_csv(),
    }
    for name, content in outputs.items():
        path = DATA_DIR / name
        path.write_bytes(content)
        rows = content.count(b"\n") - 1
        print(f"wrote {path} ({rows} rows, sha256 {hashlib.sha256(content).hexdigest()[:12]})")


if __name__ == "__main__":
    main()
