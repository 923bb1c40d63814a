"""``streamlit run`` with the server's side of every rerun timed, for ``bench.browser``.

    python -m bench.browser_server TIMINGS.jsonl streamlit_app.py [streamlit options]

Before Streamlit starts, four of its functions are wrapped (timing only; the
app runs unchanged) and one JSON line per script run is appended to the file:

- ``ScriptRunner._run_script``: the script run, wall and thread CPU, from the
  rerun request to the end of the post-run clean-up (a run that calls
  ``st.rerun()`` loops inside it: one line covers both runs);
- ``gc.collect`` as the script runner calls it (``runner.postScriptGC``);
- ``nn_core.MLP.fit``: the engine's training inside the run;
- ``serialize_forward_msg``: protobuf serialisation of each message sent to the
  browser (on the server's event loop, beside the script thread), summed
  since the previous line.
"""

from __future__ import annotations

import gc
import json
import sys
import threading
import time


class _Totals:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.serialise = 0.0
        self.messages = 0


def install(path: str) -> None:
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.web.server.starlette import starlette_websocket

    import nn_core

    totals, local = _Totals(), threading.local()
    out = open(path, "a", buffering=1)  # noqa: SIM115 - open for the server's lifetime

    class TimedGC:
        def __getattr__(self, name):
            return getattr(gc, name)

        @staticmethod
        def collect(*args):
            started = time.perf_counter()
            try:
                return gc.collect(*args)
            finally:
                local.gc = getattr(local, "gc", 0.0) + time.perf_counter() - started

    script_runner.gc = TimedGC()

    fit = nn_core.MLP.fit

    def timed_fit(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return fit(self, *args, **kwargs)
        finally:
            local.engine = getattr(local, "engine", 0.0) + time.perf_counter() - started

    nn_core.MLP.fit = timed_fit

    serialize = starlette_websocket.serialize_forward_msg

    def timed_serialize(msg):
        started = time.perf_counter()
        try:
            return serialize(msg)
        finally:
            with totals.lock:
                totals.serialise += time.perf_counter() - started
                totals.messages += 1

    starlette_websocket.serialize_forward_msg = timed_serialize

    run_script = script_runner.ScriptRunner._run_script

    def timed_run(self, rerun_data):
        local.gc = local.engine = 0.0
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return run_script(self, rerun_data)
        finally:
            end = time.perf_counter()
            with totals.lock:
                serialised, messages = totals.serialise, totals.messages
                totals.serialise, totals.messages = 0.0, 0
            out.write(json.dumps({
                "start": wall, "end": end, "wall": end - wall, "cpu": time.thread_time() - cpu,
                "gc": local.gc, "engine": local.engine, "serialise": serialised, "messages": messages,
            }) + "\n")

    script_runner.ScriptRunner._run_script = timed_run


def main() -> None:
    path, script, *options = sys.argv[1:]
    install(path)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", script, *options]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
