"""The command line itself: what starting a command costs."""

import subprocess
import sys

import pytest

HEAVY = ("weasyprint", "trafilatura", "onnxruntime", "datasketch", "pymorphy3", "httpx",
         "clipper.encoder", "clipper.tone.model", "clipper.analyse", "clipper.render")
PROBE = """
import sys
from clipper.cli import main
try:
    main([{args}])
except SystemExit:
    pass
print("loaded:" + ",".join(sorted(name for name in {heavy} if name in sys.modules)))
"""


@pytest.mark.parametrize("args", ['"--help"', '"--version"', '"run", "--help"'])
def test_help_and_version_load_no_model_or_renderer(args):
    """`--help` and `--version` answer at once: no module a command does not use."""
    probe = PROBE.format(args=args, heavy=HEAVY)
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.strip().splitlines()[-1]
    assert loaded == "loaded:"
