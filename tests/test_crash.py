"""A run killed with SIGKILL mid-write leaves a consistent database; the next run
finishes the work without duplicates or loss."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import DEFAULT_CONFIG

from clipper import store
from clipper.dedupe import content_hash

ARTICLES = 1500
BODY = ("Министерство культуры и информации провело встречу с редакторами региональных "
        "изданий номер {n}. Обсуждали гранты, аккредитацию и доступ к брифингам. ") * 6


def backlog(path, count: int) -> None:
    db = store.open_db(path)
    db["articles"].insert_all(({
        "id": n, "url": f"https://a.kz/{n}", "canonical_url": f"https://a.kz/{n}",
        "source_id": "a", "title": f"Встреча {n % 40}", "text": BODY.format(n=n % 40),
        "content_hash": content_hash(BODY.format(n=n % 40) + str(n)),
        "published_at": f"2026-11-{1 + n % 20:02d}T0{n % 10}:00:00+00:00", "extraction": "page",
    } for n in range(1, count + 1)), batch_size=500)
    db.close()


def stage(path, name: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "clipper", "--quiet", name, "--config",
                             str(DEFAULT_CONFIG), "--db", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def killed_mid_work(path, name: str, progress: str) -> int:
    """Start a stage, SIGKILL it as soon as `progress` (a count query) moves; the count.
    No time limit: on a busy machine the stage may take minutes to store its first rows."""
    process = stage(path, name)
    watcher = sqlite3.connect(path, timeout=30)
    done = 0
    while process.poll() is None:
        done = watcher.execute(progress).fetchone()[0]
        if done:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    process.wait()
    watcher.close()
    return done


def test_killed_runs_leave_a_consistent_database_and_the_next_run_completes(tmp_path):
    path = tmp_path / "clipper.db"
    backlog(path, ARTICLES)
    assert 0 < killed_mid_work(path, "dedupe", "select count(story_id) from articles") \
        < ARTICLES
    assert 0 < killed_mid_work(path, "detect", "select count(detected_at) from articles") \
        < ARTICLES
    db = store.open_db(path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    db.close()

    for name in ("dedupe", "detect"):
        assert stage(path, name).wait() == 0
    assert run_rows(path) == ["crashed", "crashed", "done", "done"]  # the killed two closed
    db = store.open_db(path)
    assert db.execute("select count(*) from articles where story_id is null").fetchone()[0] == 0
    assert db.execute("select count(*) from articles where detected_at is null").fetchone()[0] == 0
    per_article = {row[0] for row in db.execute(
        "select count(*) from mentions group by article_id")}
    assert per_article == {6}  # each text names the ministry 6 times: none lost, none twice
    assert db.execute("select sum(size) from stories").fetchone()[0] == ARTICLES
    assert db.execute("select count(*) from stories s where size != (select count(*) "
                      "from articles a where a.story_id = s.id)").fetchone()[0] == 0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except OSError:
            continue
    return found


def a_worker_of(pid: int) -> int | None:
    """A process of the run's pool: a child of its fork server."""
    for child in children(pid):
        if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
            workers = children(child)
            return workers[0] if workers else None
    return None


def run_rows(path) -> list[str]:
    with sqlite3.connect(path, timeout=30) as conn:
        return [row[0] for row in conn.execute("select outcome from runs order by id")]


def started_detecting(path, process) -> None:
    watcher = sqlite3.connect(path, timeout=30)
    while process.poll() is None and not watcher.execute(
            "select count(detected_at) from articles").fetchone()[0]:
        time.sleep(0.02)
    watcher.close()


def test_a_worker_killed_for_memory_is_a_crash_naming_the_stage_not_a_finished_night(tmp_path):
    path = tmp_path / "clipper.db"
    backlog(path, ARTICLES)
    process = subprocess.Popen([sys.executable, "-m", "clipper", "detect", "--config",
                                str(DEFAULT_CONFIG), "--db", str(path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started_detecting(path, process)
    worker = None
    while process.poll() is None and not worker:
        worker = a_worker_of(process.pid)
        time.sleep(0.05)
    os.kill(worker, signal.SIGKILL)  # what the out-of-memory killer does
    _, errors = process.communicate()
    assert process.returncode == 4, errors
    (line,) = [line for line in errors.splitlines() if line.startswith("Error: ")]
    assert line.startswith("Error: the detect stage crashed: BrokenProcessPool")
    assert run_rows(path) == ["crashed"]


def test_sigterm_stops_the_run_cleanly_and_the_next_run_finishes_the_work(tmp_path):
    path = tmp_path / "clipper.db"
    backlog(path, ARTICLES)
    process = subprocess.Popen([sys.executable, "-m", "clipper", "--quiet", "detect",
                                "--config", str(DEFAULT_CONFIG), "--db", str(path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started_detecting(path, process)
    process.terminate()  # SIGTERM, as systemd stops a service
    _, errors = process.communicate()
    assert process.returncode == 4
    assert errors.strip().splitlines() == [
        "Error: stopped by SIGTERM during the detect stage; the next run goes on from there"]
    assert run_rows(path) == ["stopped"]

    assert stage(path, "detect").wait() == 0
    db = store.open_db(path)
    assert db.execute("select count(*) from articles where detected_at is null").fetchone()[0] == 0
    assert {row[0] for row in db.execute("select count(*) from mentions group by article_id")} \
        == {6}
    assert run_rows(path) == ["stopped", "done"]
