"""Atomic file writes for anything a worker produces (PDFs, exports), and the sweep of temp files
a killed worker leaves behind."""

import os
import tempfile
import time
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

TMP_SUFFIX = ".tmp"
# Older than any write can take (every task has a hard time limit well under this).
TMP_MAX_AGE_SECONDS = 3600


def store_atomically(name: str, data: bytes, *, durable: bool = True) -> None:
    """A temp file in the same directory, then a rename over the target: a reader never sees half
    a file, and a crash leaves at most a `.tmp` file for `tmp_files_clean`."""
    try:
        target = default_storage.path(name)
    except NotImplementedError:  # remote storage: a single PUT is already atomic
        default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def tmp_files_clean(*, max_age_seconds: int = TMP_MAX_AGE_SECONDS,
                    now: float | None = None) -> int:
    """Delete `.tmp` files older than `max_age_seconds` under the local media root; the count.
    A younger one may still be being written, so it is left alone."""
    try:
        root = Path(default_storage.path(""))
    except NotImplementedError:  # object storage has no half-written files
        return 0
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
