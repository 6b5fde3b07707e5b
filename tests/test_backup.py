"""The database can be backed up while in use, restored, and a damaged one is named."""

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from clipper import store
from clipper.cli import main
from clipper.errors import FatalError

CONFIG = str(Path(__file__).parent.parent / "sources.yaml")


def add_article(db, title: str) -> None:
    with db.conn:
        db["articles"].insert({"url": f"https://example.kz/{title}",
                               "canonical_url": f"https://example.kz/{title}",
                               "source_id": "tengrinews", "title": title})


def test_backup_then_restore_brings_back_the_articles(tmp_path):
    live = tmp_path / "clipper.db"
    db = store.open_db(live)
    add_article(db, "до-копии")
    runner = CliRunner()
    copy = tmp_path / "backup" / "copy.db"
    assert runner.invoke(main, ["backup", str(copy), "--config", CONFIG,
                                "--db", str(live)]).exit_code == 0
    add_article(db, "после-копии")
    db.conn.close()
    result = runner.invoke(main, ["restore", str(copy), "--config", CONFIG, "--db", str(live)])
    assert result.exit_code == 0, result.output
    titles = [row["title"] for row in store.open_db(live)["articles"].rows]
    assert titles == ["до-копии"]


def test_a_damaged_database_gives_one_clear_line(tmp_path):
    broken = tmp_path / "clipper.db"
    broken.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(FatalError) as caught:
        store.open_db(broken)
    assert str(broken) in str(caught.value)
    result = CliRunner().invoke(main, ["digest", "--config", CONFIG, "--db", str(broken)])
    assert result.exit_code == 4
    assert "cannot open the database" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"garbage" * 500)
    with pytest.raises(FatalError, match="not a clipper backup"):
        store.restore(bogus, tmp_path / "clipper.db")


def test_a_database_locked_by_another_program_gives_one_clear_line(tmp_path, monkeypatch):
    path = tmp_path / "clipper.db"
    store.open_db(path).close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    other = sqlite3.connect(path)
    other.execute("begin exclusive")
    try:
        result = CliRunner().invoke(main, ["digest", "--config", CONFIG, "--db", str(path)])
    finally:
        other.rollback()
        other.close()
    assert result.exit_code == 4
    assert "locked" in result.output and "Traceback" not in result.output
