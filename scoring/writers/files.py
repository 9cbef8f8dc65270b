"""Output files written whole or not at all: a temporary file beside the target, renamed into place;
and the checks, made before any work, that an output path can be written and is not an input."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

from scoring.errors import InputCode, InputError

_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def write_whole(path: Path, write: Callable[[Path], None]) -> None:
    """Run ``write`` on a temporary path beside ``path`` and rename it into place; a failure (or an
    interruption) leaves any earlier file at ``path`` as it was and no temporary file behind."""
    temporary = None
    try:
        with _signals_held():           # an interruption lands once the temporary file is known
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
            temporary = Path(name)
        os.close(handle)
        write(temporary)
        temporary.chmod(0o666 & ~_umask())        # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise InputError(f"无法写入 / cannot write: {error.strerror}", str(path), code=InputCode.CANNOT_WRITE) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def check_output(path: Path, inputs: Iterable[str | Path | None]) -> None:
    """Refuse an output path that cannot be written (a directory, a folder that is missing, read-only or
    out of reach) or that is one of ``inputs`` (writing it would lose the input)."""
    def refuse(message: str, code: InputCode = InputCode.CANNOT_WRITE):
        raise InputError(message, str(path), code=code)

    folder = path.parent
    try:
        if path.is_dir():
            refuse("是一个文件夹，应为文件名 / is a directory")
        if not folder.is_dir():
            refuse(f"文件夹「{folder}」不存在 / no such folder")
        exists = path.exists()
    except OSError as error:                      # a folder on the way that may not be entered
        refuse(f"无法写入 / cannot write: {error.strerror}")
    if not _may(folder, os.W_OK | os.X_OK):
        refuse(f"文件夹「{folder}」不可写 / folder not writable")
    if exists:
        if not _may(path, os.W_OK):
            refuse("文件只读 / file is read-only")
        if any(_same(path, given) for given in inputs if given is not None):
            refuse("输出文件就是输入文件，写入会覆盖输入 / the output is an input", InputCode.OUTPUT_IS_INPUT)


def _same(path: Path, given: str | Path) -> bool:
    """Whether ``given`` is the file at ``path`` (an input that cannot be reached is not: its reader
    says why)."""
    try:
        return os.path.samefile(path, given)
    except (OSError, ValueError):
        return False


def _may(path: Path, mode: int) -> bool:
    """Whether this process (its effective user, where the system tells) may use ``path`` so."""
    return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)


@contextmanager
def _signals_held():
    if not hasattr(signal, "pthread_sigmask"):         # Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_whole(path, lambda temporary: encoded_write(temporary, lambda out: out.write(text), encoding))


ENCODINGS = ("utf-8", "utf-8-sig", "gbk")      # utf-8-sig and gbk: CSV for Excel on Windows


def encoded_write(path: Path, write: Callable, encoding: str = "utf-8") -> None:
    """Open ``path`` as text in ``encoding`` and ``write(stream)``; a character the encoding cannot hold
    is an error that names it (the caller's write_whole leaves no file)."""
    try:
        with path.open("w", encoding=encoding, newline="") as out:
            write(out)
    except UnicodeEncodeError as error:
        raise unencodable(error) from None


def write_stdout(text: str, encoding: str = "utf-8") -> None:
    """``text`` on standard output in ``encoding`` (checked whole before anything is written)."""
    if encoding == "utf-8":
        sys.stdout.write(text)
        return
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as error:
        raise unencodable(error) from None
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def unencodable(error: UnicodeEncodeError) -> InputError:
    char = error.object[error.start:error.end][:1]
    return InputError(f"字符「{char}」（U+{ord(char):04X}）无法用 {error.encoding} 编码，可改用 --encoding utf-8-sig "
                      "/ a character the encoding cannot hold", code=InputCode.CANNOT_WRITE)
