"""Allow `python -m briefing`."""

import sys

from briefing.cli.main import run

sys.exit(run())
