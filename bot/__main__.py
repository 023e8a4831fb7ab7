"""`python -m bot` is the `rapport` command."""

import sys

from bot.cli import main

sys.exit(main())
