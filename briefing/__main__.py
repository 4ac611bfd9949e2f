"""Allow `python -m briefing`."""

import sys

from briefing.cli import main

sys.exit(main())
