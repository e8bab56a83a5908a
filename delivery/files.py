"""Atomic file writes for anything a worker produces (PDFs, exports), and the sweep of temp files
a killed worker leaves behind."""

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import default_storage

TMP_SUFFIX = ".tmp"
# Older than any write can take (every task has a hard time limit well under this).
TMP_MAX_AGE_SECONDS = 3600


def local_path(name: str) -> str | None:
    """The file's path on the local disk, or None when the default storage is remote (S3)."""
    try:
        return default_storage.path(name)
    except NotImplementedError:
        return None


def write_atomically(name: str, write: Callable[[BinaryIO], None], *,
                     durable: bool = True) -> str:
    """Let `write(handle)` fill the file `name` of the default storage, all or nothing.

    Local disk: a temp file in the same directory, then a rename over the target, so a reader
    never sees half a file and a crash leaves at most a `.tmp` file for `tmp_files_clean`.
    Object storage: the bytes go to a local temp file (deleted on close, whatever happens), then
    one PUT of the whole object, which S3 makes visible atomically (never a partial object)."""
    target = local_path(name)
    if target is None:
        with tempfile.TemporaryFile(suffix=TMP_SUFFIX) as handle:
            write(handle)
            handle.seek(0)
            stored = default_storage.save(name, File(handle, name=name))
        if stored != name:  # a storage that renames instead of overwriting would lose the link
            raise RuntimeError(f"storage saved {name!r} as {stored!r}; set file_overwrite")
        return name
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return name


def store_atomically(name: str, data: bytes, *, durable: bool = True) -> str:
    """`data` as the file `name`, all or nothing (see `write_atomically`)."""
    return write_atomically(name, lambda handle: handle.write(data), durable=durable)


def tmp_files_clean(*, max_age_seconds: int = TMP_MAX_AGE_SECONDS,
                    now: float | None = None) -> int:
    """Delete `.tmp` files older than `max_age_seconds` under the local media root; the count.
    A younger one may still be being written, so it is left alone."""
    root_path = local_path("")
    if root_path is None:  # object storage has no half-written files
        return 0
    root = Path(root_path)
    if not root.is_dir():
        return 0
    cutoff = (now or time.time()) - max_age_seconds
    removed = 0
    for path in root.rglob(f"*{TMP_SUFFIX}"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another sweep got there first
            continue
    return removed
