"""Two runs never share a database; a killed run leaves no lock behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from clipper.cli import main
from clipper.errors import LockHeld
from clipper.lock import run_lock

HOLD = """
import sys, time
from clipper.lock import run_lock
with run_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_run_is_refused_with_the_holders_pid(tmp_path):
    db = tmp_path / "clipper.db"
    with run_lock(db), pytest.raises(LockHeld) as refused, run_lock(db):
        pass
    assert f"PID {os.getpid()}" in str(refused.value)
    assert refused.value.exit_code == 3


def test_a_killed_holder_leaves_a_stale_file_that_does_not_block(tmp_path):
    db = tmp_path / "clipper.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(LockHeld), run_lock(db):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (tmp_path / "clipper.db.lock").read_text().strip() == str(holder.pid)
    deadline = time.monotonic() + 5
    while True:
        try:
            with run_lock(db):
                break
        except LockHeld:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_clipper_run_exits_3_while_another_run_holds_the_database(tmp_path):
    db = tmp_path / "clipper.db"
    config = Path(__file__).parent.parent / "sources.yaml"
    with run_lock(db):
        result = CliRunner().invoke(main, ["run", "--config", str(config), "--db", str(db)])
    assert result.exit_code == 3
    assert "another clipper run" in result.output


@pytest.mark.parametrize("command", [["digest", "--date", "2026-11-22"],
                                     ["report", "--date", "2026-11-22"]])
def test_a_digest_or_report_refuses_to_share_the_database_with_a_run(
        tmp_path, command):
    """They write `runs` rows, send mail, prune and overwrite PDFs: one at a time."""
    db = tmp_path / "clipper.db"
    config = Path(__file__).parent.parent / "sources.yaml"
    with run_lock(db):
        result = CliRunner().invoke(main, [*command, "--config", str(config), "--db", str(db)])
    assert result.exit_code == 3 and "another clipper run" in result.output


@pytest.mark.parametrize("where", ["missing/folder/clipper.db", "/proc/clipper.db"])
def test_a_database_path_that_cannot_be_used_is_one_line_and_exit_4(tmp_path, where):
    config = Path(__file__).parent.parent / "sources.yaml"
    result = CliRunner().invoke(main, ["run", "--config", str(config),
                                       "--db", str(tmp_path / where)])
    assert result.exit_code == 4, result.output
    (line,) = result.output.strip().splitlines()
    assert "cannot use this database path" in line and "Traceback" not in result.output
