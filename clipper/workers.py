"""CPU-bound work on every core; the database stays in the calling process.

Extraction and mention detection are pure functions of their input, so a
batch is handed to worker processes and the results come back in order for
the caller to write. Small batches run in-process: starting workers costs
more than they would save.

By default the workers are this machine's processes. A deployment that outgrows
one machine passes any `concurrent.futures.Executor` to `using` (a Dask
cluster's `Client.get_executor()` is one): the same functions then run there,
while the database keeps its one writer here.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice

import threadpoolctl

IN_PROCESS_BELOW = 64  # items: fewer run in the calling process
# Imported once in the fork server, before it forks the workers: each worker starts
# without importing them again (a second or two of a core, every pool), and their
# pages stay shared between the workers until written to.
PRELOAD = ("clipper.extract", "clipper.detect", "clipper.stages")
_EXTERNAL: Executor | None = None  # set by `using`


@contextmanager
def using(executor: Executor | None):
    """Hand the CPU-bound work of the stages run inside to `executor` (None: this
    machine's processes). The executor stays the caller's to shut down."""
    global _EXTERNAL
    before, _EXTERNAL = _EXTERNAL, executor
    try:
        yield
    finally:
        _EXTERNAL = before


def give_back_memory() -> None:
    """Return the memory of what was just dropped (a model, the workers) to the system:
    glibc keeps freed memory for the process to reuse, and the next stage's model
    would come on top of it. Call it only with no pool of this module's at work."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    library = ctypes.util.find_library("c")
    if library and hasattr(trim := ctypes.CDLL(library), "malloc_trim"):
        trim.malloc_trim(0)
    _stop_fork_server()


def _stop_fork_server() -> None:
    """The fork server outlives the pools it started, holding the stages' modules
    (60-100 MB); with their workers gone, it goes too (the next pool starts another).
    Stopping it is how Python's own tests do it, hence the guard."""
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        stop()


def worker_count(configured: int) -> int:
    return configured if configured > 0 else (os.cpu_count() or 1)


def batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Pool:
    """`map(func, items)` in order, across processes when it is worth it.
    `setup(*args)` runs once in each process that will call `func` (a worker's
    detector is built there, not shipped with every item)."""

    def __init__(self, workers: int, setup: Callable | None = None, args: tuple = (),
                 in_process_below: int = IN_PROCESS_BELOW):
        self.workers, self.setup, self.args = workers, setup, args
        self.in_process_below = in_process_below
        self._executor: ProcessPoolExecutor | None = None
        self._set_up_here = False
        self._token = uuid.uuid4().hex  # names this pool's setup on another executor

    def map(self, func: Callable, items: list) -> list:
        return self._start(func, items)()

    def map_batches(self, func: Callable, batches: Iterable[list]) -> Iterator[tuple[list, list]]:
        """(batch, results) for each batch, while the workers already compute the next
        one: the caller's writes to the database overlap with their work."""
        waiting = None
        for batch in batches:
            started = (batch, self._start(func, batch))
            if waiting:
                yield waiting[0], waiting[1]()
            waiting = started
        if waiting:
            yield waiting[0], waiting[1]()

    def stream(self, func: Callable, take: Callable[[bool], list | None],
               depth: int) -> Iterator[tuple[list, list]]:
        """(items, results) in order, up to `depth` lists of items computed at once, for
        work that arrives while it is done: `take(wait)` gives the next items ([] when
        none is ready now, None when none will come); with `wait` nothing is under way
        and it may wait for some."""
        under_way: deque[tuple[list, Callable[[], list]]] = deque()
        finished = False
        while True:
            while not finished and len(under_way) < depth:
                items = take(not under_way)
                if items is None:
                    finished = True
                elif not items:
                    break
                else:
                    under_way.append((items, self._start(func, items)))
            if under_way:
                items, waiting = under_way.popleft()
                yield items, waiting()
            elif finished:
                return

    def map_chunks(self, func: Callable, items: Iterable, chunk: int,
                   chunks_at_once: int) -> Iterator[tuple[list, list]]:
        """`map_batches` for a `func` that takes a list of `chunk` items and returns a
        list of results (a batched model): (items, results) flattened back, in order."""
        chunks = batches(items, chunk)
        for batch, results in self.map_batches(func, batches(chunks, chunks_at_once)):
            yield ([item for part in batch for item in part],
                   [result for part in results for result in part])

    def _start(self, func: Callable, items: list) -> Callable[[], list]:
        """Start computing; the returned call waits for the results."""
        if _EXTERNAL is not None and self.workers > 1:  # every batch goes there
            results = _EXTERNAL.map(Prepared(func, self.setup, self.args, self._token), items)
            return lambda: list(results)
        if self.workers <= 1 or len(items) < self.in_process_below:
            if self.setup and not self._set_up_here:
                self.setup(*self.args)
                self._set_up_here = True
            return lambda: [func(item) for item in items]
        if self._executor is None:
            # Forked workers would share the run's lock file and keep it held if the
            # run were killed; workers from a fork server start clean and exit when
            # their parent is gone.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(PRELOAD))  # read when the server starts
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context,
                initializer=_start_worker, initargs=(os.getpid(), self.setup, self.args))
        chunk = max(1, len(items) // (self.workers * 4))
        results = self._executor.map(func, items, chunksize=chunk)
        return lambda: list(results)

    def close(self, cancel: bool = False) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=cancel)


_READY: set[str] = set()  # pools whose setup has run in this process
_READY_LOCK = threading.Lock()


class Prepared:
    """`func` for an executor this module did not start: the pool's `setup` runs
    once in each process before the first item it computes there."""

    def __init__(self, func: Callable, setup: Callable | None, args: tuple, token: str):
        self.func, self.setup, self.args, self.token = func, setup, args, token

    def __call__(self, item):
        if self.setup and self.token not in _READY:
            with _READY_LOCK:
                if self.token not in _READY:
                    self.setup(*self.args)
                    _READY.add(self.token)
        return self.func(item)


def _start_worker(parent: int, setup: Callable | None, args: tuple) -> None:
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the run to handle
    # One worker a core: BLAS threads of their own would fight the other workers
    # (the tone stage's parser took 3.5 times longer on two cores than on one).
    threadpoolctl.threadpool_limits(1)
    if setup:
        setup(*args)


def _exit_with(parent: int) -> None:
    """A worker whose run was killed (SIGKILL leaves no time to stop it) ends too."""
    while True:
        time.sleep(1)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)


@contextmanager
def pool(configured: int, setup: Callable | None = None, args: tuple = (),
         in_process_below: int = IN_PROCESS_BELOW):
    workers = Pool(worker_count(configured), setup, args, in_process_below)
    try:
        yield workers
    except BaseException:
        workers.close(cancel=True)  # a stopped run waits for no batch it will not store
        raise
    workers.close()
