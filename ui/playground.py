"""The playground's logic: which run plays, one frame's work (a tick), pausing, and the frame's picture.

No Streamlit here: the page (``views/playground.py``) runs a fragment every
``FRAME_SECONDS`` while playing, and each rerun of it calls ``tick`` (train a
few epochs of the active run) and ``picture`` (every neuron's map as cheap
numbers for ``ui.network_view``). Tests call ``tick`` directly: AppTest does
not fire timed fragments.

Play pauses by itself when the run diverges, when early stopping ends it,
and after ``IDLE_SECONDS`` without an interaction (a forgotten tab costs
nothing); a page that is not shown runs no fragment, so it does not train.
Every tick trains through ``ui.runs.train``, so the weights and history
change in place every epoch (a rerun, a pause or a page switch loses
nothing) and ``k`` ticks of ``e`` epochs equal one ``fit`` of ``k e`` epochs.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from . import budgets, timeline
from .runs import Run, train
from .settings import DataSpec, TrainConfig

#: Seconds between frames while playing (10 redraws a second).
FRAME_SECONDS = 1.0 / budgets.LIVE_FRAMES_PER_SECOND
#: Epochs per frame the speed control offers; the default 5 gives 50 epochs a second at 10 frames.
SPEEDS = (1, 2, 5, 10, 20)
DEFAULT_SPEED = 5
#: Play pauses itself after this long without an interaction.
IDLE_SECONDS = 300.0
#: Frames over which the epochs-per-second figure is measured.
RATE_FRAMES = 20


@dataclass
class Player:
    """One session's play state (kept in ``ui.state``)."""

    playing: bool = False
    speed: int = DEFAULT_SPEED
    last_touch: float = field(default_factory=time.monotonic)
    frames: deque = field(default_factory=lambda: deque(maxlen=RATE_FRAMES))  # (time, epochs of the run)
    message: str | None = None  # why play paused itself, for one notice
    replay_at: int | None = None  # the epoch a replay of the run's past has reached (None: no replay)

    def touch(self, now: float | None = None) -> None:
        """The user did something: the idle clock starts again."""
        self.last_touch = time.monotonic() if now is None else now

    def play(self, now: float | None = None) -> None:
        self.playing, self.message = True, None
        self.frames.clear()
        self.touch(now)

    def pause(self, message: str | None = None) -> None:
        self.playing, self.message = False, message

    def epochs_per_second(self) -> float | None:
        """Epochs trained per second of wall time over the last frames (None before two frames)."""
        if len(self.frames) < 2:
            return None
        (t0, e0), (t1, e1) = self.frames[0], self.frames[-1]
        return (e1 - e0) / (t1 - t0) if t1 > t0 else None


def frame_epochs(run: Run, speed: int) -> int:
    """Epochs one frame trains: ``speed``, fewer if the frame would cost more than ``budgets.LIVE_FRAME_SECONDS``."""
    cfg = run.config
    train_rows, val_rows = len(run.split[0]), len(run.split[1])
    return budgets.live_epochs(run.net.layer_sizes, train_rows, speed, batch_size=cfg.batch_size or None,
                               validation_rows=val_rows, optimizer=cfg.optimizer)


def live_refusal(run: Run) -> str | None:
    """Why ``run`` cannot play live (too costly a frame), or None."""
    cfg = run.config
    return budgets.check_live(run.net.layer_sizes, len(run.split[0]), batch_size=cfg.batch_size or None,
                              validation_rows=len(run.split[1]), optimizer=cfg.optimizer)


def tick(run: Run, player: Player, now: float | None = None, record=None) -> None:
    """One frame's training: a few epochs of ``run`` at the player's speed, or a pause with its reason.

    Pauses (``player.message`` says why) when the session was idle for
    ``IDLE_SECONDS``, when the run diverges and when early stopping ends it.
    ``record`` is an ``on_epoch`` callback (``ui.rewind.recorder``: the moments kept to rewind to).
    """
    now = time.monotonic() if now is None else now
    if not player.playing:
        return
    if now - player.last_touch > IDLE_SECONDS:
        player.pause(f"Paused after {IDLE_SECONDS / 60:.0f} minutes without a click, so a forgotten tab costs "
                     "nothing. Press Play to go on.")
        return
    player.frames.append((now, run.epochs))
    history = train(run, frame_epochs(run, player.speed), on_epoch=record)
    if history.status == "diverged":
        player.pause(f"Paused: {history.message} Lower the learning rate, then press Reset.")
    elif history.status == "early_stopped":
        player.pause(f"Paused: {history.message} Raise the patience (or set it to 0) to train on.")


def matches(run: Run | None, spec: DataSpec | None, config: TrainConfig) -> bool:
    """Whether ``run`` is the one these settings describe: same data, nothing that makes a different net."""
    return run is not None and run.data_spec == spec and not timeline.restarting(run.config, config)


def restart_note(run: Run | None, spec: DataSpec | None, config: TrainConfig) -> str:
    """Why the settings need a new run rather than the active one (for the notice)."""
    if run is None:
        return "A new network starts from epoch 0."
    if run.data_spec != spec:
        return f"The data changed, so a new network starts from epoch 0 ({run.label} stays in your runs)."
    changed = ", ".join(timeline.LABELS.get(name, name) for name in timeline.restarting(run.config, config))
    return f"{changed[:1].upper()}{changed[1:]} changed, so a new network starts from epoch 0 " \
           f"({run.label} stays in your runs)."


@dataclass(frozen=True)
class View:
    """How the picture is drawn: the plane's two raw features and the toggles."""

    x_feature: int = 0
    y_feature: int = 1
    show_test: bool = True
    discretize: bool = False
    log_loss: bool = False


def picture(run: Run, view: View, epochs_per_second: float | None = None, marker_epoch: int | None = None,
            off: tuple = (), edited_edges: tuple = (), edited_biases: tuple = (), net=None) -> dict:
    """The network view's payload for ``run`` now (``ui.network_view.payload.build_payload``).

    The plane varies the two chosen raw features over the data's range; the
    others are held at the training rows' medians (the payload's note says
    so). Points are the training rows, and the test rows for the toggle.
    ``net`` draws another net of the run (a rewound copy, ``ui.rewind.net_at``)
    against the run's whole loss curves, ``marker_epoch`` marking where it is.
    ``ValueError`` with a sentence for a net the diagram cannot draw (wider
    than ``MAX_UNITS``) or a picture over the grid budget.
    """
    from .network_view.payload import MAX_UNITS, build_payload

    widest = max(run.net.layer_sizes[1:])
    if widest > MAX_UNITS:
        raise ValueError(f"The playground draws at most {MAX_UNITS} neurons in a layer and this network has "
                         f"{widest}: use fewer hidden units here, or the Train page for a network this wide.")
    refusal = budgets.check_grid(run.net.layer_sizes, budgets.LIVE_GRID_CELLS, traced=True)
    if refusal:
        raise ValueError(refusal)
    ds, pre = run.dataset, run.model.preprocessing
    train_idx, _, test_idx = run.split
    X, y = ds.X, ds.y
    labels = pre.transform_target(y) if ds.problem_type == "regression" else y
    held = np.median(X[train_idx], axis=0)
    shown = run.net if net is None else net
    return build_payload(
        shown, X[train_idx], labels[train_idx], X[test_idx], labels[test_idx],
        features=(view.x_feature, view.y_feature), held=held, transform=pre.transform,
        feature_names=ds.feature_names, class_names=ds.class_names if ds.problem_type != "regression" else None,
        show_test=view.show_test and len(test_idx) > 0, discretize=view.discretize, log_y=view.log_loss,
        loss_train=run.history.loss, loss_test=run.history.val_loss,
        epochs_per_second=epochs_per_second, marker_epoch=marker_epoch,
        epoch=run.epochs if net is None else shown.history.epochs,
        off=off, edited_edges=edited_edges, edited_biases=edited_biases,
    )
