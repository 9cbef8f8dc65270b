"""What the command reads and shows besides its files: standard input given as ``-`` (held in a
temporary file that the readers read like any other, and named ``stdin`` in every error and output),
and the progress bar on stderr."""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from scoring.errors import InputCode, InputError
from scoring.readers.limits import FILE_BYTES

STDIN = "-"
NAME = "stdin"


@contextmanager
def stdin_files(arguments: list[str | None], otherwise: str) -> Iterator[list[str | None]]:
    """``arguments`` with ``-`` standing for a temporary file that holds standard input. Its suffix is
    sniffed: ``.xlsx`` for a zip, ``.json`` for text opening with ``{`` or ``[``, else ``otherwise``
    (``.txt`` for a declaration, ``.csv`` for a table). An InputError about that file names ``stdin``."""
    if arguments.count(STDIN) > 1:
        raise InputError("标准输入（-）只能读一次 / standard input given twice", code=InputCode.UNREADABLE)
    if STDIN not in arguments:
        yield arguments
        return
    data = sys.stdin.buffer.read(FILE_BYTES + 1)
    with tempfile.TemporaryDirectory(prefix="score-stdin-") as folder:
        path = Path(folder) / (NAME + _suffix(data, otherwise))
        path.write_bytes(data)
        try:
            yield [str(path) if a == STDIN else a for a in arguments]
        except InputError as error:
            if error.file != str(path):
                raise
            raise InputError(error.message, NAME, error.path, code=error.code) from None


def renamed(value, path: str):
    """``value`` (data, dataclasses, lists of them) with every text equal to ``path`` given as ``stdin``."""
    if isinstance(value, str):
        return NAME if value == path else value
    if isinstance(value, dict):
        return {k: renamed(v, path) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(renamed(v, path) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: renamed(getattr(value, f.name), path)
                                             for f in dataclasses.fields(value)})
    return value


def _suffix(data: bytes, otherwise: str) -> str:
    if data.startswith(b"PK\x03\x04"):
        return ".xlsx"
    opening = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return ".json" if opening in (b"{", b"[") else otherwise


class Progress:
    """A bar of a command's stages on stderr, only when stderr is a terminal and not --quiet."""

    def __init__(self, stages: tuple[str, ...], quiet: bool = False) -> None:
        self.stages = stages
        self.shown = not quiet and sys.stderr.isatty()
        self.start = time.monotonic()

    def stage(self, index: int, detail: str = "") -> None:
        if self.shown:
            done = int(20 * index / len(self.stages))
            sys.stderr.write(f"\r[{'#' * done}{'.' * (20 - done)}] {self.stages[index]} {detail}"
                             f"（{time.monotonic() - self.start:.1f} 秒）\x1b[K")
            sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write(f"\r[{'#' * 20}] 完成（{time.monotonic() - self.start:.1f} 秒）\x1b[K\n")

