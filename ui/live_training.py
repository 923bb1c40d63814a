"""Training with live progress: the loop that redraws the Train page's charts while a net learns.

Streamlit can only interrupt a script at an ``st.*`` call, so the redraws
are also the loop's stop points: a click anywhere (the Stop button, or any
other widget) starts a rerun, the next redraw raises Streamlit's stop (or
rerun) exception inside ``on_epoch``, and ``ui.runs.train`` trains no more.
Redraws are a quarter of a second apart, so every epoch also asks
``script_interrupted`` (two attribute reads) whether this script run was told
to stop (a click, or the tab closed: Streamlit then stops the session's
script) and, if so, redraws at once: a Stop or a closed tab ends the
training within one epoch. ``stop_point`` does the same for loops that do
not redraw (the article page's hidden layer).
Nothing is lost: the weights and the history live on the run's net, in
session state, and change in place every epoch, so the next rerun draws the
run as stopped with every completed epoch.

With fast reruns (Streamlit's default) the rerun starts in a new thread at
once, while the interrupted one runs on until its next redraw. So a run is
trained by one thread at a time (``exclusive``): a Continue clicked during
training waits a moment for the old loop to let go instead of updating the
same weights from two threads.

``train_with_redraws`` is the Streamlit-free core (tested with a callback
that raises); ``LiveView`` draws into fixed ``st.empty()`` placeholders with
fixed scale domains, so the charts grow in a still frame.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from nn_core.training import History

from . import display, rewind, sidebar, state
from . import runs as run_ops
from .boundary import boundary_chart
from .charts.training import loss_chart, loss_y_domain
from .explore import escape_markdown
from .presets import OUTPUT_LABELS
from .runs import Run, check_budget, new_run, train

#: Seconds between redraws while training (a few frames a second; the last epoch always drawn).
REDRAW_SECONDS = 0.25
#: How long a training request waits for an interrupted loop on the same run to stop.
HANDOVER_SECONDS = 10.0
#: The live loss axis leaves this much room above the first losses (later ones are clamped).
LIVE_HEADROOM = 1.25

# id(run) -> its training lock, dropped with the run. Process-wide, but it holds locks only, never a run.
_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextmanager
def exclusive(run: Run, timeout: float = HANDOVER_SECONDS) -> Iterator[None]:
    """Hold ``run``'s training lock: one thread trains a run at a time.

    ``ValueError`` if an interrupted loop still holds it after ``timeout`` seconds.
    """
    with _locks_guard:
        lock = _locks.get(id(run))
        if lock is None:
            lock = _locks[id(run)] = threading.Lock()
            weakref.finalize(run, _locks.pop, id(run), None)
    if not lock.acquire(timeout=timeout):
        raise ValueError("This run is still finishing the epochs of an interrupted request; try again in a moment.")
    try:
        yield
    finally:
        lock.release()


def settle(run: Run, timeout: float = 2.0) -> None:
    """Wait (briefly) until no interrupted loop is training ``run``, so it is drawn as it ended."""
    try:
        with exclusive(run, timeout):
            pass
    except ValueError:
        pass  # still training elsewhere: draw what there is


def script_interrupted() -> bool:
    """True when this script run has been asked to stop: a rerun (a click), a Stop, or a closed tab.

    Reads the run's pending request as Streamlit's own interrupt check does
    (``ScriptRequests.on_scriptrunner_yield``): a STOP, or a RERUN of the whole
    script (a fragment's rerun waits for the run to finish). False outside a
    Streamlit script run, or if Streamlit's internals change shape.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    requests = getattr(ctx, "script_requests", None)
    kind = getattr(requests, "_state", None)
    if kind is None or kind == ScriptRequestType.CONTINUE:
        return False
    if kind == ScriptRequestType.RERUN:
        return not getattr(getattr(requests, "_rerun_data", None), "fragment_id_queue", None)
    return True


def stop_point(placeholder: DeltaGenerator) -> None:
    """For a loop that does not redraw: hand control back to Streamlit at once if the run was told to stop.

    Streamlit raises its rerun or stop exception at the ``placeholder.empty()``
    call, before anything is drawn; the caller's loop ends there.
    """
    if script_interrupted():
        placeholder.empty()


def train_with_redraws(run: Run, epochs: int, redraw: Callable[[int, int], None], *,
                       interval: float = REDRAW_SECONDS,
                       clock: Callable[[], float] = time.perf_counter,
                       interrupted: Callable[[], bool] = script_interrupted,
                       record: Callable[[int, History], None] | None = None) -> History:
    """Train ``run`` for ``epochs`` more epochs, calling ``redraw(done, target)`` as it goes.

    ``redraw`` runs when ``interval`` seconds have passed since the last one
    and after the last epoch; ``done`` and ``target`` count epochs since the
    run's start; also at once when ``interrupted()`` says the script run was
    told to stop. If ``redraw`` raises (a Streamlit rerun), the run keeps every
    completed epoch, is marked stopped with a message, and the exception goes on.
    ``record(done, history)`` runs after every epoch first (``ui.rewind.recorder``: moments to rewind to).
    """
    with exclusive(run):
        target = run.epochs + epochs
        last = clock()

        def on_epoch(done: int, history: History) -> None:
            nonlocal last
            if record is not None:
                record(done, history)
            if done >= target or clock() - last >= interval or interrupted():
                redraw(done, target)
                last = clock()

        try:
            return train(run, epochs, on_epoch)
        except BaseException:
            history = run.history
            if history.status == "stopped":
                history.message = (f"Stopped after epoch {run.epochs:,} of {target:,}; everything learned "
                                   "so far is kept. Continue trains on from here.")
            raise


def reset(run: Run | None) -> None:
    """Back to the run's initial weights, once no interrupted loop is training it."""
    if run is None:
        return
    try:
        with exclusive(run):
            run_ops.reset(run)
            state.snapshots().forget(run.id)  # its past is gone with its weights
    except ValueError as exc:  # a loop that will not let go: say so, keep the run as it is
        st.toast(str(exc))


def prepare(action: str) -> tuple[Run, int]:
    """The run an action trains and for how many epochs; a new run is added to the session.

    ``train`` builds a new run from the settings and the active data set;
    ``continue`` adds the epochs setting to the active run, ``step`` one
    epoch. ``ValueError`` (a sentence) for anything the app refuses; then no
    run is added and the previous runs stay.
    """
    if action == "train":
        config = state.train_config()
        dataset, spec = state.dataset(), state.active_spec()
        if dataset is None or spec is None:
            raise ValueError("There is no data set yet: pick one on Explore data first.")
        run = new_run(state.next_run_id(), dataset, spec, spec.derived, config)
        check_budget(run, config.epochs)
        state.add_run(run)
        return run, config.epochs
    run = state.active_run()
    if run is None:
        raise ValueError("There is no run to train on: press Train first.")
    epochs = 1 if action == "step" else int(state.setting(state.EPOCHS))
    check_budget(run, epochs)
    return run, epochs


def output_label(run_or_problem: Run | str) -> str:
    """``"sigmoid + binary cross-entropy"`` etc., for a run or a problem type."""
    problem = run_or_problem if isinstance(run_or_problem, str) else run_or_problem.dataset.problem_type
    return OUTPUT_LABELS[problem]


@dataclass
class LiveView:
    """Where a run is drawn: fixed placeholders, and the view choices made above them."""

    progress: DeltaGenerator
    loss: DeltaGenerator
    boundary: DeltaGenerator | None
    axes: tuple[int, int] | None = None
    log: bool = False
    show_test: bool = True
    discretize: bool = False

    def draw(self, run: Run, target: int | None = None, y_domain: list[float] | None = None) -> None:
        """Draw the loss and the boundary; ``target`` and ``y_domain`` fix the axes while training."""
        history = run.history
        domain = y_domain or loss_y_domain(history, self.log)
        loss_name = output_label(run).split(" + ")[1]
        x_max = target or run.epochs or run.config.epochs  # an untrained run: the epochs it will get
        display.chart(self.loss, loss_chart(history, x_max=x_max, y_domain=domain,
                                            log=self.log, loss_name=loss_name), width="stretch")
        if self.boundary is not None and self.axes is not None:
            try:
                chart = boundary_chart(run, *self.axes, show_test=self.show_test, discretize=self.discretize)
            except ValueError as exc:  # the grid is past the memory budget: say so, keep training
                self.boundary.error(escape_markdown(str(exc)))
                return
            display.chart(self.boundary, chart, width="stretch")

    def train(self, run: Run, epochs: int, interval: float = REDRAW_SECONDS) -> History:
        """Train with a progress bar and redraws every ``interval`` seconds (and at the end)."""
        self.progress.progress(0.0, text=f"Training {epochs:,} epoch(s)...")
        domain: list[float] | None = None

        def redraw(done: int, target: int) -> None:
            nonlocal domain
            if domain is None:  # fixed from the first losses, so the axis never jumps
                low, high = loss_y_domain(run.history, self.log)
                # a log axis leaves four decades below the first losses for the fall to come
                domain = [min(low, high * 1e-4) if self.log else low, high * LIVE_HEADROOM]
            loss = run.history.loss[-1]
            val = f" · validation loss {run.history.val_loss[-1]:.4g}" if run.history.val_loss else ""
            self.progress.progress(min(max((done - target + epochs) / epochs, 0.0), 1.0),
                                   text=f"Epoch {done:,} of {target:,} · loss {loss:.4g}{val}")
            self.draw(run, target, domain)
            sidebar.render_model()  # the sidebar names the epoch the charts show, while it trains

        return train_with_redraws(run, epochs, redraw, interval=interval,
                                  record=rewind.recorder(state.snapshots(), run))

