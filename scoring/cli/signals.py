"""SIGINT and SIGTERM while the command runs: raised where the program stands as ``Interrupted``, so
that output files are cleaned up; ignored once an output is whole."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM, with its number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupted(signum: int, frame) -> None:
    ignore()                               # a second signal must not interrupt the cleanup
    raise Interrupted(signum)


def ignore() -> None:
    """From here on SIGINT and SIGTERM change nothing (the work is cleaned up, or its output is whole)."""
    if threading.current_thread() is threading.main_thread():
        for signum in _SIGNALS:
            signal.signal(signum, signal.SIG_IGN)


@contextmanager
def interruptible() -> Iterator[None]:
    """Within: the two signals raise Interrupted (in the main thread only); after: the handlers as before."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handlers = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    for signum, handler in handlers.items():
        if handler is not signal.SIG_IGN:          # a signal ignored by whoever started us stays ignored
            signal.signal(signum, _interrupted)
    try:
        yield
    finally:
        for signum, handler in handlers.items():
            if handler is not None:                # None: installed outside Python, cannot be put back
                signal.signal(signum, handler)
