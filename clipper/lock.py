"""One run at a time per database: a lock file beside it, holding the runner's PID.

The lock is an advisory `flock` on the file, so the kernel releases it when a
run dies, even by kill -9: a stale lock file never blocks the next night. The
PID written into it names the holder in the message of a run that has to wait.

While the lock is held, SIGTERM (what systemd and `kill` send) raises
`StopRequested` in the main thread: the run records its outcome, removes what
it was writing and exits 4; the next run goes on from where it stopped.
"""

from __future__ import annotations

import fcntl
import os
import signal
import threading
from contextlib import contextmanager
from pathlib import Path

from clipper.errors import FatalError, LockHeld, StopRequested

_stopping = threading.Event()


def stop_requested() -> bool:
    """Whether SIGTERM arrived during this run (its workers may have died of it first)."""
    return _stopping.is_set()


def _on_sigterm(signum, frame) -> None:
    if not _stopping.is_set():
        _stopping.set()
        raise StopRequested


@contextmanager
def stop_on_sigterm():
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _stopping.clear()
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def run_lock(db_path: str | Path):
    path = Path(f"{db_path}.lock")
    try:
        handle = open(path, "a+")  # noqa: SIM115 - held open for the whole run
    except OSError as exc:
        raise FatalError(f"{db_path}: cannot use this database path: the lock file {path} "
                         f"cannot be created ({exc.strerror})") from None
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
        with stop_on_sigterm():
            yield
    finally:
        handle.close()
