"""Atomic file writes: a reader never sees a half-written corpus or graph file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["atomic_write_text", "atomic_write_bytes", "atomic_concat"]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file, fsync and rename.

    The temporary file lives in the same folder, so the rename is atomic;
    on any failure the temporary file is removed and ``path`` is untouched.
    """
    atomic_concat(path, [data])


def atomic_concat(path: Path, parts: list[bytes | Path]) -> None:
    """Write the concatenation of ``parts`` (bytes, or files copied as they are)
    atomically, as :func:`atomic_write_bytes`.  Files are copied by the kernel
    (``copy_file_range``) where it can: assembling a big file from many costs a copy,
    not a trip of every byte through Python."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".tmp-{path.name}.")
    try:
        # mkstemp creates 0600 files; give the result the usual mode (0644 under umask 022).
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                if isinstance(part, bytes):
                    handle.write(part)
                else:
                    handle.flush()
                    _copy_into(Path(part), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _copy_into(source: Path, handle) -> None:
    with open(source, "rb") as src:
        left = os.fstat(src.fileno()).st_size
        try:
            while left > 0:
                copied = os.copy_file_range(src.fileno(), handle.fileno(), left)
                if copied == 0:  # the file shrank under us: copy what is left the plain way
                    break
                left -= copied
        except (AttributeError, OSError):  # no copy_file_range here (platform, file system)
            pass
        # Whatever is left (nothing after a full copy_file_range, which moved both offsets).
        shutil.copyfileobj(src, handle)
        handle.flush()


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(folder: Path) -> None:
    # The rename is only durable once the directory entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
