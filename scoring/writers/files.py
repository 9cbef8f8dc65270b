"""Output files written whole or not at all: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from scoring.errors import InputError


def write_whole(path: Path, write: Callable[[Path], None]) -> None:
    """Run ``write`` on a temporary path beside ``path`` and rename it into place; a failure (or an
    interruption) leaves any earlier file at ``path`` as it was and no temporary file behind."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
        os.close(handle)
    except OSError as error:
        raise InputError(f"无法写入 / cannot write: {error.strerror}", str(path)) from None
    temporary = Path(name)
    try:
        write(temporary)
        temporary.chmod(0o666 & ~_umask())        # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InputError(f"无法写入 / cannot write: {error.strerror}", str(path)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str) -> None:
    write_whole(path, lambda temporary: temporary.write_text(text, encoding="utf-8", newline=""))
