"""The scheduling recipes in deploy/ parse: crontab fields, systemd units and timer."""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def test_the_crontab_line_is_valid_and_runs_clipper_in_the_configured_zone():
    lines = [line for line in (DEPLOY / "crontab").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    zone_line, job = lines
    ZoneInfo(zone_line.split("=", 1)[1])
    fields = job.split(None, 5)
    for value, (low, high) in zip(fields[:5], CRON_RANGES, strict=True):
        assert value == "*" or low <= int(value) <= high
    assert "clipper run" in fields[5]


def test_the_service_and_timer_name_each_other_and_clipper_run():
    service, timer = unit("clipper.service"), unit("clipper.timer")
    assert "clipper run" in service["Service"]["ExecStart"]
    assert service["Service"]["Type"] == "oneshot"
    assert "1" in service["Service"]["SuccessExitStatus"].split()
    assert timer["Timer"]["OnCalendar"].endswith("Asia/Almaty")
    assert timer["Timer"]["Persistent"] == "true"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_analyze_verifies_the_units(tmp_path):
    clipper = Path(sys.executable).parent / "clipper"
    for name in ("clipper.service", "clipper.timer"):
        text = (DEPLOY / name).read_text()
        text = text.replace("/opt/clipper/.venv/bin/clipper", str(clipper))
        text = text.replace("/opt/clipper", str(tmp_path)).replace("User=clipper\n", "")
        (tmp_path / name).write_text(text)
    checked = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", "clipper.timer", "clipper.service"],
        cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stderr.strip() == "", checked.stderr
    calendar = unit("clipper.timer")["Timer"]["OnCalendar"]
    assert subprocess.run(["systemd-analyze", "calendar", calendar],
                          capture_output=True).returncode == 0
