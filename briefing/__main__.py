"""Allow `python -m briefing`."""

import sys

from briefing.cli import run

sys.exit(run())
