"""Where the active data set comes from: a bundled file, a generator, or an upload.

A ``DataSpec`` (``ui.settings``: one field per data setting) says which,
with every parameter; ``load`` turns it into a ``Dataset``. Bundled files
and generated sets are pure functions of their arguments, so they go
through ``st.cache_data`` (shared by every visitor, bounded). An upload is one visitor's own: it is parsed once and kept in that
visitor's session only (``ui.state``), never in a shared cache.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from nn_core.data import (
    Dataset,
    LoadReport,
    generate,
    load_bundled,
    load_csv,
    make_dataset,
)

from .settings import DataSpec

SOURCES = ("bundled", "generated", "upload")
SOURCE_LABELS = {"bundled": "Bundled data set", "generated": "Generated 2-D data", "upload": "Upload a CSV"}


@dataclass
class Upload:
    """A visitor's parsed CSV: its identity (name and size), its bytes, the cleaned table and the loader's report."""

    id: str
    data: bytes
    frame: pd.DataFrame
    report: LoadReport


@st.cache_data(max_entries=8, show_spinner=False)
def bundled(name: str) -> Dataset:
    """A bundled data set (cached: the file never changes while the app runs)."""
    return load_bundled(name)


@st.cache_data(max_entries=64, show_spinner=False)
def generated(name: str, n: int, noise: float, seed: int, classes: int) -> Dataset:
    """A generated 2-D data set (cached: a generator is a pure function of its arguments)."""
    return generate(name, n=n, noise=noise, seed=seed, classes=classes)


def parse_upload(data: bytes, one_hot: tuple[str, ...] = ()) -> tuple[pd.DataFrame, LoadReport]:
    """Parse a visitor's CSV bytes (not cached: per-visitor data stays in its session)."""
    return load_csv(data, one_hot=one_hot)


def load(spec: DataSpec, upload_frame: pd.DataFrame | None = None) -> Dataset:
    """The ``Dataset`` a spec describes; ``ValueError`` with a sentence if it cannot be built."""
    if spec.source in ("bundled", "generated"):
        if spec.source == "bundled":
            ds = bundled(spec.bundled)
        else:
            ds = generated(spec.generator, spec.n, spec.noise, spec.seed, spec.classes)
        if spec.problem in ("auto", ds.problem_type):
            return ds
        return with_problem_type(ds, spec.problem)
    if upload_frame is None:
        raise ValueError("Upload a CSV file first.")
    if not spec.target:
        raise ValueError("Choose the target column to predict.")
    problem = None if spec.problem == "auto" else spec.problem
    features = list(spec.features) or None
    missing = "keep" if spec.missing == "median" else "drop"
    return make_dataset(
        upload_frame, spec.target, features, problem_type=problem, missing=missing,
        name=spec.upload_id.rsplit(" (", 1)[0] or "upload",
    )


def with_problem_type(ds: Dataset, problem_type: str) -> Dataset:
    """The same rows read as another problem type (e.g. class labels 0/1 as a regression target)."""
    frame = pd.DataFrame(ds.X, columns=ds.feature_names)
    frame["__target__"] = ds.y if ds.class_names is None else [ds.class_names[i] for i in ds.y]
    built = make_dataset(frame, "__target__", ds.feature_names, problem_type=problem_type, name=ds.name)
    return Dataset(built.X, built.y, built.feature_names, built.class_names, ds.target_name,
                   built.problem_type, ds.name, ds.notes)


def frame_of(ds: Dataset) -> pd.DataFrame:
    """The data set as a table: feature columns and the target (class names for classifiers)."""
    frame = pd.DataFrame(ds.X, columns=ds.feature_names)
    target = ds.y if ds.class_names is None else [ds.class_names[i] for i in ds.y]
    name = ds.target_name if ds.target_name not in frame.columns else f"{ds.target_name} (target)"
    frame[name] = target
    return frame
