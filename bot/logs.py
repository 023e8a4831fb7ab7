"""One log format for rapport, gunicorn and the libraries: time, level, logger name, message."""

from __future__ import annotations

import logging

# The logger's name is the prefix (`rapport: …`, `gunicorn.error: …`), so messages never repeat it.
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    """Send every log line to stderr once, in FORMAT (a no-op when a host such as gunicorn already did)."""
    logging.basicConfig(level=level, format=FORMAT)
