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


def parent(_) -> int:
    return os.getppid()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_fork_server_goes_once_the_work_is_done_and_comes_back_for_more():
    """The server that forks the workers holds the stages' modules (60-100 MB) and
    outlived them, beside the tone model; it goes when the memory is given back."""
    with workers.pool(2) as pool:
        servers = set(pool.map(parent, list(range(200))))
    assert len(servers) == 1 and os.getpid() not in servers
    assert alive(*servers)
    workers.give_back_memory()
    assert not alive(*servers)
    with workers.pool(2, remember, (1,)) as pool:
        results = pool.map(shifted, list(range(200)))
    assert [value for _, value in results] == [x + 1 for x in range(200)]


def stream_of(chunks: list[list[int]]):
    """`take` for `Pool.stream`: the chunks, with nothing ready between two of them."""
    arriving = iter(chunks)
    calls = []

    def take(wait: bool):
        calls.append(wait)
        if len(calls) % 2 and not wait:
            return []  # nothing has arrived since the last look
        return next(arriving, None)

    return take, calls


def test_a_stream_keeps_its_results_in_order_while_work_arrives():
    chunks = [list(range(n * 10, n * 10 + 10)) for n in range(12)]
    take, calls = stream_of(chunks)
    with workers.pool(2, remember, (5,), in_process_below=1) as pool:
        done = list(pool.stream(shifted, take, depth=4))
    assert [items for items, _ in done] == chunks
    assert [value for _, results in done for _, value in results] == [x + 5 for x in range(120)]
    assert os.getpid() not in {pid for _, results in done for pid, _ in results}
    assert True in calls and False in calls  # it waited only with nothing under way
