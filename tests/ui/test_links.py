"""ui.links: links shared before the settings table still open the same experiment; hostile values are noted.

The links below were printed by the app as it was before ``ui.settings``
(``state.shareable_params()`` after opening each), and the expected settings
are what that app's session held after reading them. They are written out
here, not derived from the table, so a change to a name, default or range
that would reopen an old link differently fails this file.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest

from ui import links, settings
from ui.settings import DataSpec, TrainConfig

#: Every setting's value in a fresh session before the change (written out by hand).
DEFAULTS_THEN = {
    "source": "bundled", "bundled": "diabetes", "generator": "moons", "n": 400, "noise": 0.2, "data_seed": 0,
    "classes": 2, "derived": [], "problem": "auto", "hidden": "8, 8", "activation": "tanh", "optimizer": "adam",
    "lr": 0.03, "epochs": 300, "batch": 0, "l2": 0.0, "l1": 0.0, "schedule": "constant", "val": 0.2, "test": 0.2,
    "patience": 0, "seed": 0, "init": "auto",
    "target": "", "features": [], "missing": "drop", "one_hot": [],  # an upload's columns: never in a link
}

#: Settings added since these links were shared, at defaults that train as before (0 = no gradient clipping).
ADDED_SINCE = {"clip": 0.0}

TODAYS_LINKS = [
    pytest.param(
        "source=generated&generator=circles&n=300&hidden=4&lr=0.1",
        {"source": "generated", "generator": "circles", "n": 300, "hidden": "4", "lr": 0.1},
        id="short generated link",
    ),
    pytest.param(
        "source=bundled&bundled=penguins&generator=moons&n=400&noise=0.2&data_seed=0&classes=2&derived=&problem=auto"
        "&hidden=16%2C+8&activation=relu&optimizer=momentum&lr=0.003&epochs=500&batch=32&l2=0.001&l1=0.0001"
        "&schedule=cosine&val=0.25&test=0.15&patience=20&seed=7&init=he",
        {"bundled": "penguins", "hidden": "16, 8", "activation": "relu", "optimizer": "momentum", "lr": 0.003,
         "epochs": 500, "batch": 32, "l2": 0.001, "l1": 0.0001, "schedule": "cosine", "val": 0.25, "test": 0.15,
         "patience": 20, "seed": 7, "init": "he"},
        id="bundled, every training setting",
    ),
    pytest.param(
        "source=generated&bundled=diabetes&generator=moons&n=200&noise=0.1&data_seed=3&classes=2"
        "&derived=x1%5E2%2Cx2%5E2&problem=auto&hidden=8%2C+8&activation=tanh&optimizer=adam&lr=0.03&epochs=300"
        "&batch=0&l2=0.0&l1=0.0&schedule=constant&val=0.2&test=0.2&patience=0&seed=0&init=auto",
        {"source": "generated", "n": 200, "noise": 0.1, "data_seed": 3, "derived": ["x1^2", "x2^2"]},
        id="derived features",
    ),
    pytest.param(
        "source=generated&bundled=diabetes&generator=blobs&n=500&noise=0.2&data_seed=0&classes=4&derived="
        "&problem=auto&hidden=8%2C+8&activation=tanh&optimizer=adam&lr=0.03&epochs=300&batch=0&l2=0.0&l1=0.0"
        "&schedule=constant&val=0.2&test=0.2&patience=0&seed=0&init=auto",
        {"source": "generated", "generator": "blobs", "n": 500, "classes": 4},
        id="blobs with four classes",
    ),
]


def params_of(query: str) -> dict[str, str]:
    """A query string as ``st.query_params`` holds it (blank values kept, the last of a repeated key)."""
    return dict(parse_qsl(query, keep_blank_values=True))


def opened(query: str) -> tuple[dict, list[links.LinkNote]]:
    values, notes = links.read_link(params_of(query))
    return {**settings.DEFAULTS, **values}, notes


@pytest.mark.parametrize("query, changes", TODAYS_LINKS)
def test_a_link_shared_before_opens_the_same_settings(query, changes):
    session, notes = opened(query)
    assert session == {**DEFAULTS_THEN, **ADDED_SINCE, **changes}
    for name, value in session.items():
        assert type(value) is type({**DEFAULTS_THEN, **ADDED_SINCE, **changes}[name]), name
    assert notes == []


@pytest.mark.parametrize("query, changes", TODAYS_LINKS)
def test_writing_the_settings_read_gives_the_link_back(query, changes):
    session, _ = opened(query)
    written = links.link_params(session)
    assert opened(urlencode(written))[0] == session
    full = params_of(query)
    if len(full) == len(written):  # a full link (as the app writes them) comes back character for character
        assert written == full


def test_the_defaults_are_todays():
    assert settings.DEFAULTS == {**DEFAULTS_THEN, **ADDED_SINCE}
    assert TrainConfig() == TrainConfig(hidden=(8, 8), activation="tanh", optimizer="adam", learning_rate=0.03,
                                        epochs=300, batch_size=0, l2=0.0, l1=0.0, schedule="constant",
                                        val_fraction=0.2, test_fraction=0.2, patience=0, seed=0, init="auto",
                                        clip_norm=0.0)
    assert DataSpec() == DataSpec(source="bundled", bundled="diabetes", generator="moons", n=400, noise=0.2,
                                  seed=0, classes=2, derived=(), upload_id="", target="", features=(),
                                  problem="auto", missing="drop", one_hot=())


HOSTILE = ("source=upload&n=1000000000&noise=nan&lr=inf&activation=swish&target=Outcome&features=a,b&classes=5"
           "&generator=moons&epochs=12.5&hidden=8,+eight&derived=x1_sq,x2_sq&val=0.9&seed=-5&batch=abc&bogus=1")


def test_hostile_values_are_clamped_or_ignored_as_before():
    session, _ = opened(HOSTILE)
    assert session == {**DEFAULTS_THEN, **ADDED_SINCE, "n": 10_000, "val": 0.5}


def test_every_value_not_taken_as_written_is_noted_with_a_reason():
    _, notes = opened(HOSTILE)
    noted = {note.param: note for note in notes}
    assert set(noted) == {"source", "n", "noise", "lr", "activation", "target", "features", "classes", "epochs",
                          "hidden", "derived", "val", "seed", "batch", "bogus"}
    assert noted["n"].text == "1000000000" and "set to 10000" in noted["n"].reason
    assert "set to 2" in noted["classes"].reason and "moons" in noted["classes"].reason
    assert "ignored" in noted["activation"].reason and "ignored" in noted["bogus"].reason
    assert "uploaded file" in noted["target"].reason
    assert "eight" in noted["hidden"].reason  # the hidden-layer parser's own sentence
    assert all(note.reason.endswith(".") for note in notes)


@pytest.mark.parametrize("query, expected", [
    ("n=3&noise=4&lr=1e9&epochs=0&test=0.9&patience=99999&data_seed=-1&l2=7",
     {"n": 20, "noise": 1.0, "lr": 10.0, "epochs": 1, "test": 0.5, "patience": 10_000, "data_seed": 0, "l2": 1.0}),
    ("generator=spirals&classes=50", {"generator": "spirals", "classes": 10}),
    ("generator=circles&classes=3", {"generator": "circles"}),
])
def test_numbers_are_clamped_to_the_widgets_ranges(query, expected):
    session, notes = opened(query)
    assert session == {**DEFAULTS_THEN, **ADDED_SINCE, **expected}
    assert {n.param for n in notes} == set(params_of(query)) - {"generator"}


@pytest.mark.parametrize("name, value, expected", [
    ("lr", 0.05, 0.03),  # |ln 0.05 - ln 0.03| = 0.51 < |ln 0.1 - ln 0.05| = 0.69
    ("lr", 0.0, 0.00001),
    ("l2", 0.0, 0.0),
    ("l1", 0.002, 0.003),
    ("epochs", "abc", 300),
    ("epochs", 10**9, 100_000),
    ("val", 0.9, 0.5),
    ("activation", "swish", "tanh"),
    ("hidden", "8, eight", "8, eight"),  # the text box shows it; Train refuses it with a sentence
])
def test_snap_puts_a_value_onto_what_its_widget_offers(name, value, expected):
    assert settings.snap(name, value) == expected


def test_every_settings_key_of_the_pages_is_a_row():
    from ui import keys

    names = [getattr(keys, n) for n in dir(keys) if n.isupper() and isinstance(getattr(keys, n), str)]
    setting_keys = [name for name in names if name in settings.BY_NAME]
    assert sorted(setting_keys) == sorted(settings.BY_NAME)
