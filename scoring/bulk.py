"""Bulk work over millions of rows, with Python's cyclic garbage collector paused.

Reading, scoring and writing a province allocate millions of small containers (dicts from the JSON,
tuples of flags, lists of pieces) and keep most of them. Each burst of allocations sets off the
collector, and its full passes walk every live container: a run of a million indicators spent a
quarter to a third of its time in collections that freed nothing. The work makes no reference cycles,
so the functions that do it pause the collector and restore it when they return; anything cyclic
made meanwhile is collected afterwards as usual.
"""

from __future__ import annotations

import gc
from functools import wraps


def bulk(function):
    """Run ``function`` with the cyclic collector paused (a no-op when it is already paused)."""

    @wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused
