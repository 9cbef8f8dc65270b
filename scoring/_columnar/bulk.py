"""Bulk work over millions of rows, with Python's cyclic garbage collector paused.

Reading, scoring and writing a province allocate millions of small containers (dicts from the JSON,
tuples of flags, lists of pieces) and keep most of them. Each burst of allocations sets off the
collector, and its full passes walk every live container: a run of a million indicators spent a
quarter to a third of its time in collections that freed nothing. The work makes no reference cycles,
so the functions that do it pause the collector and restore it when they return; anything cyclic
made meanwhile is collected afterwards as usual.

The collector is one per process: with bulk work running in several threads (dask's threaded
scheduler), it stays paused until the last of them returns, and is left as it was found.
"""

from __future__ import annotations

import gc
import threading
from functools import wraps

_lock = threading.Lock()
_running = 0              # bulk calls in progress, in any thread
_paused_by_us = False     # whether the first of them found the collector enabled and paused it


def bulk(function):
    """Run ``function`` with the cyclic collector paused (a no-op when it is already paused)."""

    @wraps(function)
    def paused(*args, **kwargs):
        _enter()
        try:
            return function(*args, **kwargs)
        finally:
            _leave()

    return paused


def _enter() -> None:
    global _running, _paused_by_us
    with _lock:
        if _running == 0:
            _paused_by_us = gc.isenabled()
            gc.disable()
        _running += 1


def _leave() -> None:
    global _running
    with _lock:
        _running -= 1
        if _running == 0 and _paused_by_us:
            gc.enable()
