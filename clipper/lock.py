"""One run at a time per database: a lock file beside it, holding the runner's PID.

The lock is an advisory `flock` on the file, so the kernel releases it when a
run dies, even by kill -9: a stale lock file never blocks the next night. The
PID written into it names the holder in the message of a run that has to wait.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from clipper.errors import LockHeld


@contextmanager
def run_lock(db_path: str | Path):
    path = Path(f"{db_path}.lock")
    handle = open(path, "a+")  # noqa: SIM115 - held open for the whole run
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockHeld(f"another clipper run (PID {holder}) is using {db_path}; "
                           f"it holds {path}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()
