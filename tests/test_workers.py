"""The worker pool: results in order, from other processes when the batch is large."""

import os

from clipper import workers

STATE = {}


def remember(value: int) -> None:
    STATE["offset"] = value


def shifted(x: int) -> tuple[int, int]:
    return os.getpid(), x + STATE["offset"]


def test_a_large_batch_runs_in_worker_processes_in_order():
    with workers.pool(2, remember, (100,)) as pool:
        results = pool.map(shifted, list(range(500)))
    assert [value for _, value in results] == [x + 100 for x in range(500)]
    assert os.getpid() not in {pid for pid, _ in results}


def test_a_small_batch_runs_here_after_the_same_setup():
    with workers.pool(2, remember, (7,)) as pool:
        results = pool.map(shifted, [1, 2, 3])
    assert results == [(os.getpid(), 8), (os.getpid(), 9), (os.getpid(), 10)]
